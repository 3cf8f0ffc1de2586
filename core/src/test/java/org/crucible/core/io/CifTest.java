package org.crucible.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.junit.jupiter.api.Test;

class CifTest {
    static Path rutile() throws Exception {
        return Path.of(CifTest.class.getResource("rutile.cif").toURI());
    }

    @Test
    void expandsListedSymmetryOperationsAndMergesImages() throws Exception {
        List<Structure> all = Cif.read(rutile());
        assertEquals(1, all.size());
        Structure s = all.get(0);
        assertEquals("O4Ti2", s.formula());
        assertArrayEquals(new double[] {4.5937, 4.5937, 2.9587}, s.cell().lengths(), 1e-12);
        // Ti at 2a: (0,0,0), (1/2,1/2,1/2); O at 4f: (u,u,0), (-u,-u,0), (1/2+u,1/2-u,1/2), (1/2-u,1/2+u,1/2), wrapped.
        double u = 0.3053;
        double[][] expected = {{0, 0, 0}, {0.5, 0.5, 0.5}, {u, u, 0}, {1 - u, 1 - u, 0}, {0.5 - u, 0.5 + u, 0.5}, {0.5 + u, 0.5 - u, 0.5}};
        double[] f = s.fractionalPositions();
        for (double[] e : expected) {
            boolean found = false;
            for (int i = 0; i < s.size() && !found; i++) {
                found = Math.abs(f[3 * i] - e[0]) < 1e-12 && Math.abs(f[3 * i + 1] - e[1]) < 1e-12 && Math.abs(f[3 * i + 2] - e[2]) < 1e-12;
            }
            assertTrue(found, "no atom at " + java.util.Arrays.toString(e));
        }
    }

    @Test
    void writeThenReadKeepsCellParametersAndFractionalCoordinates() {
        Cell cell = new Cell(new double[] {5.1, 0.1, -0.2, 0.7, 4.9, 0.3, -0.4, 1.1, 6.3}, new boolean[] {true, true, true});
        Structure s = Structure.of(cell, new int[] {14, 8, 8}, cell.toCartesianAll(new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}));
        List<Structure> back = Cif.parse(Cif.toString(List.of(s, s)), "mem");
        assertEquals(2, back.size());
        Structure b = back.get(1);
        assertArrayEquals(s.cell().lengths(), b.cell().lengths(), 1e-11);
        assertArrayEquals(s.cell().angles(), b.cell().angles(), 1e-11);
        assertArrayEquals(s.fractionalPositions(), b.fractionalPositions(), 1e-11);
        assertArrayEquals(s.atomicNumbers(), b.atomicNumbers());
    }

    private static String p1(String atoms) {
        return "data_x\n_cell_length_a 4\n_cell_length_b 4\n_cell_length_c 4\n_cell_angle_alpha 90\n_cell_angle_beta 90\n"
                + "_cell_angle_gamma 90\nloop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\n"
                + "_atom_site_occupancy\n" + atoms;
    }

    @Test
    void errorsNameFileLineAndProblem() {
        assertEquals(2, Cif.parse(p1("Na1 0 0 0 1\nCl1 0.5 0.5 0.5 1.0(0)\n"), "x.cif").get(0).size());
        FormatException e = assertThrows(FormatException.class, () -> Cif.parse(p1("Na1 0 0 0 1\nCl1 0.5 0.5 0.5 0.5\n"), "x.cif"));
        assertEquals(15, e.line());
        assertTrue(e.getMessage().contains("partial occupancy"), e.getMessage());
        e = assertThrows(FormatException.class, () -> Cif.parse(p1("Na1 0 0 0 1\nCl1 0.5 0.5 0.5\n"), "x.cif"));
        assertTrue(e.getMessage().startsWith("x.cif, line 15: loop starting at line 8 has 5 tags but 9 values"), e.getMessage());
        e = assertThrows(FormatException.class, () -> Cif.parse(p1("Na1 0 0 0 1\n").replace("_cell_angle_alpha 90\n",
                "_cell_angle_alpha 90\n_symmetry_space_group_name_H-M 'F m -3 m'\n"), "x.cif"));
        assertEquals(6, e.line());
        assertTrue(e.getMessage().contains("without its symmetry operations"), e.getMessage());
        e = assertThrows(FormatException.class, () -> Cif.parse(p1("Na1 0 0 zero 1\n"), "x.cif"));
        assertTrue(e.getMessage().contains("'zero' is not a number"), e.getMessage());
        e = assertThrows(FormatException.class, () -> Cif.parse(p1("Na1 0 0 0 1\n").replace("_cell_length_b 4\n", ""), "x.cif"));
        assertTrue(e.getMessage().contains("_cell_length_b is missing"), e.getMessage());
        e = assertThrows(FormatException.class, () -> Cif.parse("data_x\n_title 'unterminated\n", "x.cif"));
        assertEquals(2, e.line());
    }

    @Test
    void imagesOfDifferentSpeciesOnOneSiteAreAnError() {
        String text = p1("Na1 0 0 0 1\nCl1 0.5 0 0 1\n").replace("loop_\n_atom_site_label",
                "loop_\n_symmetry_equiv_pos_as_xyz\n'x,y,z'\n'x+1/2,y,z'\nloop_\n_atom_site_label");
        FormatException e = assertThrows(FormatException.class, () -> Cif.parse(text, "x.cif"));
        assertTrue(e.getMessage().contains("onto a Na atom"), e.getMessage());
    }
}
