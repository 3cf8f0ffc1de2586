package org.crucible.driver.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crucible.config.ClusterProfile;
import org.crucible.config.ClusterProfiles;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.dft.hpc.JobManager;
import org.crucible.dft.hpc.RemoteShell;
import org.crucible.dft.hpc.Sleeper;
import org.crucible.dft.hpc.testing.LocalSlurm;
import org.crucible.dft.hpc.testing.SiliconTasks;
import org.crucible.dft.qe.QeInputGenerator;
import org.crucible.driver.cluster.ClusterConnection;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.LabelStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ClusterOracle} against the real local SLURM cluster with real pw.x: a good task is labelled with provenance,
 * a task whose code fails on the cluster (an injected exit 3, no resubmission) and a structure without inputs (no
 * pseudopotential for H) become FAILED records with their reason, and a second oracle on the same farm state
 * directory returns the finished labels without a new sbatch.
 */
class ClusterOracleTest {
    @TempDir
    Path tmp;

    /** An sbatch wrapper in {@code work} that appends its arguments to {@code calls}, one line per submission. */
    static Path countingSbatch(Path work, Path calls) throws java.io.IOException {
        Path wrapper = work.resolve("sbatch-counting");
        Files.writeString(wrapper, "#!/bin/sh\necho \"$@\" >> '" + calls + "'\nexec sbatch \"$@\"\n");
        if (!wrapper.toFile().setExecutable(true)) throw new java.io.IOException("cannot make " + wrapper + " executable");
        return wrapper;
    }

    @Test
    void labelsFailuresAndReattachOnTheLocalSlurm() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        QeInputGenerator generator = SiliconTasks.assumePwAndRecipe();
        Path work = cluster.workRoot("cluster-oracle");
        Path calls = work.resolve("sbatch.calls");
        Path wrapper = countingSbatch(work, calls);
        // the structure shifted by 0.123 Angstrom has an atom at x = 1.4805: its task fails on the cluster
        String yaml = Files.readString(cluster.clusterYaml())
                .replaceAll("(?m)^work_root:.*$", "work_root: " + work)
                .replaceAll("(?m)^poll_interval:.*$", "poll_interval: 500ms")
                .replaceAll("(?m)^max_resubmissions:.*$", "max_resubmissions: 0")
                .replace("command: \"pw.x -in {input}\"",
                        "command: 'if grep -q \" 1[.]480500\" {input}; then echo injected failure >&2; exit 3; fi; pw.x -in {input}'")
                + "submit_command: " + wrapper + "\n";
        Path profileFile = Files.writeString(tmp.resolve("profile.yaml"), yaml);
        ClusterProfile profile = ClusterProfiles.read(profileFile);

        Structure good = SiliconTasks.si2(0.02);
        Structure bad = SiliconTasks.si2(0.123);
        assertTrue(generator.inputSet(bad).files().values().stream().anyMatch(f -> f.contains(" 1.480500")),
                "the failing task is recognisable by its input: " + generator.inputSet(bad).files());
        Structure hydrogen = Structure.of(Cell.cubic(6.0), List.of("H", "H"), new double[][] {{0, 0, 0}, {0.74, 0, 0}});
        Map<String, Object> settings = Map.of("code", "qe", "test", "cluster-oracle");
        Path state = tmp.resolve("farm");
        List<LabelRecord> first = new ArrayList<>();
        List<OracleTask> batch;
        try (RemoteShell shell = ClusterConnection.shell(profile);
                ClusterOracle oracle = oracle(generator, profile, shell, state, settings)) {
            batch = List.of(OracleTask.of(good, oracle, 1), OracleTask.of(bad, oracle, 2), OracleTask.of(hydrogen, oracle, 3));
            oracle.label(batch, 0, "test", first::add);
        }
        Map<Long, LabelRecord> byPool = new LinkedHashMap<>();
        for (LabelRecord r : first) {
            for (OracleTask t : batch) if (t.taskHash().equals(r.taskHash())) byPool.put(t.poolId(), r);
        }
        assertEquals(3, byPool.size(), "one record per task: " + first);
        LabelRecord ok = byPool.get(1L);
        assertEquals(LabelStatus.OK, ok.status(), ok.message());
        assertTrue(ok.structure().labels().energy() < -200 && ok.structure().labels().energy() > -230, "Si2 in eV: " + ok.structure().labels().energy());
        assertTrue(ok.provenance().jobId().matches("slurm:\\d+"), ok.provenance().jobId());
        assertEquals("pw.x", ok.provenance().code());
        assertTrue(ok.provenance().wallTimeSeconds() > 0);
        LabelRecord failed = byPool.get(2L);
        assertEquals(LabelStatus.FAILED, failed.status());
        assertTrue(failed.message().contains("failed"), failed.message());
        assertTrue(failed.provenance().jobId().matches("slurm:\\d+"), failed.provenance().jobId());
        LabelRecord noInput = byPool.get(3L);
        assertEquals(LabelStatus.FAILED, noInput.status());
        assertTrue(noInput.message().startsWith("input: ") && noInput.message().contains("H"), noInput.message());
        int sbatch = Files.readAllLines(calls).size();
        assertEquals(1, sbatch, "two cluster tasks packed 2 per job");

