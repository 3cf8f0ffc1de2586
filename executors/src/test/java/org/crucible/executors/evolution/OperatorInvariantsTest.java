package org.crucible.executors.evolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.crucible.core.Structure;
import org.crucible.executors.generators.CandidateRandom;
import org.crucible.executors.generators.Composition;
import org.crucible.executors.generators.GenerationException;
import org.crucible.executors.generators.MinimumSeparation;
import org.crucible.executors.generators.RandomCellGenerator;
import org.crucible.executors.generators.SpaceGroupGenerator;
import org.junit.jupiter.api.Test;

/** Every variation operator of the evolution generator keeps the composition and the minimum separations. */
class OperatorInvariantsTest {
    private static final MinimumSeparation D = MinimumSeparation.scaled(1.5);

    private static void check(String unit, int units) {
        Composition comp = Composition.parse(unit).times(units);
        RandomCellGenerator gen = new RandomCellGenerator(RandomCellGenerator.Settings.of(Composition.parse(unit), units, units).withOps(1, 1));
        Variation[] ops = {new Heredity(comp, D, 200), new LatticeMutation(0.15, true, D, 100), new Permutation(1, D, 50),
                new CoordinateMutation(0.25, D, 100)};
        int made = 0;
        for (Variation op : ops) {
            if (op instanceof Permutation && comp.symbols().size() == 1) continue;
            for (int i = 0; i < 10; i++) {
                Structure[] p = op.parents() == 2 ? new Structure[] {gen.generate(1, 2 * i), gen.generate(1, 2 * i + 1)} : new Structure[] {gen.generate(1, i)};
                Structure c;
                try {
                    c = op.apply(p, CandidateRandom.of(9, i));
                } catch (GenerationException e) {
                    continue; // a refusal is allowed; a child breaking the constraints is not
                }
                made++;
                assertEquals(new java.util.TreeMap<>(comp.counts()), new java.util.TreeMap<>(c.composition()), op + " changed the composition");
                assertTrue(Children.separated(c, D), op + " child has a pair closer than the minimum separation");
            }
        }
        assertTrue(made >= 20, "too few children made to test: " + made);
    }

    @Test
    void elementalChildrenKeepCompositionAndSeparations() {
        check("Si", 8);
    }

    @Test
    void binaryChildrenKeepCompositionAndSeparations() {
        check("GaAs", 4);
    }

    @Test
    void fingerprintIsInvariantToCellChoiceAndSeparatesPolymorphs() {
        Structure a = new SpaceGroupGenerator(SpaceGroupGenerator.Settings.of(Composition.parse("Si8"), 227)).generate(1, 0);
        StructureFingerprint fp = StructureFingerprint.DEFAULT;
        // the same crystal in a doubled cell, with atoms reordered
        Structure twice = doubled(a);
        assertTrue(fp.of(a).distance(fp.of(twice)) < 1e-6, "supercell changes the fingerprint: " + fp.of(a).distance(fp.of(twice)));
        Structure b = new SpaceGroupGenerator(SpaceGroupGenerator.Settings.of(Composition.parse("Si8"), 194)).generate(2, 0);
        assertTrue(fp.of(a).distance(fp.of(b)) > 0.01, "two different crystals look alike: " + fp.of(a).distance(fp.of(b)));
    }

    /** The structure in a cell doubled along a, the copies first (atoms in another order). */
    private static Structure doubled(Structure s) {
        double[] m = s.cell().matrix();
        double[] m2 = m.clone();
        for (int k = 0; k < 3; k++) m2[k] = 2 * m[k];
        int n = s.size();
        int[] z = new int[2 * n];
        double[] xyz = new double[6 * n];
        double[] p = s.positions();
        for (int i = 0; i < n; i++) {
            z[i] = s.atomicNumber(n - 1 - i);
            z[n + i] = s.atomicNumber(i);
            for (int k = 0; k < 3; k++) {
                xyz[3 * i + k] = p[3 * (n - 1 - i) + k] + m[k];
                xyz[3 * (n + i) + k] = p[3 * i + k];
            }
        }
        return Structure.of(new org.crucible.core.Cell(m2, new boolean[] {true, true, true}), z, xyz);
    }
}
