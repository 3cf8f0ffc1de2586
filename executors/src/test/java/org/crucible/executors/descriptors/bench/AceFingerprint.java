package org.crucible.executors.descriptors.bench;

import java.util.Random;
import org.crucible.executors.descriptors.AceBasis;
import org.crucible.executors.descriptors.AceParameters;
import org.crucible.executors.descriptors.LinearBasis;

/**
 * Prints a hash of every bit of a committee evaluation (energies, forces, stress of 9 models) and of the averaged
 * SOAP vector on the benchmark's 1,000-atom box, to check that a kernel change leaves the numbers bit for bit unchanged: run it on the code before
 * and after and compare the two lines. Usage: {@code java -cp ... org.crucible.executors.descriptors.bench.AceFingerprint}.
 */
public final class AceFingerprint {
    private AceFingerprint() {
    }

    public static void main(String[] args) {
        Random rnd = new Random(1);
        var box = DescriptorBenchmark.siliconBox(rnd);
        AceBasis ace = new AceBasis(AceParameters.defaults(14));
        double[][] c = new double[9][ace.size()];
        for (double[] row : c) for (int i = 0; i < row.length; i++) row[i] = rnd.nextGaussian() * 1e-3;
        LinearBasis.CommitteeEvaluation ev = ace.evaluate(box, c);
        long h = 17;
        for (int k = 0; k < 9; k++) {
            h = 31 * h + Double.doubleToRawLongBits(ev.energies()[k]);
            for (double v : ev.forces()[k]) h = 31 * h + Double.doubleToRawLongBits(v);
            for (double v : ev.stress()[k]) h = 31 * h + Double.doubleToRawLongBits(v);
        }
        long hs = 17;
        for (double v : DescriptorBenchmark.benchmarkSoap().describe(box)) hs = 31 * hs + Double.doubleToRawLongBits(v);
        System.out.printf("averaged SOAP hash %016x%n", hs);
        System.out.printf("energies[0] %.17g forces[0][0] %.17g stress[0][0] %.17g hash %016x%n", ev.energies()[0], ev.forces()[0][0], ev.stress()[0][0], h);
    }
}
