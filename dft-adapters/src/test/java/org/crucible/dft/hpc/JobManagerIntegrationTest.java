package org.crucible.dft.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crucible.dft.DftResult;
import org.crucible.dft.hpc.FarmState.TaskPhase;
import org.crucible.dft.hpc.testing.LocalSlurm;
import org.crucible.dft.hpc.testing.SiliconTasks;
import org.crucible.dft.qe.QeInputGenerator;
import org.crucible.dft.run.LocalRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real pw.x single points through SSH -> SLURM on the local cluster of deploy/local-slurm, with faults: sshd
 * killed mid-campaign, a driver that dies between sbatch and recording the job id and is rebuilt from its state
 * directory. The number of sbatch calls is counted by a wrapper around sbatch on the remote side.
 */
class JobManagerIntegrationTest {
    static final TaskCommand PW = in -> "pw.x " + ShellQuote.join(in.arguments());

    @TempDir
    Path local;

    static FarmSettings settings(String campaign, Path work, int packing, int maxJobs, Duration walltime, int budget) {
        return new FarmSettings(campaign, work.toString(), "debug", null, null, 1, 1, walltime, List.of(),
                List.of("export OMP_NUM_THREADS=1"), packing, maxJobs, Duration.ofMillis(500), Duration.ofSeconds(4),
                budget, Duration.ofMinutes(5), false);
    }

    /** An sbatch wrapper on the "cluster" that appends one line per call to {@code count}. */
    static Path countingSbatch(Path work) throws Exception {
        Path w = work.resolve("sbatch-counting");
        Files.writeString(w, "#!/bin/sh\necho \"$@\" >> " + ShellQuote.quote(work.resolve("sbatch.calls").toString())
                + "\nexec sbatch \"$@\"\n");
        Files.setPosixFilePermissions(w, PosixFilePermissions.fromString("rwxr-xr-x"));
        return w;
    }

    static int sbatchCalls(Path work) throws Exception {
        Path f = work.resolve("sbatch.calls");
        return Files.exists(f) ? Files.readAllLines(f).size() : 0;
    }

    @Test
    void realPwSinglePointsSurviveAnSshdCrashWithOneSqueuePerPoll() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        QeInputGenerator g = SiliconTasks.assumePwAndRecipe();
        Path work = cluster.workRoot("farm");
        List<DftTask> tasks = List.of(SiliconTasks.task(g, "si2 a", SiliconTasks.si2(0.0)),
                SiliconTasks.task(g, "si2 'b'; $(touch x)", SiliconTasks.si2(0.05)),
                SiliconTasks.task(g, "si2 c", SiliconTasks.si2(-0.04)),
                SiliconTasks.task(g, "si8", SiliconTasks.si8(7)));
        SshShell ssh = new SshShell(cluster.target());
        RecordingShell shell = new RecordingShell(ssh);
        Scheduler slurm = new SlurmScheduler(countingSbatch(work).toString());
        FarmSettings fs = settings("si-farm", work, 2, 1, Duration.ofMinutes(10), 2);
        List<Integer> commandsPerPoll = new ArrayList<>();
        int maxJobs = 0;
        try (JobManager m = new JobManager(fs, shell, slurm, local, Clock.systemUTC(), Sleeper.SYSTEM)) {
            List<String> hashes = m.add(tasks, PW);
            assertEquals(4, Set.copyOf(hashes).size());
            assertEquals(hashes, m.add(tasks, PW), "adding the same tasks again is a no-op");
            // first poll submits the first job (cap: 1 job in the queue), then sshd dies
            m.step();
            assertEquals(1, sbatchCalls(work));
            cluster.killSshd();
            Thread restart = new Thread(() -> {
                try {
                    Thread.sleep(2500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                cluster.startSshd();
            });
            restart.start();
            int failedPolls = 0;
            boolean finished = false;
            while (!finished) {
                shell.reset();
                try {
                    finished = m.step();
                } catch (RemoteException e) {
                    failedPolls++;
                    assertTrue(failedPolls < 20, "SSH never came back: " + e.getMessage());
                }
                List<String> cmds = shell.commands();
                long squeues = cmds.stream().filter(c -> c.startsWith("'squeue'")).count();
                assertTrue(squeues <= 1, "at most one squeue per poll: " + cmds);
                boolean submitted = cmds.stream().anyMatch(c -> c.contains("submit.lock"));
                if (!submitted && squeues == 1) commandsPerPoll.add(cmds.size());
                maxJobs = Math.max(maxJobs, m.progress().jobsInQueue());
                Thread.sleep(500);
            }
            restart.join();
            assertTrue(ssh.connectionCount() >= 2, "the session was re-established after the sshd crash");
            Map<String, TaskOutcome> out = m.outcomes();
            for (TaskOutcome o : out.values()) {
                assertEquals(TaskPhase.DONE, o.phase(), o.name() + ": " + o.message() + " " + o.failures());
                assertTrue(o.failures().isEmpty(), o.name() + " " + o.failures());
            }
            assertEquals(2, sbatchCalls(work), "4 tasks packed 2 per job: exactly 2 sbatch calls despite the crash");
            assertEquals(1, maxJobs, "queue cap of 1 job respected");
            // the farm's result equals pw.x run directly on the same input
            DftResult viaSlurm = out.get(hashes.get(0)).result();
            DftResult direct = new LocalRunner(List.of("pw.x"), Map.of("OMP_NUM_THREADS", "1"), Duration.ofMinutes(2))
                    .run(tasks.get(0).inputs(), local.resolve("direct"));
            assertEquals(direct.energy(), viaSlurm.energy(), 1e-6);
            assertEquals(-15.8 * 13.605693, viaSlurm.energy(), 2.0, "Si2 energy near -15.8 Ry");
            assertNotNull(out.get(hashes.get(3)).result().forces());
            assertEquals(24, out.get(hashes.get(3)).result().forces().length);
            // steady-state polls: squeue + one scan of the task files (+ one fetch when tasks finished)
            assertTrue(!commandsPerPoll.isEmpty());
            for (int n : commandsPerPoll) assertTrue(n >= 2 && n <= 3, "SSH commands per poll: " + commandsPerPoll);
            System.out.println("[measure] SSH commands per poll (squeue + scan [+ fetch]): " + commandsPerPoll
                    + "; failed polls during the sshd outage: " + failedPolls);
            System.out.println(Files.readString(local.resolve("events.log")));
        } finally {
            if (!cluster.sshdAlive()) cluster.startSshd();
            shell.close();
        }
    }
}
