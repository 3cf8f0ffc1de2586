package org.crucible.driver.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.crucible.driver.campaign.CampaignState;
import org.crucible.driver.campaign.Stage;
import org.crucible.driver.oracle.OracleCallLedger;
import org.crucible.driver.store.TrainingStore;

/**
 * The randomized whole-campaign kill harness of issue 20: a campaign run once without interruption as the reference,
 * then the same campaign in real {@code crucible} driver JVMs killed with SIGKILL ({@link Process#destroyForcibly()})
 * at the seeded moments of a {@link KillPlan} and resumed each time, optionally beside a {@link SecondWriter} that keeps
 * trying to append to the store. {@link CampaignAudit} then compares the final store with the reference's and reads the
 * oracle-call ledger. Each kill records where it landed: the campaign's stage (its {@code state.json} after the kill,
 * the stage a resume redoes) and whether the store was in the middle of a compaction (its files after the kill).
 *
 * <pre>{@code
 * KillHarness.Report r = new KillHarness(settings, System::nanoTime, System.err).run();
 * if (!r.audit().violations().isEmpty()) ...
 * }</pre>
 *
 * Decisions are seeded; only the moment a stage starts is observed (the driver's {@code campaign.log}), never chosen by
 * the clock. A timed kill fires at its seeded fraction of the stage's reference duration scaled by the killed run's own
 * measured pace ({@link RunPace}: killed-run seconds per reference second over the same log stretches), so it lands
 * inside the stage when the load changed between the runs; a target the campaign went past anyway is moved to the next
 * execution of the same stage kind ({@link KillPlan#reaim}), and a kill that fired after its stage ended (it landed in
 * another kind) adds one target at its kind's next execution ({@link Report#lateReaims()}). Besides that pace, the wall
 * clock decides nothing except
 * the deadlines that stop a hung child.
 */
public final class KillHarness {
    private static final Pattern HOLDER = Pattern.compile("held by (\\S+) \\(host [^,]*, pid (\\d+)\\)");
    /** The campaign's line before it sends FAILED labels again at a driver's start, and the line after each result. */
    private static final Pattern RETRYING = Pattern.compile("retrying (\\d+) failed label\\(s\\)");
    private static final String RETRY_RESULT = ": retry of task ";
    private static final Pattern STAGE_START = Pattern.compile("cycle \\d+: (generate|relax|describe|select|label|fit|validate) \\.\\.\\.");

    /**
     * @param config          campaign file (an oracle callable in the driver, e.g. {@code type: sw})
     * @param dir             empty or absent directory for the runs ({@code reference/}, {@code killed/}, outputs)
     * @param kills           SIGKILLs of the killed run (>= 1)
     * @param compactionKills of those, kills timed on a store compaction
     * @param seed            seed of the plan
     * @param secondWriter    run a {@link SecondWriter} beside the killed run
     * @param writerPeriodMs  pause of the second writer between attempts (ms)
     * @param childTimeoutS   longest a driver JVM may run before the harness fails (s)
     * @param retryKills      further kills aimed at the pass in which a resumed driver sends FAILED labels again
     *                        ({@code oracle.max_attempts}): at a seeded number of its results, while the rest are in flight
     */
    public record Settings(Path config, Path dir, int kills, int compactionKills, long seed, boolean secondWriter, long writerPeriodMs, long childTimeoutS,
                           int retryKills) {
        public Settings {
            if (retryKills < 0) throw new IllegalArgumentException("--retry-kills must be >= 0, got " + retryKills);
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(dir, "dir");
            if (kills < 1) throw new IllegalArgumentException("--kills must be >= 1, got " + kills);
            if (compactionKills < 0 || compactionKills > kills) throw new IllegalArgumentException("--compaction-kills must be in 0.." + kills + ", got " + compactionKills);
            if (writerPeriodMs < 1) throw new IllegalArgumentException("writer period must be >= 1 ms, got " + writerPeriodMs);
            if (childTimeoutS < 1) throw new IllegalArgumentException("child timeout must be >= 1 s, got " + childTimeoutS);
        }

        /** Without kills aimed at retry passes. */
        public Settings(Path config, Path dir, int kills, int compactionKills, long seed, boolean secondWriter, long writerPeriodMs, long childTimeoutS) {
            this(config, dir, kills, compactionKills, seed, secondWriter, writerPeriodMs, childTimeoutS, 0);
        }
    }

