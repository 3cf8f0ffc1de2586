package org.crucible.driver.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FlatHistogramTest {
    /** 1000 values at 0, 100 at 0.45, 10 at 0.9 eV/atom: bins 0, 5 and 9 of numpy's 10 bins over [0, 0.9]. */
    static double[] skewed() {
        double[] h = new double[1110];
        for (int i = 0; i < 1110; i++) h[i] = i < 1000 ? 0.0 : i < 1100 ? 0.45 : 0.9;
        return h;
    }

    @Test
    void binsAreNumpysDefaultTenEqualBinsWithTheMaximumInTheLast() {
        // numpy: np.histogram([0, 0.05, 0.0899, 0.45, 0.9])[0] == [3, 0, 0, 0, 0, 1, 0, 0, 0, 1]
        int[] b = new FlatHistogram(10).binOf(new double[] {0.0, 0.05, 0.0899, 0.45, 0.9});
        assertArrayEquals(new int[] {0, 0, 0, 5, 9}, b);
    }

    @Test
    void aDrawGivesEachBinItsBoltzmannFactorWhateverItsPopulation() {
        double kT = 0.3;
        double[] p = new FlatHistogram(10).probabilities(skewed(), kT);
        double z = 1 + Math.exp(-0.45 / kT) + Math.exp(-0.9 / kT);
        double[] share = new double[3];
        for (int i = 0; i < p.length; i++) share[i < 1000 ? 0 : i < 1100 ? 1 : 2] += p[i];
        assertEquals(1 / z, share[0], 1e-12);
        assertEquals(Math.exp(-0.45 / kT) / z, share[1], 1e-12);
        assertEquals(Math.exp(-0.9 / kT) / z, share[2], 1e-12);
    }

    @Test
    void seededDrawsFlattenTheSkewedDistributionByTheExactFactor() {
        // single draws over 20,000 seeds: the frequency of each bin must match exp(-dH/kT)/Z, not the population
        // 1000:100:10; tolerance 5 binomial standard deviations
        double kT = 0.5;
        double[] h = skewed();
        FlatHistogram fh = new FlatHistogram(10);
        int trials = 20_000;
        int[] hits = new int[3];
        for (int t = 0; t < trials; t++) {
            int i = fh.draw(h, kT, 1, 1000L + t)[0];
            hits[i < 1000 ? 0 : i < 1100 ? 1 : 2]++;
        }
        double z = 1 + Math.exp(-0.45 / kT) + Math.exp(-0.9 / kT);
        double[] expected = {1 / z, Math.exp(-0.45 / kT) / z, Math.exp(-0.9 / kT) / z};
        for (int b = 0; b < 3; b++) {
            double f = hits[b] / (double) trials;
            double sigma = Math.sqrt(expected[b] * (1 - expected[b]) / trials);
            assertEquals(expected[b], f, 5 * sigma, "bin " + b + ": " + Arrays.toString(hits));
        }
        // the uniform draw would give bin 2 a share of 10/1110 = 0.009; the flat histogram at kT 0.5 eV/atom gives it exp(-1.8)/Z = 0.105
        assertTrue(hits[2] / (double) trials > 5 * 10.0 / 1110);
    }

    @Test
    void drawsAreWithoutReplacementAndAFunctionOfTheSeed() {
        double[] h = skewed();
        int[] a = new FlatHistogram(10).draw(h, 0.1, 300, 42L);
        int[] b = new FlatHistogram(10).draw(h, 0.1, 300, 42L);
        assertArrayEquals(a, b);
        assertEquals(300, Arrays.stream(a).distinct().count());
        assertEquals(h.length, new FlatHistogram(10).draw(h, 0.1, 5000, 1L).length);
    }
}
