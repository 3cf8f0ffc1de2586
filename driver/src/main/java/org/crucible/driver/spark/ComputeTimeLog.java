package org.crucible.driver.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.crucible.driver.campaign.Stage;
import org.crucible.driver.store.DurableFiles;

/**
 * Where a campaign's compute went, kept durably beside {@code state.json}: {@code compute-time.jsonl} in the campaign
 * directory, appended (one {@code write} per line, then fdatasync) and never rewritten, so a resumed campaign keeps the
 * figures of every earlier run, including the work of a run that was killed (it was paid for). Three kinds of line:
 *
 * <pre>
 * {"kind":"run","time":"2026-12-07T02:30:00Z","master":"local[2]","executor_cores":2,"oracle_cores":32.0,"oracle_cores_source":"cluster profile ...","process_cpu_s":9.8}
 * {"kind":"spark-job","cycle":1,"stage":"relax","job":14,"start":"...","end":"...","tasks":16,"executor_cpu_s":41.2,"executor_run_s":44.0,"process_cpu_s":61.0}
 * {"kind":"checkpoint","time":"...","cycle":1,"stage":"relax","process_cpu_s":63.5}
 * </pre>
 *
 * A {@code run} line is written when a driver starts or resumes the campaign: the cores Spark's executors offer
 * ({@code executor_cores}, the context's default parallelism) and the cores one oracle calculation occupies, as the
 * cluster profile read at that moment, when this run's DFT jobs are submitted ({@link org.crucible.driver.oracle.OracleCores}).
 * A {@code spark-job} line is written when a Spark job ends: the campaign stage execution (cycle, stage) that ran it,
 * and the summed task metrics of its tasks: {@code executor_cpu_s} = executor CPU time + task deserialisation CPU time
 * (s, Spark's {@code executorCpuTime}, measured per task thread), {@code executor_run_s} = executor run time +
 * deserialisation time (s, wall time of the task threads). Stage {@code other} and cycle -1: a job no campaign stage ran.
 * A {@code checkpoint} line is written after each stage execution's checkpoint (cycle and stage of the execution that
 * ended). Every line carries {@code process_cpu_s}: the CPU time of the driver JVM since it started (s, user + system,
 * all its threads, from the operating system through {@code OperatingSystemMXBean.getProcessCpuTime}; null where the
 * JVM cannot read it), from which {@link DriverCpu} derives the driver's own CPU time per run and per stage.
 *
 * <pre>{@code
 * ComputeTimeLog.Contents c = ComputeTimeLog.read(dir);
 * double relaxCpu = c.cpuSecondsByStage().getOrDefault("relax", 0.0);   // core-seconds on executors
 * }</pre>
 */
public final class ComputeTimeLog {
    /** The file in the campaign directory. */
    public static final String FILE = "compute-time.jsonl";
    /** The stage of a Spark job that no campaign stage ran. */
    public static final String OTHER = "other";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ComputeTimeLog() {
    }

    /**
     * A driver run of the campaign.
     *
     * @param executorCores cores of Spark's executors (default parallelism), >= 1
     * @param oracleCores   cores per oracle calculation as at this run (NaN when unknown)
     */
    public record Run(Instant time, String master, int executorCores, double oracleCores, String oracleCoresSource, double processCpuSeconds) {
        public Run {
            if (time == null || master == null || oracleCoresSource == null) throw new IllegalArgumentException("time, master and source are required");
            if (executorCores < 1) throw new IllegalArgumentException("executor cores must be >= 1, got " + executorCores);
            requireCpu(processCpuSeconds);
        }

        /** A run line without the driver's process CPU time (NaN: not recorded). */
        public Run(Instant time, String master, int executorCores, double oracleCores, String oracleCoresSource) {
            this(time, master, executorCores, oracleCores, oracleCoresSource, Double.NaN);
        }
    }

    /**
     * One Spark job of a campaign stage execution.
     *
     * @param cycle              campaign cycle (-1 with stage {@link #OTHER})
     * @param stage              campaign stage, lower case ({@code relax}, ...)
     * @param executorCpuSeconds CPU seconds its tasks spent on executors, >= 0
     * @param executorRunSeconds wall seconds of its task threads, >= 0
     * @param processCpuSeconds  CPU seconds of the driver JVM since it started, when the line was written (NaN: not recorded)
     */
    public record SparkJob(int cycle, String stage, int job, Instant start, Instant end, int tasks, double executorCpuSeconds, double executorRunSeconds,
                           double processCpuSeconds) {
        public SparkJob {
            if (stage == null || start == null || end == null) throw new IllegalArgumentException("stage, start and end are required");
            if (!(executorCpuSeconds >= 0) || !(executorRunSeconds >= 0) || tasks < 0) {
                throw new IllegalArgumentException("CPU and run seconds and tasks must be >= 0, got " + executorCpuSeconds + ", " + executorRunSeconds + ", " + tasks);
            }
            requireCpu(processCpuSeconds);
        }

        /** A job line without the driver's process CPU time. */
        public SparkJob(int cycle, String stage, int job, Instant start, Instant end, int tasks, double executorCpuSeconds, double executorRunSeconds) {
            this(cycle, stage, job, start, end, tasks, executorCpuSeconds, executorRunSeconds, Double.NaN);
        }
    }

