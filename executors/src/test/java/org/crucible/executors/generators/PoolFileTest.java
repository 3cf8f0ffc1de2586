package org.crucible.executors.generators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.crucible.core.Structure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoolFileTest {
    @TempDir
    Path dir;

    @Test
    void recordsRoundTripExactlyInFloat64() throws Exception {
        RandomCellGenerator g = new RandomCellGenerator(RandomCellGenerator.Settings.of(Composition.parse("Ga2As2"), 2, 4));
        Path p = dir.resolve("pool.crpool");
        try (PoolFile.Writer w = PoolFile.writer(p, false, "test seed 3")) {
            for (int i = 0; i < 50; i++) w.write(i, g.generate(3, i));
            assertEquals(50, w.count());
        }
        try (PoolFile.Reader r = PoolFile.reader(p)) {
            assertEquals("test seed 3", r.provenance());
            for (int i = 0; i < 50; i++) {
                assertTrue(r.hasNext());
                PoolFile.Entry e = r.next();
                Structure expect = g.generate(3, i);
                assertEquals(i, e.index());
                assertEquals(expect.contentHash(), e.structure().contentHash());
                assertArrayEquals(expect.positions(), e.structure().positions(), 0.0);
                assertEquals(expect.info(), e.structure().info());
            }
            assertFalse(r.hasNext());
        }
    }

    @Test
    void float32RecordsAreHalfTheSizeAndAccurateToMicroAngstrom() throws Exception {
        RandomCellGenerator g = new RandomCellGenerator(RandomCellGenerator.Settings.of(Composition.parse("Si"), 16, 16));
        Path p64 = dir.resolve("a.crpool"), p32 = dir.resolve("b.crpool");
        try (PoolFile.Writer w64 = PoolFile.writer(p64, false, ""); PoolFile.Writer w32 = PoolFile.writer(p32, true, "")) {
            for (int i = 0; i < 20; i++) {
                Structure s = g.generate(1, i);
                w64.write(i, s);
                w32.write(i, s);
            }
        }
        assertTrue(Files.size(p32) < 0.7 * Files.size(p64));
        try (PoolFile.Reader r = PoolFile.reader(p32)) {
            Structure s = r.next().structure();
            double[] a = g.generate(1, 0).positions(), b = s.positions();
            for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 2e-5);
        }
    }

    @Test
    void truncatedAndCorruptFilesAreReportedNotSkipped() throws Exception {
        Path p = dir.resolve("pool.crpool");
        RandomCellGenerator g = new RandomCellGenerator(RandomCellGenerator.Settings.of(Composition.parse("Si"), 4, 4));
        try (PoolFile.Writer w = PoolFile.writer(p, false, "")) {
            for (int i = 0; i < 3; i++) w.write(i, g.generate(1, i));
        }
        byte[] all = Files.readAllBytes(p);
        Path cut = dir.resolve("cut.crpool");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length - 10));
        try (PoolFile.Reader r = PoolFile.reader(cut)) {
            r.next();
            r.next();
            UncheckedIOException e = assertThrows(UncheckedIOException.class, r::next);
            assertTrue(e.getMessage().contains("truncated record 3"), e.getMessage());
        }
        all[all.length - 30] ^= 0x5a;
        Path bad = dir.resolve("bad.crpool");
        Files.write(bad, all);
        try (PoolFile.Reader r = PoolFile.reader(bad)) {
            r.next();
            r.next();
            UncheckedIOException e = assertThrows(UncheckedIOException.class, r::next);
            assertTrue(e.getMessage().contains("CRC"), e.getMessage());
        }
        Files.writeString(dir.resolve("x.crpool"), "not a pool");
        assertThrows(UncheckedIOException.class, () -> PoolFile.reader(dir.resolve("x.crpool")));
    }
}