        // a new driver on the same state directory: the same batch is answered from the recorded farm
        List<LabelRecord> again = new ArrayList<>();
        try (RemoteShell shell = ClusterConnection.shell(profile);
                ClusterOracle oracle = oracle(generator, profile, shell, state, settings)) {
            oracle.label(batch.subList(0, 2), 0, "test", again::add);
        }
        assertEquals(2, again.size());
        assertEquals(ok.structure().labels().energy(), again.stream().filter(r -> r.status() == LabelStatus.OK).findFirst().orElseThrow()
                .structure().labels().energy());
        assertEquals(sbatch, Files.readAllLines(calls).size(), "nothing submitted again");
    }

    /** A campaign's oracle batch with {@code array_submission: true}: one sbatch, one array element per task. */
    @Test
    void labelsABatchThroughOneJobArray() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        QeInputGenerator generator = SiliconTasks.assumePwAndRecipe();
        Path work = cluster.workRoot("cluster-oracle-array");
        Path calls = work.resolve("sbatch.calls");
        Path wrapper = countingSbatch(work, calls);
        String yaml = Files.readString(cluster.clusterYaml())
                .replaceAll("(?m)^work_root:.*$", "work_root: " + work)
                .replaceAll("(?m)^poll_interval:.*$", "poll_interval: 500ms")
                .replaceAll("(?m)^packing:.*$", "packing: 1")
                + "array_submission: true\narray_parallelism: 2\nsubmit_command: " + wrapper + "\n";
        ClusterProfile profile = ClusterProfiles.read(Files.writeString(tmp.resolve("array.yaml"), yaml));
        assertEquals(2, profile.arrayParallelism());
        Map<String, Object> settings = Map.of("code", "qe", "test", "cluster-oracle-array");
        List<LabelRecord> labels = new ArrayList<>();
        List<OracleTask> batch = new ArrayList<>();
        try (RemoteShell shell = ClusterConnection.shell(profile);
                ClusterOracle oracle = oracle(generator, profile, shell, tmp.resolve("farm-array"), settings)) {
            for (int i = 0; i < 4; i++) batch.add(OracleTask.of(SiliconTasks.si2(0.02 * i + 0.01), oracle, i));
            oracle.label(batch, 0, "test", labels::add);
        }
        assertEquals(4, labels.size(), labels.toString());
        assertEquals(1, Files.readAllLines(calls).size(), "four tasks, one sbatch");
        java.util.Set<String> elements = new java.util.TreeSet<>();
        String arrayJob = null;
        for (LabelRecord r : labels) {
            assertEquals(LabelStatus.OK, r.status(), r.message());
            assertTrue(r.provenance().jobId().matches("slurm:\\d+_[0-3]"), "provenance names the array element: " + r.provenance().jobId());
            String job = r.provenance().jobId().substring(6, r.provenance().jobId().indexOf('_'));
            if (arrayJob == null) arrayJob = job;
            assertEquals(arrayJob, job, "all elements of one array");
            elements.add(r.provenance().jobId());
        }
        assertEquals(4, elements.size(), "one element per task: " + elements);
    }

    private static ClusterOracle oracle(QeInputGenerator generator, ClusterProfile profile, RemoteShell shell, Path state,
            Map<String, Object> settings) throws Exception {
        JobManager farm = new JobManager(ClusterConnection.farm(profile, "oracle-test", null), shell, ClusterConnection.scheduler(profile),
                state, Clock.systemUTC(), Sleeper.SYSTEM);
        return new ClusterOracle(generator, farm, new org.crucible.driver.cluster.TaskPlacement(profile, "qe"), settings, profile.name() + "/" + profile.host(),
                Clock.systemUTC(), p -> { });
    }
}
