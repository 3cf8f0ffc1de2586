package org.crucible.driver.spark;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * A terminal progress bar for pool stages, driven by Spark's listener events: one line per Spark stage, redrawn in
 * place with a carriage return as tasks finish ({@code [#####.....] 12/24 tasks  relax cycle 3}), finished with a
 * newline when the stage completes. Failed tasks are counted and shown (Spark retries them).
 *
 * <pre>{@code sc.sc().addSparkListener(new ProgressBar(System.err, 30)); }</pre>
 */
public final class ProgressBar extends SparkListener {
    private final PrintStream out;
    private final int width;
    private final Map<Integer, int[]> stages = new ConcurrentHashMap<>();
    private final Map<Integer, String> names = new ConcurrentHashMap<>();
    private final AtomicInteger lastDrawn = new AtomicInteger(-1);

    public ProgressBar(PrintStream out, int width) {
        if (width < 5) throw new IllegalArgumentException("progress bar width must be >= 5, got " + width);
        this.out = out;
        this.width = width;
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted e) {
        int id = e.stageInfo().stageId();
        stages.put(id, new int[] {e.stageInfo().numTasks(), 0, 0});
        String desc = e.properties() == null ? null : e.properties().getProperty("spark.job.description");
        names.put(id, desc == null ? e.stageInfo().name() : desc);
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
    }

    /** The text of one bar: {@code [####......] done/total tasks (failed) name}. */
    public static String render(int total, int done, int failed, String name, int width) {
        int filled = total == 0 ? width : (int) Math.round((double) width * Math.min(done, total) / total);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + total + " tasks"
                + (failed > 0 ? " (" + failed + " failed, retried)" : "") + "  " + name;
    }

    private synchronized void draw(int stageId, boolean finish) {
        int[] s = stages.get(stageId);
        if (s == null) return;
        String line;
        synchronized (s) {
            line = render(s[0], s[1], s[2], names.getOrDefault(stageId, ""), width);
        }
        lastDrawn.set(stageId);
        out.print("\r" + line + (finish ? "\n" : ""));
        out.flush();
    }
}