    /**
     * One SIGKILL: the driver's pid, the target it was aimed at, where it landed ({@code cycle}, {@code stage} from
     * {@code state.json} after the kill; {@code compaction} the compaction step the store's files show, or empty) and
     * how long the driver had lived (s); {@code retry} where a kill aimed at a retry pass landed (empty for other kills).
     */
    public record Kill(int index, long pid, String target, int cycle, Stage stage, String compaction, double aliveSeconds, String retry) {
        /** One log line. */
        public String describe() {
            return String.format("[kill %d] pid %d after %.1f s: landed in cycle %d %s%s%s (target %s)", index, pid, aliveSeconds, cycle, stage,
                    compaction.isEmpty() ? "" : ", store compaction: " + compaction, retry.isEmpty() ? "" : ", " + retry, target);
        }

        /** True when this kill landed while retries of FAILED labels were in flight. */
        public boolean inRetry() {
            return retry.startsWith(IN_RETRY);
        }
    }

    /** How {@link Kill#retry()} starts for a kill that landed while retries were in flight. */
    static final String IN_RETRY = "inside the retry pass";

    /** What the second writer did: attempts refused (with the holders named), appends let through, errors. */
    public record WriterLog(int attempts, int refused, int refusedNamingADriver, int appended, int appendedAdded, int empty, List<String> errors,
                            List<String> badRefusals, int driverStartsRefused) {
        public WriterLog {
            errors = List.copyOf(errors);
            badRefusals = List.copyOf(badRefusals);
        }

        static WriterLog none() {
            return new WriterLog(0, 0, 0, 0, 0, 0, List.of(), List.of(), 0);
        }
    }

    /**
     * The outcome: the plan (over the reference's stage executions), the kills planned (the plan's, the retry kills, and one
     * per late kill re-aimed), the kills, how long things took (s), what the second writer saw, the audit, and how many
     * kills landed late, in another stage kind, and were aimed again at their kind's next execution.
     */
    public record Report(KillPlan plan, int planned, List<Kill> kills, int driverStarts, double referenceSeconds, double killedSeconds, WriterLog writer,
                         CampaignAudit.Result audit, int lateReaims) {
        public Report {
            Objects.requireNonNull(plan, "plan");
            kills = List.copyOf(kills);
        }

        /** The stage kinds the reference run executed, in {@link Stage} order. */
        public Set<Stage> stagesExecuted() {
            Set<Stage> s = java.util.EnumSet.noneOf(Stage.class);
            for (KillPlan.Execution e : plan.executions()) s.add(e.stage());
            return s;
        }

        /** The stage kinds the plan aimed a kill at (before any target was moved to a later stage), in {@link Stage} order. */
        public Set<Stage> stagesAimed() {
            Set<Stage> s = java.util.EnumSet.noneOf(Stage.class);
            for (KillPlan.Target t : plan.targets()) s.add(plan.executions().get(t.execution()).stage());
            return s;
        }

        /** Kills per stage, in {@link Stage} order (stages never hit are absent). */
        public Map<Stage, Integer> stagesHit() {
            Map<Stage, Integer> m = new LinkedHashMap<>();
            for (Stage s : Stage.values()) {
                int n = (int) kills.stream().filter(k -> k.stage() == s).count();
                if (n > 0) m.put(s, n);
            }
            return m;
        }

        /** Kills that landed while retries of FAILED labels were in flight. */
        public int retryHits() {
            return (int) kills.stream().filter(Kill::inRetry).count();
        }

        /** Kills that landed inside a store compaction. */
        public int compactionHits() {
            return (int) kills.stream().filter(k -> !k.compaction().isEmpty()).count();
        }

        /** Everything that is wrong, from the audit and the second writer; empty when the run passed. */
        public List<String> violations() {
            List<String> v = new ArrayList<>(audit.violations());
            if (writer.appendedAdded() > 0) v.add("the second writer added " + writer.appendedAdded() + " label(s) it should not have");
            for (String b : writer.badRefusals()) v.add("a refusal of the second writer does not name a campaign driver as holder: " + b);
            return v;
        }
    }

    private final Settings settings;
    private final LongSupplier nanoTicker;
    private final PrintStream log;

