package org.crucible.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.core.io.StructureFormats.Format;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StructureFormatsTest {
    @Test
    void formatFromFileNameOrName() {
        assertEquals(Optional.of(Format.EXTXYZ), Format.byFileName(Path.of("/a/b/train.extxyz")));
        assertEquals(Optional.of(Format.EXTXYZ), Format.byFileName(Path.of("md.XYZ")));
        assertEquals(Optional.of(Format.POSCAR), Format.byFileName(Path.of("run/POSCAR")));
        assertEquals(Optional.of(Format.POSCAR), Format.byFileName(Path.of("CONTCAR_relaxed")));
        assertEquals(Optional.of(Format.POSCAR), Format.byFileName(Path.of("si.vasp")));
        assertEquals(Optional.of(Format.POSCAR), Format.byFileName(Path.of("si.poscar")));
        assertEquals(Optional.of(Format.CIF), Format.byFileName(Path.of("quartz.CIF")));
        assertEquals(Optional.empty(), Format.byFileName(Path.of("si.pdb")));
        assertEquals(Optional.of(Format.POSCAR), Format.byName("contcar"));
        assertEquals(Optional.empty(), Format.byName("pdb"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StructureFormats.formatOf(Path.of("x.pdb")));
        assertTrue(e.getMessage().contains("x.pdb"), e.getMessage());
    }

    @Test
    void everyFormatRoundTripsThroughTheFacade(@TempDir Path dir) {
        Cell cell = Cell.fromParameters(5.2, 5.3, 5.4, 80, 95, 105);
        Structure s = Structure.of(cell, new int[] {14, 8, 8}, cell.toCartesianAll(new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}));
        for (String name : List.of("a.extxyz", "POSCAR", "a.cif")) {
            Path p = dir.resolve(name);
            StructureFormats.write(p, List.of(s));
            Structure back = StructureFormats.read(p).get(0);
            assertArrayEquals(s.atomicNumbers(), back.atomicNumbers(), name);
            assertArrayEquals(s.positions(), back.positions(), 1e-10, name);
            assertArrayEquals(s.cell().matrix(), back.cell().matrix(), 1e-10, name);
        }
        assertThrows(IllegalArgumentException.class, () -> StructureFormats.write(dir.resolve("b.vasp"), List.of(s, s)));
        assertThrows(IllegalArgumentException.class, () -> StructureFormats.write(dir.resolve("m.cif"), List.of(ExtendedXyzTest.molecule())));
    }
}
