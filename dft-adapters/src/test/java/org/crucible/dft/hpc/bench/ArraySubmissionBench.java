package org.crucible.dft.hpc.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.crucible.dft.DftResult;
import org.crucible.dft.hpc.DftTask;
import org.crucible.dft.hpc.FarmSettings;
import org.crucible.dft.hpc.FarmState.TaskPhase;
import org.crucible.dft.hpc.JobManager;
import org.crucible.dft.hpc.RecordingShell;
import org.crucible.dft.hpc.ShellQuote;
import org.crucible.dft.hpc.Sleeper;
import org.crucible.dft.hpc.SlurmScheduler;
import org.crucible.dft.hpc.SshShell;
import org.crucible.dft.hpc.TaskOutcome;
import org.crucible.dft.hpc.testing.LocalSlurm;
import org.crucible.dft.hpc.testing.SiliconTasks;
import org.crucible.dft.qe.QeInputGenerator;
import org.crucible.dft.run.LocalRunner;

/**
 * sbatch and squeue calls for N small tasks (default 100) on the local SLURM cluster, single jobs (packing 1) against
 * one job array, counted through the injected shell ({@link RecordingShell}). Each task is a real pw.x Si2 input whose
 * command prints a pw.x output recorded once by running pw.x on the first input (so a task costs about nothing and
 * the count is about submission and polling, not DFT), and every task must come back DONE. Prints one line per mode.
 * Run as root after deploy/local-slurm/up.sh; surefire excludes bench/, so run it explicitly (docs/benchmarks.md).
 */
class ArraySubmissionBench {
    @org.junit.jupiter.api.Test
    void sbatchAndSqueueCallsPerBatch() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        QeInputGenerator g = SiliconTasks.assumePwAndRecipe();
        int n = Integer.getInteger("tasks", 100);
        int parallelism = Integer.getInteger("parallelism", 2);
        Duration poll = Duration.ofMillis(Long.getLong("pollMs", 2000));
        List<DftTask> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) tasks.add(SiliconTasks.task(g, "t" + i, SiliconTasks.si2(0.0005 * i)));
        Path work = cluster.workRoot("arraybench");
        Path recorded = work.resolve("recorded-pw.out");
        Path runDir = Files.createTempDirectory("arraybench-direct");
        DftResult direct = new LocalRunner(List.of("pw.x"), Map.of("OMP_NUM_THREADS", "1"), Duration.ofMinutes(2))
                .run(tasks.get(0).inputs(), runDir);
        Files.copy(runDir.resolve(tasks.get(0).inputs().mainOutput()), recorded, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String command = "cat " + ShellQuote.quote(recorded.toString());
        for (int arrays = 0; arrays <= 1; arrays++) {
            String campaign = (arrays == 1 ? "arr" : "single") + n;
            FarmSettings fs = new FarmSettings(campaign, work.toString(), "debug", null, null, 1, 1, Duration.ofMinutes(10), List.of(),
                    List.of(), 1, n, poll, poll.multipliedBy(2), 0, Duration.ofMinutes(5), false, arrays == 1 ? parallelism : 0);
            RecordingShell shell = new RecordingShell(new SshShell(cluster.target()));
            long t0 = System.nanoTime();
            try (JobManager m = new JobManager(fs, shell, new SlurmScheduler(), Files.createTempDirectory("arraybench"), Clock.systemUTC(),
                    Sleeper.SYSTEM)) {
                m.add(tasks, in -> command);
                Map<String, TaskOutcome> out = m.run(p -> { });
                long done = out.values().stream().filter(o -> o.phase() == TaskPhase.DONE
                        && Math.abs(o.result().energy() - direct.energy()) < 1e-9).count();
                if (done != n) throw new AssertionError(campaign + ": " + done + " of " + n + " tasks DONE with the recorded energy");
                List<String> cmds = shell.commands();
                long sbatch = cmds.stream().filter(c -> c.contains("'sbatch'")).count();
                long squeue = cmds.stream().filter(c -> c.startsWith("'squeue'")).count();
                System.out.printf(Locale.ROOT, "[measure] mode=%s tasks=%d sbatch=%d squeue=%d ssh_commands=%d transfers=%d wall_s=%.0f"
                        + " poll_ms=%d parallelism=%s per_100_tasks: sbatch=%.1f squeue=%.1f%n",
                        arrays == 1 ? "array" : "single-jobs", n, sbatch, squeue, cmds.size(), shell.transfers(),
                        (System.nanoTime() - t0) / 1e9, poll.toMillis(), arrays == 1 ? Integer.toString(parallelism) : "-",
                        100.0 * sbatch / n, 100.0 * squeue / n);
            } finally {
                shell.close();
            }
        }
    }
}
