package org.crucible.executors.symmetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpaceGroupsTest {
    @Test
    void tableHoldsTheInternationalTablesCounts() {
        int wyckoff = 0;
        for (SpaceGroup g : SpaceGroups.all()) wyckoff += g.wyckoff().size();
        assertEquals(230, SpaceGroups.all().size());
        assertEquals(1731, wyckoff, "the International Tables list 1731 Wyckoff positions over the 230 types");
        assertEquals(192, SpaceGroups.byNumber(227).order());
        assertEquals(48, SpaceGroups.byNumber(227).pointGroupOrder());
        assertEquals("Fd-3m", SpaceGroups.byNumber(227).symbol());
        assertEquals("F 4_1/d -3 2/m", SpaceGroups.byNumber(227).fullSymbol());
        assertEquals(8, SpaceGroups.byNumber(227).wyckoff('a').multiplicity());
        assertEquals(4, SpaceGroups.byNumber(225).wyckoff('a').multiplicity());
        assertEquals(36, SpaceGroups.byNumber(166).order(), "R-3m in hexagonal axes: 12 x 3 lattice points");
        assertEquals(225, SpaceGroups.bySymbol("Fm-3m").number());
    }

    @Test
    void everyGroupIsClosedAndHasDistinctWyckoffLetters() {
        for (SpaceGroup g : SpaceGroups.all()) {
            Set<String> keys = new HashSet<>();
            for (SymOp op : g.operations()) keys.add(key(op));
            assertEquals(g.order(), keys.size(), g + " has repeated operations");
            for (SymOp a : g.operations()) {
                for (SymOp b : g.operations()) {
                    assertTrue(keys.contains(key(a.compose(b).reduced())), g + " is not closed under composition");
                }
            }
            Set<Character> letters = new HashSet<>();
            for (WyckoffPosition w : g.wyckoff()) assertTrue(letters.add(w.letter()), g + " repeats letter " + w.letter());
            assertEquals(g.order(), g.generalPosition().multiplicity(), g + ": general position multiplicity = |G|");
            assertEquals(3, g.generalPosition().degreesOfFreedom());
        }
    }

    @Test
    void genericPointsOfEveryWyckoffPositionHaveItsMultiplicity() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        for (SpaceGroup g : SpaceGroups.all()) {
            for (WyckoffPosition w : g.wyckoff()) {
                double[] u = new double[w.degreesOfFreedom()];
                for (int k = 0; k < u.length; k++) u[k] = rng.nextDouble();
                List<double[]> orbit = g.orbit(w.at(u), 1e-6);
                assertEquals(w.multiplicity(), orbit.size(), g + " " + w.label());
                assertEquals(g.order(), w.multiplicity() * w.siteOrder(), g + " " + w.label());
            }
        }
    }

    @Test
    void theFingerprintsOfThe230GroupsAreAllDifferent() {
        assertEquals(230, SpaceGroupFinder.table().size(), "identification by fingerprint must be injective");
    }

    private static String key(SymOp op) {
        StringBuilder sb = new StringBuilder(java.util.Arrays.toString(op.rotation()));
        for (int k = 0; k < 3; k++) sb.append(',').append(Math.round(SymOp.wrap(op.t(k) + 1e-9) * 24) % 24);
        return sb.toString();
    }
}
