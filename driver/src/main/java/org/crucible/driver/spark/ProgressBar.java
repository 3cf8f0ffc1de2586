package org.crucible.driver.spark;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * A terminal progress bar for pool stages, driven by Spark's listener events: one line per Spark stage, redrawn in
 * place with a carriage return as tasks finish ({@code [#####.....] 12/24 tasks  relax cycle 3}), finished with a
 * newline when the stage completes, with the time since the stage started, the task rate and the estimated time left
 * ({@code 0:42, 0.29 tasks/s, ETA 0:41}). Failed tasks are counted and shown (Spark retries them). Into a file or pipe
 * the CLI keeps only the finished lines (see {@code LineModeStream}).
 *
 * <pre>{@code sc.sc().addSparkListener(new ProgressBar(System.err, 30)); }</pre>
 */
public final class ProgressBar extends SparkListener {
    private final PrintStream out;
    private final int width;
    private final Map<Integer, int[]> stages = new ConcurrentHashMap<>();
    private final Map<Integer, String> names = new ConcurrentHashMap<>();
    private final Map<Integer, Long> started = new ConcurrentHashMap<>();
    private final AtomicInteger lastDrawn = new AtomicInteger(-1);
    private final LongSupplier nanoTicker;
    private int lastLength;

    public ProgressBar(PrintStream out, int width) {
        this(out, width, System::nanoTime);
    }

    /** A bar whose elapsed times come from {@code nanoTicker} (tests move it instead of sleeping). */
    public ProgressBar(PrintStream out, int width, LongSupplier nanoTicker) {
        if (width < 5) throw new IllegalArgumentException("progress bar width must be >= 5, got " + width);
        this.out = out;
        this.width = width;
        this.nanoTicker = nanoTicker;
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted e) {
        int id = e.stageInfo().stageId();
        stages.put(id, new int[] {e.stageInfo().numTasks(), 0, 0});
        String desc = e.properties() == null ? null : e.properties().getProperty("spark.job.description");
        names.put(id, desc == null ? e.stageInfo().name() : desc);
        started.put(id, nanoTicker.getAsLong());
        draw(id, false);
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
        int[] s = stages.get(e.stageId());
        if (s == null) return;
        synchronized (s) {
            if (e.taskInfo().successful()) s[1]++;
            else s[2]++;
        }
        draw(e.stageId(), false);
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted e) {
        draw(e.stageInfo().stageId(), true);
        stages.remove(e.stageInfo().stageId());
        names.remove(e.stageInfo().stageId());
        started.remove(e.stageInfo().stageId());
    }

    /** The text of one bar: {@code [####......] done/total tasks (failed) name}. */
    public static String render(int total, int done, int failed, String name, int width) {
        int filled = total == 0 ? width : (int) Math.round((double) width * Math.min(done, total) / total);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + total + " tasks"
                + (failed > 0 ? " (" + failed + " failed, retried)" : "") + "  " + name;
    }

    /**
     * The bar with timing: {@code [####......] done/total tasks  name  (m:ss, R tasks/s, ETA m:ss)}; the rate and ETA
     * are left out until a task has finished.
     */
    public static String render(int total, int done, int failed, String name, int width, long elapsedNanos) {
        double seconds = elapsedNanos / 1e9;
        StringBuilder timing = new StringBuilder(clock(seconds));
        if (done > 0 && seconds > 0) {
            double rate = done / seconds;
            timing.append(String.format(java.util.Locale.ROOT, ", %.3g tasks/s", rate));
            if (done < total) timing.append(", ETA ").append(clock((total - done) / rate));
        }
        return render(total, done, failed, name, width) + "  (" + timing + ")";
    }

    /** Seconds as {@code m:ss} or {@code h:mm:ss}. */
    public static String clock(double seconds) {
        long s = Math.round(Math.max(0, seconds));
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }

    private synchronized void draw(int stageId, boolean finish) {
        int[] s = stages.get(stageId);
        if (s == null) return;
        String line;
        synchronized (s) {
            line = render(s[0], s[1], s[2], names.getOrDefault(stageId, ""), width, nanoTicker.getAsLong() - started.getOrDefault(stageId, nanoTicker.getAsLong()));
        }
        lastDrawn.set(stageId);
        // pad over the end of a longer previous line (the ETA can get shorter)
        String padded = line.length() < lastLength ? line + " ".repeat(lastLength - line.length()) : line;
        lastLength = finish ? 0 : line.length();
        out.print("\r" + padded + (finish ? "\n" : ""));
        out.flush();
    }
}
