package org.crucible.driver.spark;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.DoubleSupplier;
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
 * its own. After every checkpoint it also appends a {@code checkpoint} line with the driver JVM's CPU time, and every
 * line carries it, so {@link DriverCpu} can tell the driver's own CPU time per run and per stage.
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
    private final Clock clock;
    /** CPU seconds of this JVM since it started (NaN when unknown); read at every line written. */
    private final DoubleSupplier processCpu;
    /** The stage execution the driver thread runs now (driver thread only). */
    private int cycle;
    private String stage;
    /** Running jobs (listener bus thread only). */
    private final Map<Integer, Job> jobs = new HashMap<>();
    /** Spark stage id to the job that submitted it, kept after the job ends for late task ends. */
    private final Map<Integer, Job> byStage = new HashMap<>();
    private volatile boolean failedOnce;

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

    private ExecutorCpuMeter(JavaSparkContext sc, Path dir, Clock clock, DoubleSupplier processCpu) {
        this.sc = sc;
        this.dir = dir;
        this.clock = clock;
        this.processCpu = processCpu;
    }

    /**
     * Registers a meter on {@code sc} for the campaign in {@code dir} whose next stage is {@code state}'s, after writing
     * this run's line (executor cores, and the oracle's cores per calculation as the campaign file and profile say now).
     */
    public static ExecutorCpuMeter attach(JavaSparkContext sc, Path dir, CampaignState state, org.crucible.config.campaign.Oracle oracle, String master,
                                          Clock clock) {
        return attach(sc, dir, state, oracle, master, clock, ComputeTimeLog::processCpuSeconds);
    }

    /**
     * As {@link #attach(JavaSparkContext, Path, CampaignState, org.crucible.config.campaign.Oracle, String, Clock)}, reading the
     * driver JVM's CPU seconds since its start from {@code processCpu} (NaN: unknown) for every line it writes.
     */
    public static ExecutorCpuMeter attach(JavaSparkContext sc, Path dir, CampaignState state, org.crucible.config.campaign.Oracle oracle, String master,
                                          Clock clock, DoubleSupplier processCpu) {
        OracleCores cores = OracleCores.of(oracle);
        ComputeTimeLog.append(dir, new ComputeTimeLog.Run(clock.instant(), master, Math.max(1, sc.defaultParallelism()), cores.cores(), cores.source(),
                processCpu.getAsDouble()));
        ExecutorCpuMeter m = new ExecutorCpuMeter(sc, dir, clock, processCpu);
        m.label(state);
        sc.sc().addSparkListener(m);
        return m;
    }

    /**
     * A checkpoint listener that records the driver's process CPU time at the end of the stage execution just
     * checkpointed, labels the next stage's Spark jobs, then calls {@code next} (may be null).
     */
    public Campaign.CheckpointListener then(Campaign.CheckpointListener next) {
        return s -> {
            try {
                ComputeTimeLog.append(dir, new ComputeTimeLog.Checkpoint(clock.instant(), cycle, stage, processCpu.getAsDouble()));
            } catch (RuntimeException ex) {
                // accounting only, as for the Spark job lines
                if (!failedOnce) LOG.warn("cannot record the driver's CPU time in {}: {}", dir.resolve(ComputeTimeLog.FILE), ex.getMessage());
                failedOnce = true;
            }
            label(s);
            if (next != null) next.afterCheckpoint(s);
        };
    }

    private void label(CampaignState s) {
        cycle = s.cycle();
        stage = s.next().name().toLowerCase(Locale.ROOT);
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
            write(new ComputeTimeLog.SparkJob(j.cycle, j.stage, j.id, t, t, 1, Math.max(0, cpu) * 1e-9, Math.max(0, run) * 1e-3, processCpu.getAsDouble()));
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
        write(new ComputeTimeLog.SparkJob(j.cycle, j.stage, j.id, j.start, Instant.ofEpochMilli(e.time()), j.tasks, j.cpuNs * 1e-9, j.runMs * 1e-3,
                processCpu.getAsDouble()));
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
