package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crucible.driver.campaign.CampaignRunner;
import org.crucible.driver.campaign.CampaignState;
import org.crucible.driver.campaign.Stage;
import org.crucible.driver.report.CampaignReport;
import org.crucible.driver.spark.ComputeTimeLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Executor CPU time per campaign stage, recorded by a real Spark local[2] campaign (Si8, SW oracle) that is stopped
 * after the RELAX of cycle 1 and resumed to the end: the figures are positive, at most wall time x executor cores, kept
 * across the resume, and shown by {@code status}, {@code status --json} and the report.
 */
class ExecutorCpuTimeTest {
    static final String YAML = """
            name: si8-cpu
            seed: 11
            composition: Si8
            pools:
              training: {size: 16}
              search: {per_group: 2, space_groups: [227, 194, 12]}
            potential:
              basis: {cutoff: 4.5, max_degree: [8, 6], l_max: 3}
              committee: 4
            protocol:
              cycle0_batch: 8
              relax: {fmax: 0.1, steps: 15, patience: 10, max_uncertainty: 0.5}
              selection: {batch: 5, dbscan: {eps: 0.5, min_samples: 2}}
            oracle: {type: sw}
            stopping: {k: 2, epsilon: 0.01, max_cycles: 2}
            validation: {top_k: 1, steps: 20}
            spark: {master: "local[2]", ui: false, progress: false}
            """;
    /** Wall time of a stage is measured on the driver around the stage, task CPU on the task threads: allow timer granularity. */
    static final double TOLERANCE_S = 0.5;

    static final class Stop extends RuntimeException {
    }