    /**
     * The end of one campaign stage execution in a driver run (written after its checkpoint).
     *
     * @param cycle             campaign cycle of the execution
     * @param stage             campaign stage, lower case
     * @param processCpuSeconds CPU seconds of the driver JVM since it started (NaN: not recorded)
     */
    public record Checkpoint(Instant time, int cycle, String stage, double processCpuSeconds) {
        public Checkpoint {
            if (time == null || stage == null) throw new IllegalArgumentException("time and stage are required");
            requireCpu(processCpuSeconds);
        }
    }

    private static void requireCpu(double s) {
        if (!(Double.isNaN(s) || s >= 0) || Double.isInfinite(s)) throw new IllegalArgumentException("process CPU seconds must be >= 0 or NaN, got " + s);
    }

    /**
     * CPU seconds the current JVM has used since it started (all threads, user + system), from the operating system;
     * NaN when this JVM cannot read it.
     */
    public static double processCpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof com.sun.management.OperatingSystemMXBean sun)) return Double.NaN;
        long ns = sun.getProcessCpuTime();
        return ns < 0 ? Double.NaN : ns * 1e-9;
    }

    /**
     * The lines of a campaign's file, in order; {@code tornLines} could not be read (cut by a power loss); {@code driverCpu}
     * the driver's own CPU time of each run that recorded it ({@link DriverCpu}).
     */
    public record Contents(List<Run> runs, List<SparkJob> jobs, List<Checkpoint> checkpoints, int tornLines, List<DriverCpu> driverCpu) {
        public Contents {
            runs = List.copyOf(runs);
            jobs = List.copyOf(jobs);
            checkpoints = List.copyOf(checkpoints);
            driverCpu = List.copyOf(driverCpu);
        }

        /** The driver's own CPU seconds over every run that recorded it; NaN when none did. */
        public double driverCpuSeconds() {
            return driverCpu.isEmpty() ? Double.NaN : driverCpu.stream().mapToDouble(DriverCpu::driverCpuSeconds).sum();
        }

        /**
         * The driver's own CPU seconds per campaign stage over every run (stage order, then {@link DriverCpu#STARTUP} for
         * the start-up of each run); a stage cut off by a kill is not counted (its checkpoint never came).
         */
        public Map<String, Double> driverCpuSecondsByStage() {
            Map<String, Double> raw = new TreeMap<>();
            for (DriverCpu d : driverCpu) d.stageCpuSeconds().forEach((k, v) -> raw.merge(k, v, Double::sum));
            double startup = driverCpu.stream().mapToDouble(DriverCpu::startupCpuSeconds).sum();
            Map<String, Double> out = new LinkedHashMap<>();
            if (!driverCpu.isEmpty()) out.put(DriverCpu.STARTUP, startup);
            for (Stage s : Stage.values()) {
                String n = s.name().toLowerCase(Locale.ROOT);
                if (raw.containsKey(n)) out.put(n, raw.remove(n));
            }
            out.putAll(raw);
            return out;
        }

        /** Executor CPU seconds per campaign stage, in the loop's stage order (stages without jobs left out; {@code other} last). */
        public Map<String, Double> cpuSecondsByStage() {
            Map<String, Double> raw = new TreeMap<>();
            for (SparkJob j : jobs) raw.merge(j.stage(), j.executorCpuSeconds(), Double::sum);
            Map<String, Double> out = new LinkedHashMap<>();
            for (Stage s : Stage.values()) {
                String n = s.name().toLowerCase(Locale.ROOT);
                if (raw.containsKey(n)) out.put(n, raw.remove(n));
            }
            out.putAll(raw);
            return out;
        }

        /** Executor CPU seconds of one stage execution (all its runs, a killed one included). */
        public double cpuSeconds(int cycle, String stage) {
            return jobs.stream().filter(j -> j.cycle() == cycle && j.stage().equals(stage)).mapToDouble(SparkJob::executorCpuSeconds).sum();
        }

        /** The run in effect at {@code t}: the last one started at or before it, else the first; null when there is none. */
        public Run runAt(Instant t) {
            Run in = runs.isEmpty() ? null : runs.get(0);
            for (Run r : runs) if (!r.time().isAfter(t)) in = r;
            return in;
        }
    }

    /**
     * Appends a run line (the first line of every driver run), after ending a last line cut by a power loss with a
     * newline, so that line alone is lost and this run's lines stay whole.
     */
    public static void append(Path dir, Run r) {
        endTornLine(dir.resolve(FILE));
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", "run").put("time", r.time().toString()).put("master", r.master()).put("executor_cores", r.executorCores());
        if (Double.isNaN(r.oracleCores())) n.putNull("oracle_cores");
        else n.put("oracle_cores", r.oracleCores());
        n.put("oracle_cores_source", r.oracleCoresSource());
        putCpu(n, r.processCpuSeconds());
        append(dir.resolve(FILE), n);
    }

    /** Appends a Spark job line. */
    public static void append(Path dir, SparkJob j) {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", "spark-job").put("cycle", j.cycle()).put("stage", j.stage()).put("job", j.job()).put("start", j.start().toString())
                .put("end", j.end().toString()).put("tasks", j.tasks()).put("executor_cpu_s", j.executorCpuSeconds()).put("executor_run_s", j.executorRunSeconds());
        putCpu(n, j.processCpuSeconds());
        append(dir.resolve(FILE), n);
    }

    /** Appends a checkpoint line. */
    public static void append(Path dir, Checkpoint c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", "checkpoint").put("time", c.time().toString()).put("cycle", c.cycle()).put("stage", c.stage());
        putCpu(n, c.processCpuSeconds());
        append(dir.resolve(FILE), n);
    }

    private static void putCpu(ObjectNode n, double seconds) {
        if (Double.isNaN(seconds)) n.putNull("process_cpu_s");
        else n.put("process_cpu_s", seconds);
    }

    private static double cpu(JsonNode n) {
        return n.path("process_cpu_s").isNumber() ? n.get("process_cpu_s").asDouble() : Double.NaN;
    }

    private static void endTornLine(Path file) {
        try {
            if (!Files.exists(file) || Files.size(file) == 0) return;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ByteBuffer last = ByteBuffer.allocate(1);
                ch.read(last, ch.size() - 1);
                if (last.get(0) == '\n') return;
                ch.write(ByteBuffer.wrap(new byte[] {'\n'}), ch.size());
                ch.force(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or repair the end of " + file + ": " + e.getMessage(), e);
        }
    }

    private static void append(Path file, ObjectNode line) {
        try {
            boolean created = !Files.exists(file);
            byte[] bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                ch.write(ByteBuffer.wrap(bytes));
                ch.force(false);
            }
            if (created) DurableFiles.fsyncDirectory(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
        }
    }

    /** The file of campaign directory {@code dir}; empty contents when there is none (a campaign run before it existed). */
    public static Contents read(Path dir) {
        Path file = dir.resolve(FILE);
        List<Run> runs = new ArrayList<>();
        List<SparkJob> jobs = new ArrayList<>();
        List<Checkpoint> checkpoints = new ArrayList<>();
        List<DriverCpu> driverCpu = new ArrayList<>();
        DriverCpu.Builder current = null;
        int torn = 0;
        if (!Files.exists(file)) return new Contents(runs, jobs, checkpoints, 0, driverCpu);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        for (String l : lines) {
            if (l.isBlank()) continue;
            try {
                JsonNode n = JSON.readTree(l);
                switch (n.path("kind").asText()) {
                    case "run" -> {
                        Run r = new Run(Instant.parse(n.get("time").asText()), n.get("master").asText(), n.get("executor_cores").asInt(),
                                n.path("oracle_cores").isNumber() ? n.get("oracle_cores").asDouble() : Double.NaN, n.get("oracle_cores_source").asText(), cpu(n));
                        runs.add(r);
                        if (current != null) current.build().ifPresent(driverCpu::add);
                        current = new DriverCpu.Builder(r);
                    }
                    case "spark-job" -> {
                        SparkJob j = new SparkJob(n.get("cycle").asInt(), n.get("stage").asText(), n.get("job").asInt(),
                                Instant.parse(n.get("start").asText()), Instant.parse(n.get("end").asText()), n.get("tasks").asInt(),
                                n.get("executor_cpu_s").asDouble(), n.get("executor_run_s").asDouble(), cpu(n));
                        jobs.add(j);
                        if (current != null) current.add(j);
                    }
                    case "checkpoint" -> {
                        Checkpoint c = new Checkpoint(Instant.parse(n.get("time").asText()), n.get("cycle").asInt(), n.get("stage").asText(), cpu(n));
                        checkpoints.add(c);
                        if (current != null) current.add(c);
                    }
                    default -> torn++;
                }
            } catch (IOException | RuntimeException e) {
                torn++; // a line cut by a power loss: counted and reported by the readers, the others still count
            }
        }
        if (current != null) current.build().ifPresent(driverCpu::add);
        return new Contents(runs, jobs, checkpoints, torn, driverCpu);
    }
}
