package org.crucible.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.crucible.core.units.Units;
import org.junit.jupiter.api.Test;

class StructureTest {
    static Structure si2() {
        return Structure.of(Cell.fromParameters(3.8403, 3.8403, 3.8403, 60, 60, 60), List.of("Si", "Si"),
                new double[][] {{0, 0, 0}, {1.3577, 0.7839, 0.5543}});
    }

    @Test
    void cellParametersRoundTrip() {
        Cell c = Cell.fromParameters(4, 5, 6, 80, 95, 110);
        assertArrayEquals(new double[] {4, 5, 6}, c.lengths(), 1e-12);
        assertArrayEquals(new double[] {80, 95, 110}, c.angles(), 1e-10);
        double[] r = {1.2, -3.4, 5.6};
        assertArrayEquals(r, c.toCartesian(c.toFractional(r)), 1e-12);
        assertEquals(Cell.cubic(2).volume(), 8, 1e-12);
    }

    @Test
    void wrapPutsFractionalCoordinatesInUnitInterval() {
        Cell c = Cell.fromParameters(4, 5, 6, 80, 95, 110);
        double[] w = c.wrap(c.toCartesian(new double[] {1.25, -0.5, 3.75}));
        assertArrayEquals(new double[] {0.25, 0.5, 0.75}, c.toFractional(w), 1e-12);
    }

    @Test
    void strainDeformsLatticeVectors() {
        Cell c = Cell.cubic(4).strained(new double[] {0.01, 0, 0, 0, 0, 0.02});
        assertArrayEquals(new double[] {4.04, 0.08, 0, 0.08, 4, 0, 0, 0, 4}, c.matrix(), 1e-12);
    }

    @Test
    void periodicCellMustHaveVolume() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Cell(new double[] {1, 0, 0, 2, 0, 0, 0, 0, 1}, new boolean[] {true, true, true}));
        assertTrue(e.getMessage().contains("volume"));
    }

    @Test
    void copiesAreIndependentAndDropStaleLabels() {
        Structure s = si2().withLabels(Labels.of(-10.0, new double[6], new double[6]));
        double[] p = s.positions();
        p[0] = 99;
        assertEquals(0.0, s.coordinate(0, 0));
        Structure moved = s.withPositions(p);
        assertEquals(99.0, moved.coordinate(0, 0));
        assertTrue(moved.labels().isEmpty());
        assertEquals(-10.0, s.labels().energy());
    }

    @Test
    void contentHashIgnoresInfoAndLabelsButNotPositions() {
        Structure s = si2();
        assertEquals(s.contentHash(), s.withInfo("config_type", "rss").withLabels(Labels.of(1.0, null, null)).contentHash());
        double[] p = s.positions();
        p[4] += 2e-7; // below the 1e-6 Angstrom tolerance
        assertEquals(s.contentHash(), s.withPositions(p).contentHash());
        p[4] += 1e-5;
        assertNotEquals(s.contentHash(), s.withPositions(p).contentHash());
        assertEquals(64, s.contentHash().length());
    }

    @Test
    void formulaAndComposition() {
        Structure s = Structure.of(Cell.cubic(5.64), List.of("Na", "Cl", "Na", "Cl"), new double[4][3]);
        assertEquals("Cl2Na2", s.formula());
        assertEquals(Map.of("Na", 2, "Cl", 2), s.composition());
        assertEquals(5.64 * 5.64 * 5.64 / 4, s.volumePerAtom(), 1e-9);
    }

    @Test
    void badInputNamesTheProblem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Elements.bySymbol("SI")).getMessage().contains("did you mean 'Si'"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Structure.of(Cell.cubic(3), new int[] {14}, new double[] {0, Double.NaN, 0})).getMessage().contains("atom 0"));
        assertThrows(IllegalArgumentException.class, () -> si2().withInfo("bad", new Object()));
    }

    @Test
    void unitsFollowCodata2018AndAseStressConvention() {
        assertEquals(13.605693122994, Units.RY_TO_EV, 1e-12);
        assertEquals(160.2176634, Units.EV_PER_A3_TO_GPA, 1e-9); // e = 1.602176634e-19 C exactly
        // tensile (positive) stress on all axes means negative pressure
        assertEquals(-Units.EV_PER_A3_TO_GPA, Units.pressureGPa(new double[] {1, 1, 1, 0, 0, 0}), 1e-9);
        double[] v = {1, 2, 3, 4, 5, 6};
        assertArrayEquals(v, Units.toVoigt(Units.fromVoigt(v)), 0);
    }

    @Test
    void elementTable() {
        assertEquals(14, Elements.bySymbol("Si").z());
        assertEquals(28.085, Elements.bySymbol("Si").mass(), 1e-9);
        assertEquals(1.11, Elements.bySymbol("Si").covalentRadius(), 1e-9);
        assertEquals("Lr", Elements.byZ(103).symbol());
    }

    @Test
    void infoListsKeepTheirElementType() {
        Structure s = si2().withInfo(Map.of("longs", new long[] {1, 2}, "ints", new int[] {3}, "flags", new boolean[] {true, false},
                "names", new String[] {"a", "b"}, "numbers", List.of(1, 2.5), "boxedLongs", List.of(4L, 5L)));
        assertEquals(List.of(1L, 2L), s.info().get("longs"));
        assertEquals(List.of(3L), s.info().get("ints"));
        assertEquals(List.of(true, false), s.info().get("flags"));
        assertEquals(List.of("a", "b"), s.info().get("names"));
        assertEquals(List.of(1.0, 2.5), s.info().get("numbers")); // mixed numbers become doubles, as before
        assertEquals(List.of(4L, 5L), s.info().get("boxedLongs"));
        // copying the map again (withInfo(map)) keeps the types
        assertEquals(s.info(), s.withInfo(s.info()).info());
        assertThrows(IllegalArgumentException.class, () -> si2().withInfo("bad", List.of("a", 1)));
    }
}
