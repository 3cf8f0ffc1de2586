package org.crucible.dft.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.crucible.dft.hpc.FarmState.Attempt;
import org.crucible.dft.hpc.FarmState.BatchPhase;
import org.crucible.dft.hpc.FarmState.TaskPhase;
import org.crucible.dft.hpc.testing.LocalSlurm;
import org.crucible.dft.hpc.testing.SiliconTasks;
import org.crucible.dft.qe.QeInputGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failure handling against the real local SLURM: a job killed at its walltime, a job scancelled by someone
 * else, a task that always fails (budget exhausted, the others go on), campaign cancellation, and a driver that
 * dies after sbatch ran but before it learnt the job id, rebuilt twice from its state directory.
 */
class JobManagerFaultsIntegrationTest {
    @TempDir
    Path local;

    /** First attempt of a task hangs (until walltime or scancel); later attempts run pw.x. */
    static final String HANG_ONCE = "[ -f attempt1 ] || { touch attempt1; sleep 600; }; pw.x -in pw.in";

    @Test
    void walltimeScancelAndExhaustedBudgetAreRecordedAndTheRestGoesOn() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        QeInputGenerator g = SiliconTasks.assumePwAndRecipe();
        Path work = cluster.workRoot("faults");
        DftTask walltime = SiliconTasks.task(g, "walltime", SiliconTasks.si2(0.01));
        DftTask cancelled = SiliconTasks.task(g, "scancelled", SiliconTasks.si2(0.02));
        DftTask broken = SiliconTasks.task(g, "always fails", SiliconTasks.si2(0.03));
        DftTask fine = SiliconTasks.task(g, "fine", SiliconTasks.si2(0.04));
        Map<String, String> commands = new HashMap<>();
        commands.put(walltime.inputs().file("pw.in"), HANG_ONCE);
        commands.put(cancelled.inputs().file("pw.in"), HANG_ONCE);
        commands.put(broken.inputs().file("pw.in"), "echo 'boom: not a DFT code' >&2; exit 3");
        commands.put(fine.inputs().file("pw.in"), "pw.x -in pw.in");
        FarmSettings fs = JobManagerIntegrationTest.settings("faults", work, 1, 2, Duration.ofMinutes(1), 1);
        Scheduler slurm = new SlurmScheduler(JobManagerIntegrationTest.countingSbatch(work).toString());
        try (SshShell ssh = new SshShell(cluster.target());
                JobManager m = new JobManager(fs, ssh, slurm, local, Clock.systemUTC(), Sleeper.SYSTEM)) {
            List<String> h = m.add(List.of(walltime, cancelled, broken, fine), in -> commands.get(in.file("pw.in")));
            boolean scancelled = false;
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            while (!m.step()) {
                assertTrue(System.nanoTime() < deadline, "campaign did not finish: " + m.progress());
                if (!scancelled) {
                    FarmState s = m.state();
                    FarmState.TaskRecord t = s.tasks().get(h.get(1));
                    FarmState.BatchRecord b = t.batch() == null ? null : s.batches().get(t.batch());
                    // cancel the job as another user or an admin would, once the task is running in it
                    if (b != null && b.jobId() != null && Files.exists(work.resolve("faults").resolve(h.get(1)).resolve("attempt1"))) {
                        ssh.exec(List.of("scancel", b.jobId())).orThrow();
                        scancelled = true;
                    }
                }
                Thread.sleep(500);
            }
            Map<String, TaskOutcome> out = m.outcomes();
            assertEquals(TaskPhase.DONE, out.get(h.get(0)).phase(), out.get(h.get(0)).toString());
            assertEquals(List.of(FailureReason.WALLTIME), reasons(out.get(h.get(0)).failures()));
            assertEquals(TaskPhase.DONE, out.get(h.get(1)).phase(), out.get(h.get(1)).toString());
            assertEquals(List.of(FailureReason.CANCELLED), reasons(out.get(h.get(1)).failures()));
            TaskOutcome b = out.get(h.get(2));
            assertEquals(TaskPhase.FAILED, b.phase());
            assertEquals(List.of(FailureReason.CODE_FAILED, FailureReason.CODE_FAILED), reasons(b.failures()));
            assertTrue(b.message().contains("budget of 1 resubmission(s) exhausted") && b.message().contains("boom"), b.message());
            assertEquals(TaskPhase.DONE, out.get(h.get(3)).phase());
            assertTrue(out.get(h.get(3)).failures().isEmpty());
            assertEquals(2 + 2 + 2 + 1, JobManagerIntegrationTest.sbatchCalls(work), "one sbatch per attempt, no more");
            System.out.println("[faults] " + out.get(h.get(0)).failures().get(0) + "\n[faults] "
                    + out.get(h.get(1)).failures().get(0) + "\n[faults] " + b.message());
        }
    }

    @Test
    void cancellingTheCampaignCancelsItsJobsInOneCommand() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        QeInputGenerator g = SiliconTasks.assumePwAndRecipe();
        Path work = cluster.workRoot("cancel");
        FarmSettings fs = JobManagerIntegrationTest.settings("cancel", work, 1, 2, Duration.ofMinutes(5), 2);
        RecordingShell shell = new RecordingShell(new SshShell(cluster.target()));
        try (JobManager m = new JobManager(fs, shell, new SlurmScheduler(), local, Clock.systemUTC(), Sleeper.SYSTEM)) {
            m.add(List.of(SiliconTasks.task(g, "x", SiliconTasks.si2(0.11)), SiliconTasks.task(g, "y", SiliconTasks.si2(0.12))),
                    in -> "sleep 600");
            m.step();
            List<String> ids = m.state().batches().values().stream().map(FarmState.BatchRecord::jobId).toList();
            assertEquals(2, ids.size());
            shell.reset();
            m.cancel();
            assertEquals(List.of("'scancel' '" + ids.get(0) + "' '" + ids.get(1) + "'"), shell.commands());
            assertEquals(2, m.tasksIn(TaskPhase.CANCELLED).size());
            assertTrue(m.step(), "a cancelled campaign is finished");
            Map<String, QueueEntry> q = new SlurmScheduler().queue(shell, fs.jobName());
            for (String id : ids) {
                QueueEntry e = q.get(id);
                assertTrue(e == null || !e.state().active(), "job " + id + " still active: " + e);
            }
        } finally {
            shell.close();
        }
    }

    @Test
    void driverDyingAfterSbatchNeverSubmitsTwiceAndKeepsResults() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        QeInputGenerator g = SiliconTasks.assumePwAndRecipe();
        Path work = cluster.workRoot("crash");
        List<DftTask> tasks = List.of(SiliconTasks.task(g, "p", SiliconTasks.si2(0.21)),
                SiliconTasks.task(g, "q", SiliconTasks.si2(0.22)), SiliconTasks.task(g, "r", SiliconTasks.si2(0.23)));
        FarmSettings fs = JobManagerIntegrationTest.settings("crash", work, 1, 2, Duration.ofMinutes(5), 2);
        Scheduler slurm = new SlurmScheduler(JobManagerIntegrationTest.countingSbatch(work).toString());
        TaskCommand pw = JobManagerIntegrationTest.PW;
        // driver 1: sbatch runs on the cluster, then the answer is lost (connection dropped, driver killed)
        try (SshShell ssh = new SshShell(cluster.target());
                JobManager m1 = new JobManager(fs, new LosesSubmitAnswer(ssh), slurm, local, Clock.systemUTC(), Sleeper.SYSTEM)) {
            m1.add(tasks, pw);
            assertThrows(ConnectionLostException.class, m1::step);
            assertEquals(BatchPhase.PREPARED, m1.state().batches().get("b000001").phase());
            assertEquals(1, JobManagerIntegrationTest.sbatchCalls(work), "sbatch did run");
        }
        String firstEnergy;
        // driver 2: re-attaches, adopts the job from the remote record, runs until one result is in, then dies
        try (SshShell ssh = new SshShell(cluster.target());
                JobManager m2 = new JobManager(fs, ssh, slurm, local, Clock.systemUTC(), Sleeper.SYSTEM)) {
            assertEquals(List.of(tasks.get(0).hash(), tasks.get(1).hash(), tasks.get(2).hash()), m2.add(tasks, pw));
            while (m2.tasksIn(TaskPhase.DONE).isEmpty()) {
                m2.step();
                Thread.sleep(300);
            }
            String done = m2.tasksIn(TaskPhase.DONE).iterator().next();
            firstEnergy = done + "=" + m2.outcomes().get(done).result().energy();
        }
        // driver 3: finishes; nothing resubmitted, the earlier result is still there
        try (SshShell ssh = new SshShell(cluster.target());
                JobManager m3 = new JobManager(fs, ssh, slurm, local, Clock.systemUTC(), Sleeper.SYSTEM)) {
            m3.add(tasks, pw);
            Map<String, TaskOutcome> out = m3.run(p -> { });
            for (TaskOutcome o : out.values()) assertEquals(TaskPhase.DONE, o.phase(), o.toString());
            String[] kv = firstEnergy.split("=");
            assertEquals(Double.parseDouble(kv[1]), out.get(kv[0]).result().energy(), 0.0);
            assertEquals(3, JobManagerIntegrationTest.sbatchCalls(work), "3 tasks, 1 per job: 3 sbatch calls in total");
            String events = Files.readString(local.resolve("events.log"));
            assertTrue(events.contains("recover b000001: adopted job"), events);
        }
    }

    @Test
    void controllerOutageBacksOffAndScfAndTaskTimeoutAreClassified() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        QeInputGenerator g = SiliconTasks.assumePwAndRecipe();
        Path recipe = org.crucible.core.testing.TestEnvironment.repositoryRoot().resolve("examples/qe-si.yaml");
        // one SCF iteration cannot converge: a real "convergence NOT achieved" from pw.x
        QeInputGenerator oneStep = QeInputGenerator.fromSettings(org.crucible.dft.input.Settings.parse(
                Files.readString(recipe).replaceAll("(?m)^kpoint_spacing:.*$", "kpoint_spacing: 0.6") + "electron_maxstep: 1\n",
                "qe-si.yaml with electron_maxstep 1"));
        Path work = cluster.workRoot("outage");
        DftTask scf = SiliconTasks.task(oneStep, "scf", SiliconTasks.si2(0.31));
        DftTask slow = SiliconTasks.task(g, "slow", SiliconTasks.si2(0.32));
        DftTask ok = SiliconTasks.task(g, "ok", SiliconTasks.si2(0.0)); // symmetric: few k-points, runs in ~2 s
        DftTask silent = SiliconTasks.task(g, "silent", SiliconTasks.si2(0.34)); // exits 0, writes no output
        FarmSettings base = JobManagerIntegrationTest.settings("outage", work, 1, 3, Duration.ofMinutes(5), 1);
        FarmSettings fs = new FarmSettings(base.campaign(), base.workRoot(), base.partition(), null, null, 1, 1, base.walltime(),
                List.of(), base.environment(), 1, 4, Duration.ofMillis(500), Duration.ofSeconds(2), 1, Duration.ofSeconds(10), false);
        List<Duration> sleeps = new java.util.ArrayList<>();
        Path ctldPid = cluster.state().resolve("run/slurmctld.pid");
        Sleeper recording = d -> {
            sleeps.add(d);
            if (sleeps.size() == 2) cluster.ensureUp(); // restarts slurmctld
            Thread.sleep(d.toMillis());
        };
        try (SshShell ssh = new SshShell(cluster.target());
                JobManager m = new JobManager(fs, ssh, new SlurmScheduler(), local, Clock.systemUTC(), recording)) {
            List<String> h = m.add(List.of(scf, slow, ok, silent), in -> in.file("pw.in").equals(slow.inputs().file("pw.in"))
                    ? "sleep 60" : in.file("pw.in").equals(silent.inputs().file("pw.in")) ? "true" : "pw.x -in pw.in");
            m.step();
            // submitted (each has a job id); under heavy load all four may already have ended by the first poll's end,
            // which does not matter for what follows: the outage is about polling, not about the jobs
            assertEquals(4, m.state().batches().size(), "jobs submitted before the outage");
            for (FarmState.BatchRecord b : m.state().batches().values()) assertTrue(b.jobId() != null, "job id of " + b.id());
            long pid = Long.parseLong(Files.readString(ctldPid).strip());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) Thread.sleep(50);
            Map<String, TaskOutcome> out = m.run(p -> { });
            assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), sleeps.subList(0, 2),
                    "poll interval doubles while the controller is down: " + sleeps);
            assertEquals(Duration.ofMillis(500), sleeps.get(sleeps.size() - 1), "back to the normal interval: " + sleeps);
            assertEquals(TaskPhase.DONE, out.get(h.get(2)).phase(), out.get(h.get(2)).toString());
            assertEquals(TaskPhase.FAILED, out.get(h.get(0)).phase());
            assertEquals(List.of(FailureReason.SCF_NOT_CONVERGED), reasons(out.get(h.get(0)).failures()), "SCF not converged is not retried");
            assertEquals(TaskPhase.FAILED, out.get(h.get(1)).phase());
            assertEquals(List.of(FailureReason.TASK_TIMEOUT, FailureReason.TASK_TIMEOUT), reasons(out.get(h.get(1)).failures()));
            assertEquals(TaskPhase.FAILED, out.get(h.get(3)).phase());
            assertEquals(List.of(FailureReason.INVALID_OUTPUT), reasons(out.get(h.get(3)).failures()), "exit 0 without output is not retried");
            String events = Files.readString(local.resolve("events.log"));
            assertTrue(events.contains("poll failed") && events.contains("Unable to contact slurm controller"), events);
            System.out.println("[outage] sleeps " + sleeps + "\n[outage] " + out.get(h.get(0)).message() + "\n[outage] "
                    + out.get(h.get(1)).message());
        } finally {
            cluster.ensureUp();
        }
    }

    private static List<FailureReason> reasons(List<Attempt> attempts) {
        return attempts.stream().map(Attempt::reason).toList();
    }

    /** Where a submit command is cut short (the remote shell SIGKILLed), and what the next driver must conclude. */
    enum Cut {
        /** After sbatch answered, before the answer was renamed to sbatch.out: adopted from sbatch.out.tmp. */
        AFTER_ANSWER("from the scheduler's answer left in sbatch.out.tmp"),
        /** sbatch created the job but its answer never reached a file: the job is found in the queue by its comment. */
        ANSWER_LOST("found in the queue by its comment"),
        /** The same, and the job ran and left the queue before the next driver looked: named by its task's started file. */
        ANSWER_LOST_JOB_GONE("named by the started file of its tasks"),
        /** The lock was taken and sbatch never ran: no job, the task is queued again and submitted once. */
        BEFORE_SBATCH("submission locked but no job recorded or queued; tasks re-queued");

        final String event;

        Cut(String event) {
            this.event = event;
        }

        /** The submit command as it runs when cut here. */
        String cut(String submit) {
            int sbatch = submit.indexOf("} && ") + "} && ".length();
            int answer = submit.indexOf(" > sbatch.out.tmp");
            assertTrue(sbatch > 5 && answer > sbatch, "the submit command's shape: " + submit);
            return switch (this) {
                case AFTER_ANSWER -> submit.substring(0, submit.indexOf("; rc=$?")) + "; kill -9 $$";
                case ANSWER_LOST, ANSWER_LOST_JOB_GONE -> submit.substring(0, answer) + " > /dev/null 2>&1; kill -9 $$";
                case BEFORE_SBATCH -> submit.substring(0, sbatch) + "kill -9 $$";
            };
        }
    }

    /**
     * A driver whose submit command is cut short on the cluster (the remote shell is SIGKILLed at {@link Cut}: after
     * sbatch answered, after sbatch created the job without an answer, with that job finished and gone from the queue,
     * before sbatch ran) and which dies with it; the next driver, from the same state directory, finds out what happened
     * from the remote side alone. Each time the task ends DONE with no failed attempt, sbatch created exactly one job and
     * pw.x ran exactly once, and the events log says how the job was found.
     */
    @Test
    void aSubmitCommandCutShortIsResolvedWithoutSubmittingOrRunningTwice() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        QeInputGenerator g = SiliconTasks.assumePwAndRecipe();
        for (Cut cut : Cut.values()) {
            String name = "cut-" + cut.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            Path work = cluster.workRoot(name);
            Path state = local.resolve(name);
            Path runs = work.resolve("pw.runs");
            List<DftTask> tasks = List.of(SiliconTasks.task(g, name, SiliconTasks.si2(0.25 + 0.01 * cut.ordinal())));
            FarmSettings fs = JobManagerIntegrationTest.settings(name, work, 1, 2, Duration.ofMinutes(5), 2);
            Scheduler slurm = new SlurmScheduler(JobManagerIntegrationTest.countingSbatch(work).toString());
            TaskCommand pw = in -> "pwd >> " + ShellQuote.quote(runs.toString()) + "; pw.x " + ShellQuote.join(in.arguments());
            try (SshShell ssh = new SshShell(cluster.target());
                    JobManager m1 = new JobManager(fs, new CutsSubmitCommand(ssh, cut), slurm, state, Clock.systemUTC(), Sleeper.SYSTEM)) {
                m1.add(tasks, pw);
                assertThrows(ConnectionLostException.class, m1::step, cut.name());
                assertEquals(BatchPhase.PREPARED, m1.state().batches().get("b000001").phase(), cut.name());
            }
            assertEquals(cut == Cut.BEFORE_SBATCH ? 0 : 1, JobManagerIntegrationTest.sbatchCalls(work), cut + ": sbatch calls before the next driver");
            if (cut == Cut.ANSWER_LOST_JOB_GONE) {
                try (SshShell ssh = new SshShell(cluster.target())) {
                    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
                    // the job runs, ends, and leaves squeue MinJobAge (30 s) later
                    while (!Files.exists(runs) || !ssh.exec(List.of("squeue", "--noheader", "--states=all", "--name=" + fs.jobName())).orThrow()
                            .stdout().isBlank()) {
                        assertTrue(System.nanoTime() < deadline, "the job never left the queue");
                        Thread.sleep(1000);
                    }
                }
            }
            try (SshShell ssh = new SshShell(cluster.target());
                    JobManager m2 = new JobManager(fs, ssh, slurm, state, Clock.systemUTC(), Sleeper.SYSTEM)) {
                m2.add(tasks, pw);
                Map<String, TaskOutcome> out = m2.run(p -> { });
                TaskOutcome o = out.get(tasks.get(0).hash());
                assertEquals(TaskPhase.DONE, o.phase(), cut + ": " + o);
                assertEquals(List.of(), o.failures(), cut + ": no failed attempt");
                String events = Files.readString(state.resolve("events.log"));
                assertTrue(events.contains(cut.event), cut + ": " + events);
                assertEquals(1, JobManagerIntegrationTest.sbatchCalls(work), cut + ": one job created in all");
                assertEquals(1, Files.readAllLines(runs).size(), cut + ": pw.x ran once");
            }
        }
    }

    /** Forwards every call to the shell it wraps; the fault-injecting shells below change {@code run} only. */
    abstract static class ForwardingShell implements RemoteShell {
        final RemoteShell d;

        ForwardingShell(RemoteShell d) {
            this.d = d;
        }

        @Override
        public CommandResult run(String commandLine, Duration timeout) throws RemoteException {
            return d.run(commandLine, timeout);
        }

        @Override
        public void put(Map<String, byte[]> files) throws RemoteException {
            d.put(files);
        }

        @Override
        public Map<String, byte[]> get(List<String> paths) throws RemoteException {
            return d.get(paths);
        }

        @Override
        public Map<String, byte[]> getIfPresent(List<String> paths) throws RemoteException {
            return d.getIfPresent(paths);
        }

        @Override
        public String describe() {
            return d.describe();
        }

        @Override
        public void close() {
            d.close();
        }
    }

    /** Forwards everything, but cuts the first submit command short at {@code cut} and drops the connection. */
    static final class CutsSubmitCommand extends ForwardingShell {
        private final Cut cut;
        private boolean done;

        CutsSubmitCommand(RemoteShell d, Cut cut) {
            super(d);
            this.cut = cut;
        }

        @Override
        public CommandResult run(String commandLine, Duration timeout) throws RemoteException {
            if (done || !commandLine.contains("submit.lock")) return d.run(commandLine, timeout);
            done = true;
            try {
                d.run(cut.cut(commandLine), timeout);
            } catch (RemoteException e) {
                // the remote shell died under the command: what the driver sees either way is a lost connection
            }
            throw new ConnectionLostException("simulated: the submit command was killed " + cut, null);
        }
    }

    /** Forwards everything, but the answer of the first submit command is lost after it ran. */
    static final class LosesSubmitAnswer extends ForwardingShell {
        private boolean lost;

        LosesSubmitAnswer(RemoteShell d) {
            super(d);
        }

        @Override
        public CommandResult run(String commandLine, Duration timeout) throws RemoteException {
            CommandResult r = d.run(commandLine, timeout);
            if (!lost && commandLine.contains("submit.lock")) {
                lost = true;
                throw new ConnectionLostException("simulated: connection dropped before sbatch's answer arrived", null);
            }
            return r;
        }
    }
}
