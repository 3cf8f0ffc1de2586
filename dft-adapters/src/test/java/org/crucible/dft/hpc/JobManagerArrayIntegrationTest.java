package org.crucible.dft.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crucible.dft.DftResult;
import org.crucible.dft.hpc.FarmState.BatchPhase;
import org.crucible.dft.hpc.FarmState.BatchRecord;
import org.crucible.dft.hpc.FarmState.TaskPhase;
import org.crucible.dft.hpc.testing.LocalSlurm;
import org.crucible.dft.hpc.testing.SiliconTasks;
import org.crucible.dft.qe.QeInputGenerator;
import org.crucible.dft.run.LocalRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Job arrays through {@link JobManager} on the real local SLURM cluster (deploy/local-slurm) with real pw.x: a batch of
 * five tasks is one sbatch; the driver dies twice (once before sbatch's answer arrived, once mid-array) and the
 * rebuilt managers adopt the array and its elements from the durable records without submitting anything again; a
 * failed element is classified like a failed single job. sbatch calls are counted by a wrapper on the remote side.
 */
class JobManagerArrayIntegrationTest {
    @TempDir
    Path local;

    /** Array-farm settings on the local SLURM's debug partition; {@code tasksPerElement} is the farm's packing. */
    static FarmSettings arraySettings(String campaign, Path work, int tasksPerElement, int maxJobs, int parallelism, int budget) {
        return new FarmSettings(campaign, work.toString(), "debug", null, null, 1, 1, Duration.ofMinutes(10), List.of(),
                List.of("export OMP_NUM_THREADS=1"), tasksPerElement, maxJobs, Duration.ofMillis(500), Duration.ofSeconds(4), budget,
                Duration.ofMinutes(5), false, parallelism);
    }

    @Test
    void fiveTasksAreOneSbatchAndTwoDriverDeathsResubmitNothing() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        QeInputGenerator g = SiliconTasks.assumePwAndRecipe();
        Path work = cluster.workRoot("arrays");
        List<DftTask> good = new ArrayList<>();
        for (int i = 0; i < 4; i++) good.add(SiliconTasks.task(g, "si2 " + i, SiliconTasks.si2(0.03 * i - 0.04)));
        DftTask bad = SiliconTasks.task(g, "crashes", SiliconTasks.si2(0.11));
        TaskCommand crash = in -> "echo 'simulated crash of the code' >&2; exit 3";
        FarmSettings fs = arraySettings("si-array", work, 1, 10, 2, 0);
        // element 3 waits for this file to go, so the array is still running when driver 2 dies (on an idle node the
        // other elements can all finish between two polls); removed once driver 2 is gone
        Path hold = Files.createFile(work.resolve("hold-element-3"));
        TaskCommand held = in -> "while [ -e " + ShellQuote.quote(hold.toString()) + " ]; do sleep 0.2; done; "
                + JobManagerIntegrationTest.PW.commandLine(in);
        Scheduler slurm = new SlurmScheduler(JobManagerIntegrationTest.countingSbatch(work).toString());

        // driver 1: one sbatch for all five tasks; its answer is lost (connection dropped, driver killed)
        try (SshShell ssh = new SshShell(cluster.target());
                JobManager m1 = new JobManager(fs, new JobManagerFaultsIntegrationTest.LosesSubmitAnswer(ssh), slurm, local,
                        Clock.systemUTC(), Sleeper.SYSTEM)) {
            m1.add(good.subList(0, 3), JobManagerIntegrationTest.PW);
            m1.add(List.of(good.get(3)), held);
            m1.add(List.of(bad), crash);
            assertThrows(ConnectionLostException.class, m1::step);
            assertEquals(1, JobManagerIntegrationTest.sbatchCalls(work), "sbatch ran once for the whole batch");
            List<BatchRecord> elements = List.copyOf(m1.state().batches().values());
            assertEquals(5, elements.size(), "one record per array element");
            for (int i = 0; i < 5; i++) {
                assertEquals(BatchPhase.PREPARED, elements.get(i).phase());
                assertEquals("b000001", elements.get(i).array());
                assertEquals(i, elements.get(i).arrayIndex());
            }
        }
        String arrayJob;
        int unfinishedAtRestart;
        // driver 2: adopts the array from the remote record, polls until a result is in, then dies mid-array
        try (SshShell ssh = new SshShell(cluster.target())) {
            RecordingShell shell = new RecordingShell(ssh);
            try (JobManager m2 = new JobManager(fs, shell, slurm, local, Clock.systemUTC(), Sleeper.SYSTEM)) {
                m2.add(good.subList(0, 3), JobManagerIntegrationTest.PW);
                m2.add(List.of(good.get(3)), held);
                m2.add(List.of(bad), crash);
                while (m2.tasksIn(TaskPhase.DONE).isEmpty()) {
                    shell.reset();
                    m2.step();
                    assertTrue(shell.commands().stream().filter(c -> c.startsWith("'squeue'")).count() <= 1, "one squeue per poll");
                    Thread.sleep(300);
                }
                List<BatchRecord> elements = List.copyOf(m2.state().batches().values());
                arrayJob = elements.get(0).jobId().substring(0, elements.get(0).jobId().indexOf('_'));
                for (int i = 0; i < 5; i++) assertEquals(arrayJob + "_" + i, elements.get(i).jobId(), "element id");
                unfinishedAtRestart = 5 - m2.tasksIn(TaskPhase.DONE).size() - m2.tasksIn(TaskPhase.FAILED).size();
            }
        }
        assertTrue(unfinishedAtRestart > 0, "the second driver died mid-array");
        Files.delete(hold);
        assertEquals(1, JobManagerIntegrationTest.sbatchCalls(work), "adopting the array submitted nothing");

        // driver 3: finishes; still one sbatch; every element mapped back to its task
        try (SshShell ssh = new SshShell(cluster.target());
                JobManager m3 = new JobManager(fs, ssh, slurm, local, Clock.systemUTC(), Sleeper.SYSTEM)) {
            m3.add(good.subList(0, 3), JobManagerIntegrationTest.PW);
            m3.add(List.of(good.get(3)), held);
            m3.add(List.of(bad), crash);
            Map<String, TaskOutcome> out = m3.run(p -> { });
            assertEquals(1, JobManagerIntegrationTest.sbatchCalls(work), "5 tasks, two driver deaths: one sbatch in total");
            for (int i = 0; i < 4; i++) {
                TaskOutcome o = out.get(good.get(i).hash());
                assertEquals(TaskPhase.DONE, o.phase(), o.name() + ": " + o.message() + " " + o.failures());
                assertEquals(arrayJob + "_" + i, Files.readString(work.resolve("si-array").resolve(good.get(i).hash()).resolve("started")).strip(),
                        "array index " + i + " ran task " + i);
            }
            TaskOutcome failed = out.get(bad.hash());
            assertEquals(TaskPhase.FAILED, failed.phase());
            assertEquals(1, failed.failures().size());
            assertEquals(FailureReason.CODE_FAILED, failed.failures().get(0).reason(), failed.failures().toString());
            assertEquals(arrayJob + "_4", failed.failures().get(0).jobId(), "the failure is charged to its element");
            assertTrue(failed.failures().get(0).detail().contains("simulated crash of the code"), failed.failures().get(0).detail());
            DftResult direct = new LocalRunner(List.of("pw.x"), Map.of("OMP_NUM_THREADS", "1"), Duration.ofMinutes(2))
                    .run(good.get(2).inputs(), local.resolve("direct"));
            assertEquals(direct.energy(), out.get(good.get(2).hash()).result().energy(), 1e-6, "array result equals pw.x run directly");
            String events = Files.readString(local.resolve("events.log"));
            assertTrue(events.contains("recover b000001: adopted job " + arrayJob + " from the remote record"), events);
            System.out.println(events);
        }
    }
}
