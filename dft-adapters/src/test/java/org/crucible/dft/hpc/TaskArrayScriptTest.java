package org.crucible.dft.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crucible.dft.hpc.FarmState.Attempt;
import org.crucible.dft.hpc.FarmState.BatchPhase;
import org.crucible.dft.hpc.FarmState.BatchRecord;
import org.crucible.dft.hpc.FarmState.TaskPhase;
import org.crucible.dft.hpc.FarmState.TaskRecord;
import org.crucible.dft.hpc.testing.LocalSlurm;
import org.junit.jupiter.api.Test;

/** The job-array script of a batch: its text, and one real array submission on the local SLURM cluster. */
class TaskArrayScriptTest {
    private static FarmSettings settings(String work) {
        return new FarmSettings("arr", work, "debug", null, null, 1, 1, Duration.ofMinutes(10), List.of("--hint=nomultithread"),
                List.of("export OMP_NUM_THREADS=1"), 1, 4, Duration.ofMillis(500), Duration.ofSeconds(4), 2, Duration.ofMinutes(5), false);
    }

    private static TaskRecord task(String hash, String command, boolean rerun) {
        List<Attempt> failures = rerun ? List.of(new Attempt("b0", "7", FailureReason.WALLTIME, "x")) : List.of();
        return new TaskRecord(hash, hash, "qe", command, "out.txt", "out.txt", TaskPhase.SUBMITTED, "b1", failures, null);
    }

    @Test
    void oneArrayPerBatchWithThrottleAndQuotedTasks() {
        Map<String, TaskRecord> tasks = new LinkedHashMap<>();
        tasks.put("h0", task("h0", "pw.x -in 'a b'", false));
        tasks.put("h1", task("h1", "echo $(touch /tmp/pwned); x'y", true));
        BatchRecord b = new BatchRecord("b000001", List.of("h0", "h1"), BatchPhase.PREPARED, null, null, 0);
        String text = TaskArrayScript.text(settings("/w"), new SlurmScheduler(), b, "/w/jobs/b000001", h -> "/w/tasks/" + h, tasks, 3);
        assertEquals(String.join("\n",
                "#!/bin/bash",
                "#SBATCH --job-name=crucible-arr",
                "#SBATCH --comment=b000001",
                "#SBATCH --chdir=/w/jobs/b000001",
                "#SBATCH --output=/w/jobs/b000001/slurm-%A_%a.out",
                "#SBATCH --partition=debug",
                "#SBATCH --ntasks=1",
                "#SBATCH --cpus-per-task=1",
                "#SBATCH --time=00:10:00",
                "#SBATCH --no-requeue",
                "#SBATCH --hint=nomultithread",
                "#SBATCH --array=0-1%3",
                "# Crucible job array: campaign arr, batch b000001, 2 task(s) in 2 element(s), at most 3 at once.",
                "set -u",
                "trap 'echo \"crucible: job terminated (walltime or scancel)\" >&2; exit 143' TERM INT",
                "export OMP_NUM_THREADS=1",
                "crucible_task() {",
                "  cd \"$1\" || { echo \"crucible: no task directory $1\" >&2; return 0; }",
                "  if [ \"$4\" != rerun ] && [ \"$(cat exit_code 2>/dev/null)\" = 0 ]; then echo \"crucible: $1 finished earlier; skipped\"; return 0; fi",
                "  rm -f exit_code",
                "  printf '%s\\n' \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\" > started.tmp && mv -f started.tmp started",
                "  timeout --kill-after=30 300 bash -c \"$2\" > \"$3\" 2> stderr.txt < /dev/null",
                "  rc=$?",
                "  case $rc in 143|130) echo \"crucible: task ended by a signal from outside (exit $rc); no exit code recorded\" >&2; exit 143 ;; esac",
                "  printf '%s\\n' \"$rc\" > exit_code.tmp && mv -f exit_code.tmp exit_code",
                "}",
                "case \"${SLURM_ARRAY_TASK_ID:?not a job array element}\" in",
                "  0) crucible_task '/w/tasks/h0' 'pw.x -in '\\''a b'\\''' 'out.txt' 'first' ;;",
                "  1) crucible_task '/w/tasks/h1' 'echo $(touch /tmp/pwned); x'\\''y' 'out.txt' 'rerun' ;;",
                "  *) echo \"crucible: no task for array index $SLURM_ARRAY_TASK_ID\" >&2; exit 2 ;;",
                "esac",
                "exit 0",
                ""), text);
        assertThrows(IllegalArgumentException.class, () -> TaskArrayScript.text(settings("/w"), new SlurmScheduler(), b, "/w/jobs/b000001",
                h -> "/w/tasks/" + h, tasks, 0));
    }

