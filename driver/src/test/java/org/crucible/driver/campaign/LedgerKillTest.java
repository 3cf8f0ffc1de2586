package org.crucible.driver.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.crucible.driver.bench.CampaignAudit;
import org.crucible.driver.oracle.OracleCallLedger;
import org.crucible.driver.oracle.OracleTask;
import org.crucible.driver.spark.SparkContexts;
import org.crucible.driver.store.LabelStatus;
import org.crucible.driver.store.TrainingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger's begin lines against real kills: driver processes ({@link LedgerLabellingProcess}: the campaign's LABEL step
 * with an in-driver SW oracle) SIGKILLed either during a calculation or after opening the store and before any call,
 * resumed each time. Where each kill landed is read from the calculator's own journal (a calculation started and never
 * ended), not from the ledger; the ledger's calls begun and never finished must be exactly those calculations, in order.
 * A finished call of the same task after one is not a repeated label: the final store equals an uninterrupted run's, each
 * label once, and {@link CampaignAudit} reports the interrupted calls apart from repeated ones.
 */
class LedgerKillTest {
    static final int TASKS = 6;
    static final long DELAY_MS = 600;

    @TempDir
    Path dir;

    static Process start(Path d, Path out, long pauseMs) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(SparkContexts.JAVA17_OPENS.split(" ")));
        cmd.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), LedgerLabellingProcess.class.getName(),
                d.toString(), Integer.toString(TASKS), Long.toString(DELAY_MS), Long.toString(pauseMs)));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    static List<String> lines(Path f) throws IOException {
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    /** The structures (content hashes) whose calculation started and never ended, in journal order: a start not followed by its end. */
    static List<String> cutCalculations(Path d) throws IOException {
        List<String> j = lines(d.resolve(LedgerLabellingProcess.JOURNAL));
        List<String> cut = new ArrayList<>();
        for (int i = 0; i < j.size(); i++) {
            if (!j.get(i).startsWith("start ")) continue;
            String h = j.get(i).substring(6);
            if (i + 1 >= j.size() || !j.get(i + 1).equals("end " + h)) cut.add(h);
        }
        return cut;
    }

    static long starts(Path d) throws IOException {
        return lines(d.resolve(LedgerLabellingProcess.JOURNAL)).stream().filter(l -> l.startsWith("start ")).count();
    }

    /** Task hashes the store of {@code d} holds, other than FAILED ones (what a driver starting now would not send). */
    static Set<String> stored(Path d) {
        if (!Files.isDirectory(d.resolve("store"))) return Set.of();
        Set<String> s = new TreeSet<>();
        try (TrainingStore ro = TrainingStore.openReadOnly(d.resolve("store").toUri(), new Configuration())) {
            ro.entries().forEach((h, e) -> {
                if (e.status() != LabelStatus.FAILED) s.add(h);
            });
        }
        return s;
    }

    static void runToTheEnd(Path d, Path out) throws Exception {
        Process p = start(d, out, 0);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "driver did not finish: " + lines(out));
        assertEquals(0, p.exitValue(), lines(out).toString());
        assertTrue(lines(out).contains("DONE"), lines(out).toString());
    }

    static void waitFor(Process p, java.util.function.BooleanSupplier until, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!until.getAsBoolean()) {
            assertTrue(p.isAlive(), "the driver ended before " + what);
            assertTrue(System.nanoTime() < deadline, "no " + what + " within 60 s");
            Thread.sleep(5);
        }
    }

    @Test
    void theCallsBegunAndNeverFinishedAreExactlyTheCalculationsTheKillsCut() throws Exception {
        Path reference = dir.resolve("reference");
        Path killed = dir.resolve("killed");
        runToTheEnd(reference, dir.resolve("reference.out"));
        assertEquals(List.of(), OracleCallLedger.read(reference.resolve(OracleCallLedger.FILE)).unfinished(), "nothing unfinished without kills");

        boolean[] inCall = {true, false, true, true, false, true}; // aim: during a calculation, or with the store open before any call
        SplittableRandom rnd = new SplittableRandom(35);
        Map<Long, Set<String>> storedAtStart = new HashMap<>();
        List<String> landed = new ArrayList<>();
        for (int k = 0; k < inCall.length; k++) {
            Path out = dir.resolve("killed-" + k + ".out");
            Set<String> before = stored(killed);
            long startsBefore = starts(killed);
            int cutBefore = cutCalculations(killed).size();
            Process p = start(killed, out, inCall[k] ? 0 : 30_000);
            storedAtStart.put(p.pid(), before);
            if (inCall[k]) {
                long target = startsBefore + 1 + rnd.nextInt(2); // the first or second calculation of this driver
                waitFor(p, () -> {
                    try {
                        return starts(killed) >= target;
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, "calculation " + target);
                Thread.sleep(rnd.nextInt(0, 200)); // well inside the 600 ms calculation
            } else {
                waitFor(p, () -> {
                    try {
                        return lines(out).stream().anyMatch(l -> l.startsWith("OPEN"));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, "an open store");
                Thread.sleep(rnd.nextInt(0, 300));
            }
            p.destroyForcibly(); // SIGKILL
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertTrue(lines(out).stream().noneMatch(l -> l.equals("DONE")), "killed before the end: " + lines(out));
            int cut = cutCalculations(killed).size() - cutBefore;
            assertTrue(cut == 0 || cut == 1, "one driver, one calculation at a time: " + cut);
            landed.add(cut == 1 ? "in a calculation" : "outside any calculation");
        }
        Process last = start(killed, dir.resolve("killed-last.out"), 0);
        storedAtStart.put(last.pid(), stored(killed));
        assertTrue(last.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, last.exitValue(), lines(dir.resolve("killed-last.out")).toString());

        List<String> cut = cutCalculations(killed);
        assertTrue(cut.size() >= 2, "at least two kills landed in a calculation: " + landed);
        assertTrue(landed.contains("outside any calculation"), "a kill landed outside any calculation: " + landed);
        Map<String, String> taskOf = new HashMap<>();
        for (OracleTask t : CampaignFiles.readBatch(killed.resolve("batch.json"))) taskOf.put(t.structure().contentHash(), t.taskHash());
        OracleCallLedger.Contents ledger = OracleCallLedger.read(killed.resolve(OracleCallLedger.FILE));
        assertEquals(cut.stream().map(taskOf::get).toList(), ledger.unfinishedLabels().stream().map(OracleCallLedger.Begin::taskHash).toList(),
                "the ledger's calls begun and never finished are the calculations the kills cut (" + landed + ")");
        assertEquals(ledger.unfinished(), ledger.unfinishedLabels(), "only label calls here");
        assertEquals(ledger.calls().size() + cut.size(), ledger.begun(), "every other begin has its call");
        assertEquals(0, ledger.tornLines());

        CampaignAudit.Result a = CampaignAudit.audit(reference, killed, storedAtStart);
        assertEquals(List.of(), a.violations(), a.describe());
        assertEquals(TASKS, a.labels());
        assertEquals(TASKS, a.frames(), "each label once on disk");
        assertEquals(cut.size(), a.begunNotFinished().size(), a.describe());
        assertEquals(0, a.repeatedInterrupted(), "a call after an unfinished one is the first finished call, not a repeat: " + a.describe());
        assertEquals(TASKS, a.labelCalls(), "one finished call per label");
        System.out.println("[ledger-kill] " + inCall.length + " kills, landed " + landed + "; " + a.describe());
    }
}
