package org.crucible.driver.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.crucible.driver.bench.StoreBench;
import org.crucible.driver.spark.SparkContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real processes against one training store: writer JVMs killed with SIGKILL at random moments of their appends and
 * compactions, and two writer JVMs running at once. Every label a writer was told is stored is there, every label is
 * there exactly once at the end, and {@code verify} finds nothing wrong.
 */
class StoreKillTest {
    static final long SEED = 11;

    @TempDir
    Path dir;

    static Process writer(Path store, Path out, int count, int perOpen, String order, String owner, long pauseMs) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(SparkContexts.JAVA17_OPENS.split(" ")));
        cmd.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), StoreWriterProcess.class.getName(),
                store.toUri().toString(), Long.toString(SEED), Integer.toString(count), Integer.toString(perOpen), order, owner, Long.toString(pauseMs)));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    static List<String> lines(Path out) throws IOException {
        return Files.exists(out) ? Files.readAllLines(out) : List.of();
    }

    static Set<String> all(int count) {
        Set<String> s = new TreeSet<>();
        for (int i = 0; i < count; i++) s.add(StoreBench.record(SEED, i).taskHash());
        return s;
    }

    static void assertEveryLabelOnce(Path store, int count) {
        try (TrainingStore ro = TrainingStore.openReadOnly(store.toUri(), new Configuration())) {
            TrainingStore.Verification v = ro.verify();
            assertEquals(all(count), new TreeSet<>(ro.entries().keySet()), "every label stored");
            assertEquals(count, v.records());
            assertEquals(count, v.frames(), "each exactly once on disk: " + v);
            assertTrue(v.clean(), v.toString());
        }
    }

    @Test
    void killMinus9AtRandomMomentsOfAppendsAndCompactionsLosesAndDuplicatesNothing() throws Exception {
        Path store = dir.resolve("store");
        int count = 80;
        int kills = Integer.getInteger("crucible.kills", 10);
        SplittableRandom rnd = new SplittableRandom(20);
        Set<Integer> acked = new TreeSet<>();
        int midRun = 0;
        for (int k = 0; k < kills; k++) {
            Path out = dir.resolve("writer-" + k + ".out");
            Process p = writer(store, out, count, 0, k % 2 == 0 ? "asc" : "desc", "killed-" + k, 0);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && p.isAlive() && lines(out).stream().noneMatch(l -> l.startsWith("OPEN"))) Thread.sleep(10);
            Thread.sleep(rnd.nextInt(0, 400));
            p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no lease release, no cleanup
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            List<String> l = lines(out);
            assertTrue(l.stream().noneMatch(x -> x.startsWith("REFUSED")), "a dead writer's lease is taken at once: " + l);
            boolean done = l.contains("DONE");
            if (!done && l.stream().anyMatch(x -> x.startsWith("OPEN"))) midRun++;
            for (String x : l) if (x.startsWith("ACK ")) acked.add(Integer.parseInt(x.substring(4)));
            // Between kills: every label the killed writer was told is stored is in the store, and nothing twice.
            try (TrainingStore ro = TrainingStore.openReadOnly(store.toUri(), new Configuration())) {
                for (int i : acked) assertTrue(ro.contains(StoreBench.record(SEED, i).taskHash()), "acknowledged label " + i + " lost after kill " + k);
                TrainingStore.Verification v = ro.verify();
                assertTrue(v.duplicates().isEmpty() && v.torn().isEmpty() && v.problems().isEmpty(), "after kill " + k + ": " + v);
            }
            if (done) break;
        }
        System.out.printf("[kill] %d SIGKILLs, %d in the middle of a run, %d labels acknowledged before the last kill%n", kills, midRun, acked.size());
        assertTrue(midRun >= kills / 2, "most kills hit a writer in the middle of its run: " + midRun + " of " + kills);
        Path out = dir.resolve("final.out");
        Process p = writer(store, out, count, 0, "asc", "final", 0);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join("\n", lines(out)));
        assertTrue(lines(out).contains("DONE"));
        assertEveryLabelOnce(store, count);
        System.out.printf("[kill] final store: %d labels, each once; verify clean%n", count);
    }

    @Test
    void twoWriterProcessesAtOnceTakeTurnsAndStoreEveryLabelExactlyOnce() throws Exception {
        Path store = dir.resolve("store");
        int count = 40;
        Path outA = dir.resolve("a.out");
        Path outB = dir.resolve("b.out");
        Process a = writer(store, outA, count, 3, "asc", "writer-a", 20);
        Process b = writer(store, outB, count, 3, "desc", "writer-b", 20);
        assertTrue(a.waitFor(180, TimeUnit.SECONDS) && b.waitFor(180, TimeUnit.SECONDS));
        List<String> la = lines(outA);
        List<String> lb = lines(outB);
        assertEquals(0, a.exitValue(), String.join("\n", la));
        assertEquals(0, b.exitValue(), String.join("\n", lb));
        assertTrue(la.contains("DONE") && lb.contains("DONE"));
        long refused = la.stream().filter(l -> l.startsWith("REFUSED")).count() + lb.stream().filter(l -> l.startsWith("REFUSED")).count();
        assertTrue(refused > 0, "the writers contended for the lease");
        String msg = la.stream().filter(l -> l.startsWith("REFUSED")).findFirst().orElseGet(() -> lb.stream().filter(l -> l.startsWith("REFUSED")).findFirst().orElseThrow());
        assertTrue(msg.contains("has another writer") && msg.contains("writer-"), msg);
        TreeSet<Long> epochs = new TreeSet<>();
        for (String l : la) if (l.startsWith("OPEN ")) epochs.add(Long.parseLong(l.substring(5)));
        for (String l : lb) if (l.startsWith("OPEN ")) assertTrue(epochs.add(Long.parseLong(l.substring(5))), "each holder has its own fencing number");
        assertEveryLabelOnce(store, count);
        System.out.printf("[two-writers] %d labels, each once; %d refusals naming the holder; %d lease epochs%n", count, refused, epochs.size());
    }
}
