package org.crucible.driver.store;

import static org.crucible.driver.store.TrainingStoreTest.okRecord;
import static org.crucible.driver.store.TrainingStoreTest.prov;
import static org.crucible.driver.store.TrainingStoreTest.shardFiles;
import static org.crucible.driver.store.TrainingStoreTest.si8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.crucible.core.Structure;
import org.crucible.driver.store.TrainingStore.CompactionPolicy;
import org.crucible.driver.store.TrainingStore.CompactionStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StoreCompactionTest {
    @TempDir
    Path dir;

    /** A crash injected by the compaction hook. */
    static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Crash(CompactionStep step) {
            super("simulated crash after " + step);
        }
    }

    static TrainingStore open(Path store, CompactionPolicy policy) {
        return TrainingStore.open(store.toUri(), new Configuration(), policy);
    }

    /** 20 records in 20 single-record appends, every 5th one failed; nothing compacted. */
    static List<LabelRecord> fill(Path store) {
        List<LabelRecord> recs = new ArrayList<>();
        try (TrainingStore s = open(store, CompactionPolicy.MANUAL)) {
            for (int i = 0; i < 20; i++) {
                LabelRecord r = i % 5 == 4 ? failed(100 + i, i / 4) : okRecord(100 + i, i / 4);
                s.append(List.of(r));
                recs.add(r);
            }
        }
        return recs;
    }

    static LabelRecord failed(long seed, int cycle) {
        Structure s = si8(seed);
        return LabelRecord.failed(TaskHash.of(s, "x"), s, LabelStatus.FAILED, "SCF not converged", prov(cycle));
    }

    /** Task hash -> the exact frame text, in store order; fails on a duplicate. */
    static Map<String, String> content(TrainingStore s) {
        Map<String, String> m = new LinkedHashMap<>();
        for (LabelRecord r : s.all()) {
            if (m.put(r.taskHash(), ShardCodec.frame(r, true)) != null) throw new AssertionError("task " + r.taskHash() + " read twice");
        }
        return m;
    }

    static Map<String, String> content(List<LabelRecord> recs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (LabelRecord r : recs) m.put(r.taskHash(), ShardCodec.frame(r, true));
        return m;
    }

    static List<String> files(Path d) throws IOException {
        if (!Files.exists(d)) return List.of();
        try (Stream<Path> st = Files.list(d)) {
            return st.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")).sorted().toList();
        }
    }

    @ParameterizedTest
    @EnumSource(CompactionStep.class)
    void aCrashAfterAnyCompactionStepLosesAndDuplicatesNothing(CompactionStep step) throws Exception {
        Path store = dir.resolve("store");
        List<LabelRecord> recs = fill(store);
        Map<String, String> expected = content(recs);
        try (TrainingStore s = open(store, CompactionPolicy.MANUAL)) {
            assertEquals(expected, content(s));
            s.onCompactionStep(st -> {
                if (st == step) throw new Crash(st);
            });
            assertThrows(Crash.class, () -> s.compact(1 << 20));
        }
        // A reader beside the crashed state sees every label once and changes nothing.
        Map<String, Long> crashed = TrainingStoreTest.listing(store);
        try (TrainingStore ro = TrainingStore.openReadOnly(store.toUri(), new Configuration())) {
            assertEquals(expected, content(ro), "reader after a crash at " + step);
            assertEquals(20, ro.stats().records());
        }
        assertEquals(crashed, TrainingStoreTest.listing(store));
        try (TrainingStore s = open(store, CompactionPolicy.MANUAL)) {
            assertEquals(expected, content(s), "writer after a crash at " + step);
            assertEquals(expected.keySet(), s.entries().keySet());
            assertEquals(16, s.stats().ok());
            boolean committed = step.compareTo(CompactionStep.INDEX_COMMITTED) >= 0;
            // After the rename and before the last deletion, the crash leaves either an uncommitted merged shard or inputs.
            boolean leftovers = step != CompactionStep.SHARD_WRITTEN && step != CompactionStep.INPUTS_DELETED;
            assertEquals(leftovers, s.removedLeftovers() > 0, "leftovers removed after " + step);
            assertEquals(committed ? List.of("shard-000001-000020.extxyz") : shardFiles20(), shardFiles(store));
            assertEquals(committed ? List.of("shard-000001-000020.idx") : List.of(), files(store.resolve("index")));
            assertEquals(List.of(), files(store.resolve("_tmp")));
            for (String h : expected.keySet()) assertEquals(expected.get(h), ShardCodec.frame(s.get(h).orElseThrow(), true));
            assertEquals(0, s.append(List.of(recs.get(0), recs.get(19))).added(), "a retried label is not stored again");
            s.compact(1 << 20);
            assertEquals(expected, content(s));
        }
        try (TrainingStore s = open(store, CompactionPolicy.MANUAL)) {
            assertEquals(expected, content(s));
            assertEquals(List.of("shard-000001-000020.extxyz"), shardFiles(store));
            assertEquals(0, s.recoveredShards());
            assertEquals(0, s.removedLeftovers());
        }
    }

    private static List<String> shardFiles20() {
        List<String> l = new ArrayList<>();
        for (int i = 1; i <= 20; i++) l.add(String.format("shard-%06d.extxyz", i));
        return l;
    }

    @Test
    void aCrashWhileMergingCompactedShardsKeepsEveryLabelOnce() throws Exception {
        Path store = dir.resolve("store");
        Map<String, String> expected = content(fill(store));
        try (TrainingStore s = open(store, CompactionPolicy.MANUAL)) {
            // Two compacted shards of about half the records, then both merged again and the crash comes after the
            // first input (a compacted shard with its own index) is deleted.
            long total = s.stats().bytes();
            s.compact(total / 2 + 1);
            assertTrue(shardFiles(store).size() >= 2 && shardFiles(store).size() <= 3, shardFiles(store).toString());
            s.onCompactionStep(st -> {
                if (st == CompactionStep.INPUT_DELETED) throw new Crash(st);
            });
            assertThrows(Crash.class, () -> s.compact(total * 2));
        }
        try (TrainingStore s = open(store, CompactionPolicy.MANUAL)) {
            assertEquals(expected, content(s));
            assertEquals(List.of("shard-000001-000020.extxyz"), shardFiles(store));
            assertEquals(List.of("shard-000001-000020.idx"), files(store.resolve("index")));
        }
    }

    @Test
    void automaticCompactionKeepsOneShardPerDigitOfTheAppendCountInBaseFanIn() throws Exception {
        Path store = dir.resolve("store");
        List<LabelRecord> recs = new ArrayList<>();
        CompactionPolicy policy = new CompactionPolicy(true, 4, 1L << 30);
        try (TrainingStore s = open(store, policy)) {
            for (int i = 0; i < 40; i++) {
                LabelRecord r = okRecord(200 + i, i / 10);
                s.append(List.of(r));
                recs.add(r);
            }
            // 40 = 2*16 + 2*4 + 0: two shards of 16 appends and two of 4.
            assertEquals(List.of("shard-000001-000016.extxyz", "shard-000017-000032.extxyz", "shard-000033-000036.extxyz",
                    "shard-000037-000040.extxyz"), shardFiles(store));
            assertEquals(4, s.stats().shards());
            assertEquals(content(recs), content(s));
        }
        try (TrainingStore s = open(store, policy)) {
            assertEquals(0, s.recoveredShards(), "every shard was indexed; no shard read on open");
            assertEquals(content(recs), content(s));
        }
    }

    @Test
    void automaticCompactionNeverMergesAFullShardNorWritesOneAboveTheTarget() throws Exception {
        Path store = dir.resolve("store");
        long frame = ShardCodec.frame(okRecord(1, 0), true).length();
        CompactionPolicy policy = new CompactionPolicy(true, 4, 6 * frame);
        List<LabelRecord> recs = new ArrayList<>();
        try (TrainingStore s = open(store, policy)) {
            for (int i = 0; i < 30; i++) {
                LabelRecord r = okRecord(300 + i, 1);
                s.append(List.of(r));
                recs.add(r);
            }
            assertEquals(content(recs), content(s));
        }
        for (String name : shardFiles(store)) {
            long size = Files.size(store.resolve("shards").resolve(name));
            assertTrue(size <= 6 * frame + 64, name + " has " + size + " bytes, target " + 6 * frame);
        }
        assertTrue(shardFiles(store).size() <= 30 / 3 + 3, shardFiles(store).toString());
    }

    @Test
    void manualCompactionPacksSmallShardsUpToTheTarget() throws Exception {
        Path store = dir.resolve("store");
        Map<String, String> expected = content(fill(store));
        try (TrainingStore s = open(store, CompactionPolicy.MANUAL)) {
            long total = s.stats().bytes();
            TrainingStore.CompactionResult r = s.compact(total / 3);
            assertEquals(20, r.shardsBefore());
            assertEquals(r.shardsAfter(), shardFiles(store).size());
            assertTrue(r.shardsAfter() >= 3 && r.shardsAfter() <= 4, r.toString());
            assertEquals(20, r.recordsRewritten());
            for (String name : shardFiles(store)) assertTrue(Files.size(store.resolve("shards").resolve(name)) <= total / 3, name);
            assertEquals(expected, content(s));
            TrainingStore.CompactionResult again = s.compact(total / 3);
            assertEquals(0, again.written(), "nothing left to merge at the same target");
            s.compact(total);
            assertEquals(List.of("shard-000001-000020.extxyz"), shardFiles(store));
            assertEquals(expected, content(s));
        }
    }

    @Test
    void statsAndOpenOfACompactedStoreReadTheIndexNotTheShards() throws Exception {
        Path store = dir.resolve("store");
        fill(store);
        TrainingStore.Stats before;
        try (TrainingStore s = open(store, CompactionPolicy.MANUAL)) {
            s.compact(1 << 20);
            before = s.stats();
        }
        Path shard = store.resolve("shards/shard-000001-000020.extxyz");
        long size = Files.size(shard);
        // Garbage of the same length: open checks a compacted shard's length against its index, nothing more.
        StringBuilder garbage = new StringBuilder();
        while (garbage.length() < size) garbage.append("garbage\n");
        Files.writeString(shard, garbage.substring(0, (int) size));
        Files.deleteIfExists(store.resolve("shards/.shard-000001-000020.extxyz.crc"));
        try (TrainingStore s = open(store, CompactionPolicy.MANUAL)) {
            assertEquals(before.records(), s.stats().records());
            assertEquals(before.byStatus(), s.stats().byStatus());
            assertEquals(before.byCycle(), s.stats().byCycle());
            assertEquals(before.byCode(), s.stats().byCode());
            StoreException e = assertThrows(StoreException.class, s::all);
            assertTrue(e.getMessage().contains("shard-000001-000020.extxyz:1"), e.getMessage());
        }
    }

    @Test
    void exportAndTrainingSetAreTheSameBeforeAndAfterCompaction() {
        Path store = dir.resolve("store");
        fill(store);
        try (TrainingStore s = open(store, CompactionPolicy.MANUAL)) {
            ByteArrayOutputStream a = new ByteArrayOutputStream();
            assertEquals(16, s.exportExtxyz(a));
            List<String> ts = s.trainingSet().stream().map(r -> ShardCodec.frame(r, true)).toList();
            s.compact(1 << 20);
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            assertEquals(16, s.exportExtxyz(b));
            assertEquals(a.toString(StandardCharsets.UTF_8), b.toString(StandardCharsets.UTF_8));
            assertEquals(ts, s.trainingSet().stream().map(r -> ShardCodec.frame(r, true)).toList());
        }
    }

    @Test
    void aFirstFormatStoreOpensAndIsMigratedByCompaction() throws Exception {
        Path store = dir.resolve("store");
        Files.createDirectories(store.resolve("shards"));
        List<LabelRecord> recs = List.of(okRecord(1, 0), okRecord(2, 0), failed(3, 1), okRecord(4, 1));
        // crucible-store-1: one shard per append and manifest.json; shard 4 was renamed before a crash, unlisted.
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < recs.size(); i++) {
            LabelRecord r = recs.get(i);
            String name = String.format("shard-%06d.extxyz", i + 1);
            Files.writeString(store.resolve("shards").resolve(name), ShardCodec.frame(r, true));
            if (i < 3) {
                entries.append(i == 0 ? "" : ",").append(String.format("\"%s\":{\"shard\":\"%s\",\"index\":0,\"status\":\"%s\",\"cycle\":%d,"
                        + "\"selector\":\"%s\",\"code\":\"sw\"}", r.taskHash(), name, r.status().label(), r.provenance().cycle(), r.provenance().selector()));
            }
        }
        Files.writeString(store.resolve("manifest.json"), "{\"format\":\"crucible-store-1\",\"shards\":[\"shard-000001.extxyz\",\"shard-000002.extxyz\","
                + "\"shard-000003.extxyz\"],\"entries\":{" + entries + "}}");
        try (TrainingStore ro = TrainingStore.openReadOnly(store.toUri(), new Configuration())) {
            assertEquals(content(recs), content(ro));
            assertEquals(1, ro.recoveredShards(), "only the unlisted shard is read");
        }
        LabelRecord fifth = okRecord(5, 2);
        try (TrainingStore s = open(store, new CompactionPolicy(true, 2, 1L << 30))) {
            assertEquals(content(recs), content(s));
            assertEquals(1, s.stats().byStatus().get("failed"));
            assertTrue(Files.exists(store.resolve("manifest.json")), "kept while it indexes live shards");
            s.append(List.of(fifth));
            assertFalse(Files.exists(store.resolve("manifest.json")), "dropped once compaction has merged every shard it lists");
        }
        List<LabelRecord> all = new ArrayList<>(recs);
        all.add(fifth);
        try (TrainingStore s = open(store, CompactionPolicy.MANUAL)) {
            assertEquals(content(all), content(s));
            assertTrue(Files.exists(store.resolve("store.json")));
        }
    }

    @Test
    void anIndexWithoutItsShardIsReportedNotIgnored() throws Exception {
        Path store = dir.resolve("store");
        fill(store);
        try (TrainingStore s = open(store, CompactionPolicy.MANUAL)) {
            s.compact(1 << 20);
        }
        Files.delete(store.resolve("shards/shard-000001-000020.extxyz"));
        StoreException e = assertThrows(StoreException.class, () -> open(store, CompactionPolicy.MANUAL));
        assertTrue(e.getMessage().contains("shard-000001-000020.idx indexes shard-000001-000020.extxyz"), e.getMessage());
    }

    @Test
    void aReaderOpenedBeforeACompactionReadsEveryLabelAfterIt() {
        Path store = dir.resolve("store");
        Map<String, String> expected = content(fill(store));
        try (TrainingStore ro = TrainingStore.openReadOnly(store.toUri(), new Configuration())) {
            try (TrainingStore w = open(store, CompactionPolicy.MANUAL)) {
                w.compact(1 << 20); // deletes the 20 shards the reader listed
            }
            assertEquals(expected, content(ro), "the reader lists the store again and reads the compacted shard");
            assertEquals(20, ro.trainingSet().size() + 4);
        }
    }
}