    /** Several tasks per element (tasks_per_element): element i runs its tasks one after another, in order. */
    @Test
    void severalTasksPerElementRunInSequenceInTheirElement() {
        Map<String, TaskRecord> tasks = new LinkedHashMap<>();
        for (String h : List.of("h0", "h1", "h2")) tasks.put(h, task(h, "pw.x -in pw.in", false));
        String text = TaskArrayScript.text(settings("/w"), new SlurmScheduler(), "b000001", null, List.of(List.of("h0", "h1"), List.of("h2")),
                "/w/jobs/b000001", h -> "/w/tasks/" + h, tasks, 2);
        assertTrue(text.contains("#SBATCH --array=0-1%2\n"), text);
        assertTrue(text.contains("# Crucible job array: campaign arr, batch b000001, 3 task(s) in 2 element(s), at most 2 at once.\n"), text);
        assertTrue(text.contains("\n  0) crucible_task '/w/tasks/h0' 'pw.x -in pw.in' 'out.txt' 'first'; "
                + "crucible_task '/w/tasks/h1' 'pw.x -in pw.in' 'out.txt' 'first' ;;\n"
                + "  1) crucible_task '/w/tasks/h2' 'pw.x -in pw.in' 'out.txt' 'first' ;;\n"), text);
        assertThrows(IllegalArgumentException.class, () -> TaskArrayScript.text(settings("/w"), new SlurmScheduler(), "b000001", null,
                List.of(List.of("h0"), List.of()), "/w/jobs/b000001", h -> "/w/tasks/" + h, tasks, 2), "an empty element");
    }

    /**
     * One sbatch for three tasks with throttle 1 on the real local SLURM: every element runs its own task (by index),
     * records its element id, and no two elements overlap in time.
     */
    @Test
    void oneSbatchRunsEveryTaskOfTheBatchThrottled() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        Path work = cluster.workRoot("array");
        Map<String, TaskRecord> tasks = new LinkedHashMap<>();
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String h = "t" + i;
            hashes.add(h);
            tasks.put(h, task(h, "echo task " + i + "; date +%s.%N; sleep 1; date +%s.%N", false));
            Files.createDirectories(work.resolve("tasks").resolve(h));
        }
        BatchRecord b = new BatchRecord("b000001", hashes, BatchPhase.PREPARED, null, null, 0);
        String jobDir = work.resolve("jobs/b000001").toString();
        String script = TaskArrayScript.text(settings(work.toString()), new SlurmScheduler(), b, jobDir,
                h -> work.resolve("tasks").resolve(h).toString(), tasks, 1);
        try (SshShell ssh = new SshShell(cluster.target())) {
            ssh.put(Map.of(jobDir + "/job.sh", script.getBytes(StandardCharsets.UTF_8)));
            SlurmScheduler slurm = new SlurmScheduler();
            String jobId = slurm.parseJobId(ssh.exec(slurm.submitCommand(jobDir + "/job.sh")).orThrow().stdout());
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (!hashes.stream().allMatch(h -> Files.exists(work.resolve("tasks").resolve(h).resolve("exit_code")))) {
                assertTrue(System.nanoTime() < deadline, "array " + jobId + " did not finish: " + ssh.exec(List.of("squeue")).stdout());
                Thread.sleep(500);
            }
            List<double[]> intervals = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Path dir = work.resolve("tasks").resolve(hashes.get(i));
                assertEquals("0", Files.readString(dir.resolve("exit_code")).strip());
                assertEquals(jobId + "_" + i, Files.readString(dir.resolve("started")).strip(), "element id as squeue shows it");
                List<String> out = Files.readAllLines(dir.resolve("out.txt"));
                assertEquals("task " + i, out.get(0), "array index " + i + " ran task " + i);
                intervals.add(new double[] {Double.parseDouble(out.get(1)), Double.parseDouble(out.get(2))});
                assertTrue(Files.exists(Path.of(jobDir, "slurm-" + jobId + "_" + i + ".out")), "element output file");
            }
            intervals.sort((x, y) -> Double.compare(x[0], y[0]));
            for (int i = 1; i < intervals.size(); i++) {
                assertTrue(intervals.get(i)[0] >= intervals.get(i - 1)[1], "throttle 1: a task started at " + intervals.get(i)[0]
                        + " before the one before it ended at " + intervals.get(i - 1)[1]);
            }
        }
    }
}
