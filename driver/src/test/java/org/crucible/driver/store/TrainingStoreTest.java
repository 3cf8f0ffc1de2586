package org.crucible.driver.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.SplittableRandom;
import org.crucible.core.Cell;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.core.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingStoreTest {
    @TempDir
    Path dir;

    static Structure si8(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double a = 5.43;
        double[] frac = {0, 0, 0, 0, .5, .5, .5, 0, .5, .5, .5, 0, .25, .25, .25, .25, .75, .75, .75, .25, .75, .75, .75, .25};
        double[] xyz = new double[24];
        for (int i = 0; i < 24; i++) xyz[i] = frac[i] * a + 0.05 * (r.nextDouble() - 0.5);
        return Structure.of(Cell.cubic(a), new int[] {14, 14, 14, 14, 14, 14, 14, 14}, xyz);
    }

    static LabelRecord okRecord(long seed, int cycle) {
        Structure s = si8(seed);
        SplittableRandom r = new SplittableRandom(seed * 31 + 7);
        double[] f = new double[24];
        for (int i = 0; i < 24; i++) f[i] = r.nextDouble() - 0.5;
        double[] stress = {0.01 * r.nextDouble(), 0.02, 0.03, 1e-3, 2e-3, -3e-3};
        Structure labelled = s.withLabels(Labels.of(-34.6 - r.nextDouble(), f, stress));
        return LabelRecord.ok(TaskHash.of(s, "settings-a"), labelled, prov(cycle));
    }

    static Provenance prov(int cycle) {
        return new Provenance("sw", "1.0", "settings-a", "-", "node1", cycle, cycle == 0 ? "random" : "dbscan", 0.25,
                Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void roundTripIsBitExactWithProvenance() {
        LabelRecord a = okRecord(1, 0);
        LabelRecord b = okRecord(2, 1);
        try (TrainingStore s = TrainingStore.open(dir.resolve("store"))) {
            TrainingStore.AppendResult res = s.append(List.of(a, b));
            assertEquals(2, res.added());
        }
        try (TrainingStore s = TrainingStore.open(dir.resolve("store"))) {
            List<LabelRecord> all = s.all();
            assertEquals(2, all.size());
            LabelRecord back = all.get(1);
            assertEquals(b.taskHash(), back.taskHash());
            assertEquals(b.structure().labels().energy(), back.structure().labels().energy());
            assertArrayEquals(b.structure().labels().forces(), back.structure().labels().forces());
            assertArrayEquals(b.structure().labels().stress(), back.structure().labels().stress());
            assertArrayEquals(b.structure().positions(), back.structure().positions());
            assertEquals(b.structure().contentHash(), back.structure().contentHash());
            assertEquals(b.provenance(), back.provenance());
            assertEquals(1, s.recoveredShards(), "the appended shard is not compacted yet, so open reads it");
        }
    }

    @Test
    void aTaskIsStoredOnceEvenWhenAppendedAgainAfterReopen() {
        LabelRecord a = okRecord(1, 0);
        try (TrainingStore s = TrainingStore.open(dir.resolve("store"))) {
            assertEquals(1, s.append(List.of(a, a)).added());
            assertEquals(new TrainingStore.AppendResult(0, 1, null), s.append(List.of(a)));
        }
        try (TrainingStore s = TrainingStore.open(dir.resolve("store"))) {
            TrainingStore.AppendResult r = s.append(List.of(a, okRecord(3, 1)));
            assertEquals(1, r.added());
            assertEquals(1, r.skipped());
            assertEquals(2, s.all().size());
            assertEquals(2, s.stats().shards());
        }
    }

    @Test
    void anAppendInterruptedBeforeOrAfterItsRenameLosesNothingAndStoresNothingTwice() throws Exception {
        Path store = dir.resolve("store");
        LabelRecord a = okRecord(1, 0);
        LabelRecord b = okRecord(2, 1);
        try (TrainingStore s = TrainingStore.open(store)) {
            s.append(List.of(a));
            s.append(List.of(b)); // the process dies right after this rename: nothing else records the append
        }
        // ...and a half-written temp file of a third append.
        Files.createDirectories(store.resolve("_tmp"));
        Files.writeString(store.resolve("_tmp/shard-000003.extxyz"), "8\nLattice=\"5.43 0 0");
        try (TrainingStore s = TrainingStore.open(store)) {
            assertEquals(2, s.recoveredShards(), "appended shards not compacted yet are indexed by reading them");
            assertTrue(s.contains(b.taskHash()), "the label of the last append is there");
            assertEquals(0, s.append(List.of(a, b)).added(), "the retried batch is not stored again");
            assertEquals(2, s.all().size());
            assertFalse(Files.exists(store.resolve("_tmp/shard-000003.extxyz")));
            assertEquals(3, s.append(List.of(okRecord(3, 1), okRecord(4, 1), okRecord(5, 1))).added());
            assertEquals(List.of("shard-000001.extxyz", "shard-000002.extxyz", "shard-000003.extxyz"), shardFiles(store),
                    "the half-written temp file's number is reused, nothing is overwritten");
        }
    }

    @Test
    void aReadOnlyOpenBesideAWriterChangesNothingAndRefusesAppends() throws Exception {
        Path store = dir.resolve("store");
        try (TrainingStore ro = TrainingStore.openReadOnly(store.toUri(), new org.apache.hadoop.conf.Configuration())) {
            assertEquals(0, ro.all().size(), "a store that does not exist yet reads as empty");
        }
        assertFalse(Files.exists(store), "nothing created");
        try (TrainingStore s = TrainingStore.open(store)) {
            s.append(List.of(okRecord(1, 0)));
            s.append(List.of(okRecord(2, 1)));
        }
        // A writer with the next append in _tmp:
        Files.createDirectories(store.resolve("_tmp"));
        Files.writeString(store.resolve("_tmp/shard-000003.extxyz"), "8\nLattice=\"5.43 0 0");
        Map<String, Long> before = listing(store);
        try (TrainingStore ro = TrainingStore.openReadOnly(store.toUri(), new org.apache.hadoop.conf.Configuration())) {
            assertEquals(2, ro.all().size());
            assertThrows(StoreException.class, () -> ro.append(List.of(okRecord(3, 2))));
            assertThrows(StoreException.class, () -> ro.compact(1 << 20));
        }
        assertEquals(before, listing(store), "no file created, deleted or rewritten; the writer's temp file is left alone");
    }

    @Test
    void failedAndUnconvergedAreRecordedButNeverEnterTheTrainingSet() {
        Structure s1 = si8(5);
        Structure s2 = si8(6);
        LabelRecord f = LabelRecord.failed(TaskHash.of(s1, "x"), s1, LabelStatus.FAILED, "pw.x \"exit\" 137\nkilled", prov(2));
        LabelRecord u = LabelRecord.failed(TaskHash.of(s2, "x"), s2, LabelStatus.UNCONVERGED, "SCF not converged in 100 steps", prov(2));
        try (TrainingStore s = TrainingStore.open(dir.resolve("store"))) {
            s.append(List.of(okRecord(1, 0), f, u));
            assertEquals(1, s.trainingSet().size());
            TrainingStore.Stats st = s.stats();
            assertEquals(3, st.records());
            assertEquals(1, st.ok());
            assertEquals(1, st.byStatus().get("failed"));
            assertEquals(1, st.byStatus().get("unconverged"));
            assertEquals(2, st.byCycle().get(2));
            LabelRecord back = s.get(f.taskHash()).orElseThrow();
            assertEquals(LabelStatus.FAILED, back.status());
            assertEquals("pw.x 'exit' 137 killed", back.message());
            assertTrue(back.structure().labels().isEmpty());
        }
    }

    @Test
    void corruptShardIsReportedWithFileAndLine() throws Exception {
        Path store = dir.resolve("store");
        try (TrainingStore s = TrainingStore.open(store)) {
            s.append(List.of(okRecord(1, 0)));
        }
        Path shard = store.resolve("shards/shard-000001.extxyz");
        List<String> lines = new ArrayList<>(Files.readAllLines(shard));
        lines.set(4, "Si 1.0 2.0");
        Files.write(shard, lines);
        Files.deleteIfExists(store.resolve("shards/.shard-000001.extxyz.crc"));
        // An appended shard not compacted yet is read on open: a reader reports the tear, a writer quarantines the file.
        try (TrainingStore ro = TrainingStore.openReadOnly(store.toUri(), new org.apache.hadoop.conf.Configuration())) {
            assertEquals(1, ro.torn().size());
            assertTrue(ro.torn().get(0).contains("shard-000001.extxyz:5"), ro.torn().get(0));
            assertEquals(0, ro.stats().records(), "what cannot be read is not counted");
        }
        try (TrainingStore s = TrainingStore.open(store)) {
            assertTrue(s.torn().get(0).contains("shard-000001.extxyz:5"), s.torn().toString());
            assertEquals(List.of("shard-000001.extxyz"), s.quarantined());
            assertEquals(0, s.stats().records());
        }
        assertFalse(Files.exists(shard), "the torn shard left shards/");
        assertEquals(lines, Files.readAllLines(store.resolve("quarantine/shard-000001.extxyz")), "its bytes are kept");
    }

    @Test
    void exportIsReadByAse() throws Exception {
        Path python = TestEnvironment.assumeDebianPython("ase");
        LabelRecord a = okRecord(1, 0);
        Structure s1 = si8(9);
        LabelRecord f = LabelRecord.failed(TaskHash.of(s1, "x"), s1, LabelStatus.FAILED, "boom", prov(1));
        Path out = dir.resolve("train.extxyz");
        try (TrainingStore s = TrainingStore.open(dir.resolve("store"))) {
            s.append(List.of(a, f, okRecord(2, 1)));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            assertEquals(2, s.exportExtxyz(bytes));
            Files.write(out, bytes.toByteArray());
        }
        Process p = new ProcessBuilder(python.toString(), "-c", String.join("\n",
                "import sys, ase.io",
                "fr = ase.io.read(sys.argv[1], index=':', format='extxyz')",
                "for a in fr:",
                "    print(len(a), repr(a.get_potential_energy()), repr(a.get_forces()[3][1]), repr(a.get_stress()[3]), a.info['config_type'])"),
                out.toString()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), text);
        String[] lines = text.strip().split("\n");
        assertEquals(2, lines.length, text);
        String[] t = lines[0].trim().split("\\s+");
        assertEquals("8", t[0]);
        assertEquals(a.structure().labels().energy(), Double.parseDouble(t[1]));
        assertEquals(a.structure().labels().forces()[10], Double.parseDouble(t[2]));
        assertEquals(a.structure().labels().stress()[3], Double.parseDouble(t[3]), 1e-15);
        assertEquals("random", t[4]);
    }

    static List<String> shardFiles(Path store) throws java.io.IOException {
        try (Stream<Path> st = Files.list(store.resolve("shards"))) {
            return st.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".extxyz")).sorted().toList();
        }
    }

    /** Every file under the store with its size and modification time folded in (crc files included). */
    static Map<String, Long> listing(Path store) throws java.io.IOException {
        Map<String, Long> m = new TreeMap<>();
        try (Stream<Path> st = Files.walk(store)) {
            for (Path p : st.filter(Files::isRegularFile).toList()) {
                m.put(store.relativize(p).toString(), Files.size(p) * 31 + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return m;
    }
}
