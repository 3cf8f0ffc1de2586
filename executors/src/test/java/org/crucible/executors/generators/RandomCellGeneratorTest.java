package org.crucible.executors.generators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.crucible.core.Elements;
import org.crucible.core.NiggliReduction;
import org.crucible.core.Structure;
import org.junit.jupiter.api.Test;

class RandomCellGeneratorTest {
    private static final Composition SI = Composition.parse("Si");

    @Test
    void si16CellsHaveTheModelVolumeSeparationsAndNiggliCells() {
        RandomCellGenerator g = new RandomCellGenerator(RandomCellGenerator.Settings.of(SI, 16, 16));
        double r = Elements.bySymbol("Si").covalentRadius();
        double v0 = 16 * 14.5 * r * r * r;
        MinimumSeparation d = MinimumSeparation.scaled(1.8);
        boolean[] opsSeen = new boolean[9];
        for (int i = 0; i < 40; i++) {
            Structure s = g.generate(99, i);
            assertEquals(16, s.size());
            assertTrue(Math.abs(s.cell().volume() / v0 - 1) <= 0.05 + 1e-9, "volume " + s.cell().volume() + " vs " + v0);
            SpaceGroupGeneratorTest.assertMinimumSeparation(s, d);
            // Niggli-reduced: reducing again changes nothing
            NiggliReduction again = s.cell().niggliReduced(1e-5 * Math.pow(s.cell().volume(), 2.0 / 3.0));
            int[] t = again.transformation();
            assertEquals(1, t[0] * t[4] * t[8]);
            double[] l1 = s.cell().lengths(), l2 = again.cell().lengths();
            for (int k = 0; k < 3; k++) assertEquals(l1[k], l2[k], 1e-6);
            int k = (Integer) s.info().get("symmetry_ops");
            assertTrue(k >= 1 && k <= 8);
            opsSeen[k] = true;
            double p = (Double) s.info().get("pressure_GPa");
            assertTrue(p >= 0 && Double.isFinite(p));
        }
        assertTrue(opsSeen[1] && opsSeen[2] && opsSeen[4] && opsSeen[8], "operation counts 1, 2, 4, 8 all drawn");
    }

    @Test
    void sameSeedAndIndexGiveTheSameCellInAnyOrder() {
        RandomCellGenerator g = new RandomCellGenerator(RandomCellGenerator.Settings.of(Composition.parse("NaCl"), 4, 4));
        String[] forward = IntStream.range(0, 6).mapToObj(i -> g.generate(5, i).contentHash()).toArray(String[]::new);
        RandomCellGenerator h = new RandomCellGenerator(RandomCellGenerator.Settings.of(Composition.parse("NaCl"), 4, 4));
        for (int i = 5; i >= 0; i--) assertEquals(forward[i], h.generate(5, i).contentHash());
        assertFalse(forward[0].equals(forward[1]));
    }

    @Test
    void evenAtomCountsAreDrawnEightyPercentOfTheTime() {
        RandomCellGenerator g = new RandomCellGenerator(RandomCellGenerator.Settings.of(SI, 3, 5).withOps(1, 1));
        int n = 400, even = 0;
        for (int i = 0; i < n; i++) if (g.generate(1, i).size() % 2 == 0) even++;
        double sigma = Math.sqrt(n * 0.8 * 0.2);
        assertTrue(Math.abs(even - 0.8 * n) < 4 * sigma, even + " even of " + n);
    }

    @Test
    void pressureFollowsGapRssEquationSix() {
        SplittableRandom rng = new SplittableRandom(8);
        int n = 20000;
        double sum = 0;
        int above = 0;
        for (int i = 0; i < n; i++) {
            double p = PressureDistribution.GAP_RSS.sampleGPa(rng);
            sum += p;
            if (p > 0.2) above++;
        }
        // exponential with mean beta p0 = 0.2 GPa: P(p > 0.2) = 1/e
        assertEquals(0.2, sum / n, 5 * 0.2 / Math.sqrt(n));
        assertEquals(Math.exp(-1), (double) above / n, 5 * Math.sqrt(0.25 / n));
    }

    @Test
    void metallicVolumeIsSmallerAndWideRangeIsWider() {
        RandomCellGenerator g = new RandomCellGenerator(RandomCellGenerator.Settings.of(Composition.parse("Al"), 8, 8)
                .withVolume(VolumeModel.metallic().wide()).withSeparation(MinimumSeparation.scaled(1.2)));
        double r = Elements.bySymbol("Al").covalentRadius();
        double lo = Double.MAX_VALUE, hi = 0;
        for (int i = 0; i < 40; i++) {
            double v = g.generate(2, i).cell().volume() / (8 * 5.5 * r * r * r);
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        assertTrue(lo >= 0.75 - 1e-9 && hi <= 1.25 + 1e-9 && hi - lo > 0.25, lo + ".." + hi);
    }

    @Test
    void unsatisfiableSeparationEndsWithANamedError() {
        RandomCellGenerator g = new RandomCellGenerator(RandomCellGenerator.Settings.of(SI, 8, 8)
                .withSeparation(MinimumSeparation.scaled(5.0)).withAttempts(10, 10));
        GenerationException e = assertThrows(GenerationException.class, () -> g.generate(1, 0));
        assertEquals(GenerationException.Constraint.MINIMUM_SEPARATION, e.constraint());
    }

    @Test
    void dimersAndIsolatedAtomsCoverBondLengths() {
        DimerGenerator g = new DimerGenerator(java.util.List.of("Si", "C"), 1.5, 3.0, 4, 15.0);
        assertEquals(2 + 3 * 4, g.distinct());
        assertEquals(1, g.generate(0, 0).size());
        assertEquals("isolated_atom", g.generate(0, 1).info().get("generator"));
        Structure d = g.generate(0, 2 + 3);
        assertEquals(2, d.size());
        assertEquals(3.0, d.coordinate(1, 0) - d.coordinate(0, 0), 1e-12);
        assertEquals(3.0, (Double) d.info().get("bond_length"), 1e-12);
        assertEquals(g.generate(0, 7).contentHash(), g.generate(0, 7 + g.distinct()).contentHash());
    }
}
