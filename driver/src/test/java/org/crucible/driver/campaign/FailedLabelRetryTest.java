package org.crucible.driver.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.driver.oracle.LedgeredOracle;
import org.crucible.driver.oracle.Oracle;
import org.crucible.driver.oracle.OracleCallLedger;
import org.crucible.driver.oracle.OracleTask;
import org.crucible.driver.pool.PerturbStage;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.LabelStatus;
import org.crucible.driver.store.Provenance;
import org.crucible.driver.store.TrainingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FAILED labels retried on resume, with a real oracle that really fails: the campaign's pw.x oracle whose executable
 * is a script that fails (exit 3, a message on stderr) the first time it runs in a task's directory and then runs the
 * real pw.x; one task's directory also holds {@code always-fail}, so it fails every time. Each "driver" below opens the
 * store, the ledger and the oracle afresh, as {@code crucible resume} does.
 */
class FailedLabelRetryTest {
    @TempDir
    Path dir;

    @Test
    void aFailedLabelIsRetriedOnResumeUpToTheBudgetAndStoredOnceOk() throws Exception {
        TestEnvironment.assumeExecutable("pw.x", "quantum-espresso");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/usr/share/espresso/pseudo/Si.pz-vbc.UPF")),
                "needs Debian quantum-espresso-data (Si.pz-vbc.UPF)");
        Path calls = dir.resolve("script-calls.txt");
        Path script = dir.resolve("flaky-pw.x");
        Files.writeString(script, "#!/bin/sh\n"
                + "echo \"$PWD\" >> '" + calls + "'\n"
                + "if [ -e always-fail ] || [ ! -e .tried ]; then touch .tried; echo 'flaky-pw.x: injected failure' >&2; exit 3; fi\n"
                + "exec pw.x \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        CampaignConfig cfg = CampaignConfigLoader.parse("""
                name: retry
                composition: Si8
                oracle:
                  type: pw.x
                  executable: %s
                  max_attempts: 2
                  settings: {pseudopotentials: {Si: Si.pz-vbc.UPF}, ecutwfc: 16, kspacing: 0.6, smearing: none, timeout_seconds: 300}
                """.formatted(script), false, "retry.yaml");
        assertEquals(2, cfg.oracle().maxAttempts());
        Clock clock = Clock.systemUTC();
        CampaignRunner runner = new CampaignRunner(clock, System::nanoTime, new PrintStream(new ByteArrayOutputStream()), Map.of(), null);
        Path campaign = dir.resolve("campaign");
        Files.createDirectories(campaign.resolve("cycles/000"));
        Path batchFile = campaign.resolve("cycles/000/batch.json");
        List<OracleTask> batch = new ArrayList<>();
        try (Oracle o = runner.oracle(cfg, campaign)) {
            for (int i = 0; i < 3; i++) batch.add(OracleTask.of(si8(i), o, i));
        }
        CampaignFiles.writeBatch(batchFile, batch);
        String flaky = batch.get(0).taskHash();    // fails once, then pw.x runs: OK at attempt 2
        String hopeless = batch.get(1).taskHash(); // fails every time
        String fine = batch.get(2).taskHash();     // OK at the first attempt
        Path dft = campaign.resolve("dft");
        Files.createDirectories(dft.resolve(hopeless.substring(0, 16)));
        Files.writeString(dft.resolve(hopeless.substring(0, 16)).resolve("always-fail"), "");
        Files.createDirectories(dft.resolve(fine.substring(0, 16)));
        Files.writeString(dft.resolve(fine.substring(0, 16)).resolve(".tried"), "");

        // Driver 1: the LABEL step; two labels fail.
        driver(cfg, runner, campaign, l -> l.label(batchFile, () -> {
            throw new AssertionError("the batch is recorded");
        }, List.of(), null, 0, "random"));
        try (TrainingStore ro = readOnly(campaign)) {
            assertEquals(LabelStatus.FAILED, ro.lookup(flaky).orElseThrow().status());
            assertEquals(LabelStatus.FAILED, ro.lookup(hopeless).orElseThrow().status());
            assertEquals(LabelStatus.OK, ro.lookup(fine).orElseThrow().status());
        }
        assertEquals(3, scriptCalls(calls));

        // Driver 2 (resume): both failed labels are sent again as attempt 2; the flaky one is now OK.
        int[] sent = new int[1];
        driver(cfg, runner, campaign, l -> sent[0] = l.retryFailed(List.of(batchFile), cfg.oracle().maxAttempts()));
        assertEquals(2, sent[0]);
        assertEquals(5, scriptCalls(calls));
        try (TrainingStore ro = readOnly(campaign)) {
            LabelRecord ok = ro.get(flaky).orElseThrow();
            assertEquals(LabelStatus.OK, ok.status(), ok.message());
            assertEquals(2, ok.provenance().attempt());
            assertEquals(1, ok.provenance().earlierFailures().size());
            Provenance.Failure f = ok.provenance().earlierFailures().get(0);
            assertTrue(f.reason().contains("flaky-pw.x: injected failure") || f.reason().contains("exit"), f.reason());
            assertTrue(f.jobId().startsWith("local:"), f.jobId());
            LabelRecord still = ro.get(hopeless).orElseThrow();
            assertEquals(LabelStatus.FAILED, still.status());
            assertEquals(2, still.provenance().attempt());
            assertEquals(1, ro.get(fine).orElseThrow().provenance().attempt());
            assertEquals(3, ro.stats().records());
            assertEquals(2, ro.stats().ok());
            assertEquals(2, ro.trainingSet().size());
            assertEquals(1, ro.trainingSet().stream().filter(r -> r.taskHash().equals(flaky)).count());
        }

        // Driver 3 (resume again): the budget (2 attempts) is used up; nothing is sent.
        driver(cfg, runner, campaign, l -> sent[0] = l.retryFailed(List.of(batchFile), cfg.oracle().maxAttempts()));
        assertEquals(0, sent[0]);
        assertEquals(5, scriptCalls(calls), "no oracle call once the budget is used up");

        // The ledger holds every call, retries with their attempt numbers, and no call for the OK labels again.
        List<OracleCallLedger.Call> ledger = OracleCallLedger.read(campaign.resolve(OracleCallLedger.FILE)).labels();
        assertEquals(5, ledger.size());
        assertEquals(List.of(1, 2), ledger.stream().filter(c -> c.taskHash().equals(flaky)).map(OracleCallLedger.Call::attempt).toList());
        assertEquals(List.of("FAILED", "OK"), ledger.stream().filter(c -> c.taskHash().equals(flaky)).map(OracleCallLedger.Call::status).toList());
        assertEquals(List.of(1, 2), ledger.stream().filter(c -> c.taskHash().equals(hopeless)).map(OracleCallLedger.Call::attempt).toList());
        assertEquals(1, ledger.stream().filter(c -> c.taskHash().equals(fine)).count());

        // A second process reads the store (the superseded failed frames are still in their shards): one record per
        // task, the flaky task once and OK, no duplicate, verify clean.
        JsonNode v = verifyInAnotherJvm(campaign.resolve("store"));
        assertTrue(v.get("clean").asBoolean(), v.toString());
        assertEquals(3, v.get("records").asInt(), v.toString());
        assertEquals(2, v.get("ok").asInt(), v.toString());
        assertEquals(5, v.get("frames").asInt(), "two superseded failed frames until compaction: " + v);
        assertEquals(0, v.get("duplicates").size(), v.toString());

        // A larger budget in a later resume lets the hopeless task try once more; its failures accumulate.
        CampaignConfig three = CampaignConfigLoader.parse("""
                name: retry
                composition: Si8
                oracle:
                  type: pw.x
                  executable: %s
                  max_attempts: 3
                  settings: {pseudopotentials: {Si: Si.pz-vbc.UPF}, ecutwfc: 16, kspacing: 0.6, smearing: none, timeout_seconds: 300}
                """.formatted(script), false, "retry3.yaml");
        driver(three, runner, campaign, l -> sent[0] = l.retryFailed(List.of(batchFile), three.oracle().maxAttempts()));
        assertEquals(1, sent[0]);
        try (TrainingStore ro = readOnly(campaign)) {
            LabelRecord r = ro.get(hopeless).orElseThrow();
            assertEquals(3, r.provenance().attempt());
            assertEquals(2, r.provenance().earlierFailures().size());
            assertEquals(LabelStatus.FAILED, r.status());
            assertEquals(2, ro.stats().ok());
            assertTrue(ro.verify().clean());
        }
        assertEquals(6, scriptCalls(calls));
    }

    private interface Step {
        void run(ExactlyOnceLabelling l);
    }

    /** One driver: the ledgered oracle, the store (writer lease) and the log opened afresh, then closed. */
    private static void driver(CampaignConfig cfg, CampaignRunner runner, Path campaign, Step step) {
        CampaignLog log = new CampaignLog(campaign.resolve("campaign.log"), Clock.systemUTC(), new PrintStream(new ByteArrayOutputStream()));
        try (Oracle o = new LedgeredOracle(runner.oracle(cfg, campaign), OracleCallLedger.open(campaign.resolve(OracleCallLedger.FILE)), Clock.systemUTC());
             TrainingStore store = TrainingStore.open(campaign.resolve("store"))) {
            step.run(new ExactlyOnceLabelling(o, store, log, null, System::nanoTime));
        }
    }

    private static TrainingStore readOnly(Path campaign) {
        return TrainingStore.openReadOnly(campaign.resolve("store").toUri(), new Configuration());
    }

    private static int scriptCalls(Path calls) throws Exception {
        return Files.exists(calls) ? Files.readAllLines(calls).size() : 0;
    }

    private static JsonNode verifyInAnotherJvm(Path store) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "org.crucible.driver.cli.CrucibleCommand", "store", "verify", store.toString(), "--json");
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return new ObjectMapper().readTree(out.substring(out.indexOf('{')));
    }

    private static Structure si8(int seed) {
        double[] frac = {0, 0, 0, 0, .5, .5, .5, 0, .5, .5, .5, 0, .25, .25, .25, .25, .75, .75, .75, .25, .75, .75, .75, .25};
        double[] xyz = new double[24];
        for (int i = 0; i < 24; i++) xyz[i] = frac[i] * 5.43;
        return PerturbStage.perturb(Structure.of(Cell.cubic(5.43), new int[] {14, 14, 14, 14, 14, 14, 14, 14}, xyz), 0.05, seed + 3);
    }
}
