package org.crucible.driver.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live Spark stage progress for {@code crucible status --watch}, which runs in another process: the driver's listener
 * writes {@code spark-stages.json} in the campaign directory (atomically, by rename) when a stage starts or ends, and
 * once a second while stages run (from a daemon timer, so long tasks still show their elapsed time). Fields: {@code updated} (ISO-8601), {@code ui_url} (null without the UI),
 * {@code active} (stages running: {@code id}, {@code name}, {@code tasks}, {@code done}, {@code running},
 * {@code failed}, {@code started}) and {@code completed} (the last ten, with {@code seconds}).
 *
 * <pre>{@code sc.sc().addSparkListener(new StageProgressFile(dir.resolve("spark-stages.json"), uiUrl, Clock.systemUTC())); }</pre>
 */
public final class StageProgressFile extends SparkListener {
    /** File name in the campaign directory. */
    public static final String FILE = "spark-stages.json";
    private static final Logger LOG = LoggerFactory.getLogger(StageProgressFile.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int KEEP_COMPLETED = 10;

    private final Path file;
    private final String uiUrl;
    private final Clock clock;
    private final Map<Integer, Stage> active = new ConcurrentSkipListMap<>();
    private final List<Map<String, Object>> completed = new ArrayList<>();
    private long lastWrite = Long.MIN_VALUE;
    private boolean failedOnce;

    private static final class Stage {
        final int id;
        final String name;
        final int tasks;
        final Instant started;
        int done;
        int running;
        int failed;

        Stage(int id, String name, int tasks, Instant started) {
            this.id = id;
            this.name = name;
            this.tasks = tasks;
            this.started = started;
        }
    }

    private final java.util.concurrent.ScheduledExecutorService timer;

    /** Writes the file now and then once a second while stages run. */
    public StageProgressFile(Path file, String uiUrl, Clock clock) {
        this(file, uiUrl, clock, true);
    }

    /** With {@code timer} false the file is written on stage events only (tests drive it with events). */
    public StageProgressFile(Path file, String uiUrl, Clock clock, boolean timer) {
        this.file = file;
        this.uiUrl = uiUrl;
        this.clock = clock;
        write(true);
        if (timer) {
            this.timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "crucible-stage-progress");
                t.setDaemon(true);
                return t;
            });
            this.timer.scheduleWithFixedDelay(() -> {
                if (!active.isEmpty()) write(true);
            }, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        } else {
            this.timer = null;
        }
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted e) {
        String desc = e.properties() == null ? null : e.properties().getProperty("spark.job.description");
        int id = e.stageInfo().stageId();
        active.put(id, new Stage(id, desc == null ? e.stageInfo().name() : desc, e.stageInfo().numTasks(), clock.instant()));
        write(true);
    }

    @Override
    public void onTaskStart(SparkListenerTaskStart e) {
        Stage s = active.get(e.stageId());
        if (s == null) return;
        synchronized (this) {
            s.running++;
        }
        write(false);
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
        Stage s = active.get(e.stageId());
        if (s == null) return;
        synchronized (this) {
            s.running = Math.max(0, s.running - 1);
            if (e.taskInfo().successful()) s.done++;
            else s.failed++;
        }
        write(false);
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted e) {
        Stage s = active.remove(e.stageInfo().stageId());
        if (s != null) {
            synchronized (this) {
                Map<String, Object> m = describe(s);
                m.put("seconds", (clock.millis() - s.started.toEpochMilli()) / 1000.0);
                m.put("failure", e.stageInfo().failureReason().isDefined() ? e.stageInfo().failureReason().get() : null);
                completed.add(m);
                while (completed.size() > KEEP_COMPLETED) completed.remove(0);
            }
        }
        write(true);
    }

    @Override
    public void onApplicationEnd(SparkListenerApplicationEnd e) {
        if (timer != null) timer.shutdownNow();
        active.clear();
        write(true);
    }

    private static Map<String, Object> describe(Stage s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id);
        m.put("name", s.name);
        m.put("tasks", s.tasks);
        m.put("done", s.done);
        m.put("running", s.running);
        m.put("failed", s.failed);
        m.put("started", s.started.toString());
        return m;
    }

    private synchronized void write(boolean force) {
        long now = clock.millis();
        if (!force && now - lastWrite < 1000) return;
        lastWrite = now;
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("updated", Instant.ofEpochMilli(now).toString());
        doc.put("ui_url", uiUrl);
        List<Map<String, Object>> act = new ArrayList<>();
        for (Stage s : active.values()) act.add(describe(s));
        doc.put("active", act);
        doc.put("completed", List.copyOf(completed));
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, JSON.writeValueAsBytes(doc));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ex) {
            // progress display only: the campaign goes on, the log says why status shows no stages
            if (!failedOnce) LOG.warn("cannot write the Spark stage progress to {}: {}", file, ex.getMessage());
            failedOnce = true;
        }
    }
}
