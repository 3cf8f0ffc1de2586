package org.crucible.executors.evolution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.core.units.Units;
import org.crucible.executors.generators.CandidateRandom;
import org.crucible.executors.generators.Composition;
import org.crucible.executors.generators.GenerationException;
import org.crucible.executors.generators.MinimumSeparation;
import org.crucible.executors.generators.RandomCellGenerator;
import org.junit.jupiter.api.Test;

class VariationTest {
    private static final MinimumSeparation D = MinimumSeparation.scaled(1.5);
    private static final Composition GAAS = Composition.parse("Ga4As4");
    private final RandomCellGenerator parents = new RandomCellGenerator(RandomCellGenerator.Settings.of(Composition.parse("GaAs"), 4, 4).withOps(1, 1));

    @Test
    void heredityMeetsTheCompositionAndSeparationsReproducibly() {
        Heredity h = new Heredity(GAAS, D, 200);
        for (int i = 0; i < 20; i++) {
            Structure[] p = {parents.generate(1, 2 * i), parents.generate(1, 2 * i + 1)};
            Structure c = h.apply(p, CandidateRandom.of(7, i));
            assertEquals(4, c.composition().get("Ga"));
            assertEquals(4, c.composition().get("As"));
            assertTrue(Children.separated(c, D));
            assertEquals(c.contentHash(), h.apply(p, CandidateRandom.of(7, i)).contentHash());
            double lo = Math.min(p[0].cell().volume(), p[1].cell().volume()), hi = Math.max(p[0].cell().volume(), p[1].cell().volume());
            assertTrue(c.cell().volume() > 0.5 * lo && c.cell().volume() < 1.5 * hi);
        }
    }

    @Test
    void latticeMutationChangesShapeNotVolumeNorFractionalCoordinates() {
        Structure s = parents.generate(2, 0);
        Structure c = new LatticeMutation(0.1, true, MinimumSeparation.scaled(1.0), 100).apply(new Structure[] {s}, new SplittableRandom(3));
        assertEquals(s.cell().volume(), c.cell().volume(), 1e-8);
        assertNotEquals(s.cell().lengths()[0], c.cell().lengths()[0]);
        double[] f0 = s.cell().toFractionalAll(s.positions()), f1 = c.cell().toFractionalAll(c.positions());
        for (int i = 0; i < f0.length; i++) {
            double d = f0[i] - f1[i];
            assertEquals(0, d - Math.rint(d), 1e-9);
        }
    }

    @Test
    void permutationSwapsUnlikeAtomsAndKeepsComposition() {
        Structure s = parents.generate(4, 0);
        Structure c = new Permutation(1, MinimumSeparation.scaled(0.5), 50).apply(new Structure[] {s}, new SplittableRandom(5));
        int changed = 0;
        for (int i = 0; i < s.size(); i++) if (s.atomicNumber(i) != c.atomicNumber(i)) changed++;
        assertEquals(2, changed);
        assertEquals(s.composition(), c.composition());
        Structure si = new RandomCellGenerator(RandomCellGenerator.Settings.of(Composition.parse("Si"), 4, 4)).generate(1, 0);
        GenerationException e = assertThrows(GenerationException.class,
                () -> new Permutation(1, D, 5).apply(new Structure[] {si}, new SplittableRandom(1)));
        assertEquals(GenerationException.Constraint.SPECIFICATION, e.constraint());
    }

    @Test
    void positionNoiseFollowsTheCycleSchedule() {
        Structure s = parents.generate(6, 0);
        for (int t : new int[] {0, 3}) {
            CoordinateMutation m = CoordinateMutation.scheduled(0.05, 0.5, t, MinimumSeparation.scaled(0.1));
            assertEquals(0.05 * Math.pow(0.5, t), m.epsilon(), 1e-15);
            double sum2 = 0;
            int n = 0;
            for (int k = 0; k < 200; k++) {
                Structure c = m.apply(new Structure[] {s}, CandidateRandom.of(t, k));
                double[] a = s.positions(), b = c.positions();
                for (int i = 0; i < a.length; i++) {
                    double r = b[i] - a[i];
                    if (Math.abs(r) < 1.0) {
                        sum2 += r * r;
                        n++;
                    }
                }
            }
            double sd = Math.sqrt(sum2 / n);
            assertEquals(m.epsilon(), sd, 0.05 * m.epsilon(), "cycle " + t);
        }
    }

    @Test
    void fitnessIsEnthalpyPerAtom() {
        Structure s = parents.generate(8, 0).withLabels(Labels.of(-40.0, null, null));
        double v = s.cell().volume();
        assertEquals(-5.0, Fitness.enthalpyPerAtom(s, 0.0), 1e-12);
        assertEquals((-40.0 + 10 * Units.GPA_TO_EV_PER_A3 * v) / 8, Fitness.enthalpyPerAtom(s, 10.0), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Fitness.enthalpyPerAtom(parents.generate(8, 1), 0));
    }

    @Test
    void impossibleSeparationEndsWithANamedError() {
        Structure s = parents.generate(9, 0);
        GenerationException e = assertThrows(GenerationException.class,
                () -> new CoordinateMutation(0.1, MinimumSeparation.scaled(10), 5).apply(new Structure[] {s}, new SplittableRandom(1)));
        assertEquals(GenerationException.Constraint.MINIMUM_SEPARATION, e.constraint());
    }
}
