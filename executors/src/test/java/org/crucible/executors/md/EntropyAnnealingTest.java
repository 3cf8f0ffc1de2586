package org.crucible.executors.md;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.executors.calculators.EntropyEffectiveEnergy;
import org.crucible.executors.calculators.EnvironmentFeatures;
import org.crucible.executors.descriptors.NearestNeighbourEntropy;
import org.junit.jupiter.api.Test;

/** Entropy-maximisation annealing on a 16-atom W cell at 0.03 atoms/Angstrom^3. */
class EntropyAnnealingTest {
    private static final int N = 16;
    private static final double A = Math.cbrt(N / 0.03);
    private static final EnvironmentFeatures FEATURES = EnvironmentFeatures.tungsten(0.03);
    private static final EntropyEffectiveEnergy BIAS = new EntropyEffectiveEnergy(FEATURES, 100, 2.2, 0, "W");
    private static final AnnealingSchedule BIASED = new AnnealingSchedule(10_000, 0, 1_000, 400, 1.0, 50, 40);
    private static final AnnealingSchedule UNBIASED = new AnnealingSchedule(10_000, 10_000, 0, 400, 1.0, 50, 40);

    private static Structure start(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[3 * N];
        for (int i = 0; i < x.length; i++) x[i] = r.nextDouble() * A;
        int[] z = new int[N];
        Arrays.fill(z, 74);
        return Structure.of(Cell.cubic(A), z, x);
    }

    @Test
    void theSameSeedHarvestsTheSameStructures() {
        List<EntropyAnnealing.Harvest> a = new EntropyAnnealing(BIAS, BIASED).chain(start(1), 2, new SplittableRandom(9));
        List<EntropyAnnealing.Harvest> b = new EntropyAnnealing(BIAS, BIASED).chain(start(1), 2, new SplittableRandom(9));
        List<EntropyAnnealing.Harvest> c = new EntropyAnnealing(BIAS, BIASED).chain(start(1), 2, new SplittableRandom(10));
        assertEquals(2, a.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).structure().positions(), b.get(i).structure().positions(), 0);
            assertEquals(a.get(i).entropy(), b.get(i).entropy(), 0);
        }
        assertFalse(Arrays.equals(a.get(1).structure().positions(), c.get(1).structure().positions()), "another seed gives another chain");
    }

    @Test
    void harvestedEnvironmentsHaveHigherEntropyThanHotMdFramesOfTheSameSize() {
        int cycles = 6;
        List<EntropyAnnealing.Harvest> biased = new EntropyAnnealing(BIAS, BIASED).chain(start(2), cycles, new SplittableRandom(3));
        List<EntropyAnnealing.Harvest> hot = new EntropyAnnealing(BIAS, UNBIASED).chain(start(2), cycles, new SplittableRandom(3));
        assertEquals(cycles, hot.size());
        double sBiased = pooled(biased), sHot = pooled(hot);
        double meanBiased = biased.stream().mapToDouble(EntropyAnnealing.Harvest::entropy).average().orElseThrow();
        double meanHot = hot.stream().mapToDouble(EntropyAnnealing.Harvest::entropy).average().orElseThrow();
        assertTrue(sBiased > sHot + 2, "pooled entropy of the harvested environments " + sBiased + " vs 10,000 K MD " + sHot);
        assertTrue(meanBiased > meanHot + 2, "per-structure entropy " + meanBiased + " vs " + meanHot);
        for (var h : biased) {
            var s = h.structure();
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < i; j++) {
                    assertTrue(s.cell().minimumImageDistance(s.position(i), s.position(j)) > 0.5, "the repulsion keeps atoms apart");
                }
            }
        }
    }

    /** S of every atom's features of every harvested structure, as one sample. */
    private static double pooled(List<EntropyAnnealing.Harvest> h) {
        return NearestNeighbourEntropy.entropy(h.stream().flatMap(v -> Arrays.stream(FEATURES.compute(v.structure()))).toArray(double[][]::new));
    }
}
