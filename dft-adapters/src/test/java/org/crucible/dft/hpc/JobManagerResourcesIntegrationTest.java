package org.crucible.dft.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.crucible.dft.hpc.FarmState.TaskPhase;
import org.crucible.dft.hpc.testing.LocalSlurm;
import org.crucible.dft.hpc.testing.SiliconTasks;
import org.crucible.dft.qe.QeInputGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The profile keys {@code gres} and {@code constraint} against a real scheduler: the local SLURM node of
 * deploy/local-slurm has two count-only {@code gpu} devices and the features {@code crucible} and {@code loopback}. A
 * real pw.x single point whose job asks for {@code gpu:1} on a {@code crucible&loopback} node runs, and {@code scontrol
 * show job} shows the request and the one GPU allocated; a job asking for a feature no node has, or more GPUs than a node has, is refused by
 * sbatch, and the farm stops with SLURM's own reason (not a retry loop).
 */
class JobManagerResourcesIntegrationTest {
    @TempDir
    Path local;

    @Test
    void gresAndConstraintReachSlurmAndImpossibleRequestsAreRefusedWithItsReason() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        QeInputGenerator g = SiliconTasks.assumePwAndRecipe();
        Path work = cluster.workRoot("resources");
        FarmSettings fs = JobManagerIntegrationTest.settings("si-resources", work, 1, 2, Duration.ofMinutes(10), 0);
        JobResources gpu = new JobResources(1, 1, 0, 1, null, "gpu:1", "crucible&loopback");
        String jobId;
        try (SshShell ssh = new SshShell(cluster.target());
             JobManager m = new JobManager(fs, ssh, new SlurmScheduler(), local.resolve("ok"), Clock.systemUTC(), Sleeper.SYSTEM)) {
            String h = m.add(List.of(SiliconTasks.task(g, "si2 on a gpu node", SiliconTasks.si2(0.0))), JobManagerIntegrationTest.PW, gpu).get(0);
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (!m.step()) {
                assertTrue(System.nanoTime() < deadline, "the job did not finish: " + m.progress());
                Thread.sleep(500);
            }
            TaskOutcome o = m.outcomes().get(h);
            assertEquals(TaskPhase.DONE, o.phase(), o.message() + " " + o.failures());
            String events = Files.readString(local.resolve("ok").resolve("events.log"));
            java.util.regex.Matcher id = java.util.regex.Pattern.compile("-> job (\\d+)").matcher(events);
            assertTrue(id.find(), events);
            jobId = id.group(1);
            assertTrue(events.contains("gres gpu:1") || events.contains("gpu:1"), "the submission event names the GPU request: " + events);
        }
        // the scheduler's own record of what the job asked for and got, while slurmctld still holds the finished job (MinJobAge=30)
        Process sc = new ProcessBuilder("scontrol", "show", "job", "-d", jobId).redirectErrorStream(true).start();
        String show = new String(sc.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, sc.waitFor(), show);
        assertTrue(show.contains("JobState=COMPLETED"), show);
        assertTrue(show.contains("TresPerNode=gres:gpu:1") || show.contains("TresPerNode=gres/gpu:1"), "the GPU request reached SLURM: " + show);
        assertTrue(show.contains("Features=crucible&loopback"), "the constraint reached SLURM: " + show);
        assertTrue(show.contains("JOB_GRES=gpu:1"), "one GPU allocated to the job: " + show);

        for (JobResources impossible : List.of(new JobResources(1, 1, 0, 1, null, null, "nosuchfeature"),
                new JobResources(1, 1, 0, 1, null, "gpu:3", null))) {
            Path dir = local.resolve("refused-" + (impossible.gres() == null ? "feature" : "gres"));
            try (SshShell ssh = new SshShell(cluster.target());
                 JobManager m = new JobManager(fs, ssh, new SlurmScheduler(), dir, Clock.systemUTC(), Sleeper.SYSTEM)) {
                m.add(List.of(SiliconTasks.task(g, "si2 refused", SiliconTasks.si2(0.01))), JobManagerIntegrationTest.PW, impossible);
                SubmissionRejectedException e = assertThrows(SubmissionRejectedException.class, () -> {
                    for (int i = 0; i < 20; i++) {
                        m.step();
                        Thread.sleep(200);
                    }
                }, "an impossible request is refused, not retried: " + impossible);
                String msg = e.getMessage();
                assertTrue(msg.contains("si-resources") && msg.contains("sbatch"), msg);
                assertTrue(impossible.gres() == null ? msg.contains("Invalid feature specification")
                        : msg.contains("Requested node configuration is not available"), msg);
                System.out.println("[resources] refused as expected: " + msg);
            }
        }
    }
}