    @Test
    void relaxCpuTimeIsPositiveWithinWallTimesCoresKeptOnResumeAndShown(@TempDir Path tmp) throws Exception {
        Path cfg = tmp.resolve("si8-cpu.yaml");
        Files.writeString(cfg, YAML);
        Path dir = tmp.resolve("run");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        CampaignRunner first = new CampaignRunner(Clock.systemUTC(), System::nanoTime, quiet, Map.of(), s -> {
            if (s.next() == Stage.DESCRIBE) throw new Stop(); // the RELAX of cycle 1 is checkpointed: stop like a killed driver would
        });
        assertThrows(Stop.class, () -> first.start(cfg, dir, null));

        CampaignState s1 = CampaignState.read(dir.resolve("state.json"));
        assertEquals(Stage.DESCRIBE, s1.next());
        ComputeTimeLog.Contents c1 = ComputeTimeLog.read(dir);
        assertEquals(1, c1.runs().size());
        assertEquals(2, c1.runs().get(0).executorCores(), "local[2]");
        assertEquals(1.0, c1.runs().get(0).oracleCores(), "an embedded calculator: one core per calculation");
        assertEquals(0, c1.tornLines());
        double relaxCpu = c1.cpuSeconds(1, "relax");
        double relaxWall = s1.stageSeconds().get("relax");
        assertTrue(relaxCpu > 0, "executor CPU of RELAX " + relaxCpu);
        assertTrue(relaxCpu <= relaxWall * 2 + TOLERANCE_S, "executor CPU " + relaxCpu + " s within wall " + relaxWall + " s x 2 cores");
        assertTrue(c1.cpuSeconds(0, "generate") > 0, "GENERATE runs on executors too");
        assertFalse(c1.cpuSecondsByStage().containsKey(ComputeTimeLog.OTHER), "every Spark job attributed to a stage: " + c1.cpuSecondsByStage());
        for (var j : c1.jobs()) {
            assertTrue(j.executorCpuSeconds() <= j.executorRunSeconds() + 0.05 * j.tasks() + 0.01, "CPU within the task threads' run time: " + j);
        }

        CampaignState done = new CampaignRunner(Clock.systemUTC(), System::nanoTime, quiet, Map.of(), null).resume(dir, null);
        assertTrue(done.finished(), done.status());
        ComputeTimeLog.Contents c2 = ComputeTimeLog.read(dir);
        assertEquals(2, c2.runs().size(), "one run line per driver run");
        assertEquals(relaxCpu, c2.cpuSeconds(1, "relax"), 1e-9, "the first run's figure is kept");
        double relax2 = c2.cpuSeconds(2, "relax");
        assertTrue(relax2 > 0, "the resumed run's RELAX of cycle 2");
        assertTrue(relaxCpu + relax2 <= done.stageSeconds().get("relax") * 2 + 2 * TOLERANCE_S, "both RELAX executions within wall x cores");
        assertTrue(c2.cpuSeconds(2, "validate") >= 0);
        // the driver's own CPU time: every run recorded its process CPU; under local[2] the executors' CPU is taken off
        assertEquals(2, c2.driverCpu().size(), "both runs recorded the driver's CPU time");
        for (var d : c2.driverCpu()) {
            assertTrue(d.executorsInProcess(), "local[2]");
            assertTrue(d.startupCpuSeconds() > 0, "JVM and Spark start-up: " + d);
            assertTrue(d.driverCpuSeconds() > 0 && d.driverCpuSeconds() < d.processCpuSeconds(), "driver CPU below the process's: " + d);
        }
        assertTrue(c2.checkpoints().size() >= 3, "a checkpoint line per stage execution: " + c2.checkpoints());
        assertTrue(c2.driverCpuSecondsByStage().getOrDefault("fit", 0.0) > 0, "FIT runs on the driver: " + c2.driverCpuSecondsByStage());
        double staged = c2.driverCpuSecondsByStage().values().stream().mapToDouble(Double::doubleValue).sum();
        assertTrue(staged <= c2.driverCpuSeconds() + 0.1, "stages and start-ups within the runs' driver CPU: " + staged + " vs " + c2.driverCpuSeconds());

        // status --json and the table for people
        StringWriter json = new StringWriter();
        CommandLine cl = new CommandLine(new StatusCommand());
        cl.setOut(new PrintWriter(json));
        assertEquals(0, cl.execute(dir.toString(), "--json"));
        JsonNode st = new ObjectMapper().readTree(json.toString());
        assertEquals(relaxCpu + relax2, st.path("executor_cpu_seconds").path("relax").asDouble(), 1e-9, json.toString());
        assertEquals(2, st.path("executor_cores").asInt());
        assertEquals(c2.driverCpuSeconds(), st.path("driver_cpu_seconds").asDouble(), 1e-9, json.toString());
        assertEquals(2, st.path("driver_cpu_runs").asInt());
        StringWriter text = new StringWriter();
        cl = new CommandLine(new StatusCommand());
        cl.setOut(new PrintWriter(text));
        assertEquals(0, cl.execute(dir.toString()));
        assertTrue(text.toString().matches("(?s).*executor CPU per stage: generate \\d+:\\d\\d, relax \\d+:\\d\\d.*on 2 executor core\\(s\\).*"), text.toString());
        assertTrue(text.toString().matches("(?s).*driver CPU \\(its own, outside Spark tasks\\): \\d+:\\d\\d over 2 run\\(s\\).*start-up \\d+:\\d\\d.*fit \\d+:\\d\\d.*"), text.toString());

        // the report: executor CPU in the Time table and the per-stage core-hours, and the timeline
        CampaignReport.Summary r = new CampaignReport(Clock.systemUTC()).write(dir, tmp.resolve("report.html"));
        String html = Files.readString(r.html());
        assertTrue(r.plots().contains("core-hours-timeline"), r.plots().toString());
        assertTrue(html.contains("<td class=\"l\">driver start-up</td>"), "the driver's start-up row");
        assertTrue(html.contains("Driver CPU: the driver JVM's own CPU time over 2 run(s)"), "the driver CPU note");
        Matcher time = Pattern.compile("<tr><td class=\"l\">relax</td><td>([0-9.]+)</td><td>[0-9]+ %</td><td>([0-9.]+)</td><td>([0-9.]+)</td></tr>").matcher(html);
        assertTrue(time.find(), "relax row of the Time table");
        assertEquals(relaxCpu + relax2, Double.parseDouble(time.group(2)), 0.051, "executor CPU (s)");
        assertTrue(Double.parseDouble(time.group(3)) <= 2.0 + TOLERANCE_S, "cores busy at most 2 (+ tolerance): " + time.group(3));
        Matcher cost = Pattern.compile("<tr><td class=\"l\">relax</td><td>[0-9.e-]+</td><td>([0-9.e-]+)</td><td>[0-9.e-]+</td><td>-</td><td>([0-9.e-]+)</td></tr>").matcher(html);
        assertTrue(cost.find(), "relax row of the core-hours table");
        assertEquals((relaxCpu + relax2) / 3600, Double.parseDouble(cost.group(1)), 0.01 * (relaxCpu + relax2) / 3600 + 1e-9, "executor core-hours");
        int at = html.indexOf("data-plot=\"core-hours-timeline\"");
        int next = html.indexOf("data-plot=", at + 1);
        String timeline = html.substring(at, next < 0 ? html.length() : next);
        for (String series : new String[] {">generate<", ">relax<", ">label (oracle)<", ">validate (oracle)<"}) {
            assertTrue(timeline.contains(series), series + " in the timeline: " + timeline);
        }
    }

