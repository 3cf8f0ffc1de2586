package org.crucible.driver.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crucible.driver.campaign.Stage;

/**
 * Where the kill harness kills a campaign driver: a seeded list of targets over the stage executions of an
 * uninterrupted reference run. Every execution (cycle 0 GENERATE, SELECT, LABEL, FIT; per cycle RELAX, DESCRIBE,
 * SELECT, LABEL, FIT; VALIDATE) gets one kill at a seeded fraction of its reference duration, when there are kills
 * enough, and the LABEL executions during which the store compacts (the reference's label count crosses a multiple of
 * the compaction fan-in) get kills timed on the compaction itself; the remaining kills go to seeded executions.
 * With fewer kills than executions, a seeded subset still holds every stage kind. A target the campaign went past
 * (the stage ended before the kill's moment) is moved to the next execution of the same kind ({@link #reaim}); a kill
 * that fired but landed in another kind adds a target at its kind's next execution ({@link #afterLateKill}).
 */
public final class KillPlan {
    private static final Pattern DONE = Pattern.compile("cycle (\\d+): (\\w+) done in ([0-9.]+) s");

    /** One stage execution of the reference run: cycle, stage and its duration in s. */
    public record Execution(int cycle, Stage stage, double seconds) {
        public Execution {
            Objects.requireNonNull(stage, "stage");
        }

        /** The line the driver logs when it starts this execution. */
        public String startLine() {
            return "cycle " + cycle + ": " + stage.name().toLowerCase() + " ...";
        }
    }

    /**
     * Kill during execution {@code execution} (index into the executions): at {@code fraction} of its reference duration
     * after it started, or, when {@code compaction}, as soon as the store is seen compacting during it.
     */
    public record Target(int execution, double fraction, boolean compaction) {
        public Target {
            if (execution < 0) throw new IllegalArgumentException("execution must be >= 0, got " + execution);
            if (!(fraction >= 0 && fraction < 1)) throw new IllegalArgumentException("fraction must be in [0, 1), got " + fraction);
        }
    }

    private final List<Execution> executions;
    private final List<Target> targets;

    private KillPlan(List<Execution> executions, List<Target> targets) {
        this.executions = List.copyOf(executions);
        this.targets = List.copyOf(targets);
    }

    /** The executions a campaign log records ({@code cycle N: stage done in X s} lines), in order. */
    public static List<Execution> executions(String campaignLog) {
        List<Execution> out = new ArrayList<>();
        Matcher m = DONE.matcher(campaignLog);
        while (m.find()) out.add(new Execution(Integer.parseInt(m.group(1)), Stage.valueOf(m.group(2).toUpperCase()), Double.parseDouble(m.group(3))));
        return out;
    }

    /**
     * A plan of {@code kills} targets over {@code executions}.
     *
     * @param compactionLabels indexes of the LABEL executions during which the store compacts
     * @param compactionKills  kills timed on a compaction, spread over those executions
     */
    /** Seconds a last execution must have taken in the reference run to be a kill target. */
    public static final double MIN_LAST_SECONDS = 0.2;

