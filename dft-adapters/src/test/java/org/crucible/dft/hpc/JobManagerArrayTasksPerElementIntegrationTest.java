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
 * Several tasks per array element ({@code tasks_per_element}) through {@link JobManager} on the real local SLURM cluster
 * with real pw.x: 14.3 s on an idle 2-core machine (about 100 s at load average 47). Alone:
 * {@code ./mvnw -B -o -q -pl dft-adapters -am -Dtest=JobManagerArrayTasksPerElementIntegrationTest
 * -Dsurefire.failIfNoSpecifiedTests=false verify}.
 */
class JobManagerArrayTasksPerElementIntegrationTest {
    @TempDir
    Path local;

    /**
     * Several tasks per array element (profile key {@code tasks_per_element}, {@link FarmSettings#packing()} with
     * arrays): five pw.x tasks, two per element, are one sbatch of three elements; the second element's second task
     * hangs and the element is scancelled by someone else after its first task finished. That finished task is
     * harvested once and never run again; the interrupted one is charged CANCELLED to its element and resubmitted alone
     * in a second array, where it finishes.
     */
    @Test
    void tasksPerElementKeepAKilledElementsFinishedTaskAndResubmitOnlyItsUnfinishedOne() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        QeInputGenerator g = SiliconTasks.assumePwAndRecipe();
        Path work = cluster.workRoot("arrays-k");
        List<DftTask> t = new ArrayList<>();
        for (int i = 0; i < 5; i++) t.add(SiliconTasks.task(g, "si2 k" + i, SiliconTasks.si2(0.02 * i - 0.05)));
        FarmSettings fs = JobManagerArrayIntegrationTest.arraySettings("si-array-k", work, 2, 10, 3, 2);
        Scheduler slurm = new SlurmScheduler(JobManagerIntegrationTest.countingSbatch(work).toString());
        Path campaign = work.resolve("si-array-k");
        try (SshShell ssh = new SshShell(cluster.target());
                JobManager m = new JobManager(fs, ssh, slurm, local, Clock.systemUTC(), Sleeper.SYSTEM)) {
            m.add(t.subList(0, 3), JobManagerIntegrationTest.PW);
            m.add(List.of(t.get(3)), in -> JobManagerFaultsIntegrationTest.HANG_ONCE);
            m.add(List.of(t.get(4)), JobManagerIntegrationTest.PW);
            m.step();
            assertEquals(1, JobManagerIntegrationTest.sbatchCalls(work), "one sbatch for five tasks");
            List<BatchRecord> elements = List.copyOf(m.state().batches().values());
            assertEquals(3, elements.size(), "two tasks per element: three elements");
            assertEquals(List.of(t.get(0).hash(), t.get(1).hash()), elements.get(0).tasks());
            assertEquals(List.of(t.get(2).hash(), t.get(3).hash()), elements.get(1).tasks());
            assertEquals(List.of(t.get(4).hash()), elements.get(2).tasks());
            String arrayJob = elements.get(0).jobId().substring(0, elements.get(0).jobId().indexOf('_'));
            for (int i = 0; i < 3; i++) assertEquals(arrayJob + "_" + i, elements.get(i).jobId(), "element id");
            Path second = campaign.resolve(t.get(2).hash()), hung = campaign.resolve(t.get(3).hash());
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (!(Files.exists(second.resolve("exit_code")) && Files.exists(hung.resolve("attempt1")))) {
                assertTrue(System.nanoTime() < deadline, "element 1 did not reach its second task: " + ssh.exec(List.of("squeue")).stdout());
                m.step();
                Thread.sleep(300);
            }
            ssh.exec(List.of("scancel", arrayJob + "_1")).orThrow(); // someone else kills the element mid-way

            Map<String, TaskOutcome> out = m.run(p -> { });
            for (DftTask x : t) assertEquals(TaskPhase.DONE, out.get(x.hash()).phase(), x.name() + ": " + out.get(x.hash()).message());
            assertEquals(2, JobManagerIntegrationTest.sbatchCalls(work), "the first array, then one for the interrupted task");
            assertEquals(arrayJob + "_1", Files.readString(second.resolve("started")).strip(), "the finished task was not run again");
            assertEquals(List.of(), out.get(t.get(2).hash()).failures(), "nothing charged to the finished task");
            List<FarmState.Attempt> f = out.get(t.get(3).hash()).failures();
            assertEquals(1, f.size(), f.toString());
            assertEquals(FailureReason.CANCELLED, f.get(0).reason(), f.toString());
            assertEquals(arrayJob + "_1", f.get(0).jobId(), "charged to its element");
            String rerun = Files.readString(hung.resolve("started")).strip();
            assertTrue(rerun.endsWith("_0") && !rerun.startsWith(arrayJob + "_"), "resubmitted alone in a new array: " + rerun);
            String events = Files.readString(local.resolve("events.log"));
            for (DftTask x : t) {
                assertEquals(1, events.lines().filter(l -> l.contains(" done " + x.hash() + " ")).count(), "harvested once: " + x.name() + "\n" + events);
            }
            assertTrue(events.contains("up to 2 tasks each"), events);
        }
    }
}
