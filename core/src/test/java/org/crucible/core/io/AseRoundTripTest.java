package org.crucible.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * Round trips with the real ASE (Debian {@code /usr/bin/python3}, python3-ase 3.22): files Crucible writes are
 * read by ASE and files ASE writes are read by Crucible. Skips, saying why, without that ASE.
 *
 * <p>Tolerances: ASE prints positions and per-atom columns with {@code %16.8f}, so what Crucible reads from
 * ASE agrees to half a unit in the 8th decimal (5e-9); everything ASE prints with {@code repr} (cell, energy,
 * stress, info) and everything Crucible writes (shortest exact decimals) must agree exactly.
 */
class AseRoundTripTest {
    private static final double PRINTED = 5.000001e-9;

    /** A labelled triclinic structure whose columns avoid names ASE treats specially (charges, move_mask). */
    private static Structure labelledBulk(long seed) {
        Random rnd = new Random(seed);
        Cell cell = new Cell(new double[] {5.1 + rnd.nextDouble(), 0.1, -0.2, 0.7, 4.9, 0.3, -0.4, 1.1, 6.3}, new boolean[] {true, true, true});
        int n = 6;
        int[] z = {14, 14, 14, 6, 6, 8};
        double[] frac = new double[3 * n], f = new double[3 * n], q = new double[n], vec = new double[3 * n];
        long[] tags = new long[n];
        String[] site = new String[n];
        boolean[] flag = new boolean[n];
        for (int i = 0; i < 3 * n; i++) {
            frac[i] = rnd.nextDouble();
            f[i] = rnd.nextGaussian();
            vec[i] = rnd.nextGaussian() * 1e-3;
        }
        for (int i = 0; i < n; i++) {
            q[i] = rnd.nextGaussian();
            tags[i] = i % 4 - 1;
            site[i] = "s" + i;
            flag[i] = i % 2 == 0;
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("config_type", "random bulk");
        info.put("step", 7);
        info.put("temperature", 1234.5678901234567);
        info.put("converged", true);
        info.put("dipole", List.of(0.1, -0.2, 1e-20));
        info.put("single", List.of(2.5));
        info.put("seeds", List.of(11L, 12L, 13L));
        info.put("names", List.of("a b", "c"));
        AtomProperties props = AtomProperties.of(List.of(AtomProperty.reals("q", 1, q), AtomProperty.reals("vec", 3, vec),
                AtomProperty.integers("tags", 1, tags), AtomProperty.strings("site", 1, site), AtomProperty.logicals("flag", 1, flag)));
        double[] stress = new double[6];
        for (int k = 0; k < 6; k++) stress[k] = rnd.nextGaussian() * 0.01;
        return Structure.of(cell, z, cell.toCartesianAll(frac), info, new Labels(-40 + rnd.nextGaussian(), f, stress), props);
    }

    @Test
    void aseReadsWhatCrucibleWritesExactly(@TempDir Path dir) throws Exception {
        List<Structure> frames = new ArrayList<>();
        frames.add(labelledBulk(1));
        frames.add(labelledBulk(2));
        frames.add(Structure.of(new Cell(new double[] {4, 0, 0, 0, 4.5, 0, 0, 0, 20}, new boolean[] {true, true, false}),
                new int[] {14, 14}, new double[] {0.1, 0.2, 9.5, 2.0, 2.2, 11.3}).withLabels(new Labels(-9.5, null, null)));
        frames.add(ExtendedXyzTest.molecule());
        Path file = dir.resolve("crucible.extxyz");
        ExtendedXyz.write(file, frames);
        List<AseReference.Frame> ase = AseReference.run("dump", file.toString(), "extxyz");
        assertEquals(frames.size(), ase.size());
        for (int k = 0; k < frames.size(); k++) {
            Structure s = frames.get(k);
            AseReference.Frame a = ase.get(k);
            String at = "frame " + k;
            List<String> symbols = new ArrayList<>();
            for (int i = 0; i < s.size(); i++) symbols.add(s.symbol(i));
            assertEquals(symbols, a.symbols(), at);
            assertArrayEquals(s.positions(), a.positions(), 0.0, at); // exact decimals: identical doubles
            assertArrayEquals(s.cell().matrix(), a.cell(), 0.0, at);
            assertArrayEquals(s.cell().pbc(), a.pbc(), at);
            assertEquals(s.labels().energy(), a.energy(), at);
            if (s.labels().hasForces()) assertArrayEquals(s.labels().forces(), a.forces(), 0.0, at);
            else assertNull(a.forces(), at);
            if (s.labels().hasStress()) assertArrayEquals(s.labels().stress(), a.stress(), 0.0, at);
            else assertNull(a.stress(), at);
        }
        AseReference.Frame a = ase.get(0);
        Structure s = frames.get(0);
        assertEquals("\"random bulk\"", a.infoJson().get("config_type"));
        assertEquals("7", a.infoJson().get("step"));
        assertEquals("1234.5678901234567", a.infoJson().get("temperature"));
        assertEquals("true", a.infoJson().get("converged"));
        assertEquals("[0.1, -0.2, 1e-20]", a.infoJson().get("dipole"));
        assertEquals("[2.5]", a.infoJson().get("single"));
        assertEquals("[11, 12, 13]", a.infoJson().get("seeds"));
        assertEquals("[\"a b\", \"c\"]", a.infoJson().get("names"));
        assertArrayEquals(s.atomProperties().get("q").orElseThrow().reals(), values(a.arrays().get("q"), "f", 1), 0.0);
        assertArrayEquals(s.atomProperties().get("vec").orElseThrow().reals(), values(a.arrays().get("vec"), "f", 3), 0.0);
        long[] tags = s.atomProperties().get("tags").orElseThrow().integers();
        double[] aseTags = values(a.arrays().get("tags"), "i", 1);
        for (int i = 0; i < tags.length; i++) assertEquals(tags[i], (long) aseTags[i]);
        assertEquals(List.of("site", "O", "1", "s0", "s1", "s2", "s3", "s4", "s5"), List.of(a.arrays().get("site")));
        assertEquals(List.of("flag", "b", "1", "T", "F", "T", "F", "T", "F"), List.of(a.arrays().get("flag")));
    }

    private static double[] values(String[] array, String kind, int width) {
        assertEquals(kind, array[1], "dtype kind of " + array[0]);
        assertEquals(Integer.toString(width), array[2], "width of " + array[0]);
        return AseReference.doubles(String.join(" ", List.of(array).subList(3, array.length)));
    }

    @Test
    void crucibleReadsWhatAseWrites(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ase.extxyz");
        List<AseReference.Frame> ase = AseReference.run("make-extxyz", file.toString());
        List<Structure> frames = ExtendedXyz.read(file);
        assertEquals(5, ase.size());
        assertEquals(ase.size(), frames.size());
        for (int k = 0; k < frames.size(); k++) {
            Structure s = frames.get(k);
            AseReference.Frame a = ase.get(k);
            String at = "frame " + k;
            for (int i = 0; i < s.size(); i++) assertEquals(a.symbols().get(i), s.symbol(i), at);
            assertArrayEquals(a.positions(), s.positions(), PRINTED, at);
            assertArrayEquals(a.pbc(), s.cell().pbc(), at);
            if (k < 4) assertArrayEquals(a.cell(), s.cell().matrix(), 0.0, at);
            else assertTrue(s.cell().isMolecular() && !s.cell().hasVolume(), at);
            assertEquals(a.energy(), s.labels().energy(), at); // repr: exact
            assertArrayEquals(a.forces(), s.labels().forces(), PRINTED, at);
            if (a.stress() == null) assertFalse(s.labels().hasStress(), at);
            else assertArrayEquals(a.stress(), s.labels().stress(), 0.0, at);
        }
        Structure first = frames.get(0);
        assertEquals("random bulk", first.info().get("config_type"));
        assertEquals(0, first.info().get("step"));
        assertEquals(300.0, first.info().get("temperature"));
        assertEquals(300.123456789, frames.get(1).info().get("temperature"));
        AtomProperty tags = first.atomProperties().get("tags").orElseThrow();
        assertEquals(AtomProperty.Kind.INTEGER, tags.kind());
        assertArrayEquals(new long[] {0, 1, 2, 0, 1, 2, 0, 1}, tags.integers());
        AtomProperty mag = first.atomProperties().get("magmoms_custom").orElseThrow();
        assertEquals(3, mag.width());
        assertArrayEquals(values(ase.get(0).arrays().get("magmoms_custom"), "f", 3), mag.reals(), PRINTED);
    }
}
