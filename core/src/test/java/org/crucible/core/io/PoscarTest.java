package org.crucible.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.junit.jupiter.api.Test;

class PoscarTest {
    private static final String SI2_CARTESIAN = """
            Si2 primitive, Cartesian, scaled
              2.0
                0.0 1.35775 1.35775
                1.35775 0.0 1.35775
                1.35775 1.35775 0.0
              Si
              2
            Cartesian
              0.0 0.0 0.0
              0.678875 0.678875 0.678875
            """;

    @Test
    void readsScaledCartesian() {
        Structure s = Poscar.parse(SI2_CARTESIAN, "POSCAR", w -> { });
        assertEquals("Si2", s.formula());
        assertArrayEquals(new double[] {0, 2.7155, 2.7155}, s.cell().vector(0), 1e-15);
        assertArrayEquals(new double[] {1.35775, 1.35775, 1.35775}, s.position(1), 1e-15);
        assertEquals(5.431 * 5.431 * 5.431 / 4, s.cell().volume(), 1e-9); // fcc primitive cell: a^3/4 with a = 5.431
    }

    @Test
    void negativeScaleIsTheVolume() {
        Structure s = Poscar.parse(SI2_CARTESIAN.replace("  2.0", "  -40.0"), "POSCAR", w -> { });
        assertEquals(40.0, s.cell().volume(), 1e-10);
        // Cartesian positions scale with the lattice: the fractional coordinates are unchanged.
        assertArrayEquals(new double[] {0.25, 0.25, 0.25}, s.cell().toFractional(s.position(1)), 1e-12);
    }

    @Test
    void selectiveDynamicsIsIgnoredWithAWarningAndVasp4SpeciesComeFromTheComment() {
        String text = """
                Si O
                1.0
                5.0 0.0 0.0
                0.0 5.0 0.0
                0.0 0.0 5.0
                1 2
                Selective dynamics
                Direct
                0.0 0.0 0.0 F F F
                0.5 0.5 0.5 T T T
                0.25 0.25 0.25 T F T

                0.0 0.0 0.0
                """;
        List<String> warnings = new ArrayList<>();
        Structure s = Poscar.parse(text, "CONTCAR", warnings::add);
        assertEquals("O2Si", s.formula());
        assertEquals("O", s.symbol(2));
        assertArrayEquals(new double[] {1.25, 1.25, 1.25}, s.position(2), 1e-15);
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).startsWith("CONTCAR, line 7: selective dynamics"), warnings.get(0));
    }

    @Test
    void writeReadKeepsOrderCellAndPositions() {
        Cell cell = new Cell(new double[] {5.1, 0.1, -0.2, 0.7, 4.9, 0.3, -0.4, 1.1, 6.3}, new boolean[] {true, true, true});
        Structure s = Structure.of(cell, new int[] {14, 8, 8, 14, 1}, cell.toCartesianAll(new double[] {
            0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, -0.1, 1.2, 0.5, 0.33, 0.66, 0.99}));
        String text = Poscar.toString(s);
        assertTrue(text.contains("   Si    O   Si    H\n    1    2    1    1\nDirect\n"), text);
        Structure back = Poscar.parse(text, "mem", w -> { });
        assertArrayEquals(s.atomicNumbers(), back.atomicNumbers());
        assertArrayEquals(s.cell().matrix(), back.cell().matrix(), 1e-15);
        assertArrayEquals(s.positions(), back.positions(), 1e-13);
        assertThrows(IllegalArgumentException.class, () -> Poscar.toString(ExtendedXyzTest.molecule()));
    }

    @Test
    void errorsNameFileAndLine() {
        FormatException e = assertThrows(FormatException.class, () -> Poscar.parse(SI2_CARTESIAN.replace("  Si\n", "  Xq\n"), "POSCAR", w -> { }));
        assertEquals(6, e.line());
        assertTrue(e.getMessage().contains("unknown element symbol 'Xq'"), e.getMessage());
        e = assertThrows(FormatException.class, () -> Poscar.parse(SI2_CARTESIAN.replace("Cartesian", "Fractional"), "POSCAR", w -> { }));
        assertEquals(8, e.line());
        e = assertThrows(FormatException.class, () -> Poscar.parse(SI2_CARTESIAN.replace("  0.678875 0.678875 0.678875\n", ""), "POSCAR", w -> { }));
        assertTrue(e.getMessage().contains("end of file after 1 of 2 positions"), e.getMessage());
        e = assertThrows(FormatException.class, () -> Poscar.parse(SI2_CARTESIAN.replace("1.35775 0.0 1.35775", "1.35775 zero 1.35775"), "POSCAR", w -> { }));
        assertEquals(4, e.line());
        assertTrue(e.getMessage().startsWith("POSCAR, line 4: lattice vector b: 'zero' is not a number"), e.getMessage());
        e = assertThrows(FormatException.class, () -> Poscar.parse(SI2_CARTESIAN.replace("  2\n", "  2 2\n"), "POSCAR", w -> { }));
        assertTrue(e.getMessage().contains("1 species on line 6 but 2 counts"), e.getMessage());
    }
}
