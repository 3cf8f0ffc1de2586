package org.crucible.executors.evolution;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.executors.generators.Composition;
import org.crucible.executors.generators.MinimumSeparation;

/**
 * USPEX heredity (cut-and-splice): a random lattice plane s_k = x0 (k random, x0 uniform) and a random slab
 * fraction f in [0.25, 0.75] cut both parents; atoms of parent A with (s_k - x0) mod 1 < f and atoms of parent
 * B with (s_k - x0) mod 1 >= f are kept at their fractional coordinates in a cell L = w L_A + (1 - w) L_B
 * (w uniform in [0, 1]). Composition repair: surplus atoms of an element are removed (those nearest the cut
 * planes first), missing ones are taken from the unused atoms of either parent nearest the cut and, failing
 * that, placed at random positions. The child keeps the minimum separations or is drawn again.
 *
 * <p>Parents should share composition and have comparable cells (e.g. both Niggli-reduced with the same atom
 * count), as in USPEX.
 *
 * @param target      composition of the child
 * @param separation  minimum separations
 * @param maxAttempts cut planes tried before failing
 */
public record Heredity(Composition target, MinimumSeparation separation, int maxAttempts) implements Variation {
    public Heredity {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1");
    }

    @Override
    public int parents() {
        return 2;
    }

    @Override
    public Structure apply(Structure[] p, SplittableRandom rng) {
        if (p.length != 2) throw new IllegalArgumentException("heredity needs two parents, got " + p.length);
        List<String> symbols = target.symbols();
        int[] want = target.countArray();
        int[] targetZ = symbols.stream().mapToInt(s -> org.crucible.core.Elements.bySymbol(s).z()).toArray();
        double[] fa = p[0].cell().toFractionalAll(p[0].positions());
        double[] fb = p[1].cell().toFractionalAll(p[1].positions());
        for (int attempt = 0; attempt < maxAttempts; attempt++) {
            int k = rng.nextInt(3);
            double x0 = rng.nextDouble();
            double f = rng.nextDouble(0.25, 0.75);
            double w = rng.nextDouble();
            double[] ma = p[0].cell().matrix(), mb = p[1].cell().matrix(), m = new double[9];
            for (int i = 0; i < 9; i++) m[i] = w * ma[i] + (1 - w) * mb[i];
            Cell cell;
            try {
                cell = p[0].cell().withMatrix(m);
            } catch (IllegalArgumentException flat) {
                continue;
            }
            List<double[]> kept = new ArrayList<>(); // {z, s0, s1, s2, distance to cut}
            List<double[]> spare = new ArrayList<>();
            collect(p[0], fa, k, x0, f, true, kept, spare);
            collect(p[1], fb, k, x0, f, false, kept, spare);
            List<double[]> child = new ArrayList<>();
            for (int e = 0; e < targetZ.length; e++) {
                List<double[]> have = byZ(kept, targetZ[e]);
                have.sort((a, b) -> Double.compare(b[4], a[4])); // far from the cut first
                List<double[]> extra = byZ(spare, targetZ[e]);
                extra.sort((a, b) -> Double.compare(a[4], b[4])); // near the cut first
                for (int i = 0; i < want[e]; i++) {
                    if (i < have.size()) child.add(have.get(i));
                    else if (i - have.size() < extra.size()) child.add(extra.get(i - have.size()));
                    else child.add(new double[] {targetZ[e], rng.nextDouble(), rng.nextDouble(), rng.nextDouble(), 0});
                }
            }
            int[] z = new int[child.size()];
            double[] frac = new double[3 * child.size()];
            for (int i = 0; i < z.length; i++) {
                z[i] = (int) child.get(i)[0];
                System.arraycopy(child.get(i), 1, frac, 3 * i, 3);
            }
            Structure s = Children.tagged(cell, z, frac, p[0].info(), "heredity");
            if (Children.separated(s, separation)) return s;
        }
        throw Children.failed("heredity", maxAttempts, separation);
    }

    private static void collect(Structure s, double[] frac, int k, double x0, double f, boolean first,
                                List<double[]> kept, List<double[]> spare) {
        for (int i = 0; i < s.size(); i++) {
            double u = Cell.wrapUnit(frac[3 * i + k] - x0);
            boolean inA = u < f;
            double dist = Math.min(Math.min(u, Math.abs(u - f)), 1 - u); // fractional distance to a cut plane
            double[] row = {s.atomicNumber(i), frac[3 * i], frac[3 * i + 1], frac[3 * i + 2], dist};
            if (inA == first) kept.add(row);
            else spare.add(row);
        }
    }

    private static List<double[]> byZ(List<double[]> rows, int z) {
        List<double[]> out = new ArrayList<>();
        for (double[] r : rows) if ((int) r[0] == z) out.add(r);
        return out;
    }
}
