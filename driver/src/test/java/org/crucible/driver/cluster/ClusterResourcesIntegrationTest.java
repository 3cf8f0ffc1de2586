package org.crucible.driver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.crucible.config.ClusterProfile;
import org.crucible.config.ClusterProfiles;
import org.crucible.dft.hpc.DftTask;
import org.crucible.dft.hpc.FarmState;
import org.crucible.dft.hpc.JobManager;
import org.crucible.dft.hpc.JobResources;
import org.crucible.dft.hpc.RemoteShell;
import org.crucible.dft.hpc.Sleeper;
import org.crucible.dft.hpc.testing.LocalSlurm;
import org.crucible.dft.hpc.testing.SiliconTasks;
import org.crucible.dft.qe.QeInputGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * First-class resources from a profile through the job script writer into the real local SLURM (deploy/local-slurm,
 * one node of 1 CPU): {@code nodes}, {@code ntasks_per_node}, {@code cpus_per_task} and {@code mem} at the top of the
 * profile and a different {@code mem} for one code. slurmctld accepts the jobs and {@code scontrol show job} reports
 * what was asked for; tasks asking for different resources go out as separate arrays. (The local node has no GPUs and
 * no features, so {@code gres} and {@code constraint} are covered by the golden scripts of JobResourcesTest only.)
 */
class ClusterResourcesIntegrationTest {
    @TempDir
    Path tmp;

    @Test
    void slurmctldAcceptsTheProfilesResourcesAndShowsThem() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        QeInputGenerator g = SiliconTasks.assumePwAndRecipe();
        Path work = cluster.workRoot("resources");
        Path calls = work.resolve("sbatch.calls");
        Path wrapper = work.resolve("sbatch-counting");
        Files.writeString(wrapper, "#!/bin/sh\necho \"$@\" >> '" + calls + "'\nexec sbatch \"$@\"\n");
        wrapper.toFile().setExecutable(true);
        // the "other" code is a second command of the same site with its own memory: a job that only sleeps (what it
        // would compute does not matter to the scheduler); the QE tasks sleep too, echoing what {ntasks}/{cpus} became
        String yaml = Files.readString(cluster.clusterYaml())
                .replaceAll("(?m)^work_root:.*$", "work_root: " + work)
                .replaceAll("(?m)^poll_interval:.*$", "poll_interval: 500ms")
                .replaceAll("(?m)^packing:.*$", "array_submission: true")
                .replaceAll("(?m)^ntasks:.*$", "nodes: 1\nntasks_per_node: 1\nmem: 200M")
                .replaceAll("(?m)^    command:.*$", "    command: \"sleep 20; echo {ntasks} {cpus}\"\n  other:\n    command: \"sleep 20\"\n    mem: 300m")
                + "submit_command: " + wrapper + "\n";
        ClusterProfile profile = ClusterProfiles.read(Files.writeString(tmp.resolve("resources.yaml"), yaml));
        assertEquals(new JobResources(1, 0, 1, 1, "200M", null, null), profile.jobResources("qe", 2));
        assertEquals(new JobResources(1, 0, 1, 1, "300M", null, null), profile.jobResources("other", 2));

        List<DftTask> qe = List.of(SiliconTasks.task(g, "a", SiliconTasks.si2(0.01)), SiliconTasks.task(g, "b", SiliconTasks.si2(0.02)));
        List<DftTask> other = List.of(SiliconTasks.task(g, "c", SiliconTasks.si2(0.03)));
        try (RemoteShell shell = ClusterConnection.shell(profile);
                JobManager farm = new JobManager(ClusterConnection.farm(profile, "resources", null), shell,
                        ClusterConnection.scheduler(profile), tmp.resolve("state"), Clock.systemUTC(), Sleeper.SYSTEM)) {
            new TaskPlacement(profile, "qe").add(farm, qe, List.of(2, 2));
            new TaskPlacement(profile, "other").add(farm, other, List.of(2));
            farm.step();
            assertEquals(2, Files.readAllLines(calls).size(), "one array per distinct resource request");
            Map<String, String> arrayOfTask = new TreeMap<>();
            for (FarmState.BatchRecord b : farm.state().batches().values()) {
                arrayOfTask.put(b.tasks().get(0), b.jobId().substring(0, b.jobId().indexOf('_')));
            }
            String qeArray = arrayOfTask.get(qe.get(0).hash());
            assertEquals(qeArray, arrayOfTask.get(qe.get(1).hash()), "the two QE tasks share an array");
            String otherArray = arrayOfTask.get(other.get(0).hash());
            assertTrue(!qeArray.equals(otherArray), "the task asking for more memory is in its own array");
            String qeJob = shell.exec(List.of("scontrol", "show", "job", "-o", qeArray)).orThrow().stdout();
            String otherJob = shell.exec(List.of("scontrol", "show", "job", "-o", otherArray)).orThrow().stdout();
            System.out.println(qeJob + otherJob);
            for (String field : List.of("MinMemoryNode=200M", "NumNodes=1", "CPUs/Task=1", "NumTasks=1")) {
                assertTrue(qeJob.contains(field), "scontrol shows " + field + ":\n" + qeJob);
            }
            assertTrue(otherJob.contains("MinMemoryNode=300M"), otherJob);
            String script = Files.readString(work.resolve("resources/jobs").resolve(farm.state().batches().keySet().iterator().next()).resolve("job.sh"));
            assertTrue(script.contains("#SBATCH --nodes=1\n#SBATCH --ntasks-per-node=1\n#SBATCH --cpus-per-task=1\n#SBATCH --mem=200M\n"), script);
            List<String> cancelled = new ArrayList<>(farm.suspend());
            assertEquals(3, cancelled.size(), "every element cancelled: " + cancelled);
        }
    }
}
