package org.crucible.executors.descriptors;

import java.util.List;
import java.util.Random;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;
import org.crucible.core.neighbors.NeighborList;

/**
 * Prints one hash per kernel of every bit it returns, to show that a refactoring or a kernel change leaves the numbers
 * unchanged: ACE (evaluate with 1 and 9 coefficient vectors, committee kernel and model by model, atomicFeatures,
 * summedFeatures, designRows, function names) on four systems including a two-element nu = 4 basis with an inner
 * cutoff; averaged SOAP with one and two species; full and half neighbour lists (every index, image and displacement
 * bit); extended XYZ text of five frames (labels, virial, every column kind, typed info) and a comment line. Run it on
 * the code before and after a change and compare the outputs (docs/benchmarks.md, session 35).
 * Usage: {@code java -cp <executors test classpath> org.crucible.executors.descriptors.DescriptorFingerprint}.
 */
public final class DescriptorFingerprint {
    private DescriptorFingerprint() {
    }

    static long h = 17;

    static void mix(double[] v) {
        for (double x : v) h = 31 * h + Double.doubleToRawLongBits(x);
    }

    static void mix(long v) {
        h = 31 * h + v;
    }

    static void done(String what) {
        System.out.printf("%-40s %016x%n", what, h);
        h = 17;
    }

    static void ace(String name, AceBasis b, Structure s, Random rnd) {
        double[][] one = new double[1][b.size()], nine = new double[9][b.size()];
        for (int f = 0; f < b.size(); f++) {
            one[0][f] = rnd.nextGaussian() * 1e-3;
            for (int k = 0; k < 9; k++) nine[k][f] = one[0][f] + rnd.nextGaussian() * 1e-4;
        }
        for (double[][] c : new double[][][] {one, nine}) {
            LinearBasis.CommitteeEvaluation ev = b.evaluate(s, c);
            mix(ev.energies());
            for (double[] f : ev.forces()) mix(f);
            for (double[] st : ev.stress()) mix(st);
            ev = b.evaluateModelByModel(s, c);
            mix(ev.energies());
            for (double[] f : ev.forces()) mix(f);
            for (double[] st : ev.stress()) mix(st);
        }
        mix(b.atomicFeatures(s));
        mix(b.summedFeatures(s));
        LinearBasis.DesignRows d = b.designRows(s);
        mix(d.energy());
        mix(d.forces());
        mix(d.stress());
        StringBuilder names = new StringBuilder();
        for (int f = 0; f < b.size(); f++) names.append(b.describeFunction(f));
        mix(names.toString().hashCode());
        for (int nu = 1; nu <= 4; nu++) mix(b.countOfOrder(nu));
        mix(b.radialCount());
        mix(b.lMax());
        done("ACE " + name);
    }

    static void nl(String name, Structure s) {
        for (boolean half : new boolean[] {false, true}) {
            NeighborList l = half ? NeighborList.buildHalf(s, 5.0) : NeighborList.build(s, 5.0);
            for (int i = 0; i <= s.size(); i++) mix(i < s.size() ? l.start(i) : l.size());
            for (int k = 0; k < l.size(); k++) {
                mix(l.neighbor(k));
                mix(l.image(k, 0) * 1_000_003L + l.image(k, 1) * 1009L + l.image(k, 2));
                mix(new double[] {l.dx(k), l.dy(k), l.dz(k)});
            }
        }
        done("neighbour lists " + name);
    }

    public static void main(String[] args) {
        Random rnd = new Random(5);
        Structure box = CommitteeKernelCpuTime.box(new Random(1));
        Structure si16 = TestStructures.randomCell(new Random(2), 16, new int[] {14}, 20.0, 2.0);
        Structure sic = TestStructures.randomCell(new Random(3), 24, new int[] {6, 14}, 14.0, 1.4);
        Structure small = TestStructures.randomCell(new Random(4), 3, new int[] {14}, 17.0, 2.0);
        AceBasis si = new AceBasis(AceParameters.defaults(14));
        ace("default Si, 1000 box", si, box, rnd);
        ace("default Si, Si16", si, si16, rnd);
        AceBasis two = new AceBasis(AceParameters.defaults(6, 14).withInnerCutoff(0.8).withDegrees(new int[] {6, 5, 4, 4}, 1.5, 3));
        ace("C-Si nu4 rIn 0.8, SiC24", two, sic, rnd);
        ace("default Si, Si3 small cell", si, small, rnd);
        AveragedSoap soap = new AveragedSoap(SoapParameters.defaults().withSpecies(14));
        mix(soap.describe(box));
        mix(soap.describe(si16));
        mix(soap.describe(small));
        done("SOAP Si");
        AveragedSoap soap2 = new AveragedSoap(SoapParameters.defaults());
        mix(soap2.describe(sic));
        mix(soap2.averagedCoefficients(sic));
        done("SOAP C-Si");
        nl("box", box);
        nl("Si16", si16);
        nl("SiC24", sic);
        nl("Si3", small);
        String text = ExtendedXyz.toString(List.of(box, si16, sic, small));
        mix(text.hashCode());
        mix(text.length());
        String again = ExtendedXyz.toString(ExtendedXyz.parse(text, "fp"));
        mix(again.hashCode());
        String rich = "3\nLattice=\"5.1 0.1 0 0.2 5.3 0 0.3 0.1 5.7\" Properties=species:S:1:pos:R:3:tag:I:1:q:R:2:lbl:S:1:fix:L:1:forces:R:3"
                + " energy=-12.25 virial=\"1 2 3 4 5 6\" temp=300 flags=\"T F T\" name='a b' vec=\"1.5 2.5\" js=\"_JSON [1]\" pbc=\"T T F\"\n"
                + "Si 0.1 0.2 0.3 7 1e-3 -2.5E+2 x T 0.01 -0.02 0.03\n"
                + "C 1.1 1.2 1.3 -8 0.3333333333333333 1 yy F 1 2 3\n"
                + "si 2.1 2.2 2.3 9 4.9e-324 1.7976931348623157e308 z T -0.0 0 1e-17\n";
        List<Structure> r = ExtendedXyz.parse(rich, "rich");
        String out = ExtendedXyz.toString(r);
        mix(out.hashCode());
        mix(ExtendedXyz.toString(ExtendedXyz.parse(out, "rich2")).hashCode());
        mix(ExtendedXyz.parseComment("a=1 b=\"1 2\" c d='x y' e={1,2}").toString().hashCode());
        done("extxyz text");
    }
}
