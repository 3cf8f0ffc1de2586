package org.crucible.driver.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.crucible.core.Structure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's rules for a FAILED label retried: a later attempt replaces a FAILED record (and carries its failure), an
 * OK record is never replaced, an equal or earlier attempt is skipped, and every reader (this writer after reopening, a
 * read-only reader, verify, a compaction) sees one record per task.
 */
class StoreRetryTest {
    @TempDir
    Path dir;

    private static LabelRecord failed(Structure s, String reason, String created) {
        return LabelRecord.failed(TaskHash.of(s, "settings-a"), s, LabelStatus.FAILED, reason,
                new Provenance("pw.x", "6.7", "settings-a", "local:job1", "node1", 1, "dbscan", 3.0, Instant.parse(created)));
    }

    @Test
    void aFailedLabelGivesWayToALaterAttemptAndAnOkLabelNever() {
        Structure a = TrainingStoreTest.si8(11);
        LabelRecord failedA = failed(a, "code_failed: pw.x exit 3 \"flaky\"", "2026-01-01T00:00:00Z");
        LabelRecord okA = LabelRecord.ok(failedA.taskHash(), TrainingStoreTest.okRecord(11, 1).structure(), TrainingStoreTest.prov(1));
        assertEquals(failedA.taskHash(), TrainingStoreTest.okRecord(11, 1).taskHash());
        LabelRecord okB = TrainingStoreTest.okRecord(12, 1);
        Path root = dir.resolve("store");
        try (TrainingStore s = TrainingStore.open(root)) {
            assertEquals(2, s.append(List.of(failedA, okB)).added());
            assertEquals(0, s.append(List.of(failedA)).added(), "the same attempt again is a duplicate");
            assertEquals(0, s.append(List.of(okA)).added(), "a first attempt never replaces a stored first attempt");
            LabelRecord retry = okA.retryOf(s.get(failedA.taskHash()).orElseThrow());
            assertEquals(2, retry.provenance().attempt());
            assertEquals(1, s.append(List.of(retry)).added());
            assertEquals(0, s.append(List.of(retry)).added(), "the same retry twice is stored once");
            // An OK record is never replaced, whatever attempt number the newcomer claims.
            LabelRecord third = LabelRecord.failed(failedA.taskHash(), a, LabelStatus.FAILED, "late", retry.provenance().asAttempt(3,
                    List.of(Provenance.Failure.of(failedA), Provenance.Failure.of(failedA))));
            assertEquals(0, s.append(List.of(third)).added());
            LabelRecord okBAgain = LabelRecord.ok(okB.taskHash(), okB.structure(), okB.provenance().asAttempt(2, List.of(Provenance.Failure.of(failedA))));
            assertEquals(0, s.append(List.of(okBAgain)).added());
            assertOneOkLabelEach(s, failedA, okB);
            TrainingStore.Verification v = s.verify();
            assertTrue(v.clean(), v.toString());
            assertEquals(3, v.frames(), "the superseded failed frame stays until compaction");
        }
        try (TrainingStore ro = TrainingStore.openReadOnly(root.toUri(), new Configuration())) {
            assertOneOkLabelEach(ro, failedA, okB);
            assertTrue(ro.verify().clean());
        }
        try (TrainingStore s = TrainingStore.open(root)) {
            assertOneOkLabelEach(s, failedA, okB);
            assertEquals(0, s.append(List.of(failedA)).added(), "after reopening, the first attempt is still superseded");
            s.compact(1 << 20);
            TrainingStore.Verification v = s.verify();
            assertTrue(v.clean(), v.toString());
            assertEquals(2, v.frames(), "compaction dropped the superseded frame; its failure lives on in the retry's provenance");
            assertOneOkLabelEach(s, failedA, okB);
        }
        try (TrainingStore s = TrainingStore.open(root)) {
            assertOneOkLabelEach(s, failedA, okB);
            assertEquals(2, s.lookup(failedA.taskHash()).orElseThrow().attempt(), "the compacted index keeps the attempt number");
        }
    }

    private static void assertOneOkLabelEach(TrainingStore s, LabelRecord failedA, LabelRecord okB) {
        assertEquals(2, s.stats().records());
        assertEquals(2, s.stats().ok());
        assertEquals(2, s.all().size());
        assertEquals(2, s.trainingSet().size());
        LabelRecord back = s.get(failedA.taskHash()).orElseThrow();
        assertEquals(LabelStatus.OK, back.status());
        assertEquals(2, back.provenance().attempt());
        assertEquals(1, back.provenance().earlierFailures().size());
        Provenance.Failure f = back.provenance().earlierFailures().get(0);
        assertEquals("code_failed: pw.x exit 3 'flaky'", f.reason());
        assertEquals("local:job1", f.jobId());
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), f.created());
        assertEquals(1, s.get(okB.taskHash()).orElseThrow().provenance().attempt());
    }

    @Test
    void aFailedRetryKeepsEveryEarlierFailureInOrder() {
        Structure a = TrainingStoreTest.si8(21);
        LabelRecord first = failed(a, "first", "2026-01-01T00:00:00Z");
        try (TrainingStore s = TrainingStore.open(dir.resolve("store"))) {
            s.append(List.of(first));
            LabelRecord second = failed(a, "second", "2026-01-02T00:00:00Z").retryOf(s.get(first.taskHash()).orElseThrow());
            s.append(List.of(second));
            LabelRecord third = failed(a, "third", "2026-01-03T00:00:00Z").retryOf(s.get(first.taskHash()).orElseThrow());
            s.append(List.of(third));
            LabelRecord back = s.get(first.taskHash()).orElseThrow();
            assertEquals(3, back.provenance().attempt());
            assertEquals(List.of("first", "second"), back.provenance().earlierFailures().stream().map(Provenance.Failure::reason).toList());
            assertEquals("third", back.message());
            assertEquals(1, s.stats().records());
            assertEquals(3, s.verify().frames());
            assertTrue(s.verify().clean());
        }
    }

    @Test
    void anIndexWrittenBeforeAttemptsWereRecordedStillOpens() throws Exception {
        Path root = dir.resolve("store");
        try (TrainingStore s = TrainingStore.open(root)) {
            s.append(List.of(TrainingStoreTest.okRecord(1, 0)));
            s.append(List.of(TrainingStoreTest.okRecord(2, 0)));
            s.compact(1 << 20);
        }
        Path idx;
        try (var files = Files.list(root.resolve("index"))) {
            idx = files.filter(p -> p.getFileName().toString().endsWith(".idx")).findFirst().orElseThrow();
        }
        StringBuilder old = new StringBuilder();
        for (String line : Files.readAllLines(idx, StandardCharsets.UTF_8)) {
            if (line.equals(ShardIndex.HEADER)) old.append(ShardIndex.HEADER_V1);
            else if (line.startsWith("#")) old.append(line);
            else old.append(line, 0, line.lastIndexOf('\t'));
            old.append('\n');
        }
        Files.delete(idx);
        Files.deleteIfExists(idx.resolveSibling("." + idx.getFileName() + ".crc"));
        Files.writeString(idx, old.toString());
        try (TrainingStore s = TrainingStore.open(root)) {
            assertEquals(2, s.stats().ok());
            assertEquals(1, s.lookup(TrainingStoreTest.okRecord(1, 0).taskHash()).orElseThrow().attempt());
            assertTrue(s.verify().clean());
        }
    }
}
