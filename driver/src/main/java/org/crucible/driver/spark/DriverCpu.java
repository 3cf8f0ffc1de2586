package org.crucible.driver.spark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The driver's own CPU time in one driver run of a campaign, from the process CPU times of its lines in
 * {@link ComputeTimeLog} ({@code process_cpu_s}: CPU time of the driver JVM since it started, every thread, from the
 * operating system).
 *
 * <p>Driver CPU = process CPU - executor CPU when Spark's master is {@code local[...]} (the executors' task threads run
 * inside the driver JVM, and their CPU is already counted as executor CPU), process CPU otherwise (executors are other
 * processes). The run's figure uses the largest process CPU time it recorded (a killed run keeps what it recorded before
 * the kill). Per stage: the process CPU spent between the checkpoint of the previous stage execution (or the run line)
 * and this execution's checkpoint, less (local master) the executor CPU of the Spark jobs that execution ran in this
 * run; {@link #STARTUP} is the process CPU at the run line (JVM start, Spark context, oracle set-up). A stage execution
 * cut off by a kill has no checkpoint and is in the run's figure only. Garbage collection and JIT compilation caused by
 * executor tasks count as driver CPU under a local master: the figure is an upper bound of the driver's own work there.
 *
 * <pre>{@code
 * double driver = ComputeTimeLog.read(dir).driverCpuSeconds();   // s over every run that recorded it
 * }</pre>
 *
 * @param run                the run line
 * @param processCpuSeconds  the largest process CPU time the run recorded (s since its JVM started)
 * @param executorCpuSeconds executor CPU time of the run's Spark jobs (s)
 * @param startupCpuSeconds  process CPU time at the run line (s)
 * @param stageCpuSeconds    driver CPU seconds per stage (lower case), over the stage executions completed in this run
 */
public record DriverCpu(ComputeTimeLog.Run run, double processCpuSeconds, double executorCpuSeconds, double startupCpuSeconds,
                        Map<String, Double> stageCpuSeconds) {
    /** The key of the start-up CPU time in {@link ComputeTimeLog.Contents#driverCpuSecondsByStage()}. */
    public static final String STARTUP = "start-up";

    public DriverCpu {
        if (run == null) throw new IllegalArgumentException("run is required");
        if (!(processCpuSeconds >= 0) || !(executorCpuSeconds >= 0) || !(startupCpuSeconds >= 0)) {
            throw new IllegalArgumentException("CPU seconds must be >= 0, got " + processCpuSeconds + ", " + executorCpuSeconds + ", " + startupCpuSeconds);
        }
        stageCpuSeconds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stageCpuSeconds));
    }

    /** Whether Spark's executors ran inside the driver JVM (master {@code local}, {@code local[N]}, {@code local[*]}...). */
    public boolean executorsInProcess() {
        return executorsInProcess(run.master());
    }

    static boolean executorsInProcess(String master) {
        return master.equals("local") || master.startsWith("local[");
    }

    /** The driver's own CPU seconds in this run (>= 0). */
    public double driverCpuSeconds() {
        return Math.max(0, processCpuSeconds - (executorsInProcess() ? executorCpuSeconds : 0));
    }

    /** Accumulates one run's lines in file order; {@link #build()} is empty when the run recorded no process CPU time. */
    static final class Builder {
        private final ComputeTimeLog.Run run;
        private final List<ComputeTimeLog.SparkJob> jobs = new ArrayList<>();
        private final List<ComputeTimeLog.Checkpoint> checkpoints = new ArrayList<>();
        private double max;

        Builder(ComputeTimeLog.Run run) {
            this.run = run;
            this.max = run.processCpuSeconds();
        }

        void add(ComputeTimeLog.SparkJob j) {
            jobs.add(j);
            if (!Double.isNaN(j.processCpuSeconds())) max = Double.isNaN(max) ? j.processCpuSeconds() : Math.max(max, j.processCpuSeconds());
        }

        void add(ComputeTimeLog.Checkpoint c) {
            checkpoints.add(c);
            if (!Double.isNaN(c.processCpuSeconds())) max = Double.isNaN(max) ? c.processCpuSeconds() : Math.max(max, c.processCpuSeconds());
        }

        Optional<DriverCpu> build() {
            if (Double.isNaN(max) || Double.isNaN(run.processCpuSeconds())) return Optional.empty();
            boolean local = executorsInProcess(run.master());
            double executor = 0;
            for (ComputeTimeLog.SparkJob j : jobs) executor += j.executorCpuSeconds();
            // executor CPU by stage execution: job lines may be written after their stage's checkpoint (the listener bus is asynchronous)
            Map<String, Double> executorOf = new LinkedHashMap<>();
            for (ComputeTimeLog.SparkJob j : jobs) executorOf.merge(j.cycle() + " " + j.stage(), j.executorCpuSeconds(), Double::sum);
            Map<String, Double> byStage = new LinkedHashMap<>();
            double last = run.processCpuSeconds();
            for (ComputeTimeLog.Checkpoint c : checkpoints) {
                if (Double.isNaN(c.processCpuSeconds())) continue;
                double delta = c.processCpuSeconds() - last - (local ? executorOf.getOrDefault(c.cycle() + " " + c.stage(), 0.0) : 0);
                byStage.merge(c.stage(), Math.max(0, delta), Double::sum);
                last = c.processCpuSeconds();
            }
            return Optional.of(new DriverCpu(run, max, executor, run.processCpuSeconds(), byStage));
        }
    }
}
