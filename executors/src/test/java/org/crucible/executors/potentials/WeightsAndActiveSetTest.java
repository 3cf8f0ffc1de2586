package org.crucible.executors.potentials;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class WeightsAndActiveSetTest {

    @Test
    void energyAboveLowerConvexHull() {
        double[] v = {10, 12, 14, 16, 13, 11, Double.NaN};
        double[] e = {-3.0, -4.0, -3.8, -3.0, -3.5, -3.0, -2.0};
        double[] de = ObservationWeights.energyAboveHull(v, e);
        assertEquals(0, de[0], 1e-12);
        assertEquals(0, de[1], 1e-12);
        assertEquals(0, de[2], 1e-12);
        assertEquals(0, de[3], 1e-12);
        assertEquals(-3.5 - (-3.9), de[4], 1e-12); // hull between (12,-4) and (14,-3.8) at 13 is -3.9
        assertEquals(-3.0 - (-3.5), de[5], 1e-12); // between (10,-3) and (12,-4) at 11: -3.5
        assertEquals(-2.0 - (-4.0), de[6], 1e-12); // no volume: against the lowest energy
    }

    @Test
    void gapRssSigmasInterpolateLinearly() {
        ObservationWeights w = ObservationWeights.GAP_RSS;
        assertArrayEquals(new double[] {0.001, 0.0316, 0.0632}, w.sigmas(0.05), 1e-15);
        assertArrayEquals(new double[] {0.1, 0.316, 0.632}, w.sigmas(3), 1e-15);
        assertArrayEquals(new double[] {0.0505, 0.1738, 0.3476}, w.sigmas(0.55), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new ObservationWeights(0, 1, 1, 1, 1, 1, 0.1, 1));
    }

    @Test
    void maxvolActiveSetInterpolatesTrainingRowsAndGradesNewOnes() {
        Random rng = new Random(1);
        int n = 300, f = 6;
        double[] x = new double[n * f];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextGaussian();
        ActiveSet a = ActiveSet.select(x, n, f);
        assertEquals(f, a.size());
        double[] g = a.grades(x, n);
        for (double v : g) assertTrue(v <= 1 + ActiveSet.MAXVOL_TOLERANCE + 1e-9, "training row graded " + v);
        double[] far = new double[f];
        for (int j = 0; j < f; j++) far[j] = 10 * rng.nextGaussian();
        double gamma = a.grade(far, 1);
        assertTrue(gamma > 2, "far row graded " + gamma);
        // grade is invariant under an invertible linear map of the features
        ActiveSet updated = a.update(far, 1);
        assertEquals(a.logAbsDeterminant() + Math.log(gamma), updated.logAbsDeterminant(), 1e-9, "update multiplies |det| by gamma");
        assertEquals(1.0, updated.grade(far, 1), 1e-9);
        assertSame(updated, updated.update(x, 10), "rows below gamma_select do not change the set");
        // a round trip through the stored rows reproduces grades exactly
        ActiveSet copy = ActiveSet.of(f, a.size(), a.projection(), a.rows(), a.gammaSelect(), a.gammaBreak());
        assertArrayEquals(a.grades(x, n), copy.grades(x, n), 0.0);
    }

    @Test
    void maxvolFindsTheMaximumVolumeOnASmallExhaustiveCase() {
        Random rng = new Random(4);
        int n = 9, f = 3;
        double[] x = new double[n * f];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextGaussian();
        ActiveSet a = ActiveSet.select(x, n, f, 1.0, 10);
        double best = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) for (int k = j + 1; k < n; k++) {
            double[] m = new double[9];
            System.arraycopy(x, i * 3, m, 0, 3);
            System.arraycopy(x, j * 3, m, 3, 3);
            System.arraycopy(x, k * 3, m, 6, 3);
            double det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
            best = Math.max(best, Math.log(Math.abs(det)));
        }
        // maxvol is a local optimum: within a factor (1 + tol)^f of the global one... and here it finds it
        assertTrue(a.logAbsDeterminant() >= best - f * Math.log(1 + ActiveSet.MAXVOL_TOLERANCE) - 1e-9,
                "maxvol log|det| " + a.logAbsDeterminant() + " vs best " + best);
    }

    @Test
    void rankDeficientRowsAreGradedInTheirSpan() {
        Random rng = new Random(2);
        int n = 50, f = 4;
        double[] x = new double[n * f];
        for (int i = 0; i < n; i++) {
            double a = rng.nextGaussian(), b = rng.nextGaussian();
            x[i * f] = a;
            x[i * f + 1] = b;
            x[i * f + 2] = a + b;  // dependent column
            x[i * f + 3] = 0;      // unused feature
        }
        ActiveSet s = ActiveSet.select(x, n, f);
        assertEquals(2, s.size());
        assertTrue(s.grade(x, n) <= 1 + ActiveSet.MAXVOL_TOLERANCE + 1e-9);
    }
}
