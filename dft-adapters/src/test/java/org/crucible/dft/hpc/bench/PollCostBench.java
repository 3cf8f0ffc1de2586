package org.crucible.dft.hpc.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.crucible.dft.hpc.DftTask;
import org.crucible.dft.hpc.FarmSettings;
import org.crucible.dft.hpc.JobManager;
import org.crucible.dft.hpc.RecordingShell;
import org.crucible.dft.hpc.Sleeper;
import org.crucible.dft.hpc.SlurmScheduler;
import org.crucible.dft.hpc.SshShell;
import org.crucible.dft.hpc.testing.LocalSlurm;
import org.crucible.dft.hpc.testing.SiliconTasks;
import org.crucible.dft.qe.QeInputGenerator;

/**
 * Remote calls and wall time of one steady-state poll against the local SLURM cluster, for N jobs in the queue
 * (each job sleeps, so nothing finishes while measuring). Prints one line per N. Run as root after
 * deploy/local-slurm/up.sh; surefire excludes bench/, so run it explicitly (docs/benchmarks.md).
 */
class PollCostBench {
    @org.junit.jupiter.api.Test
    void pollCost() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        QeInputGenerator g = SiliconTasks.assumePwAndRecipe();
        int polls = Integer.getInteger("polls", 5);
        for (int n : new int[] {1, 4, 16}) {
            Path work = cluster.workRoot("pollcost");
            Path state = Files.createTempDirectory("pollcost");
            FarmSettings fs = new FarmSettings("pollcost" + n, work.toString(), "debug", null, null, 1, 1,
                    Duration.ofMinutes(10), List.of(), List.of(), 1, n, Duration.ofSeconds(1), Duration.ofSeconds(2), 0,
                    Duration.ofMinutes(5), false);
            List<DftTask> tasks = new ArrayList<>();
            for (int i = 0; i < n; i++) tasks.add(SiliconTasks.task(g, "t" + i, SiliconTasks.si2(0.001 * i)));
            RecordingShell shell = new RecordingShell(new SshShell(cluster.target()));
            try (JobManager m = new JobManager(fs, shell, new SlurmScheduler(), state, Clock.systemUTC(), Sleeper.SYSTEM)) {
                m.add(tasks, in -> "sleep 300");
                m.step(); // submits n jobs
                int submitCommands = shell.commands().size();
                shell.reset();
                long t0 = System.nanoTime();
                for (int p = 0; p < polls; p++) m.step();
                double msPerPoll = (System.nanoTime() - t0) / 1e6 / polls;
                long squeues = shell.commands().stream().filter(c -> c.startsWith("'squeue'")).count();
                System.out.printf(Locale.ROOT, "jobs=%d polls=%d ssh_commands_per_poll=%.2f squeue_per_poll=%.2f transfers_per_poll=%.2f"
                        + " ms_per_poll=%.0f submit_commands_for_%d_jobs=%d%n", n, polls, shell.commands().size() / (double) polls,
                        squeues / (double) polls, shell.transfers() / (double) polls, msPerPoll, n, submitCommands);
                m.cancel();
            } finally {
                shell.close();
            }
        }
    }
}
