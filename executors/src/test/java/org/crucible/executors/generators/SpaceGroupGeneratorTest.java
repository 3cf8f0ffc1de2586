package org.crucible.executors.generators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.crucible.core.Structure;
import org.crucible.core.neighbors.NeighborList;
import org.junit.jupiter.api.Test;

class SpaceGroupGeneratorTest {
    @Test
    void diamondGroupWithEightSiliconGivesTheDiamondCubicCell() {
        SpaceGroupGenerator g = new SpaceGroupGenerator(SpaceGroupGenerator.Settings.of(Composition.parse("Si8"), 227));
        Structure s = g.generate(7, 0);
        assertEquals(8, s.size());
        assertEquals(227, s.info().get("spacegroup"));
        assertTrue(s.info().get("wyckoff").equals("Si:8a") || s.info().get("wyckoff").equals("Si:8b"), s.info().toString());
        double[] len = s.cell().lengths();
        assertEquals(len[0], len[1], 1e-9);
        assertEquals(len[0], len[2], 1e-9);
        // diamond: every atom has 4 neighbours at sqrt(3)/4 a
        NeighborList nl = NeighborList.build(s, len[0] * Math.sqrt(3) / 4 + 0.01);
        for (int i = 0; i < 8; i++) assertEquals(4, nl.start(i + 1) - nl.start(i));
    }

    @Test
    void candidatesAreAPureFunctionOfSeedAndIndex() {
        SpaceGroupGenerator g = new SpaceGroupGenerator(SpaceGroupGenerator.Settings.of(Composition.parse("Ga4As4"), 216));
        SpaceGroupGenerator other = new SpaceGroupGenerator(SpaceGroupGenerator.Settings.of(Composition.parse("Ga4As4"), 216));
        Structure a = g.generate(11, 5);
        g.generate(11, 4); // making other candidates in between changes nothing
        Structure b = other.generate(11, 5);
        assertEquals(a.contentHash(), b.contentHash());
        assertFalse(a.contentHash().equals(g.generate(11, 6).contentHash()));
        assertFalse(a.contentHash().equals(g.generate(12, 5).contentHash()));
    }

    @Test
    void compositionIsMetExactlyAndSeparationsHold() {
        Composition c = Composition.parse("Na8Cl8");
        MinimumSeparation d = MinimumSeparation.scaled(1.8);
        for (int sg : new int[] {1, 2, 14, 62, 139, 166, 194, 221, 225}) {
            if (!SpaceGroupGenerator.canHost(sg, c)) continue;
            SpaceGroupGenerator g = new SpaceGroupGenerator(SpaceGroupGenerator.Settings.of(c, sg));
            for (int i = 0; i < 5; i++) {
                Structure s = g.generate(3, i);
                assertEquals("Na8Cl8", Composition.parse(s.formula()).formula().replace("Cl8Na8", "Na8Cl8"), "group " + sg);
                assertMinimumSeparation(s, d);
            }
        }
    }

    @Test
    void primitiveCellOfFaceCentredGroupHasAQuarterOfTheAtoms() {
        SpaceGroupGenerator g = new SpaceGroupGenerator(SpaceGroupGenerator.Settings.of(Composition.parse("Na4Cl4"), 225).withPrimitive(true));
        Structure s = g.generate(1, 0);
        assertEquals(2, s.size());
        double[] ang = s.cell().angles();
        for (double a : ang) assertEquals(60.0, a, 1e-6);
    }

    @Test
    void impossibleCompositionIsRejectedNamingTheConstraint() {
        GenerationException e = assertThrows(GenerationException.class,
                () -> new SpaceGroupGenerator(SpaceGroupGenerator.Settings.of(Composition.parse("Si7"), 227)));
        assertEquals(GenerationException.Constraint.COMPOSITION, e.constraint());
        assertTrue(e.getMessage().contains("227") && e.getMessage().contains("Si7"), e.getMessage());
    }

    @Test
    void unsatisfiableSeparationEndsWithAnErrorInsteadOfAHang() {
        var settings = SpaceGroupGenerator.Settings.of(Composition.parse("Si16"), 1)
                .withSeparation(MinimumSeparation.scaled(4.0)).withAttempts(20, 20);
        SpaceGroupGenerator g = new SpaceGroupGenerator(settings);
        GenerationException e = assertThrows(GenerationException.class, () -> g.generate(1, 0));
        assertEquals(GenerationException.Constraint.MINIMUM_SEPARATION, e.constraint());
        assertTrue(e.getMessage().contains("minimum separation"), e.getMessage());
    }

    @Test
    void latticeBoundsThatCannotHoldTheVolumeAreReported() {
        var settings = SpaceGroupGenerator.Settings.of(Composition.parse("Si8"), 1)
                .withLattice(new LatticeSampler(1.0, 3.0, 0.4)).withAttempts(30, 5);
        GenerationException e = assertThrows(GenerationException.class, () -> new SpaceGroupGenerator(settings).generate(1, 0));
        assertEquals(GenerationException.Constraint.LATTICE_BOUNDS, e.constraint());
    }

    static void assertMinimumSeparation(Structure s, MinimumSeparation d) {
        NeighborList nl = NeighborList.build(s, 6.0);
        for (int i = 0; i < s.size(); i++) {
            for (int k = nl.start(i); k < nl.start(i + 1); k++) {
                int j = nl.neighbor(k);
                assertTrue(nl.distance(k) >= d.of(s.atomicNumber(i), s.atomicNumber(j)) - 1e-9,
                        "atoms " + i + " and " + j + " at " + nl.distance(k) + " Angstrom");
            }
        }
    }
}