    /** @param log where each kill and phase is reported (null: nowhere) */
    public KillHarness(Settings settings, LongSupplier nanoTicker, PrintStream log) {
        this.settings = settings;
        this.nanoTicker = nanoTicker;
        this.log = log;
    }

    /** Runs the reference, then the killed run, then the audit. */
    public Report run() throws IOException, InterruptedException {
        Files.createDirectories(settings.dir());
        Path reference = settings.dir().resolve("reference");
        long t0 = nanoTicker.getAsLong();
        say("reference: crucible run " + settings.config() + " --dir " + reference);
        Process ref = DriverProcess.crucible(List.of("run", settings.config().toString(), "--dir", reference.toString()), settings.dir().resolve("reference.out"));
        double refStartup = startupSeconds(ref, reference.resolve("campaign.log"), t0);
        int code = awaitExit(ref, settings.dir().resolve("reference.out"));
        if (code != 0) throw new HarnessException("the reference run failed (exit " + code + "): " + tail(settings.dir().resolve("reference.out")));
        double refSeconds = (nanoTicker.getAsLong() - t0) * 1e-9;
        List<KillPlan.Execution> executions = KillPlan.executions(Files.readString(reference.resolve("campaign.log")));
        KillPlan plan = KillPlan.of(executions, compactionLabels(executions, OracleCallLedger.read(reference.resolve(OracleCallLedger.FILE))),
                settings.kills(), settings.compactionKills(), settings.seed());
        say(String.format("reference: %d stage executions in %.1f s (driver start-up %.1f s); plan of %d kills", executions.size(), refSeconds, refStartup,
                plan.targets().size()));
        for (KillPlan.Target t : plan.targets()) say("  planned: " + describe(plan, t));
        long t1 = nanoTicker.getAsLong();
        Killed k = killedRun(plan, new RunPace(executions, refStartup, nanoTicker));
        double killedSeconds = (nanoTicker.getAsLong() - t1) * 1e-9;
        CampaignAudit.Result audit = CampaignAudit.audit(reference, settings.dir().resolve("killed"), k.storedAtStart);
        Report r = new Report(plan, plan.targets().size() + settings.retryKills() + k.lateReaims, k.kills, k.starts, refSeconds, killedSeconds, k.writer, audit,
                k.lateReaims);
        say(String.format("killed run: %d kills of %d planned (%d added for late kills), %d driver starts, %.1f s; stages hit %s; %d kills inside a compaction; "
                + "%d inside a retry pass", r.kills().size(), r.planned(), r.lateReaims(), r.driverStarts(), killedSeconds, r.stagesHit(), r.compactionHits(),
                r.retryHits()));
        say(audit.describe());
        return r;
    }

