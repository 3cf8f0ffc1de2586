package org.crucible.driver.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.crucible.driver.bench.KillPlan;
import org.crucible.driver.bench.KillPlanTest;
import org.crucible.driver.bench.RunPace;
import org.junit.jupiter.api.Test;

/**
 * Where the kill harness places a timed kill, without processes: a fake clock and a campaign log written line by line as
 * a killed run would write it. The reference log is {@link KillPlanTest#LOG} (a reference at load ~40); the killed run
 * goes 50 times faster (the load fell to ~0.8), or 3 times slower; every timed kill of a 20-kill plan must fire before its
 * stage ends in the killed run, which timing on the reference durations alone does not do. (In this package, not in
 * {@code bench}, because the build's default test run excludes {@code **}{@code /bench/**}.)
 */
class RunPaceTest {
    static final double REF_STARTUP_S = 20;
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final List<KillPlan.Execution> ref = KillPlan.executions(KillPlanTest.LOG);

    private void advance(double seconds) {
        nanos.addAndGet(Math.round(seconds * 1e9));
    }

    /** The killed run's log of one driver: start-up line, then each execution's start and done lines, at {@code speed}. */
    private String doneLine(KillPlan.Execution e, double seconds) {
        return String.format("2026-12-07T00:00:00Z cycle %d: %s done in %.1f s; next x%n", e.cycle(), e.stage().name().toLowerCase(), seconds);
    }

    /**
     * Walks a killed run whose every stretch takes {@code speed} times its reference duration, and for every timed target of
     * a 20-kill plan checks the delay the pace gives against the stage's duration in the killed run; returns how many
     * targets would have missed their stage with the delay the harness used before (fraction of the reference duration).
     */
    private int everyKillLandsAtSpeed(double speed, long seed) {
        KillPlan plan = KillPlan.of(ref, List.of(), 20, 0, seed);
        RunPace pace = new RunPace(ref, REF_STARTUP_S, nanos::get);
        pace.driverStarted();
        StringBuilder log = new StringBuilder("2026-12-07T00:00:00Z campaign: started\n");
        pace.observe(log.toString());
        assertEquals(1.0, pace.factor(), "no pace before the start-up line");
        advance(REF_STARTUP_S * speed);
        log.append("2026-12-07T00:00:00Z campaign si8 on local[2] (16 partitions): next generate of cycle 0; store file:///x\n");
        pace.observe(log.toString());
        assertEquals(speed, pace.factor(), 1e-9, "the start-up stretch gives the pace");
        int oldMisses = 0;
        for (int i = 0; i < ref.size(); i++) {
            KillPlan.Execution e = ref.get(i);
            double killedSeconds = e.seconds() * speed;
            log.append(String.format("2026-12-07T00:00:00Z %s%n", e.startLine()));
            pace.observe(log.toString());
            for (KillPlan.Target t : plan.targets()) {
                if (t.execution() != i) continue;
                double delay = pace.delaySeconds(plan, t);
                assertTrue(delay <= t.fraction() * killedSeconds + 1e-9 && delay < Math.max(killedSeconds, 1e-3),
                        String.format("speed %.3f: target %s fires %.3f s into a stage of %.3f s", speed, t, delay, killedSeconds));
                double before = t.fraction() * Math.max(e.seconds(), 0.2); // what the harness did before session 36
                if (i < ref.size() - 1 && before >= killedSeconds) oldMisses++;
            }
            advance(killedSeconds);
            log.append(doneLine(e, killedSeconds));
            pace.observe(log.toString());
        }
        return oldMisses;
    }

    @Test
    void whenTheLoadFell50TimesEveryKillStillFiresInsideItsStage() {
        int oldMisses = 0;
        for (long seed = 0; seed < 10; seed++) oldMisses += everyKillLandsAtSpeed(1 / 50.0, seed);
        // the same plans timed on the reference durations: most kills come after their stage ended
        assertTrue(oldMisses > 100, "timing on the reference alone misses: " + oldMisses + " of 200");
    }

    @Test
    void whenTheLoadRoseTheKillsWaitLongerAndStillLand() {
        for (long seed = 0; seed < 5; seed++) everyKillLandsAtSpeed(3.0, seed);
        RunPace pace = new RunPace(ref, REF_STARTUP_S, nanos::get);
        pace.driverStarted();
        advance(60);
        pace.observe("x (16 partitions): next generate of cycle 0\n");
        assertEquals(3.0, pace.factor(), 1e-9);
        KillPlan plan = KillPlan.of(ref, List.of(), 20, 0, 1);
        KillPlan.Target relax = new KillPlan.Target(4, 0.5, false);
        assertEquals(0.5 * 4.5 * 3, pace.delaySeconds(plan, relax), 1e-9, "half of cycle 1 RELAX's 4.5 s, three times slower");
        KillPlan.Target lastRelax = new KillPlan.Target(9, 0.5, false);
        assertEquals(0.5 * 4.4 * 3 * RunPace.LAST_CHANCE_SHARE, pace.delaySeconds(plan, lastRelax), 1e-9,
                "cycle 2 RELAX is the last of its kind: a miss could not move, so its kill uses the first half of the span");
        assertTrue(plan.lastOfItsKind(9) && !plan.lastOfItsKind(4) && plan.lastOfItsKind(0) && !plan.lastOfItsKind(1) && plan.lastOfItsKind(11));
        KillPlan.Target shortFit = new KillPlan.Target(3, 0.9, false);
        assertFalse(plan.lastOfItsKind(3));
        assertEquals(0.9 * 0.6 * 3 * RunPace.LAST_CHANCE_SHARE, pace.delaySeconds(plan, shortFit), 1e-9,
                "cycle 0 FIT is shorter than RunPace.SHORT_STAGE_S in the reference: its end is uncertain, so its kill uses the first half");
        KillPlan.Target last = new KillPlan.Target(12, 0.5, false);
        assertEquals(0.5 * RunPace.LAST_STAGE_WINDOW_S, pace.delaySeconds(plan, last), 1e-9, "the last stage stays within its window");
    }

