package org.crucible.driver.bench;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * How fast the killed run of the {@link KillHarness} goes compared with its reference run, so that a kill aimed at a
 * fraction of a stage's reference duration lands inside the stage when the machine's load changed between the two runs
 * (a reference at load 40 and a killed run at load 0.5 run the same stage 10-50 times faster).
 *
 * <p>The pace is a ratio of killed-run seconds to reference seconds over the same stretch of the campaign log: the
 * start-up of a driver JVM (from its start to its {@code campaign NAME on MASTER (N partitions): next ...} line, against
 * the reference driver's start-up) and each stage execution the killed run finished ({@code cycle N: STAGE done in X s},
 * against the reference's X for the same cycle and stage; a stretch under {@link #MIN_SECONDS} in the reference, or a
 * stage under it in the killed run, is too short to compare at the log's 0.1 s resolution and is skipped, and a logged X counts as X - 0.05 s, the shortest it can
 * have been, so rounding never makes the pace look slower than it was). {@link #factor()} is the smallest of the last
 * {@link #WINDOW} ratios: the pace the machine has had most recently, on the fast side, so that when the load keeps
 * falling a kill comes early in its stage rather than after it. A kill at {@code fraction} of execution {@code e} fires
 * {@code fraction * e.seconds * factor} s after the driver logged the stage's start ({@link #delaySeconds}).
 *
 * <pre>{@code
 * RunPace pace = new RunPace(plan.executions(), referenceStartupSeconds, System::nanoTime);
 * pace.driverStarted();                      // a killed-run driver JVM was started
 * pace.observe(campaignLogSinceThatStart);   // as its log grows
 * long ms = Math.round(1000 * pace.delaySeconds(plan, target));
 * }</pre>
 *
 * Not thread-safe: the harness's one thread owns it.
 */
public final class RunPace {
    /** The line a driver logs once its Spark context and store are open, before its first stage. */
    static final Pattern STARTUP = Pattern.compile("\\(\\d+ partitions\\): next ");
    /** Ratios remembered: the factor is the smallest of the last this many. */
    static final int WINDOW = 3;
    /** Stretches shorter than this (s) in either run are not compared. */
    static final double MIN_SECONDS = 0.5;
    /**
     * Share of the paced span a kill at its kind's last execution ({@link KillPlan#lastOfItsKind}) may use: a miss there
     * cannot move to a later execution of the kind, and the pace measured under a changing load was off by 20% (session
     * 36, load 37-58: a kill at 0.78 of the paced span of hal's last RELAX came after it ended).
     */
    public static final double LAST_CHANCE_SHARE = 0.5;
    /**
     * Reference stages shorter than this (s) get the same {@link #LAST_CHANCE_SHARE}: the pace of stages under
     * {@link #MIN_SECONDS} is not measured, the log gives lengths to 0.1 s, and a short stage's own length varies by more
     * than the pace window follows, so a kill late in one is a coin flip (session 37, idle machine: a kill at 0.96 of
     * hal's 0.3 s cycle-0 SELECT landed in the LABEL after it; session 36, load 16: one at 0.88 of entropy-max's 1.7 s
     * cycle-0 SELECT landed in LABEL).
     */
    public static final double SHORT_STAGE_S = 2.0;
    /** Killed-run start-ups shorter than this (s) are not compared: the harness reads the log every 5 ms. */
    static final double MIN_TIMED_SECONDS = 0.05;
    /** Half the resolution of the durations in the campaign log ({@code done in 1.2 s}). */
    private static final double HALF_LOGGED_RESOLUTION_S = 0.05;
    /** Kills aimed at the campaign's last stage fall within its first this many seconds (after pacing). */
    public static final double LAST_STAGE_WINDOW_S = 0.3;

    private final Map<String, Double> reference = new HashMap<>();
    private final double referenceStartupSeconds;
    private final LongSupplier nanoTicker;
    private final Deque<Double> ratios = new ArrayDeque<>();
    private long born;
    private boolean startupSeen;
    private int doneSeen;

    /**
     * @param referenceExecutions     the reference run's stage executions (durations in s)
     * @param referenceStartupSeconds the reference driver's start-up (s; 0 when unknown: no start-up is compared)
     * @param nanoTicker              the clock of the killed run (ns)
     */
    public RunPace(List<KillPlan.Execution> referenceExecutions, double referenceStartupSeconds, LongSupplier nanoTicker) {
        if (!(referenceStartupSeconds >= 0)) throw new IllegalArgumentException("reference start-up must be >= 0 s, got " + referenceStartupSeconds);
        for (KillPlan.Execution e : referenceExecutions) reference.putIfAbsent(key(e), e.seconds());
        this.referenceStartupSeconds = referenceStartupSeconds;
        this.nanoTicker = Objects.requireNonNull(nanoTicker, "nanoTicker");
    }

    /** A killed-run driver JVM has just been started: its start-up is timed from now, its log read from its start. */
    public void driverStarted() {
        born = nanoTicker.getAsLong();
        startupSeen = false;
        doneSeen = 0;
    }

    /**
     * Reads the campaign log written since the current driver started ({@code sinceStart}; the same text again, grown,
     * on each call): its start-up line, timed now when first seen, and the stage executions it has finished.
     */
    public void observe(String sinceStart) {
        if (!startupSeen && STARTUP.matcher(sinceStart).find()) {
            startupSeen = true;
            add(referenceStartupSeconds, (nanoTicker.getAsLong() - born) * 1e-9, MIN_TIMED_SECONDS);
        }
        int end = sinceStart.lastIndexOf('\n'); // a line being written is read when complete
        List<KillPlan.Execution> done = KillPlan.executions(end < 0 ? "" : sinceStart.substring(0, end + 1));
        for (int i = doneSeen; i < done.size(); i++) {
            Double ref = reference.get(key(done.get(i)));
            if (ref != null) add(ref, done.get(i).seconds() - HALF_LOGGED_RESOLUTION_S, MIN_SECONDS);
        }
        doneSeen = done.size();
    }

    private void add(double referenceSeconds, double killedSeconds, double shortestKilled) {
        if (referenceSeconds < MIN_SECONDS || killedSeconds < shortestKilled) return;
        ratios.addLast(killedSeconds / referenceSeconds);
        while (ratios.size() > WINDOW) ratios.removeFirst();
    }

    /** Killed-run seconds per reference second: the smallest of the last {@link #WINDOW} ratios; 1 before any. */
    public double factor() {
        return ratios.stream().mapToDouble(Double::doubleValue).min().orElse(1.0);
    }

    /**
     * Seconds after the driver logged the start of the target's execution at which the kill fires:
     * {@code fraction * seconds * factor()}, times {@link #LAST_CHANCE_SHARE} at the last execution of its stage kind
     * and in a reference stage shorter than {@link #SHORT_STAGE_S},
     * within the first {@link #LAST_STAGE_WINDOW_S} for the campaign's last execution (a later kill could come after the
     * campaign finished).
     */
    public double delaySeconds(KillPlan plan, KillPlan.Target t) {
        KillPlan.Execution e = plan.executions().get(t.execution());
        double span = e.seconds() * factor();
        if (plan.lastOfItsKind(t.execution()) || e.seconds() < SHORT_STAGE_S) span *= LAST_CHANCE_SHARE;
        if (t.execution() == plan.executions().size() - 1) span = Math.min(span, LAST_STAGE_WINDOW_S);
        return t.fraction() * span;
    }

    private static String key(KillPlan.Execution e) {
        return e.cycle() + " " + e.stage();
    }
}
