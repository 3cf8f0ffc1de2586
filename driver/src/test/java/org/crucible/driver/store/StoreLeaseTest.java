package org.crucible.driver.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.crucible.driver.bench.StoreBench;
import org.crucible.driver.store.TrainingStore.CompactionPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer lease: a second writer is refused by name, a stale writer is fenced off, torn shards are quarantined. */
class StoreLeaseTest {
    @TempDir
    Path dir;

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        final AtomicLong millis = new AtomicLong(Instant.parse("2026-12-05T08:00:00Z").toEpochMilli());

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        void advance(Duration d) {
            millis.addAndGet(d.toMillis());
        }
    }

    static StoreLease.Settings manual(Clock c, String owner) {
        return new StoreLease.Settings(Duration.ofSeconds(30), Duration.ZERO, Duration.ZERO, c, owner);
    }

    static TrainingStore open(Path store, StoreLease.Settings s) {
        return TrainingStore.open(store.toUri(), new Configuration(), CompactionPolicy.MANUAL, s);
    }

    @Test
    void aSecondWriterIsRefusedWithTheHolderNamedAndGetsInOnceTheFirstCloses() {
        Path store = dir.resolve("store");
        ManualClock clock = new ManualClock();
        try (TrainingStore a = open(store, manual(clock, "campaign-a"))) {
            a.append(List.of(StoreBench.record(1, 0)));
            StoreException e = assertThrows(StoreException.class, () -> open(store, manual(clock, "store-compact")));
            assertTrue(e.getMessage().contains("has another writer"), e.getMessage());
            assertTrue(e.getMessage().contains("campaign-a"), e.getMessage());
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
            assertEquals(1, a.leaseEpoch());
            a.append(List.of(StoreBench.record(1, 1)));
            // Readers need no lease.
            try (TrainingStore ro = TrainingStore.openReadOnly(store.toUri(), new Configuration())) {
                assertEquals(2, ro.stats().records());
            }
        }
        try (TrainingStore b = open(store, manual(clock, "store-compact"))) {
            assertEquals(2, b.leaseEpoch(), "the released lease is taken with the next fencing number");
            assertEquals(2, b.stats().records());
        }
    }

    @Test
    void aStaleWriterIsFencedOffAndItsLabelsAreNotLostByTheNewWriter() throws Exception {
        Path store = dir.resolve("store");
        ManualClock clock = new ManualClock();
        TrainingStore a = open(store, manual(clock, "stalled"));
        a.append(List.of(StoreBench.record(2, 0)));
        // A live lease is not taken over...
        clock.advance(Duration.ofSeconds(29));
        assertThrows(StoreException.class, () -> open(store, manual(clock, "taker")));
        // ...an expired one is (a's process stalled without heartbeats for longer than the expiry).
        clock.advance(Duration.ofSeconds(2));
        try (TrainingStore b = open(store, manual(clock, "taker"))) {
            assertEquals(2, b.leaseEpoch());
            b.append(List.of(StoreBench.record(2, 1)));
            List<String> before = TrainingStoreTest.shardFiles(store);
            StoreException e = assertThrows(StoreException.class, () -> a.append(List.of(StoreBench.record(2, 2))));
            assertTrue(e.getMessage().contains("was taken over"), e.getMessage());
            assertTrue(e.getMessage().contains("taker"), e.getMessage());
            assertEquals(before, TrainingStoreTest.shardFiles(store), "the stale writer published nothing");
            assertThrows(StoreException.class, () -> a.compact(1 << 20), "nor may it compact");
            b.append(List.of(StoreBench.record(2, 3)));
            assertEquals(3, b.stats().records());
        }
        a.close(); // a lost lease is not released again: the new holder's epoch stays
        try (TrainingStore c = open(store, manual(clock, "next"))) {
            assertEquals(3, c.leaseEpoch());
            List<String> hashes = new ArrayList<>(c.entries().keySet());
            assertEquals(List.of(StoreBench.record(2, 0).taskHash(), StoreBench.record(2, 1).taskHash(), StoreBench.record(2, 3).taskHash()), hashes);
            assertTrue(c.verify().clean(), c.verify().toString());
        }
    }

    @Test
    void heartbeatsKeepALeaseAliveAndAWriterRefusesToCommitOnAStaleHeartbeat() {
        Path store = dir.resolve("store");
        ManualClock clock = new ManualClock();
        try (TrainingStore a = open(store, manual(clock, "a"))) {
            for (int i = 0; i < 5; i++) {
                clock.advance(Duration.ofSeconds(20)); // each append renews the heartbeat (older than expiry/2)
                a.append(List.of(StoreBench.record(3, i)));
            }
            clock.advance(Duration.ofSeconds(20));
            assertThrows(StoreException.class, () -> open(store, manual(clock, "b")), "renewed 20 s ago: still held");
        }
    }

    @Test
    void aTornAppendedShardKeepsItsReadableFramesAndGoesToQuarantine() throws Exception {
        Path store = dir.resolve("store");
        ManualClock clock = new ManualClock();
        List<LabelRecord> recs = new ArrayList<>();
        for (int i = 0; i < 3; i++) recs.add(StoreBench.record(4, i));
        try (TrainingStore s = open(store, manual(clock, "w"))) {
            s.append(List.of(StoreBench.record(4, 9)));
            s.append(recs);
        }
        Path shard = store.resolve("shards/shard-000002.extxyz");
        byte[] b = Files.readAllBytes(shard);
        Files.write(shard, java.util.Arrays.copyOf(b, b.length * 5 / 6)); // a power loss tore the last frame
        Files.deleteIfExists(store.resolve("shards/.shard-000002.extxyz.crc"));
        try (TrainingStore ro = TrainingStore.openReadOnly(store.toUri(), new Configuration())) {
            assertEquals(3, ro.stats().records(), "one untouched label and two readable frames of the torn shard");
            assertEquals(1, ro.torn().size());
            assertFalse(ro.verify().clean());
        }
        try (TrainingStore s = open(store, manual(clock, "w"))) {
            assertEquals(1, s.torn().size(), s.torn().toString());
            assertTrue(s.torn().get(0).contains("2 frames readable"), s.torn().get(0));
            assertTrue(s.contains(recs.get(0).taskHash()) && s.contains(recs.get(1).taskHash()));
            assertFalse(s.contains(recs.get(2).taskHash()), "the torn frame is not a label: the campaign labels it again");
            assertEquals(List.of("shard-000002.extxyz"), s.quarantined());
            assertEquals(List.of("shard-000001.extxyz", "shard-000003.extxyz"), TrainingStoreTest.shardFiles(store));
            assertEquals(1, s.append(List.of(recs.get(2))).added());
            TrainingStore.Verification v = s.verify();
            assertEquals(4, v.records());
            assertEquals(4, v.frames());
            assertTrue(v.duplicates().isEmpty() && v.problems().isEmpty(), v.toString());
            assertEquals(List.of("shard-000002.extxyz"), v.quarantined(), "verify keeps pointing at the quarantine");
        }
    }

    @Test
    void aCompactedShardShorterThanItsIndexIsTornNotTrusted() throws Exception {
        Path store = dir.resolve("store");
        ManualClock clock = new ManualClock();
        try (TrainingStore s = open(store, manual(clock, "w"))) {
            for (int i = 0; i < 6; i++) s.append(List.of(StoreBench.record(5, i)));
            s.compact(1 << 20);
        }
        Path shard = store.resolve("shards/shard-000001-000006.extxyz");
        byte[] b = Files.readAllBytes(shard);
        Files.write(shard, java.util.Arrays.copyOf(b, b.length / 2));
        Files.deleteIfExists(store.resolve("shards/.shard-000001-000006.extxyz.crc"));
        try (TrainingStore s = open(store, manual(clock, "w"))) {
            int kept = s.stats().records();
            assertTrue(kept >= 2 && kept < 6, "the frames before the tear are kept: " + kept);
            assertEquals(List.of("shard-000001-000006.extxyz", "shard-000001-000006.idx"), s.quarantined());
            assertTrue(s.verify().problems().isEmpty(), s.verify().toString());
        }
    }
}
