package org.crucible.executors.evolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.crucible.core.Structure;
import org.crucible.executors.generators.CandidateRandom;
import org.crucible.executors.generators.Composition;
import org.crucible.executors.generators.GenerationException;
import org.crucible.executors.generators.MinimumSeparation;
import org.crucible.executors.generators.RandomCellGenerator;
import org.junit.jupiter.api.Test;

/**
 * The variable-composition operators (transmutation, add/remove atom) change the composition by one atom within the
 * bounds and keep the minimum separations; the hull fitness on a hand-checkable set.
 */
class CompositionOperatorsTest {
    private static final MinimumSeparation D = MinimumSeparation.scaled(1.5);

    private static Structure cell(String formula, long index) {
        Composition c = Composition.parse(formula);
        return new RandomCellGenerator(RandomCellGenerator.Settings.of(c, 1, 1).withOps(1, 1)).generate(3, index);
    }

    @Test
    void transmutationChangesOneSpeciesWithinTheBoundsAndKeepsSeparations() {
        BinaryRange range = BinaryRange.of("Si", "C", 2, 8, 0.25, 0.75);
        Transmutation op = new Transmutation(range, D, 100);
        Set<String> seen = new HashSet<>();
        int made = 0;
        for (String parent : new String[] {"Si2C2", "Si3C1", "Si1C3", "Si4C2"}) {
            for (int i = 0; i < 10; i++) {
                Structure p = cell(parent, i);
                Structure c;
                try {
                    c = op.apply(new Structure[] {p}, CandidateRandom.of(5, i));
                } catch (GenerationException e) {
                    continue;
                }
                made++;
                int[] before = range.counts(p), after = range.counts(c);
                assertEquals(p.size(), c.size(), "transmutation keeps the atom count");
                assertEquals(1, Math.abs(after[1] - before[1]), "one atom changes species: " + p.formula() + " -> " + c.formula());
                assertTrue(range.allows(c), c.formula() + " is outside the bounds");
                assertTrue(Children.separated(c, D), "child has a pair closer than the minimum separation");
                assertEquals(p.cell(), c.cell(), "the cell stays");
                seen.add(c.formula());
            }
        }
        assertTrue(made >= 25, "too few children: " + made);
        assertTrue(seen.contains("Si1C3") || seen.contains("C3Si1") || seen.size() >= 3, "both directions are drawn: " + seen);
        // Si3C1 at x = 0.25 may only go up in carbon, Si1C3 only down
        for (int i = 0; i < 5; i++) assertEquals(2, range.counts(op.apply(new Structure[] {cell("Si3C1", i)}, CandidateRandom.of(6, i)))[1]);
        GenerationException e = assertThrows(GenerationException.class,
                () -> new Transmutation(BinaryRange.of("Si", "C", 2, 2, 0.5, 0.5), D, 10).apply(new Structure[] {cell("Si1C1", 0)}, CandidateRandom.of(1, 1)));
        assertTrue(e.getMessage().contains("no neighbouring composition"), e.getMessage());
    }

    @Test
    void addRemoveChangesTheAtomCountByOneWithinTheBoundsKeepingVolumePerAtom() {
        BinaryRange range = BinaryRange.of("Si", "C", 2, 6, 0, 1);
        AtomCountMutation op = new AtomCountMutation(range, D, 200);
        int made = 0, added = 0, removed = 0;
        for (String parent : new String[] {"Si2", "C2", "Si2C2", "Si3C3", "Si1C4"}) {
            for (int i = 0; i < 10; i++) {
                Structure p = cell(parent, i);
                Structure c;
                try {
                    c = op.apply(new Structure[] {p}, CandidateRandom.of(7, i));
                } catch (GenerationException e) {
                    continue;
                }
                made++;
                assertEquals(1, Math.abs(c.size() - p.size()), p.formula() + " -> " + c.formula());
                if (c.size() > p.size()) added++;
                else removed++;
                assertTrue(range.allows(c), c.formula() + " is outside the bounds");
                assertTrue(Children.separated(c, D), "child has a pair closer than the minimum separation");
                assertEquals(p.volumePerAtom(), c.volumePerAtom(), 1e-9 * p.volumePerAtom(), "volume per atom is kept");
                if (p.size() == 2) assertEquals(3, c.size(), "a 2-atom cell at min_atoms 2 can only grow");
                if (p.size() == 6) assertEquals(5, c.size(), "a 6-atom cell at max_atoms 6 can only shrink");
            }
        }
        assertTrue(made >= 30 && added > 0 && removed > 0, "made " + made + ", added " + added + ", removed " + removed);
    }

    @Test
    void hullDistanceOnAHandCheckedSet() {
        // A at x = 0: -1 and -0.9 eV/atom; B at x = 1: -2; AB (x = 0.5) at -2.0, A3B (x = 0.25) at -1.3 eV/atom
        double[] x = {0, 0, 1, 0.5, 0.25};
        double[] h = {-1, -0.9, -2, -2.0, -1.3};
        HullFitness f = HullFitness.of(x, h).orElseThrow();
        assertEquals(-1, f.referenceA(), 0);
        assertEquals(-2, f.referenceB(), 0);
        assertEquals(-0.5, f.formationEnthalpy(0.5, -2.0), 1e-12, "-2 - (0.5 (-1) + 0.5 (-2))");
        assertEquals(-0.05, f.formationEnthalpy(0.25, -1.3), 1e-12, "-1.3 - (0.75 (-1) + 0.25 (-2))");
        assertEquals(0, f.distance(0, -1), 1e-12);
        assertEquals(0.1, f.distance(0, -0.9), 1e-12, "the A polymorph 0.1 eV/atom above the A reference");
        assertEquals(0, f.distance(0.5, -2.0), 1e-12, "AB is a hull vertex");
        assertEquals(0.2, f.distance(0.25, -1.3), 1e-12, "hull at x = 0.25 is -0.25; -0.05 lies 0.2 above it");
        assertEquals(3, f.hull().vertices().size(), "vertices A, AB, B");
        assertTrue(HullFitness.of(new double[] {0, 0.5}, new double[] {-1, -2}).isEmpty(), "no B end: no formation enthalpy");
    }
}
