package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.dft.hpc.ShellQuote;
import org.crucible.dft.hpc.testing.LocalSlurm;
import org.crucible.dft.hpc.testing.SiliconTasks;
import org.crucible.driver.bench.CampaignAudit;
import org.crucible.driver.bench.DriverProcess;
import org.crucible.driver.bench.KillHarness;
import org.crucible.driver.campaign.CampaignState;
import org.crucible.driver.oracle.OracleCallLedger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20's kill harness against real pw.x on the local SLURM cluster (deploy/local-slurm, sshd on 127.0.0.1):
 * {@code deploy/kill-harness/si2-qe-slurm.yaml} runs once uninterrupted (the reference), then again in {@code crucible}
 * driver JVMs SIGKILLed at three kinds of moment of the cluster oracle, each resumed with {@code crucible resume}:
 * <ul>
 *   <li>{@link Aim#JOBS_IN_FLIGHT}: a job is queued or running (recorded SUBMITTED with its job id, no output fetched);</li>
 *   <li>{@link Aim#INSIDE_HARVEST}: a finished task's outputs are being written to {@code cluster-farm/tasks/H/out/}
 *       and the farm has not yet recorded it DONE;</li>
 *   <li>{@link Aim#BEFORE_STORE_APPEND}: the farm has recorded a label task DONE (state.json) and the training store does
 *       not hold its label yet;</li>
 *   <li>{@link Aim#AT_SUBMISSION}: sbatch has created a job and the farm has not recorded its id (the batch is still
 *       PREPARED): the sbatch wrapper pauses {@value #SUBMIT_PAUSE_SECONDS} s after a successful sbatch, before the
 *       submit command's answer can reach the driver, so the resumed driver must find the job from the remote record
 *       ({@code sbatch.out}) or the queue (by the batch id in the job's comment) and never submit it again;</li>
 *   <li>{@link Aim#VALIDATION_IN_FLIGHT}: VALIDATE's pw.x {@code vc-relax} job is queued or running; the resumed driver
 *       re-attaches to it, and the validated structures equal the reference's.</li>
 * </ul>
 * Where each kill landed is read from the files after it, not assumed; a kill that missed its kind is aimed again at the
 * next driver. What is paid for is counted on the cluster side: an sbatch wrapper writes the job directory of every
 * call, and the code command writes its task directory before running pw.x. Asserted: every job submitted once (as
 * many sbatch calls as the reference), pw.x run once per task, each farm task in one job, the final store equal to the
 * reference's (same task hashes, each once, energies within one unit of pw.x's last printed digit), {@code store
 * verify} exit 0, and no oracle call for a label that was stored when its driver started. {@value #KILLS_DEFAULT}
 * kills by default (one of each kind); {@code -Dcrucible.cluster.kills=N} (N above the default also makes the campaign larger: 8 + 4 + 4 labels).
 * The second test takes the cluster away under a running driver instead (sshd killed, then slurmctld stopped) and
 * checks that the driver waits, logs, and completes the same campaign.
 */
class ClusterCampaignKillTest {
    static final int KILLS_DEFAULT = 5;
    /** Seconds the killed run's sbatch wrapper waits after a successful sbatch (the {@link Aim#AT_SUBMISSION} window). */
    static final int SUBMIT_PAUSE_SECONDS = 3;
    /** One unit in the last digit of the total energy pw.x prints (1e-8 Ry), eV: the precision of the parsed labels. */
    static final double PW_LAST_DIGIT_EV = 1e-8 * 13.605693122994;

    /** Where a kill is aimed. */
    enum Aim { AT_SUBMISSION, JOBS_IN_FLIGHT, INSIDE_HARVEST, BEFORE_STORE_APPEND, VALIDATION_IN_FLIGHT }

    /**
     * One SIGKILL and what the files showed after it: label or validation tasks whose job was queued or running
     * ({@code inFlight}), tasks with fetched outputs not yet recorded DONE ({@code harvesting}), label tasks recorded
     * DONE whose label the store did not hold ({@code doneNotStored}); {@code stage} from the campaign's state.json.
     */
    record Kill(int index, long pid, Aim aim, double aliveSeconds, String stage, int inFlight, int harvesting, int doneNotStored,
                int submittedUnrecorded, int validationInFlight) {
        boolean landed() {
            return switch (aim) {
                case JOBS_IN_FLIGHT -> inFlight > 0;
                case INSIDE_HARVEST -> harvesting > 0;
                case BEFORE_STORE_APPEND -> doneNotStored > 0;
                case AT_SUBMISSION -> submittedUnrecorded > 0;
                case VALIDATION_IN_FLIGHT -> validationInFlight > 0;
            };
        }

        String describe() {
            return String.format("[kill %d] pid %d after %.1f s aimed %s: %s; stage %s; jobs in flight %d, outputs fetched not recorded %d, "
                    + "DONE not stored %d, jobs created not recorded %d, validation jobs in flight %d", index, pid, aliveSeconds, aim,
                    landed() ? "landed" : "missed", stage, inFlight, harvesting, doneNotStored, submittedUnrecorded, validationInFlight);
        }
    }

    @TempDir
    static Path tmp;
    static LocalSlurm cluster;
    static int kills;
    static Path reference;
    static Path referenceProfile;
    static double referenceSeconds;


    /**
     * The local profile with its own work root, a fast poll, an sbatch wrapper writing the job directory of each call that
     * created a job to {@code sbatch.calls}, and a code command that writes its task directory to {@code pw.runs} and sleeps
     * {@code sleepSeconds} before pw.x (so jobs stay queued or running long enough to be killed).
     */
    static Path profile(String test, int sleepSeconds) throws IOException {
        return profile(test, sleepSeconds, 0);
    }

    /**
     * {@link #profile(String, int)} whose sbatch wrapper, after a successful sbatch, writes the job directory to
     * {@code sbatch.window.begin}, sleeps {@code submitPause} seconds and writes it to {@code sbatch.window.end} (0: no
     * pause, no window files).
     */
    static Path profile(String test, int sleepSeconds, int submitPause) throws IOException {
        Path work = cluster.workRoot(test);
        Path wrapper = work.resolve("sbatch-counting");
        // one line per call that created a job (sbatch exit 0): a refused call (controller down) creates none
        String window = submitPause <= 0 ? "" : "[ $rc = 0 ] && { pwd >> " + ShellQuote.quote(work.resolve("sbatch.window.begin").toString())
                + "; sleep " + submitPause + "; pwd >> " + ShellQuote.quote(work.resolve("sbatch.window.end").toString()) + "; }\n";
        Files.writeString(wrapper, "#!/bin/sh\nsbatch \"$@\"\nrc=$?\n[ $rc = 0 ] && pwd >> " + ShellQuote.quote(work.resolve("sbatch.calls").toString())
                + "\n" + window + "exit $rc\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        String prefix = "pwd >> " + work.resolve("pw.runs") + "; sleep " + sleepSeconds + "; ";
        String yaml = Files.readString(cluster.clusterYaml())
                .replaceAll("(?m)^work_root:.*$", "work_root: " + work)
                .replaceAll("(?m)^poll_interval:.*$", "poll_interval: 300ms")
                .replace("command: \"pw.x -in {input}\"", "command: \"" + prefix + "pw.x -in {input}\"")
                + "submit_command: " + wrapper + "\n";
        assertTrue(yaml.contains(prefix), "the profile's qe command was rewritten: " + yaml);
        Path p = tmp.resolve(test + "-profile.yaml");
        Files.writeString(p, yaml);
        return p;
    }

    static Path workRoot(Path profile) throws IOException {
        return Path.of(Files.readAllLines(profile).stream().filter(l -> l.startsWith("work_root:")).findFirst().orElseThrow()
                .substring("work_root:".length()).strip());
    }

    /** Lines of a counting file on the cluster side, with how often each occurs. */
    static Map<String, Integer> counts(Path file) throws IOException {
        Map<String, Integer> m = new TreeMap<>();
        if (Files.exists(file)) for (String l : Files.readAllLines(file)) m.merge(l.strip(), 1, Integer::sum);
        return m;
    }

    /** deploy/kill-harness/si2-qe-slurm.yaml with this test's profile file; larger for long runs. */
    static Path campaign(String test, Path profile, boolean large) throws IOException {
        String yaml = Files.readString(TestEnvironment.repositoryRoot().resolve("deploy/kill-harness/si2-qe-slurm.yaml"));
        assertTrue(yaml.contains("  profile: local\n"), "the campaign names cluster local");
        yaml = yaml.replace("  profile: local\n", "  profiles_file: " + profile + "\n  profile: local\n");
        if (large) {
            yaml = yaml.replace("cycle0_batch: 4 ", "cycle0_batch: 8 ").replace("selection: {batch: 2}", "selection: {batch: 4}")
                    .replace("max_cycles: 2}", "max_cycles: 3}");
        }
        Path f = tmp.resolve(test + ".yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @BeforeAll
    static void uninterruptedCampaign() throws Exception {
        cluster = LocalSlurm.assumeUp();
        SiliconTasks.assumePwAndRecipe();
        kills = Integer.getInteger("crucible.cluster.kills", KILLS_DEFAULT);
        referenceProfile = profile("cluster-kill-ref", 2);
        reference = tmp.resolve("reference");
        long t0 = System.nanoTime();
        CampaignCliTest.Result r = CampaignCliTest.cli("run", campaign("reference", referenceProfile, kills > KILLS_DEFAULT).toString(), "--dir", reference.toString());
        referenceSeconds = (System.nanoTime() - t0) * 1e-9;
        assertEquals(0, r.code(), r.out() + r.err());
        System.out.printf("[cluster-kill] reference %.1f s, %d sbatch calls, %d pw.x runs%n", referenceSeconds,
                counts(workRoot(referenceProfile).resolve("sbatch.calls")).size(), counts(workRoot(referenceProfile).resolve("pw.runs")).size());
    }

    @Test
    void killMinus9WhileJobsRunWhileHarvestingAndBeforeTheStoreAppendPaysNothingTwice() throws Exception {
        Path profile = profile("cluster-kill", 2, SUBMIT_PAUSE_SECONDS);
        Path work = workRoot(profile);
        Path config = campaign("killed", profile, kills > KILLS_DEFAULT);
        Path d = tmp.resolve("killed");
        SplittableRandom rnd = new SplittableRandom(Long.getLong("crucible.cluster.seed", 20));
        Deque<Aim> aims = new ArrayDeque<>();
        for (int i = 0; i < kills; i++) aims.add(Aim.values()[i % Aim.values().length]);
        List<Kill> done = new ArrayList<>();
        Map<Long, Set<String>> storedAtStart = new LinkedHashMap<>();
        int starts = 0;
        int misses = 0;
        long t0 = System.nanoTime();
        while (true) {
            boolean started = Files.exists(d.resolve("state.json"));
            List<String> args = started ? List.of("resume", d.toString()) : List.of("run", config.toString(), "--dir", d.toString());
            Set<String> before = KillHarness.storedTasks(d.resolve("store"));
            FarmView atStart = FarmView.read(d);
            Set<String> doneAtStart = atStart.labelTasksIn("DONE");
            Set<String> outAtStart = atStart.withOutputs(d);
            Path out = tmp.resolve(String.format("driver-%02d.out", starts++));
            long born = System.nanoTime();
            Process p = DriverProcess.crucible(args, out);
            storedAtStart.put(p.pid(), before);
            Aim aim = aims.peek();
            if (aim != null && aimAt(aim, p, d, work, doneAtStart, outAtStart, rnd)) {
                p.destroyForcibly(); // SIGKILL: no shutdown hook, no lease release, the jobs keep running
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "driver " + p.pid() + " died");
                Kill k = landing(done.size() + 1, p.pid(), aim, (System.nanoTime() - born) * 1e-9, d, work);
                done.add(k);
                System.out.println("[cluster-kill] " + k.describe());
                if (k.landed() || ++misses > kills) aims.poll(); // aim a missed kind again, within a bound
                continue;
            }
            assertTrue(p.waitFor(600, TimeUnit.SECONDS), "driver " + p.pid() + " finished: " + Files.readString(out));
            assertEquals(0, p.exitValue(), String.join(" ", args) + ": " + Files.readString(out));
            assertTrue(CampaignState.read(d.resolve("state.json")).finished(), "the campaign finished");
            break;
        }
        double killedSeconds = (System.nanoTime() - t0) * 1e-9;

        // every kind of moment was hit (read from the files after each kill)
        Map<Aim, Long> landed = done.stream().filter(Kill::landed).collect(Collectors.groupingBy(Kill::aim, TreeMap::new, Collectors.counting()));
        for (Aim a : Aim.values()) assertTrue(landed.getOrDefault(a, 0L) >= 1, "a kill landed " + a + ": " + done);
        assertTrue(starts >= done.size() + 1, "resumed after every kill");

        // paid once: sbatch calls and pw.x runs counted on the cluster side
        Map<String, Integer> sbatchRef = counts(workRoot(referenceProfile).resolve("sbatch.calls"));
        Map<String, Integer> sbatch = counts(workRoot(profile).resolve("sbatch.calls"));
        Map<String, Integer> pwRef = counts(workRoot(referenceProfile).resolve("pw.runs"));
        Map<String, Integer> pw = counts(workRoot(profile).resolve("pw.runs"));
        assertEquals(sbatchRef.size(), sbatch.size(), "as many jobs as the uninterrupted run: " + sbatch.keySet());
        sbatch.forEach((job, n) -> assertEquals(1, n, "job directory " + job + " submitted once"));
        pw.forEach((task, n) -> assertEquals(1, n, "pw.x ran once in " + task));
        assertEquals(pwRef.size(), pw.size(), "as many pw.x runs as the uninterrupted run");

        assertEachTaskInOneJob(FarmView.read(d));
        if (landed.containsKey(Aim.AT_SUBMISSION)) {
            // how the resumed driver learnt the id of the job its predecessor created: the remote record or the queue
            String events = Files.readString(d.resolve("cluster-farm/events.log"));
            List<String> adopted = events.lines().filter(l -> l.contains("recover ") && l.contains(": adopted job ")).toList();
            assertTrue(!adopted.isEmpty(), "a submission interrupted after sbatch was adopted, not resubmitted: " + events);
            System.out.println("[cluster-kill] " + String.join(" | ", adopted));
        }

        // the validated structures: the same as the reference's, whatever the kill during the vc-relax job
        List<CampaignState.Best> bestRef = CampaignState.read(reference.resolve("state.json")).best();
        List<CampaignState.Best> best = CampaignState.read(d.resolve("state.json")).best();
        assertEquals(bestRef.size(), best.size(), "validated structures: " + best + " vs " + bestRef);
        for (int i = 0; i < best.size(); i++) {
            assertEquals(bestRef.get(i).poolId(), best.get(i).poolId(), "validated pool id " + i);
            assertEquals(bestRef.get(i).energyEvPerAtom(), best.get(i).energyEvPerAtom(), PW_LAST_DIGIT_EV, "validated energy " + i);
        }

        // the store against the reference, and the oracle's own ledger
        CampaignAudit.Result a = CampaignAudit.audit(reference, d, storedAtStart);
        System.out.println("[cluster-kill] " + a.describe());
        assertTrue(a.referenceLabels() >= 6, "the reference labels cycle 0 and cycle 1: " + a.referenceLabels());
        assertEquals(List.of(), a.lost(), "no label of the reference lost");
        assertEquals(List.of(), a.extra(), "no label the reference does not have");
        assertEquals(0, a.duplicated(), "each label stored once");
        assertEquals(a.labels(), a.verify().frames(), "one frame per label on disk");
        assertEquals(0, a.statusMismatches());
        assertTrue(a.maxEnergyDifferenceEv() <= PW_LAST_DIGIT_EV, "energies equal to pw.x's printed precision: " + a.maxEnergyDifferenceEv());
        assertTrue(a.verify().clean(), a.verify().toString());
        assertEquals(List.of(), a.repeatedAfterStored(), "no oracle call for a label stored when its driver started");
        assertEquals(List.of(), a.calledNotStored(), "every label the oracle returned is stored");
        assertEquals(a.labels() + a.repeatedInterrupted(), a.labelCalls(), "ledger calls = labels + calls repeated after an interrupted one");
        CampaignCliTest.Result v = CampaignCliTest.cli("store", "verify", d.toString());
        assertEquals(0, v.code(), v.out() + v.err());
        assertTrue(v.out().contains("clean"), v.out());

        System.out.printf("[cluster-kill] %d kills (%d planned), landed %s, %d driver starts; reference %.1f s, killed run %.1f s; sbatch calls %d "
                        + "(reference %d), pw.x runs %d (reference %d), ledger label calls %d for %d labels (%d after an interrupted call)%n",
                done.size(), kills, landed, starts, referenceSeconds, killedSeconds, sbatch.size(), sbatchRef.size(), pw.size(), pwRef.size(),
                a.labelCalls(), a.labels(), a.repeatedInterrupted());
    }

    /**
     * The cluster goes away twice during one campaign driver's life, and comes back: sshd is killed (with every open
     * connection) while cycle 0's jobs run, so every SSH call is refused, and started again after at least
     * {@value #OUTAGE_SECONDS} s and a logged reconnection attempt refused; then slurmctld is stopped while a later job
     * runs, so squeue fails while SSH works, and restarted ({@code up.sh}, which recovers the controller's saved state)
     * after at least {@value #OUTAGE_SECONDS} s and two failed polls. The driver must wait, retrying with a backoff and
     * a log line for each attempt, then finish the campaign with the reference's labels, each once, every job submitted
     * once and pw.x run once per task.
     */
    @Test
    void sshdRefusingAndSlurmctldStoppedMidCampaignTheDriverWaitsRetriesAndCompletesEachLabelOnce() throws Exception {
        Path profile = profile("cluster-outage", 2);
        Path config = campaign("outage", profile, kills > KILLS_DEFAULT);
        Path d = tmp.resolve("outage");
        Path out = tmp.resolve("outage.out");
        Path events = d.resolve("cluster-farm/events.log");
        Path campaignLog = d.resolve("campaign.log");
        Path ctldPid = cluster.state().resolve("run/slurmctld.pid");
        Process p = DriverProcess.crucible(List.of("run", config.toString(), "--dir", d.toString()), out);
        String sshFailures;
        String ctldFailures;
        try {
            Set<String> firstJobs = awaitJobInFlight(p, d, out, Set.of());
            long logFrom = Files.size(campaignLog);
            cluster.killSshd();
            // the shell reconnects with its own backoff (1 s doubling to 60 s, 8 tries, a WARN line each) before a poll fails
            sshFailures = awaitLines(p, campaignLog, logFrom, l -> l.contains("SshShell") && l.contains("Connection refused")
                    && l.contains("retrying in"), 1, out);
            cluster.startSshd();
            awaitJobInFlight(p, d, out, firstJobs);
            long pid = Long.parseLong(Files.readString(ctldPid).strip());
            long eventsFrom = Files.size(events);
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy); // SIGTERM: the controller shuts down, the jobs run on
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) Thread.sleep(50);
            ctldFailures = awaitLines(p, events, eventsFrom, l -> l.contains("poll failed"), 2, out);
            cluster.ensureUp(); // slurmctld -i: recovers its saved job state
            assertTrue(p.waitFor(600, TimeUnit.SECONDS), "the driver finished after the outages: " + Files.readString(out));
        } finally {
            if (p.isAlive()) p.destroyForcibly();
            cluster.ensureUp();
        }
        String driverOut = Files.readString(out);
        assertEquals(0, p.exitValue(), driverOut);
        assertTrue(CampaignState.read(d.resolve("state.json")).finished(), "the campaign finished");
        assertTrue(ctldFailures.toLowerCase(java.util.Locale.ROOT).contains("slurm"), "the controller's error while it was down: " + ctldFailures);
        List<String> waits = Files.readAllLines(campaignLog).stream().filter(l -> l.contains("did not answer the poll")).toList();
        assertTrue(waits.size() >= 2, "campaign.log has a line for each failed poll: " + waits);
        assertTrue(waits.stream().allMatch(l -> l.contains("polling again in") && l.contains("giving up after")), waits.toString());

        Map<String, Integer> sbatch = counts(workRoot(profile).resolve("sbatch.calls"));
        Map<String, Integer> pw = counts(workRoot(profile).resolve("pw.runs"));
        assertEquals(counts(workRoot(referenceProfile).resolve("sbatch.calls")).size(), sbatch.size(), "as many jobs as the uninterrupted run");
        sbatch.forEach((job, n) -> assertEquals(1, n, "job directory " + job + " submitted once"));
        pw.forEach((task, n) -> assertEquals(1, n, "pw.x ran once in " + task));
        assertEachTaskInOneJob(FarmView.read(d));
        CampaignAudit.Result a = CampaignAudit.audit(reference, d, Map.of());
        System.out.println("[cluster-outage] " + a.describe());
        assertEquals(List.of(), a.lost());
        assertEquals(List.of(), a.extra());
        assertEquals(0, a.duplicated());
        assertEquals(a.labels(), a.verify().frames(), "one frame per label on disk");
        assertTrue(a.maxEnergyDifferenceEv() <= PW_LAST_DIGIT_EV, "energies equal to pw.x's printed precision: " + a.maxEnergyDifferenceEv());
        assertTrue(a.verify().clean(), a.verify().toString());
        assertEquals(a.labels(), a.labelCalls(), "one oracle call per label");
        System.out.println("[cluster-outage] campaign.log: " + waits.get(0) + " ... " + waits.get(waits.size() - 1));
        System.out.println("[cluster-outage] sshd down: " + sshFailures.strip().replace('\n', '|'));
        System.out.println("[cluster-outage] slurmctld down: " + ctldFailures.strip().replace('\n', '|'));
    }

    /** The farm book: every farm task went to exactly one job that got a SLURM id, and ended DONE with no failed attempt. */
    static void assertEachTaskInOneJob(FarmView farm) {
        Map<String, Integer> jobsPerTask = new TreeMap<>();
        for (JsonNode b : farm.batches().values()) {
            if (b.path("jobId").isNull() || b.path("jobId").isMissingNode()) continue;
            for (JsonNode h : b.get("tasks")) jobsPerTask.merge(h.asText(), 1, Integer::sum);
        }
        assertEquals(farm.tasks().keySet(), jobsPerTask.keySet(), "every farm task went to a job");
        jobsPerTask.forEach((h, n) -> assertEquals(1, n, "task " + h + " in one job"));
        for (JsonNode t : farm.tasks().values()) {
            assertEquals("DONE", t.get("phase").asText(), t.toString());
            assertEquals(0, t.get("failures").size(), "no failed attempt: " + t);
        }
    }

    static final int OUTAGE_SECONDS = 5;

    /**
     * Waits until driver {@code p} has a label or validation task queued or running in a job not in {@code seen}; returns
     * the jobs (batch ids) then in flight.
     */
    static Set<String> awaitJobInFlight(Process p, Path d, Path out, Set<String> seen) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        while (true) {
            assertTrue(p.isAlive(), "the driver ended early: " + Files.readString(out));
            assertTrue(System.nanoTime() < deadline, "no new job in flight: " + Files.readString(out));
            Set<String> jobs = FarmView.read(d).jobsInFlight(d);
            if (!seen.containsAll(jobs)) return jobs;
            Thread.sleep(10);
        }
    }

    /**
     * Waits at least {@value #OUTAGE_SECONDS} s and until {@code file} has {@code count} lines matching {@code match}
     * after byte {@code from}; returns them.
     */
    static String awaitLines(Process p, Path file, long from, java.util.function.Predicate<String> match, int count, Path out)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(600);
        while (true) {
            assertTrue(p.isAlive(), "the driver ended during the outage: " + Files.readString(out));
            assertTrue(System.nanoTime() < deadline, "the driver did not log its retries in " + file + ": " + Files.readString(out));
            byte[] all = Files.readAllBytes(file);
            String text = new String(all, (int) from, all.length - (int) from, java.nio.charset.StandardCharsets.UTF_8);
            String lines = text.lines().filter(match).collect(Collectors.joining("\n"));
            if (lines.lines().count() >= count && System.nanoTime() - start >= TimeUnit.SECONDS.toNanos(OUTAGE_SECONDS)) return lines;
            Thread.sleep(100);
        }
    }

    /**
     * Waits until driver {@code p} reaches a moment of kind {@code aim} and returns true (the caller kills at once), or
     * false when the driver exited first.
     */
    static boolean aimAt(Aim aim, Process p, Path d, Path work, Set<String> doneAtStart, Set<String> outAtStart, SplittableRandom rnd)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        while (p.isAlive()) {
            assertTrue(System.nanoTime() < deadline, "driver " + p.pid() + " never reached " + aim);
            FarmView f = FarmView.read(d);
            boolean due = switch (aim) {
                case JOBS_IN_FLIGHT -> f.inFlight(d) > 0;
                case VALIDATION_IN_FLIGHT -> f.validationInFlight(d) > 0;
                case INSIDE_HARVEST -> f.withOutputs(d).stream().anyMatch(h -> !outAtStart.contains(h) && "SUBMITTED".equals(f.phase(h)));
                case BEFORE_STORE_APPEND -> !doneAtStart.containsAll(f.labelTasksIn("DONE"));
                case AT_SUBMISSION -> !insideSubmitWindow(work).isEmpty();
            };
            if (due) {
                if (aim != Aim.JOBS_IN_FLIGHT && aim != Aim.VALIDATION_IN_FLIGHT) return true;
                p.waitFor(rnd.nextInt(0, 1500), TimeUnit.MILLISECONDS); // a seeded moment of the job's life
                return p.isAlive();
            }
            Thread.sleep(1);
        }
        return false;
    }

    /** Where the kill of driver {@code pid} landed, read from the farm's state, its downloaded outputs and the store. */
    static Kill landing(int index, long pid, Aim aim, double alive, Path d, Path work) throws IOException {
        FarmView f = FarmView.read(d);
        Set<String> stored = KillHarness.storedTasks(d.resolve("store")).stream().map(h -> h.substring(0, 16)).collect(Collectors.toSet());
        int doneNotStored = 0;
        for (String h : f.labelTasksIn("DONE")) if (!stored.contains(f.storeHashPrefix(h))) doneNotStored++;
        int harvesting = (int) f.withOutputs(d).stream().filter(h -> "SUBMITTED".equals(f.phase(h))).count();
        String stage = Files.exists(d.resolve("state.json")) ? CampaignState.read(d.resolve("state.json")).cycle() + " "
                + CampaignState.read(d.resolve("state.json")).next() : "none";
        Set<String> created = counts(work.resolve("sbatch.calls")).keySet();
        int unrecorded = 0;
        for (JsonNode b : f.batches().values()) {
            String submission = b.hasNonNull("array") ? b.get("array").asText() : b.get("id").asText();
            boolean jobCreated = created.stream().anyMatch(dir -> dir.endsWith("/jobs/" + submission));
            if ("PREPARED".equals(b.get("phase").asText()) && jobCreated) unrecorded++;
        }
        return new Kill(index, pid, aim, alive, stage, f.inFlight(d), harvesting, doneNotStored, unrecorded, f.validationInFlight(d));
    }

    /** Job directories whose sbatch succeeded and whose wrapper is still in its pause (begun, not ended). */
    static Set<String> insideSubmitWindow(Path work) throws IOException {
        Set<String> open = new TreeSet<>(counts(work.resolve("sbatch.window.begin")).keySet());
        open.removeAll(counts(work.resolve("sbatch.window.end")).keySet());
        return open;
    }

    /** The farm's {@code cluster-farm/state.json} as read at one moment (empty when there is none yet). */
    record FarmView(Map<String, JsonNode> tasks, Map<String, JsonNode> batches) {
        static final ObjectMapper JSON = new ObjectMapper();

        static FarmView read(Path d) throws IOException {
            Path f = d.resolve("cluster-farm/state.json");
            Map<String, JsonNode> tasks = new LinkedHashMap<>();
            Map<String, JsonNode> batches = new LinkedHashMap<>();
            if (Files.exists(f)) {
                JsonNode n = JSON.readTree(Files.readAllBytes(f)); // replaced by rename: always a whole file
                n.get("tasks").fields().forEachRemaining(e -> tasks.put(e.getKey(), e.getValue()));
                n.get("batches").fields().forEachRemaining(e -> batches.put(e.getKey(), e.getValue()));
            }
            return new FarmView(tasks, batches);
        }

        String phase(String hash) {
            return tasks.get(hash).get("phase").asText();
        }

        /** Label tasks (named {@code cycleN/<16 hex of the store's task hash>/poolP}) in {@code phase}. */
        Set<String> labelTasksIn(String phase) {
            Set<String> s = new TreeSet<>();
            tasks.forEach((h, t) -> {
                if (t.get("name").asText().startsWith("cycle") && phase.equals(t.get("phase").asText())) s.add(h);
            });
            return s;
        }

        String storeHashPrefix(String hash) {
            return tasks.get(hash).get("name").asText().split("/")[1];
        }

        /** Tasks whose outputs have been (or are being) downloaded to {@code cluster-farm/tasks/H/out/}. */
        Set<String> withOutputs(Path d) {
            Set<String> s = new HashSet<>();
            for (String h : tasks.keySet()) if (Files.isDirectory(d.resolve("cluster-farm/tasks").resolve(h).resolve("out"))) s.add(h);
            return s;
        }

        /** Tasks recorded SUBMITTED in a job with an id whose outputs have not been fetched: queued or running. */
        int inFlight(Path d) {
            return (int) tasksInFlight(d).count();
        }

        /** VALIDATE's tasks (named {@code validation/...}) queued or running. */
        int validationInFlight(Path d) {
            return (int) tasksInFlight(d).filter(t -> t.get("name").asText().startsWith("validation/")).count();
        }

        /** The jobs (batch ids) of the tasks in flight. */
        Set<String> jobsInFlight(Path d) {
            return tasksInFlight(d).map(t -> t.get("batch").asText()).collect(Collectors.toCollection(TreeSet::new));
        }

        private java.util.stream.Stream<JsonNode> tasksInFlight(Path d) {
            Set<String> fetched = withOutputs(d);
            return tasks.entrySet().stream().filter(e -> !fetched.contains(e.getKey())).map(Map.Entry::getValue)
                    .filter(t -> "SUBMITTED".equals(t.get("phase").asText())).filter(t -> {
                        JsonNode b = batches.get(t.path("batch").asText());
                        return b != null && "SUBMITTED".equals(b.get("phase").asText()) && b.hasNonNull("jobId");
                    });
        }
    }
}
