package org.crucible.dft.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crucible.dft.hpc.FarmState.BatchPhase;
import org.crucible.dft.hpc.FarmState.BatchRecord;
import org.crucible.dft.hpc.FarmState.TaskPhase;
import org.crucible.dft.hpc.FarmState.TaskRecord;
import org.junit.jupiter.api.Test;

/** First-class job resources: validation, and the directives the job script writer makes of them (golden strings). */
class JobResourcesTest {
    @Test
    void valuesAreNormalisedOrRefused() {
        assertEquals("4G", JobResources.memory("4g"));
        assertEquals("4096M", JobResources.memory("4096"), "a bare number is MB, written with its unit");
        assertEquals("512K", JobResources.memory(" 512K "));
        for (String bad : List.of("4X", "1.5G", "0", "-1G", "4 GB", "G", "4GB")) {
            assertThrows(IllegalArgumentException.class, () -> JobResources.memory(bad), bad);
        }
        assertEquals("gpu:a100:2,mps:100", JobResources.gres("gpu:a100:2,mps:100"));
        for (String bad : List.of("gpu", "gpu:0", "gpu:a100", "gpu:2,", ":2", "gpu:2;rm")) {
            assertThrows(IllegalArgumentException.class, () -> JobResources.gres(bad), bad);
        }
        assertEquals("[rack1|rack2]&ib", JobResources.constraint("[rack1|rack2]&ib"));
        for (String bad : List.of("a b", "(a|b", "a)(", "a\"b", "a#b", "a\\b", "a;b")) {
            assertThrows(IllegalArgumentException.class, () -> JobResources.constraint(bad), bad);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new JobResources(0, 0, 0, 1, "4X", null, null));
        assertEquals("mem: '4X' is not an amount of memory: a positive whole number with unit K, M, G or T (e.g. 4G, 500M; a bare "
                + "number is MB)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new JobResources(2, 9, 4, 1, null, null, null), "9 tasks on 2 x 4");
        assertThrows(IllegalArgumentException.class, () -> new JobResources(0, 0, 0, 0, null, null, null), "no cores");
        assertEquals(8, new JobResources(2, 0, 4, 1, null, null, null).tasks());
        assertEquals(4, new JobResources(0, 0, 4, 1, null, null, null).tasks());
        assertEquals(3, new JobResources(3, 0, 0, 1, null, null, null).tasks(), "--nodes alone: one task per node");
        assertEquals(1, new JobResources(0, 0, 0, 1, null, null, null).tasks());
        assertEquals(6, new JobResources(2, 6, 4, 1, null, null, null).tasks());
    }

    @Test
    void everyResourceBecomesADirectiveGolden() {
        JobRequest r = new JobRequest("crucible-si", "b0003", "/w/jobs/b0003", "/w/jobs/b0003/slurm-%j.out", "gpu", "e89-abc", "high",
                new JobResources(2, 0, 64, 2, "200g", "gpu:a100:4", "intel&(ib|opa)"), Duration.ofHours(2), List.of("--hint=nomultithread"));
        assertEquals("""
                #!/bin/bash
                #SBATCH --job-name=crucible-si
                #SBATCH --comment=b0003
                #SBATCH --chdir=/w/jobs/b0003
                #SBATCH --output=/w/jobs/b0003/slurm-%j.out
                #SBATCH --partition=gpu
                #SBATCH --account=e89-abc
                #SBATCH --qos=high
                #SBATCH --nodes=2
                #SBATCH --ntasks-per-node=64
                #SBATCH --cpus-per-task=2
                #SBATCH --mem=200G
                #SBATCH --gres=gpu:a100:4
                #SBATCH --constraint="intel&(ib|opa)"
                #SBATCH --time=02:00:00
                #SBATCH --no-requeue
                #SBATCH --hint=nomultithread
                echo hi
                """, new SlurmScheduler().script(r, List.of("echo hi")));
        JobRequest plain = new JobRequest("crucible-si", "b1", "/w", "/w/o", null, null, null,
                new JobResources(0, 24, 0, 1, "4096", null, "haswell"), Duration.ofMinutes(5), List.of());
        assertEquals("""
                #!/bin/bash
                #SBATCH --job-name=crucible-si
                #SBATCH --comment=b1
                #SBATCH --chdir=/w
                #SBATCH --output=/w/o
                #SBATCH --ntasks=24
                #SBATCH --cpus-per-task=1
                #SBATCH --mem=4096M
                #SBATCH --constraint=haswell
                #SBATCH --time=00:05:00
                #SBATCH --no-requeue
                """, new SlurmScheduler().script(plain, List.of()), "a plain constraint is written unquoted");
    }

    /** The task-farm writer takes a batch's resources from its tasks, and the farm's default for tasks without any. */
    @Test
    void aBatchAsksForTheResourcesItsTasksWereRecordedWith() {
        JobResources big = new JobResources(0, 16, 8, 1, "32G", null, null);
        FarmSettings fs = new FarmSettings("res", "/w", "debug", null, null, new JobResources(0, 0, 0, 1, "1G", null, null),
                Duration.ofMinutes(10), List.of(), List.of(), 2, 4, Duration.ofSeconds(1), Duration.ofSeconds(4), 2,
                Duration.ofMinutes(5), false, 0);
        Map<String, TaskRecord> tasks = new LinkedHashMap<>();
        tasks.put("h0", new TaskRecord("h0", "a", "qe", "pw.x", "out", "out", TaskPhase.SUBMITTED, "b1", List.of(), null, List.of(), big));
        tasks.put("h1", new TaskRecord("h1", "b", "qe", "pw.x", "out", "out", TaskPhase.SUBMITTED, "b2", List.of(), null, List.of()));
        String withOwn = TaskFarmScript.text(fs, new SlurmScheduler(), new BatchRecord("b1", List.of("h0"), BatchPhase.PREPARED, null, null, 0),
                "/w/jobs/b1", h -> "/w/" + h, tasks);
        String withDefault = TaskFarmScript.text(fs, new SlurmScheduler(), new BatchRecord("b2", List.of("h1"), BatchPhase.PREPARED, null, null, 0),
                "/w/jobs/b2", h -> "/w/" + h, tasks);
        assertEquals(List.of("#SBATCH --ntasks=16", "#SBATCH --ntasks-per-node=8", "#SBATCH --cpus-per-task=1", "#SBATCH --mem=32G"),
                withOwn.lines().filter(l -> l.matches("#SBATCH --(ntasks|cpus|mem|nodes).*")).toList());
        assertEquals(List.of("#SBATCH --ntasks=1", "#SBATCH --cpus-per-task=1", "#SBATCH --mem=1G"),
                withDefault.lines().filter(l -> l.matches("#SBATCH --(ntasks|cpus|mem|nodes).*")).toList());
        // a batch that recorded its request at submission keeps it, whatever the farm's default says now
        String recorded = TaskFarmScript.text(fs, new SlurmScheduler(), new BatchRecord("b2", List.of("h1"), BatchPhase.PREPARED, null, null, 0, null, 0,
                JobResources.of(2, 3)), "/w/jobs/b2", h -> "/w/" + h, tasks);
        assertEquals(List.of("#SBATCH --ntasks=2", "#SBATCH --cpus-per-task=3"),
                recorded.lines().filter(l -> l.matches("#SBATCH --(ntasks|cpus|mem|nodes).*")).toList());
    }
}