    public static KillPlan of(List<Execution> executions, List<Integer> compactionLabels, int kills, int compactionKills, long seed) {
        if (executions.isEmpty()) throw new IllegalArgumentException("the reference run recorded no stage execution");
        if (kills < 1) throw new IllegalArgumentException("kills must be >= 1, got " + kills);
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Target> t = new ArrayList<>();
        int compactions = compactionLabels.isEmpty() ? 0 : Math.min(compactionKills, kills);
        for (int i = 0; i < compactions; i++) t.add(new Target(compactionLabels.get(i % compactionLabels.size()), 0, true));
        int stageKills = kills - compactions;
        // A last execution shorter than MIN_LAST_SECONDS (a VALIDATE with nothing to validate) cannot be aimed at: the
        // driver may exit before the kill, so it is never a target.
        int aimable = aimable(executions);
        List<Integer> chosen = new ArrayList<>();
        if (stageKills >= aimable) {
            for (int i = 0; i < aimable; i++) chosen.add(i);
            for (int i = aimable; i < stageKills; i++) chosen.add(rnd.nextInt(aimable));
        } else {
            // one execution of every stage kind first (seeded among that kind's executions), then seeded others
            List<Integer> rest = new ArrayList<>();
            for (int i = 0; i < aimable; i++) rest.add(i);
            for (Stage s : Stage.values()) {
                List<Integer> of = rest.stream().filter(i -> executions.get(i).stage() == s).toList();
                if (!of.isEmpty() && chosen.size() < stageKills) {
                    Integer pick = of.get(rnd.nextInt(of.size()));
                    chosen.add(pick);
                    rest.remove(pick);
                }
            }
            while (chosen.size() < stageKills) chosen.add(rest.remove(rnd.nextInt(rest.size())));
        }
        for (int i : chosen) t.add(new Target(i, rnd.nextDouble(), false));
        // In execution order; at one execution the compaction kills first, then the timed kills by fraction.
        t.sort(Comparator.comparingInt(Target::execution).thenComparing(x -> !x.compaction()).thenComparingDouble(Target::fraction));
        return new KillPlan(executions, t);
    }

    /** How many executions, from the first, may be aimed at: all but a last one shorter than {@link #MIN_LAST_SECONDS}. */
    private static int aimable(List<Execution> executions) {
        return executions.size() > 1 && executions.get(executions.size() - 1).seconds() < MIN_LAST_SECONDS ? executions.size() - 1 : executions.size();
    }

    /**
     * Target {@code t}, which the campaign has gone past (it is at execution {@code at} now), moved to a timed kill at
     * {@code fraction} of the first aimable execution at or after {@code at} of the same stage kind, so the kill still
     * lands in that kind; when no such execution is left, of execution {@code at} itself.
     */
    public Target reaim(Target t, int at, double fraction) {
        if (at < 0 || at >= executions.size()) throw new IllegalArgumentException("execution " + at + " is not in the plan's 0.." + (executions.size() - 1));
        Stage kind = executions.get(t.execution()).stage();
        for (int i = at; i < aimable(executions); i++) {
            if (executions.get(i).stage() == kind) return new Target(i, fraction, false);
        }
        return new Target(at, fraction, false);
    }

    /**
     * A timed target {@code t} whose kill landed in execution {@code landedAt} of another stage kind (it fired after its
     * stage had ended): a new target at {@code fraction} of the first aimable execution of {@code t}'s kind after
     * {@code landedAt}, or empty when the kill landed in {@code t}'s kind (the same or a later execution of it), or no such
     * execution is left. Each call moves strictly later in the run, so re-aiming a late kill ends.
     */
    public java.util.Optional<Target> afterLateKill(Target t, int landedAt, double fraction) {
        if (landedAt < 0 || landedAt > executions.size()) throw new IllegalArgumentException("execution " + landedAt + " is not in the plan's 0.." + executions.size());
        if (t.compaction()) return java.util.Optional.empty();
        Stage kind = executions.get(t.execution()).stage();
        if (landedAt < executions.size() && executions.get(landedAt).stage() == kind) return java.util.Optional.empty();
        for (int i = landedAt + 1; i < aimable(executions); i++) {
            if (executions.get(i).stage() == kind) return java.util.Optional.of(new Target(i, fraction, false));
        }
        return java.util.Optional.empty();
    }

    /** True when no execution after {@code execution} of its stage kind can be aimed at: a kill there is its kind's last chance. */
    public boolean lastOfItsKind(int execution) {
        Stage kind = executions.get(execution).stage();
        for (int i = execution + 1; i < aimable(executions); i++) {
            if (executions.get(i).stage() == kind) return false;
        }
        return true;
    }

    public List<Execution> executions() {
        return executions;
    }

    public List<Target> targets() {
        return targets;
    }

    /** Index of the execution a campaign whose state says {@code cycle}/{@code next} is in (or about to start); -1 if none. */
    public int executionOf(int cycle, Stage next) {
        for (int i = 0; i < executions.size(); i++) {
            if (executions.get(i).cycle() == cycle && executions.get(i).stage() == next) return i;
        }
        return next == Stage.DONE ? executions.size() : -1;
    }
}
