package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crucible.config.ClusterProfile;
import org.crucible.config.ClusterProfiles;
import org.crucible.dft.hpc.DftTask;
import org.crucible.dft.hpc.FarmState;
import org.crucible.dft.hpc.FarmState.BatchPhase;
import org.crucible.dft.hpc.FarmState.TaskPhase;
import org.crucible.dft.hpc.JobManager;
import org.crucible.dft.hpc.QueueEntry;
import org.crucible.dft.hpc.RemoteShell;
import org.crucible.dft.hpc.Sleeper;
import org.crucible.dft.hpc.testing.LocalSlurm;
import org.crucible.dft.hpc.testing.SiliconTasks;
import org.crucible.dft.qe.QeInputGenerator;
import org.crucible.driver.cluster.ClusterConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crucible dft list} and {@code crucible dft cancel} against the real local SLURM cluster: a campaign submitted
 * as one job array of three sleeping tasks (throttle 1) is listed with its element ids and live SLURM states, then
 * cancelled with one scancel; its tasks go back to pending so dft submit would resume it.
 */
class DftJobsCliIntegrationTest {
    @TempDir
    Path tmp;

    @Test
    void listsTheElementsOfAnArrayCampaignAndCancelsThemKeepingTheState() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        QeInputGenerator g = SiliconTasks.assumePwAndRecipe();
        Path work = cluster.workRoot("dft-jobs-cli");
        String yaml = Files.readString(cluster.clusterYaml())
                .replaceAll("(?m)^work_root:.*$", "work_root: " + work)
                .replaceAll("(?m)^packing:.*$", "packing: 1")
                + "array_submission: true\narray_parallelism: 1\n";
        Path profileFile = Files.writeString(tmp.resolve("local.yaml"), yaml);
        ClusterProfile profile = ClusterProfiles.read(profileFile);
        Path state = tmp.resolve("state");
        List<DftTask> tasks = new ArrayList<>();
        for (int i = 0; i < 3; i++) tasks.add(SiliconTasks.task(g, "sleeper " + i, SiliconTasks.si2(0.01 * i)));
        try (RemoteShell shell = ClusterConnection.shell(profile);
                JobManager m = new JobManager(ClusterConnection.farm(profile, "jobs-cli", null), shell, ClusterConnection.scheduler(profile),
                        state, Clock.systemUTC(), Sleeper.SYSTEM)) {
            m.add(tasks, in -> "sleep 300");
            m.step(); // one sbatch: an array of 3 elements, at most 1 running
        }
        FarmState recorded = JobManager.recorded(state);
        List<String> ids = recorded.batches().values().stream().map(FarmState.BatchRecord::jobId).toList();
        assertEquals(3, ids.size());
        String[] common = {"--cluster", "local", "--config", profileFile.toString(), "--campaign", "jobs-cli", "--state-dir", state.toString()};

        ClusterCliIntegrationTest.Run list = ClusterCliIntegrationTest.cli(concat(new String[] {"dft", "list", "--queue"}, common));
        assertEquals(0, list.exit(), list.out() + list.err());
        for (int i = 0; i < 3; i++) {
            String id = ids.get(i);
            assertTrue(id.endsWith("_" + i), id);
            String row = list.out().lines().filter(l -> l.contains(" " + id + " ")).findFirst().orElseThrow(() -> new AssertionError(id + " in\n" + list.out()));
            assertTrue(row.contains("SUBMITTED") && row.contains("sleeper " + i), row);
            assertTrue(row.matches(".*\\b(R|PD|CF)\\s*$"), "live SLURM state of " + id + ": " + row);
        }

        ClusterCliIntegrationTest.Run cancel = ClusterCliIntegrationTest.cli(concat(new String[] {"dft", "cancel"}, common));
        assertEquals(0, cancel.exit(), cancel.out() + cancel.err());
        assertTrue(cancel.out().startsWith("cancelled 3 job(s) of campaign jobs-cli on local: " + String.join(" ", ids)), cancel.out());
        assertTrue(cancel.out().contains("3 unfinished task(s) back to pending"), cancel.out());
        try (RemoteShell shell = ClusterConnection.shell(profile)) {
            Map<String, QueueEntry> q = ClusterConnection.scheduler(profile).queue(shell, "crucible-jobs-cli");
            for (String id : ids) assertTrue(q.get(id) == null || !q.get(id).state().active(), id + " still active: " + q.get(id));
        }
        FarmState after = JobManager.recorded(state);
        for (FarmState.TaskRecord t : after.tasks().values()) assertEquals(TaskPhase.PENDING, t.phase(), t.name());
        for (FarmState.BatchRecord b : after.batches().values()) assertEquals(BatchPhase.ENDED, b.phase(), b.id());

        ClusterCliIntegrationTest.Run missing = ClusterCliIntegrationTest.cli("dft", "list", "--cluster", "local", "--config", profileFile.toString(),
                "--campaign", "nosuch", "--state-dir", tmp.resolve("none").toString());
        assertEquals(2, missing.exit(), missing.out() + missing.err());
        assertTrue(missing.err().contains("--campaign nosuch: no recorded campaign in " + tmp.resolve("none")), missing.err());
        assertTrue(!missing.err().contains("Exception"), missing.err());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
