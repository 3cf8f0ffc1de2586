package org.crucible.executors.symmetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.crucible.core.Cell;
import org.junit.jupiter.api.Test;

class NiggliReductionTest {
    @Test
    void fccPrimitiveCellsReduceToTheSameNiggliCell() {
        double a = 4.05;
        Cell prim = Cell.periodic(new double[][] {{0, a / 2, a / 2}, {a / 2, 0, a / 2}, {a / 2, a / 2, 0}});
        NiggliReduction.Result r = NiggliReduction.reduce(prim, 1e-5);
        double[] len = r.cell().lengths();
        double[] ang = r.cell().angles();
        for (int k = 0; k < 3; k++) {
            assertEquals(a / Math.sqrt(2), len[k], 1e-9);
            assertEquals(60.0, ang[k], 1e-6);
        }
    }

    @Test
    void skewedBasesOfOneLatticeReduceToOneMetricWithUnimodularTransforms() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int trial = 0; trial < 200; trial++) {
            Cell base = Cell.fromParameters(rng.nextDouble(3, 6), rng.nextDouble(3, 6), rng.nextDouble(3, 6),
                    rng.nextDouble(70, 110), rng.nextDouble(70, 110), rng.nextDouble(70, 110));
            int[] t = randomUnimodular(rng);
            Cell skew = base.withMatrix(NiggliReduction.apply(t, base.matrix()));
            NiggliReduction.Result r1 = NiggliReduction.reduce(base, 1e-7);
            NiggliReduction.Result r2 = NiggliReduction.reduce(skew, 1e-7);
            double[] g1 = metric(r1.cell()), g2 = metric(r2.cell());
            for (int k = 0; k < 6; k++) assertEquals(g1[k], g2[k], 1e-6, "Niggli metric differs at trial " + trial);
            assertEquals(1, IntMatrix.determinant(r2.transform()));
            assertEquals(skew.volume(), r2.cell().volume(), 1e-8);
            assertTrue(r2.cell().determinant() * skew.determinant() > 0, "handedness kept");
            double[] expect = NiggliReduction.apply(r2.transform(), skew.matrix());
            double[] got = r2.cell().matrix();
            for (int k = 0; k < 9; k++) assertEquals(expect[k], got[k], 1e-9);
        }
    }

    static int[] randomUnimodular(SplittableRandom rng) {
        int[] t = IntMatrix.identity();
        for (int s = 0; s < 6; s++) {
            int i = rng.nextInt(3), j = (i + 1 + rng.nextInt(2)) % 3;
            int[] e = IntMatrix.identity();
            e[3 * i + j] = rng.nextBoolean() ? 1 : -1;
            t = IntMatrix.multiply(e, t);
        }
        return t;
    }

    private static double[] metric(Cell c) {
        double[] m = c.matrix();
        double[] g = new double[6];
        int[][] p = {{0, 0}, {1, 1}, {2, 2}, {1, 2}, {0, 2}, {0, 1}};
        for (int k = 0; k < 6; k++) {
            int i = p[k][0], j = p[k][1];
            g[k] = m[3 * i] * m[3 * j] + m[3 * i + 1] * m[3 * j + 1] + m[3 * i + 2] * m[3 * j + 2];
            if (k >= 3) g[k] = Math.abs(g[k]);
        }
        return g;
    }
}
