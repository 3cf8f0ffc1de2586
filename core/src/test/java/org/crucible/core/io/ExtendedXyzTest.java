package org.crucible.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.crucible.core.AtomProperties;
import org.crucible.core.AtomProperty;
import org.crucible.core.Cell;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtendedXyzTest {
    /** A triclinic, labelled structure with every kind of info value and per-atom column. */
    static Structure rich(long seed) {
        Random rnd = new Random(seed);
        Cell cell = new Cell(new double[] {5.1, 0.1, -0.2, 0.7, 4.9, 0.3, -0.4, 1.1, 6.3}, new boolean[] {true, true, false});
        int n = 5;
        int[] z = {14, 8, 14, 1, 6};
        double[] xyz = new double[3 * n], f = new double[3 * n];
        for (int i = 0; i < xyz.length; i++) {
            xyz[i] = rnd.nextDouble() * 5 - 0.3;
            f[i] = rnd.nextGaussian();
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("config_type", "md snapshot \"hot\"");
        info.put("step", 42);
        info.put("big", 12345678901234L);
        info.put("temperature", 1234.5678901234567);
        info.put("converged", true);
        info.put("dipole", List.of(0.1, -0.2, 1e-20));
        info.put("single", List.of(2.5));
        info.put("seeds", List.of(1L, 2L, 3L));
        info.put("mask", List.of(true, false, true));
        info.put("names", List.of("a b", "c"));
        info.put("weird_float", 1.0e300);
        AtomProperties props = AtomProperties.of(List.of(
                AtomProperty.reals("charges", 1, new double[] {0.1, -0.2, 0.3, 1e-9, -5}),
                AtomProperty.reals("magmoms", 3, java.util.stream.DoubleStream.generate(rnd::nextGaussian).limit(15).toArray()),
                AtomProperty.integers("tags", 1, new long[] {0, 1, 2, -3, 99999999999L}),
                AtomProperty.strings("site", 1, new String[] {"Si1", "O1", "Si2", "H1", "C1"}),
                AtomProperty.logicals("move_mask", 3, new boolean[] {true, false, true, true, true, true, false, false, false, true, true, false, false, true, true})));
        return Structure.of(cell, z, xyz, info, new Labels(-123.456789012345, f, new double[] {0.01, 0.02, -0.03, 1e-4, 2e-4, -3e-4}), props);
    }

    static Structure molecule() {
        return Structure.of(Cell.NONE, List.of("O", "H", "H"), new double[][] {{0, 0, 0.119}, {0, 0.763, -0.477}, {0, -0.763, -0.477}})
                .withLabels(new Labels(-14.2, null, null));
    }

    @Test
    void writeThenReadIsExactIncludingTypesAndColumns() {
        Structure s = rich(1);
        List<Structure> back = ExtendedXyz.parse(ExtendedXyz.toString(List.of(s, molecule(), rich(2))), "mem");
        assertEquals(3, back.size());
        assertEquals(s, back.get(0));
        assertEquals(molecule(), back.get(1));
        assertEquals(rich(2), back.get(2));
        assertEquals(Integer.class, back.get(0).info().get("step").getClass());
        assertEquals(List.of(2.5), back.get(0).info().get("single"));
        assertEquals("md snapshot \"hot\"", back.get(0).info().get("config_type"));
        assertTrue(back.get(1).cell().isMolecular());
        assertFalse(back.get(1).cell().hasVolume());
    }

    @Test
    void writerFollowsAseLayout() {
        Structure si2 = Structure.of(Cell.cubic(2.5), List.of("Si", "Si"), new double[][] {{0, 0, 0}, {1.25, 1.25, 1.25}})
                .withLabels(new Labels(-10.5, new double[] {0.5, 0, 0, -0.5, 0, 0}, new double[] {1, 2, 3, 4, 5, 6}));
        String text = ExtendedXyz.toString(List.of(si2));
        String[] lines = text.split("\n");
        assertEquals("2", lines[0]);
        assertEquals("Lattice=\"2.5 0.0 0.0 0.0 2.5 0.0 0.0 0.0 2.5\" Properties=species:S:1:pos:R:3:forces:R:3 energy=-10.5"
                + " stress=\"1.0 6.0 5.0 6.0 2.0 4.0 5.0 4.0 3.0\" pbc=\"T T T\"", lines[1]);
        assertEquals(List.of("Si", "1.25", "1.25", "1.25", "-0.5", "0.0", "0.0"), List.of(lines[3].trim().split("\\s+")));
    }

    @Test
    void readsAseStyleCommentLines() {
        String text = """
                3
                Lattice="4.0 0.0 0.0 0.0 4.0 0.0 0.0 0.0 4.0" Properties=species:S:1:pos:R:3:Z:I:1 config_type = {bulk liquid} flag \
                free_energy=-1.5e+00 virial="0.8 0.0 0.0 0.0 0.8 0.0 0.0 0.0 0.8" arr=[1, 2,3] js="_JSON [[1.5, 2], [3, 4]]" pbc="T T T"
                SI 0.0 0.0 0.0 14
                o  1.0 1.0 1.0e0 8
                H  2.0 2.0 -2.0 1

                1
                Properties=species:S:1:pos:R:3 stress="1 2 3 4 5 6"
                He 0 0 0
                """;
        List<Structure> frames = ExtendedXyz.parse(text, "mem");
        Structure s = frames.get(0);
        assertEquals("HOSi", s.formula());
        assertEquals("bulk liquid", s.info().get("config_type"));
        assertEquals(Boolean.TRUE, s.info().get("flag"));
        assertEquals(-1.5, s.info().get("free_energy"));
        assertEquals(List.of(1L, 2L, 3L), s.info().get("arr"));
        assertEquals(List.of(1.5, 2.0, 3.0, 4.0), s.info().get("js"));
        assertArrayEquals(new double[] {-0.0125, -0.0125, -0.0125, 0, 0, 0}, s.labels().stress(), 1e-15);
        assertFalse(s.info().containsKey("virial"));
        assertNull(s.labels().energy());
        // A frame without Lattice is a molecule even with a stress key (6 Voigt values accepted).
        Structure he = frames.get(1);
        assertTrue(he.cell().isMolecular());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, he.labels().stress());
    }

    @Test
    void streamsFramesFromAFile(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("traj.extxyz");
        List<Structure> frames = new ArrayList<>();
        for (int k = 0; k < 50; k++) frames.add(rich(k));
        ExtendedXyz.write(p, frames);
        int count = 0;
        try (StructureReader r = ExtendedXyz.open(p)) {
            while (r.hasNext()) {
                assertEquals(frames.get(count), r.next());
                count++;
            }
        }
        assertEquals(50, count);
        assertEquals(frames, ExtendedXyz.read(p));
        assertTrue(Files.size(p) > 0);
    }

    private static FormatException failure(String text) {
        return assertThrows(FormatException.class, () -> ExtendedXyz.parse(text, "bad.extxyz"));
    }

    @Test
    void errorsNameFileLineAndProblem() {
        String head = "2\nLattice=\"3 0 0 0 3 0 0 0 3\" Properties=species:S:1:pos:R:3:forces:R:3\n";
        FormatException e = failure(head + "Si 0 0 0 0 0 0\nSi 1 1 0 0 0\n");
        assertEquals(4, e.line());
        assertTrue(e.getMessage().startsWith("bad.extxyz, line 4: atom 2 of 2: expected 7 columns"), e.getMessage());

        e = failure(head + "Si 0 0 0 0 0 0\nSi 1 1 x 0 0 0\n");
        assertEquals(4, e.line());
        assertTrue(e.getMessage().contains("'x' is not a number"), e.getMessage());

        e = failure(head + "Xx 0 0 0 0 0 0\n");
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("unknown element symbol 'Xx'"), e.getMessage());

        e = failure(head + "Si 0 0 0 0 0 0\n");
        assertTrue(e.getMessage().contains("end of file in the middle of a frame"), e.getMessage());

        e = failure(head + "Si 0 0 0 0 0 0\nSi 1 1 1 0 0 0\ntwo\n");
        assertEquals(5, e.line());
        assertTrue(e.getMessage().contains("number of atoms"), e.getMessage());

        e = failure("1\nLattice=\"3 0 0 0 3 0 0 0 3 Properties=species:S:1:pos:R:3\nSi 0 0 0\n");
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("unterminated quote"), e.getMessage());

        e = failure("1\nLattice=\"3 0 0 0 3 0 0 0\"\nSi 0 0 0\n");
        assertTrue(e.getMessage().contains("Lattice must hold 9 numbers"), e.getMessage());

        e = failure("1\nProperties=species:S:1:pos:Q:3\nSi 0 0 0\n");
        assertTrue(e.getMessage().contains("type 'Q'"), e.getMessage());

        e = failure("1\nProperties=species:S:1:pos:R:3 energy=abc\nSi 0 0 0\n");
        assertTrue(e.getMessage().contains("energy must be a finite number"), e.getMessage());

        e = failure("1\nProperties=species:S:1:pos:R:3\nSi 0 nan 0\n");
        assertTrue(e.getMessage().contains("not finite"), e.getMessage());

        e = failure("1\npbc=\"T T T\"\nSi 0 0 0\n");
        assertTrue(e.getMessage().contains("no Lattice"), e.getMessage());
    }

    @Test
    void writerRefusesInfoKeysItOwns() {
        Structure s = molecule().withInfo("energy", 1.0);
        assertThrows(IllegalArgumentException.class, () -> ExtendedXyz.toString(List.of(s)));
    }

    @Test
    void atomPropertiesValidateAndSurviveCopies() {
        Structure s = rich(3);
        assertEquals(s.atomProperties(), s.withPositions(s.positions()).atomProperties());
        assertEquals(s.atomProperties(), s.wrapped().atomProperties());
        assertThrows(IllegalArgumentException.class, () -> AtomProperties.NONE.with(AtomProperty.reals("forces", 3, new double[3])));
        assertThrows(IllegalArgumentException.class, () -> s.withAtomProperty(AtomProperty.reals("x", 1, new double[2])));
        assertThrows(IllegalArgumentException.class, () -> AtomProperty.strings("s", 1, new String[] {"a b"}));
        assertEquals(-3L, s.atomProperties().get("tags").orElseThrow().integer(3, 0));
        assertEquals(s.contentHash(), s.withAtomProperties(AtomProperties.NONE).contentHash());
    }
}