    @Test
    void thePaceIsTheFastestOfTheLastFewStretchesAndSkipsShortOnes() {
        RunPace pace = new RunPace(ref, REF_STARTUP_S, nanos::get);
        pace.driverStarted();
        advance(10);
        String log = "x (16 partitions): next generate of cycle 0\n";
        pace.observe(log);
        assertEquals(0.5, pace.factor(), 1e-9);
        log += doneLine(ref.get(0), 6.5 * 2); // cycle 0 generate, twice as slow (13.0 s: at least 12.95 s)
        log += doneLine(ref.get(3), 60); // cycle 0 fit: 0.6 s in the reference, too short to compare
        log += doneLine(ref.get(1), 0.4); // cycle 0 select: 0.4 s in the killed run, too short to compare
        log += "2026-12-07T00:00:00Z cycle 1: relax done in 9"; // being written: not read yet
        pace.observe(log);
        assertEquals(0.5, pace.factor(), 1e-9, "the fastest of start-up 0.5 and generate 12.95 / 6.5");
        log += ".0 s; next describe\n";
        log += doneLine(ref.get(5), 5.4 * 4);
        pace.observe(log);
        pace.observe(log); // the same lines again count once
        assertEquals(8.95 / 4.5, pace.factor(), 1e-9, "the last three: generate 12.95/6.5, relax 8.95/4.5, describe 21.55/5.4; start-up dropped");
        // a new driver: its start-up is timed from its own start, its log read from there
        pace.driverStarted();
        advance(2);
        pace.observe("y (16 partitions): next select of cycle 1\n");
        assertEquals(0.1, pace.factor(), 1e-9, "the new driver started 10 times faster than the reference");
        assertThrows(IllegalArgumentException.class, () -> new RunPace(ref, -1, nanos::get));
    }

    @Test
    void aTargetTheCampaignWentPastMovesToTheNextExecutionOfItsKind() {
        KillPlan plan = KillPlan.of(ref, List.of(), 20, 0, 3);
        // executions: 0 generate, 1 select, 2 label, 3 fit (cycle 0); 4 relax, 5 describe, 6 select, 7 label, 8 fit (cycle 1);
        // 9 relax, 10 describe, 11 select (cycle 2); 12 validate
        assertEquals(new KillPlan.Target(9, 0.25, false), plan.reaim(new KillPlan.Target(4, 0.9, false), 5, 0.25), "cycle 1 relax -> cycle 2 relax");
        assertEquals(new KillPlan.Target(11, 0.5, false), plan.reaim(new KillPlan.Target(6, 0.9, false), 7, 0.5), "cycle 1 select -> cycle 2 select");
        assertEquals(new KillPlan.Target(6, 0.5, false), plan.reaim(new KillPlan.Target(1, 0.9, false), 4, 0.5), "cycle 0 select -> cycle 1 select");
        assertEquals(new KillPlan.Target(7, 0.5, false), plan.reaim(new KillPlan.Target(7, 0.0, true), 7, 0.5), "a compaction kill stays in its label, timed");
        assertEquals(new KillPlan.Target(1, 0.5, false), plan.reaim(new KillPlan.Target(0, 0.9, false), 1, 0.5), "no generate left: the stage in progress");
        assertEquals(new KillPlan.Target(12, 0.5, false), plan.reaim(new KillPlan.Target(8, 0.9, false), 12, 0.5), "no fit left: validate");
        assertEquals(Stage.SELECT, plan.executions().get(plan.reaim(new KillPlan.Target(1, 0.9, false), 2, 0.5).execution()).stage());
        assertThrows(IllegalArgumentException.class, () -> plan.reaim(new KillPlan.Target(1, 0.9, false), 13, 0.5));
        // an instant last validate is not aimable: a target of its kind has nowhere else to go than the stage in progress
        KillPlan instant = KillPlan.of(KillPlan.executions(KillPlanTest.LOG.replace("validate done in 0.6 s", "validate done in 0.0 s")), List.of(), 7, 0, 1);
        assertEquals(new KillPlan.Target(11, 0.5, false), instant.reaim(new KillPlan.Target(4, 0.9, false), 11, 0.5));
    }
}
