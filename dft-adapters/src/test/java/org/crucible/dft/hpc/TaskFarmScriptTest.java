package org.crucible.dft.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.crucible.dft.hpc.FarmState.BatchPhase;
import org.crucible.dft.hpc.FarmState.BatchRecord;
import org.crucible.dft.hpc.FarmState.TaskPhase;
import org.crucible.dft.hpc.FarmState.TaskRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task-farm job script run by a real bash (no scheduler): what each task's ending leaves on disk. */
class TaskFarmScriptTest {
    @TempDir
    Path dir;

    /**
     * A failed task records its exit code and the job goes on; a task ended by SIGTERM before the job's shell ran its
     * trap (scancel and the walltime signal the job's processes in no fixed order) records none and ends the job with
     * 143, so the scheduler's final state judges it (CANCELLED, WALLTIME), never CODE_FAILED; later tasks do not run.
     */
    @Test
    void aTaskEndedBySigtermRecordsNoExitCodeAndEndsTheJob() throws Exception {
        Map<String, TaskRecord> tasks = new LinkedHashMap<>();
        tasks.put("fails", task("fails", "echo bad >&2; exit 3"));
        tasks.put("ok", task("ok", "echo fine"));
        tasks.put("termed", task("termed", "kill -TERM $$"));
        tasks.put("after", task("after", "echo after"));
        for (String h : tasks.keySet()) Files.createDirectories(dir.resolve(h));
        FarmSettings s = new FarmSettings("t", dir.toString(), "debug", null, null, 1, 1, Duration.ofMinutes(10), List.of(), List.of(),
                1, 4, Duration.ofMillis(500), Duration.ofSeconds(4), 2, Duration.ofMinutes(5), false);
        BatchRecord b = new BatchRecord("b000001", List.copyOf(tasks.keySet()), BatchPhase.PREPARED, null, null, 0);
        Path script = dir.resolve("job.sh");
        Files.writeString(script, TaskFarmScript.text(s, new SlurmScheduler(), b, dir.toString(), h -> dir.resolve(h).toString(), tasks),
                StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
        pb.environment().put("SLURM_JOB_ID", "77");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(143, p.exitValue(), "the job ends as its TERM trap would: " + out);
        assertEquals("3", Files.readString(dir.resolve("fails/exit_code")).strip(), "a code failure is recorded");
        assertEquals("0", Files.readString(dir.resolve("ok/exit_code")).strip());
        assertEquals("77", Files.readString(dir.resolve("termed/started")).strip(), "the terminated task had started");
        assertFalse(Files.exists(dir.resolve("termed/exit_code")), "no exit code for a task ended by SIGTERM");
        assertTrue(out.contains("task ended by a signal from outside (exit 143)"), out);
        assertFalse(Files.exists(dir.resolve("after/started")), "no task runs after the job was terminated");
    }

    private static TaskRecord task(String hash, String command) {
        return new TaskRecord(hash, hash, "qe", command, "out.txt", "out.txt", TaskPhase.SUBMITTED, "b1", List.of(), null);
    }
}
