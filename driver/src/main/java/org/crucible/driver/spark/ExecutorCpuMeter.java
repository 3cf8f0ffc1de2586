package org.crucible.driver.spark;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.crucible.driver.campaign.Campaign;
import org.crucible.driver.campaign.CampaignState;
import org.crucible.driver.oracle.OracleCores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the CPU time each campaign stage execution spends on Spark's executors into {@link ComputeTimeLog}.
 *
 * <p>Attribution does not depend on timing: the driver thread that runs the campaign's stages carries the Spark local
 * property {@value #STAGE_PROPERTY} ({@code "CYCLE STAGE"}), set here for the stage about to run (at attach, then
 * after every checkpoint, through {@link #then}), and Spark copies it into every job the stage submits. The listener
 * sums each job's task metrics ({@code executorCpuTime} + {@code executorDeserializeCpuTime}, ns; run and
 * deserialisation time, ms) and appends one line when the job ends; the listener bus delivers a job's task-end events
 * before its job-end event, so the line is complete. A task that ends after its job (a speculative copy) gets a line of
 * its own.
 *
 * <pre>{@code
 * ExecutorCpuMeter meter = ExecutorCpuMeter.attach(sc, dir, state, cfg.oracle(), master, clock);
 * Campaign c = new Campaign(..., log, meter.then(listener));   // the only hook in the campaign loop
 * }</pre>
 */
public final class ExecutorCpuMeter extends SparkListener {
    /** The Spark local property naming the campaign stage execution ("CYCLE STAGE", e.g. "2 relax"). */
    public static final String STAGE_PROPERTY = "crucible.campaign.stage";
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorCpuMeter.class);

    private final Path dir;
    private final JavaSparkContext sc;
    /** Running jobs (listener bus thread only). */
    private final Map<Integer, Job> jobs = new HashMap<>();
    /** Spark stage id to the job that submitted it, kept after the job ends for late task ends. */
    private final Map<Integer, Job> byStage = new HashMap<>();
    private boolean failedOnce;

    private static final class Job {
        final int id;
        final int cycle;
        final String stage;
        final Instant start;
        int tasks;
        long cpuNs;
        long runMs;
        boolean ended;

        Job(int id, int cycle, String stage, Instant start) {
            this.id = id;
            this.cycle = cycle;
            this.stage = stage;
            this.start = start;
        }
    }

    private ExecutorCpuMeter(JavaSparkContext sc, Path dir) {
        this.sc = sc;
        this.dir = dir;
    }

    /**
     * Registers a meter on {@code sc} for the campaign in {@code dir} whose next stage is {@code state}'s, after writing
     * this run's line (executor cores, and the oracle's cores per calculation as the campaign file and profile say now).
     */
    public static ExecutorCpuMeter attach(JavaSparkContext sc, Path dir, CampaignState state, org.crucible.config.campaign.Oracle oracle, String master,
                                          Clock clock) {
        OracleCores cores = OracleCores.of(oracle);
        ComputeTimeLog.append(dir, new ComputeTimeLog.Run(clock.instant(), master, Math.max(1, sc.defaultParallelism()), cores.cores(), cores.source()));
        ExecutorCpuMeter m = new ExecutorCpuMeter(sc, dir);
        m.label(state);
        sc.sc().addSparkListener(m);
        return m;
    }

    /** A checkpoint listener that labels the next stage's Spark jobs, then calls {@code next} (may be null). */
    public Campaign.CheckpointListener then(Campaign.CheckpointListener next) {
        return s -> {
            label(s);
            if (next != null) next.afterCheckpoint(s);
        };
    }

    private void label(CampaignState s) {
        sc.setLocalProperty(STAGE_PROPERTY, s.cycle() + " " + s.next().name().toLowerCase(Locale.ROOT));
    }

    @Override
    public void onJobStart(SparkListenerJobStart e) {
        Properties p = e.properties();
        String label = p == null ? null : p.getProperty(STAGE_PROPERTY);
        int cycle = -1;
        String stage = ComputeTimeLog.OTHER;
        if (label != null && label.matches("\\d+ [a-z]+")) {
            cycle = Integer.parseInt(label.substring(0, label.indexOf(' ')));
            stage = label.substring(label.indexOf(' ') + 1);
        }
        Job j = new Job(e.jobId(), cycle, stage, Instant.ofEpochMilli(e.time()));
        jobs.put(e.jobId(), j);
        var ids = e.stageIds(); // a Scala Seq: length and apply read it under Scala 2.12 and 2.13 alike
        for (int i = 0; i < ids.length(); i++) byStage.put((Integer) ids.apply(i), j);
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
        Job j = byStage.get(e.stageId());
        TaskMetrics m = e.taskMetrics();
        if (j == null || m == null) return; // no job of this listener's lifetime, or a task that never ran (no metrics)
        long cpu = m.executorCpuTime() + m.executorDeserializeCpuTime();
        long run = m.executorRunTime() + m.executorDeserializeTime();
        if (j.ended) {
            Instant t = Instant.ofEpochMilli(e.taskInfo().finishTime());
            write(new ComputeTimeLog.SparkJob(j.cycle, j.stage, j.id, t, t, 1, Math.max(0, cpu) * 1e-9, Math.max(0, run) * 1e-3));
            return;
        }
        j.tasks++;
        j.cpuNs += Math.max(0, cpu);
        j.runMs += Math.max(0, run);
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd e) {
        Job j = jobs.remove(e.jobId());
        if (j == null) return;
        j.ended = true;
        write(new ComputeTimeLog.SparkJob(j.cycle, j.stage, j.id, j.start, Instant.ofEpochMilli(e.time()), j.tasks, j.cpuNs * 1e-9, j.runMs * 1e-3));
        if (byStage.size() > 10_000) byStage.values().removeIf(x -> x.ended);
    }

    private void write(ComputeTimeLog.SparkJob j) {
        try {
            ComputeTimeLog.append(dir, j);
        } catch (RuntimeException ex) {
            // accounting only: the campaign goes on; the log says once why its executor CPU time is incomplete
            if (!failedOnce) LOG.warn("cannot record executor CPU time in {}: {}", dir.resolve(ComputeTimeLog.FILE), ex.getMessage());
            failedOnce = true;
        }
    }
}