    @Test
    void driverCpuIsProcessCpuLessExecutorCpuUnderALocalMasterPerRunAndStage(@TempDir Path dir) {
        java.time.Instant t = java.time.Instant.parse("2026-12-07T05:00:00Z");
        ComputeTimeLog.append(dir, new ComputeTimeLog.Run(t, "local[2]", 2, 1, "embedded", 5.0));
        ComputeTimeLog.append(dir, new ComputeTimeLog.SparkJob(1, "relax", 0, t, t.plusSeconds(2), 4, 3.0, 3.5, 12.0));
        ComputeTimeLog.append(dir, new ComputeTimeLog.Checkpoint(t.plusSeconds(3), 1, "relax", 13.0));
        ComputeTimeLog.append(dir, new ComputeTimeLog.Checkpoint(t.plusSeconds(4), 1, "fit", 20.0));
        // a job line written after its stage's checkpoint (the listener bus is asynchronous) still counts for that stage
        ComputeTimeLog.append(dir, new ComputeTimeLog.SparkJob(1, "fit", 1, t.plusSeconds(4), t.plusSeconds(4), 1, 1.0, 1.0, 20.5));
        // a second run on a cluster master: executors are other processes, nothing is taken off; killed after one job
        ComputeTimeLog.append(dir, new ComputeTimeLog.Run(t.plusSeconds(60), "spark://h:7077", 8, 1, "embedded", 4.0));
        ComputeTimeLog.append(dir, new ComputeTimeLog.Checkpoint(t.plusSeconds(61), 2, "relax", 6.0));
        ComputeTimeLog.append(dir, new ComputeTimeLog.SparkJob(2, "describe", 2, t.plusSeconds(62), t.plusSeconds(63), 8, 9.0, 9.5, 7.5));
        ComputeTimeLog.Contents c = ComputeTimeLog.read(dir);
        assertEquals(2, c.driverCpu().size());
        var first = c.driverCpu().get(0);
        assertEquals(20.5 - 4.0, first.driverCpuSeconds(), 1e-12, "largest process CPU less both jobs' executor CPU");
        assertEquals(Map.of("relax", 13.0 - 5.0 - 3.0, "fit", 20.0 - 13.0 - 1.0), first.stageCpuSeconds());
        var second = c.driverCpu().get(1);
        assertFalse(second.executorsInProcess());
        assertEquals(7.5, second.driverCpuSeconds(), 1e-12, "the killed run keeps what it recorded");
        assertEquals(16.5 + 7.5, c.driverCpuSeconds(), 1e-12);
        assertEquals(List.of("start-up", "relax", "fit"), List.copyOf(c.driverCpuSecondsByStage().keySet()), "start-up first, then stage order");
        assertEquals(5.0 + 4.0, c.driverCpuSecondsByStage().get("start-up"), 1e-12);
        assertEquals(5.0 + 2.0, c.driverCpuSecondsByStage().get("relax"), 1e-12);
        // a run line of a campaign written before the field existed: no driver figure for that run
        ComputeTimeLog.append(dir, new ComputeTimeLog.Run(t.plusSeconds(120), "local[2]", 2, 1, "embedded"));
        assertEquals(2, ComputeTimeLog.read(dir).driverCpu().size());
    }

    @Test
    void aLineCutByAPowerLossIsCountedAndTheNextRunsLinesStayWhole(@TempDir Path dir) throws Exception {
        java.time.Instant t = java.time.Instant.parse("2026-12-07T02:00:00Z");
        ComputeTimeLog.append(dir, new ComputeTimeLog.Run(t, "local[2]", 2, 1, "embedded calculator (sw): one core per calculation"));
        ComputeTimeLog.append(dir, new ComputeTimeLog.SparkJob(1, "relax", 3, t, t.plusSeconds(4), 6, 7.5, 8.0));
        Files.writeString(dir.resolve(ComputeTimeLog.FILE), "{\"kind\":\"spark-job\",\"cycle\":1,\"sta", java.nio.file.StandardOpenOption.APPEND);
        ComputeTimeLog.append(dir, new ComputeTimeLog.Run(t.plusSeconds(60), "local[4]", 4, Double.NaN, "cluster profile x cannot be read"));
        ComputeTimeLog.append(dir, new ComputeTimeLog.SparkJob(1, "relax", 0, t.plusSeconds(61), t.plusSeconds(62), 2, 1.25, 1.5));
        ComputeTimeLog.Contents c = ComputeTimeLog.read(dir);
        assertEquals(1, c.tornLines());
        assertEquals(2, c.runs().size());
        assertTrue(Double.isNaN(c.runs().get(1).oracleCores()), "unknown cores stay unknown");
        assertEquals(8.75, c.cpuSeconds(1, "relax"), 1e-12, "both runs' jobs of the stage execution");
        assertEquals(Map.of("relax", 8.75), c.cpuSecondsByStage());
        assertEquals("local[2]", c.runAt(t.plusSeconds(59)).master());
        assertEquals("local[4]", c.runAt(t.plusSeconds(60)).master());
        assertEquals("local[2]", c.runAt(t.minusSeconds(1)).master(), "before the first run: the first run");
    }
}
