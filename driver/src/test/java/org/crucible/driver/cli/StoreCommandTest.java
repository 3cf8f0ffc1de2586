package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.crucible.driver.bench.StoreBench;
import org.crucible.driver.store.TrainingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code crucible store stats|compact} on a store directory and {@code crucible bench store} on a few labels. */
class StoreCommandTest {
    @TempDir
    Path dir;

    static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = CrucibleCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    static List<String> shards(Path store) throws Exception {
        try (Stream<Path> s = Files.list(store.resolve("shards"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".extxyz")).sorted().toList();
        }
    }

    @Test
    void statsIsReadOnlyAndCompactMergesEveryShardKeepingEveryLabel() throws Exception {
        Path store = dir.resolve("store");
        Set<String> hashes = new TreeSet<>();
        try (TrainingStore s = TrainingStore.open(store.toUri(), new Configuration(), TrainingStore.CompactionPolicy.MANUAL)) {
            for (int i = 0; i < 12; i++) {
                s.append(List.of(StoreBench.record(7, i)));
                hashes.add(StoreBench.record(7, i).taskHash());
            }
        }
        String[] st = run("store", "stats", store.toString());
        assertEquals("0", st[0], st[2]);
        assertTrue(st[1].contains("12 records in 12 shards"), st[1]);
        assertEquals(12, shards(store).size(), "stats changed nothing (it does not compact at close)");
        String[] c = run("store", "compact", store.toString(), "--target-mb", "1");
        assertEquals("0", c[0], c[2]);
        assertTrue(c[1].contains("12 shards -> 1 (12 merged into 1, 12 records rewritten); 12 records"), c[1]);
        assertEquals(List.of("shard-000001-000012.extxyz"), shards(store));
        try (TrainingStore s = TrainingStore.openReadOnly(store.toUri(), new Configuration())) {
            assertEquals(hashes, new TreeSet<>(s.entries().keySet()));
            assertEquals(12, s.all().size());
        }
        assertEquals("2", run("store", "compact", store.toString(), "--target-mb", "0")[0], "bad input");
    }

    @Test
    void benchStoreReportsEveryPhase() {
        String[] r = run("bench", "store", "--labels", "40", "--dir", dir.resolve("b").toString());
        assertEquals("0", r[0], r[2]);
        for (String phase : List.of("append", "open", "stats", "trainingSet", "export", "compact", "reopen")) {
            assertTrue(r[1].contains("\n" + phase + " "), phase + " missing in\n" + r[1]);
        }
        assertTrue(r[1].contains("40 records, 38 ok"), r[1]);
        assertTrue(r[1].contains("38 frames"), r[1]);
        assertEquals("2", run("bench", "store", "--labels", "5", "--dir", dir.resolve("b").toString())[0], "an existing store is refused");
    }

    @Test
    void verifyReportsACleanStoreAndATornShardWithExitCodes() throws Exception {
        Path store = dir.resolve("store");
        try (TrainingStore s = TrainingStore.open(store.toUri(), new Configuration(), TrainingStore.CompactionPolicy.MANUAL)) {
            for (int i = 0; i < 5; i++) s.append(List.of(StoreBench.record(9, i)));
            s.append(List.of(StoreBench.record(9, 5), StoreBench.record(9, 6)));
        }
        String[] ok = run("store", "verify", store.toString());
        assertEquals("0", ok[0], ok[1] + ok[2]);
        assertTrue(ok[1].contains("7 records (7 ok), 7 frames in 6 shards"), ok[1]);
        assertTrue(ok[1].contains("duplicated task hashes: 0") && ok[1].trim().endsWith("clean"), ok[1]);
        String[] help = run("store", "verify", "--help");
        assertEquals("0", help[0]);
        assertTrue(help[1].contains("torn shards"), help[1]);
        Path shard = store.resolve("shards/shard-000006.extxyz");
        byte[] b = Files.readAllBytes(shard);
        Files.write(shard, java.util.Arrays.copyOf(b, b.length - 40));
        Files.deleteIfExists(store.resolve("shards/.shard-000006.extxyz.crc"));
        String[] torn = run("store", "verify", store.toString(), "--json");
        assertEquals("1", torn[0], torn[1] + torn[2]);
        com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(torn[1]);
        assertEquals(false, j.get("clean").asBoolean());
        assertEquals(6, j.get("records").asInt(), "the torn frame is not counted");
        assertTrue(j.get("torn").get(0).asText().startsWith("shard-000006.extxyz"), torn[1]);
        String[] st = run("store", "stats", store.toString());
        assertTrue(st[1].contains("6 records"), "stats does not count what it cannot read: " + st[1]);
        assertEquals("2", run("store", "verify", dir.resolve("nowhere").toString())[0]);
    }
}