    /** LABEL executions of the reference during which the store's appended shards reached a multiple of the fan-in. */
    static List<Integer> compactionLabels(List<KillPlan.Execution> executions, OracleCallLedger.Contents referenceLedger) {
        int fanIn = TrainingStore.CompactionPolicy.DEFAULT.fanIn();
        Map<Integer, Integer> perCycle = new LinkedHashMap<>();
        for (OracleCallLedger.Call c : referenceLedger.labels()) perCycle.merge(c.cycle(), 1, Integer::sum);
        List<Integer> out = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < executions.size(); i++) {
            KillPlan.Execution e = executions.get(i);
            if (e.stage() != Stage.LABEL) continue;
            int before = total;
            total += perCycle.getOrDefault(e.cycle(), 0);
            if (total / fanIn > before / fanIn) out.add(i);
        }
        return out;
    }

    private record Killed(List<Kill> kills, int starts, WriterLog writer, Map<Long, Set<String>> storedAtStart, int lateReaims) {
    }

    /**
     * Seconds from {@code t0} until driver {@code p} logged its start-up line ({@link RunPace#STARTUP}) in
     * {@code campaignLog}; 0 when it exited without one.
     */
    private double startupSeconds(Process p, Path campaignLog, long t0) throws IOException, InterruptedException {
        long deadline = t0 + TimeUnit.SECONDS.toNanos(settings.childTimeoutS());
        while (!RunPace.STARTUP.matcher(newText(campaignLog, 0)).find()) {
            if (!p.isAlive() || nanoTicker.getAsLong() > deadline) return 0; // awaitExit reports the failure or the hang
            Thread.sleep(5);
        }
        return (nanoTicker.getAsLong() - t0) * 1e-9;
    }

    private Killed killedRun(KillPlan plan, RunPace pace) throws IOException, InterruptedException {
        Path d = settings.dir().resolve("killed");
        Path store = d.resolve("store");
        Path campaignLog = d.resolve("campaign.log");
        SplittableRandom rnd = new SplittableRandom(settings.seed() ^ 0x5DEECE66DL);
        List<Kill> kills = new ArrayList<>();
        Map<Long, Set<String>> storedAtStart = new LinkedHashMap<>();
        Set<Long> driverPids = new TreeSet<>();
        Process writer = null;
        Path writerOut = settings.dir().resolve("second-writer.out");
        if (settings.secondWriter()) {
            writer = DriverProcess.start(DriverProcess.javaCommand(SecondWriter.class.getName(), "-Xmx256m",
                    List.of(store.toUri().toString(), Long.toString(settings.writerPeriodMs()), Long.toString(settings.seed()))), writerOut);
            say("second writer: pid " + writer.pid() + ", an attempt every " + settings.writerPeriodMs() + " ms");
        }
        // Targets a campaign has gone past (a kill that landed late, a stage that ended before the kill's moment, a
        // compaction another writer did) are moved to a seeded moment of the next execution of the same stage kind, or of
        // the execution in progress when the kind has no execution left, so the run still gets every kill of the plan.
        List<KillPlan.Target> targets = new ArrayList<>(plan.targets());
        int next = 0;
        int starts = 0;
        int refusedStarts = 0;
        int retryKillsLeft = settings.retryKills();
        int lateReaims = 0;
        try {
            while (true) {
                boolean started = Files.exists(d.resolve("state.json"));
                List<String> args = started ? List.of("resume", d.toString()) : List.of("run", settings.config().toString(), "--dir", d.toString());
                Set<String> before = storedTasks(store);
                long offset = Files.exists(campaignLog) ? Files.size(campaignLog) : 0;
                long driverOffset = offset;
                Path out = settings.dir().resolve(String.format("driver-%03d.out", starts));
                long born = nanoTicker.getAsLong();
                Process p = DriverProcess.crucible(args, out);
                pace.driverStarted();
                starts++;
                driverPids.add(p.pid());
                storedAtStart.put(p.pid(), before);
                if (started) {
                    CampaignState s = CampaignState.read(d.resolve("state.json"));
                    int at = plan.executionOf(s.cycle(), s.next());
                    if (at >= 0 && at < plan.executions().size()) reaim(plan, targets, next, at, rnd, "is behind the campaign");
                }
                if (started && retryKillsLeft > 0) {
                    String landed = killInRetryPass(p, campaignLog, offset, rnd);
                    if (landed != null) {
                        double alive = (nanoTicker.getAsLong() - born) * 1e-9;
                        CampaignState s = CampaignState.read(d.resolve("state.json"));
                        Kill k = new Kill(kills.size() + 1, p.pid(), "retry pass", s.cycle(), s.next(), CompactionProbe.step(store), alive, landed);
                        kills.add(k);
                        say(k.describe());
                        if (k.inRetry()) retryKillsLeft--;
                        continue;
                    }
                }
                boolean killed = false;
                while (next < targets.size() && p.isAlive()) {
                    KillPlan.Target t = targets.get(next);
                    Aim aim = aim(plan, t, p, campaignLog, offset, store, d, pace, driverOffset);
                    if (aim == Aim.MISSED) {
                        int at = current(plan, d);
                        if (at < 0 || at >= plan.executions().size()) {
                            say("target " + describe(plan, t) + " missed and the campaign has no stage left to aim at");
                            next++;
                            continue;
                        }
                        reaim(plan, targets, next, at, rnd, "missed (the stage ended without it)");
                        offset = logOffsetOfStart(campaignLog, offset, plan.executions().get(at));
                        continue;
                    }
                    if (aim == Aim.EXITED) break;
                    p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no lease release, no cleanup
                    if (!p.waitFor(60, TimeUnit.SECONDS)) throw new HarnessException("driver pid " + p.pid() + " did not die after SIGKILL");
                    double alive = (nanoTicker.getAsLong() - born) * 1e-9;
                    CampaignState s = Files.exists(d.resolve("state.json")) ? CampaignState.read(d.resolve("state.json")) : null;
                    Kill k = new Kill(kills.size() + 1, p.pid(), describe(plan, t) + (t.compaction() ? "" : String.format(", paced x%.3f", pace.factor())), s == null ? 0 : s.cycle(), s == null ? Stage.GENERATE : s.next(),
                            CompactionProbe.step(store), alive, "");
                    kills.add(k);
                    say(k.describe());
                    next++;
                    killed = true;
                    if (s != null && !t.compaction() && lateReaim(plan, targets, next, t, s, rnd)) lateReaims++;
                    break;
                }
                if (killed) continue;
                int code = awaitExit(p, out);
                if (code == 0) {
                    CampaignState s = CampaignState.read(d.resolve("state.json"));
                    if (s.finished()) break;
                    throw new HarnessException("driver pid " + p.pid() + " exited 0 but the campaign is not finished (next " + s.next() + ")");
                }
                String text = Files.readString(out, StandardCharsets.UTF_8);
                if (settings.secondWriter() && text.contains("has another writer") && text.contains(SecondWriter.OWNER)) {
                    refusedStarts++;
                    say("driver pid " + p.pid() + " refused: the second writer held the store's lease; resuming again");
                    Thread.sleep(rnd.nextInt(50, 500));
                    continue;
                }
                throw new HarnessException("driver pid " + p.pid() + " (" + String.join(" ", args) + ") failed with exit " + code + ": " + tail(out));
            }
        } finally {
            if (writer != null) {
                writer.destroyForcibly();
                writer.waitFor(30, TimeUnit.SECONDS);
            }
        }
        WriterLog w = settings.secondWriter() ? writerLog(writerOut, driverPids, refusedStarts) : WriterLog.none();
        if (settings.secondWriter()) {
            say(String.format("second writer: %d attempts, %d refused (%d naming a campaign driver), %d appends let through (added %d), %d errors; "
                    + "%d driver starts refused because it held the lease", w.attempts(), w.refused(), w.refusedNamingADriver(), w.appended(),
                    w.appendedAdded(), w.errors().size(), w.driverStartsRefused()));
        }
        return new Killed(kills, starts, w, storedAtStart, lateReaims);
    }

    private enum Aim { FIRE, MISSED, EXITED }

    /** In execution order, as {@link KillPlan#of} orders them: compaction kills first, then timed kills by fraction. */
    private static final java.util.Comparator<KillPlan.Target> TARGET_ORDER = java.util.Comparator.comparingInt(KillPlan.Target::execution)
            .thenComparing((KillPlan.Target x) -> !x.compaction()).thenComparingDouble(KillPlan.Target::fraction);

    /**
     * A timed kill that landed in another stage kind than it was aimed at (it fired after its stage ended: the pace of the
     * last stretch was off) gets a new target at a seeded moment of its kind's next execution, added after the ones left
     * ({@code from} on), so the run still kills inside that kind; true when one was added, false when the kill landed in
     * its kind or the kind has no execution left (then the miss stands and the run reports the kind as not hit).
     */
    private boolean lateReaim(KillPlan plan, List<KillPlan.Target> targets, int from, KillPlan.Target t, CampaignState landed, SplittableRandom rnd) {
        Stage kind = plan.executions().get(t.execution()).stage();
        if (landed.next() == kind) return false;
        int at = plan.executionOf(landed.cycle(), landed.next());
        if (at < 0) return false;
        var again = plan.afterLateKill(t, at, rnd.nextDouble());
        if (again.isEmpty()) {
            say("kill aimed at " + describe(plan, t) + " landed late, in cycle " + landed.cycle() + " " + landed.next() + "; no " + kind + " is left to aim at");
            return false;
        }
        say("kill aimed at " + describe(plan, t) + " landed late, in cycle " + landed.cycle() + " " + landed.next() + ": one more kill, aimed at "
                + describe(plan, again.get()));
        targets.add(from, again.get());
        targets.subList(from, targets.size()).sort(TARGET_ORDER);
        return true;
    }

    /** Moves every target from index {@code from} on that is behind execution {@code at} ({@link KillPlan#reaim}), in order. */
    private void reaim(KillPlan plan, List<KillPlan.Target> targets, int from, int at, SplittableRandom rnd, String why) {
        for (int i = from; i < targets.size(); i++) {
            KillPlan.Target t = targets.get(i);
            if (t.execution() >= at) continue;
            KillPlan.Target moved = plan.reaim(t, at, rnd.nextDouble());
            say("target " + describe(plan, t) + " " + why + ": moved to " + describe(plan, moved));
            targets.set(i, moved);
        }
        targets.subList(from, targets.size()).sort(TARGET_ORDER);
    }

    /**
     * When driver {@code p} starts by sending FAILED labels again (its log says {@code retrying N failed label(s)}, N > 0),
     * SIGKILLs it once a seeded number (0..N-1) of the retries has been stored, and returns where the kill landed: how
     * many retries were stored and how many were in flight (read from the log after the kill). Returns null, killing
     * nothing, when the driver starts a stage or exits without a retry pass.
     */
    private String killInRetryPass(Process p, Path campaignLog, long offset, SplittableRandom rnd) throws IOException, InterruptedException {
        long deadline = nanoTicker.getAsLong() + TimeUnit.SECONDS.toNanos(settings.childTimeoutS());
        int n;
        int from;
        while (true) {
            String text = newText(campaignLog, offset);
            Matcher m = RETRYING.matcher(text);
            if (m.find()) {
                n = Integer.parseInt(m.group(1));
                from = m.end();
                break;
            }
            if (STAGE_START.matcher(text).find() || !p.isAlive()) return null;
            if (nanoTicker.getAsLong() > deadline) throw new HarnessException("driver pid " + p.pid() + " started no stage");
            Thread.sleep(2);
        }
        if (n == 0) return null;
        int wait = rnd.nextInt(n);
        while (count(newText(campaignLog, offset).substring(from), RETRY_RESULT) < wait) {
            if (!p.isAlive()) return null;
            if (nanoTicker.getAsLong() > deadline) throw new HarnessException("driver pid " + p.pid() + " hung in its retry pass");
            Thread.sleep(1);
        }
        p.destroyForcibly(); // SIGKILL
        if (!p.waitFor(60, TimeUnit.SECONDS)) throw new HarnessException("driver pid " + p.pid() + " did not die after SIGKILL");
        String after = newText(campaignLog, offset).substring(from);
        int stored = count(after, RETRY_RESULT);
        boolean done = stored >= n || STAGE_START.matcher(after).find();
        return done ? "after its retry pass (" + stored + " of " + n + " retries stored)"
                : IN_RETRY + " (" + stored + " of " + n + " retries stored, " + (n - stored) + " in flight)";
    }

    private static int count(String text, String needle) {
        int c = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) c++;
        return c;
    }

    /**
     * Waits until target {@code t} is due in driver {@code p} (then sleeps its delay, paced by {@code pace}, which reads
     * the log from the driver's start {@code driverOffset}), the stage passes it, or {@code p} exits.
     */
    private Aim aim(KillPlan plan, KillPlan.Target t, Process p, Path campaignLog, long offset, Path store, Path d, RunPace pace, long driverOffset)
            throws IOException, InterruptedException {
        KillPlan.Execution e = plan.executions().get(t.execution());
        String startLine = e.startLine();
        long deadline = nanoTicker.getAsLong() + TimeUnit.SECONDS.toNanos(settings.childTimeoutS());
        while (!newText(campaignLog, offset).contains(startLine)) {
            pace.observe(newText(campaignLog, driverOffset));
            if (!p.isAlive()) return Aim.EXITED;
            if (passed(plan, t, d)) return Aim.MISSED;
            if (nanoTicker.getAsLong() > deadline) throw new HarnessException("driver pid " + p.pid() + " never started " + startLine);
            Thread.sleep(5);
        }
        if (t.compaction()) {
            while (CompactionProbe.step(store).isEmpty()) {
                if (!p.isAlive()) return Aim.EXITED;
                if (passed(plan, t, d)) return Aim.MISSED;
                if (nanoTicker.getAsLong() > deadline) throw new HarnessException("driver pid " + p.pid() + " hung in " + startLine);
                Thread.sleep(1);
            }
            return Aim.FIRE;
        }
        pace.observe(newText(campaignLog, driverOffset));
        long delayMs = Math.round(pace.delaySeconds(plan, t) * 1000);
        if (delayMs > 0) p.waitFor(delayMs, TimeUnit.MILLISECONDS);
        return p.isAlive() ? Aim.FIRE : Aim.EXITED;
    }

    /** The execution the campaign's checkpoint says is in progress, or -1. */
    private static int current(KillPlan plan, Path d) {
        try {
            CampaignState s = CampaignState.read(d.resolve("state.json"));
            return plan.executionOf(s.cycle(), s.next());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Where to look for the start line of {@code e} from: its last occurrence after {@code offset} (the execution already
     * started in this driver), else {@code offset}.
     */
    private static long logOffsetOfStart(Path campaignLog, long offset, KillPlan.Execution e) throws IOException {
        String text = newText(campaignLog, offset);
        int i = text.lastIndexOf(e.startLine());
        return i < 0 ? offset : offset + text.substring(0, i).getBytes(StandardCharsets.UTF_8).length;
    }

    /** True when the campaign's checkpoint shows it beyond the execution of {@code t}. */
    private static boolean passed(KillPlan plan, KillPlan.Target t, Path d) {
        try {
            CampaignState s = CampaignState.read(d.resolve("state.json"));
            int at = plan.executionOf(s.cycle(), s.next());
            return at > t.execution();
        } catch (IOException | RuntimeException e) {
            return false; // being replaced this instant: look again
        }
    }

    private static String describe(KillPlan plan, KillPlan.Target t) {
        KillPlan.Execution e = plan.executions().get(t.execution());
        return "cycle " + e.cycle() + " " + e.stage() + (t.compaction() ? " compaction" : String.format(" at %.2f of %.1f s (reference)", t.fraction(), e.seconds()));
    }

    /**
     * The tasks whose record is final in the store at {@code store} (not FAILED: a FAILED label may be sent again, as a
     * retry, by the next driver), read without the lease; empty when there is no store yet. What a driver about to start
     * must not pay for again ({@link CampaignAudit#audit}'s {@code storedAtStart}).
     */
    public static Set<String> storedTasks(Path store) {
        if (!Files.isDirectory(store)) return Set.of();
        try (TrainingStore ro = TrainingStore.openReadOnly(store.toUri(), new Configuration())) {
            Set<String> out = new TreeSet<>();
            ro.entries().forEach((h, e) -> {
                if (e.status() != org.crucible.driver.store.LabelStatus.FAILED) out.add(h);
            });
            return out;
        }
    }

    private static WriterLog writerLog(Path out, Set<Long> driverPids, int refusedStarts) throws IOException {
        int attempts = 0;
        int refused = 0;
        int naming = 0;
        int appended = 0;
        int added = 0;
        int empty = 0;
        List<String> errors = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (String l : Files.exists(out) ? Files.readAllLines(out) : List.<String>of()) {
            if (l.startsWith("REFUSED ")) {
                attempts++;
                refused++;
                Matcher m = HOLDER.matcher(l);
                if (l.contains("has another writer") && m.find() && m.group(1).equals("crucible") && driverPids.contains(Long.parseLong(m.group(2)))) naming++;
                else bad.add(l);
            } else if (l.startsWith("APPENDED ")) {
                attempts++;
                appended++;
                Matcher m = Pattern.compile("added=(\\d+)").matcher(l);
                if (m.find()) added += Integer.parseInt(m.group(1));
            } else if (l.startsWith("EMPTY")) {
                empty++;
            } else if (l.startsWith("ERROR ")) {
                attempts++;
                errors.add(l);
            }
        }
        return new WriterLog(attempts, refused, naming, appended, added, empty, errors, bad, refusedStarts);
    }

    private int awaitExit(Process p, Path out) throws InterruptedException, IOException {
        if (!p.waitFor(settings.childTimeoutS(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new HarnessException("driver pid " + p.pid() + " did not finish within " + settings.childTimeoutS() + " s: " + tail(out));
        }
        return p.exitValue();
    }

    private static String newText(Path file, long offset) throws IOException {
        if (!Files.exists(file)) return "";
        byte[] b = Files.readAllBytes(file);
        return offset >= b.length ? "" : new String(b, (int) offset, b.length - (int) offset, StandardCharsets.UTF_8);
    }

    private static String tail(Path out) {
        try {
            String s = Files.readString(out, StandardCharsets.UTF_8);
            return s.length() > 3000 ? "..." + s.substring(s.length() - 3000) : s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void say(String line) {
        if (log != null) {
            log.println("kill-harness: " + line);
            log.flush();
        }
    }

    /** The harness itself could not go on (a child failed or hung): not a verdict on the store. */
    public static final class HarnessException extends RuntimeException {
        public HarnessException(String message) {
            super(message);
        }
    }
}
