package org.crucible.dft.hpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.crucible.dft.hpc.FarmState.BatchRecord;
import org.crucible.dft.hpc.FarmState.TaskRecord;

/**
 * The batch script of one task-farm job: tasks run one after another in the allocation; each writes {@value #STARTED}
 * (the job id) before and {@value #EXIT_CODE} after, atomically; a task whose exit code is 0 is skipped, so a
 * resubmitted job redoes only unfinished work. SIGTERM (walltime, scancel) ends the script before the running task
 * can record an exit code, so an interrupted task is never mistaken for a failed calculation: the shell's trap when it
 * gets the signal first, and a status of 143 or 130 (the task got it first) otherwise. Every task argument is
 * shell-quoted; directive values were checked as plain tokens by {@link JobRequest}.
 *
 * <p>{@link JobManager} scans the same file names ({@link #STARTED}, {@link #EXIT_CODE}, {@link #STDERR}) in each task
 * directory to learn what ran.
 */
final class TaskFarmScript {
    /** Standard error of a task, in its directory. */
    static final String STDERR = "stderr.txt";
    /** The task's exit status, written atomically when it ends. */
    static final String EXIT_CODE = "exit_code";
    /** The job id that last started the task, written atomically before it runs. */
    static final String STARTED = "started";

    private TaskFarmScript() {
    }

    /**
     * The script of job {@code b}.
     *
     * @param jobDir remote directory of the job (scheduler output goes there)
     * @param taskDir remote directory of a task, by task hash
     * @param tasks the farm's task records, by hash
     */
    static String text(FarmSettings settings, Scheduler scheduler, BatchRecord b, String jobDir, UnaryOperator<String> taskDir,
            Map<String, TaskRecord> tasks) {
        JobRequest req = new JobRequest(settings.jobName(), b.id(), jobDir, jobDir + "/slurm-%j.out",
                settings.partition(), settings.account(), settings.qos(), resources(settings, b, tasks),
                settings.walltime(), settings.extraDirectives());
        List<String> body = new ArrayList<>();
        body.add("# Crucible task farm: campaign " + settings.campaign() + ", job " + b.id() + ", " + b.tasks().size() + " task(s).");
        body.addAll(preamble(settings, "$SLURM_JOB_ID"));
        for (String h : b.tasks()) body.add(call(h, taskDir, tasks));
        body.add("exit 0");
        return scheduler.script(req, body);
    }

    /**
     * What the job of batch {@code b} asks for: the resources recorded with the batch at submission, else those its
     * (first) task was recorded with, else the farm's default. Every task of a batch asks for the same ({@link Submission}
     * groups them so).
     */
    static JobResources resources(FarmSettings settings, BatchRecord b, Map<String, TaskRecord> tasks) {
        if (b.resources() != null) return b.resources();
        TaskRecord first = b.tasks().isEmpty() ? null : tasks.get(b.tasks().get(0));
        return first == null ? settings.resources() : first.resourcesOr(settings.resources());
    }

    /**
     * Lines before the task calls, shared by the task farm and {@link TaskArrayScript}: strict variables, the TERM
     * trap, the profile's environment and the {@code crucible_task DIR COMMAND STDOUT first|rerun} function.
     *
     * @param jobIdExpression shell expression of the id recorded in {@value #STARTED}: the one {@code squeue} shows
     */
    static List<String> preamble(FarmSettings settings, String jobIdExpression) {
        List<String> body = new ArrayList<>();
        body.add("set -u");
        body.add("trap 'echo \"crucible: job terminated (walltime or scancel)\" >&2; exit 143' TERM INT");
        body.addAll(settings.environment());
        body.add("crucible_task() {");
        body.add("  cd \"$1\" || { echo \"crucible: no task directory $1\" >&2; return 0; }");
        // $4 = rerun: the manager judged an earlier attempt a failure, so an exit code of 0 on disk is stale
        body.add("  if [ \"$4\" != rerun ] && [ \"$(cat " + EXIT_CODE + " 2>/dev/null)\" = 0 ]; then echo \"crucible: $1 finished earlier; skipped\"; return 0; fi");
        body.add("  rm -f " + EXIT_CODE);
        body.add("  printf '%s\\n' \"" + jobIdExpression + "\" > " + STARTED + ".tmp && mv -f " + STARTED + ".tmp " + STARTED);
        body.add("  timeout --kill-after=30 " + Math.max(1, settings.taskTimeout().toSeconds())
                + " bash -c \"$2\" > \"$3\" 2> " + STDERR + " < /dev/null");
        body.add("  rc=$?");
        // 143/130: the task was ended by SIGTERM/SIGINT from outside (timeout's own expiry is 124). scancel and the
        // walltime signal every process of the job in no fixed order, so the task may die before this shell runs its
        // trap: record nothing and end as the trap would, so the scheduler's final state judges the attempt.
        body.add("  case $rc in 143|130) echo \"crucible: task ended by a signal from outside (exit $rc); no exit code recorded\" >&2; exit 143 ;; esac");
        body.add("  printf '%s\\n' \"$rc\" > " + EXIT_CODE + ".tmp && mv -f " + EXIT_CODE + ".tmp " + EXIT_CODE);
        body.add("}");
        return body;
    }

    /** {@code crucible_task} for task {@code hash}, every argument quoted. */
    static String call(String hash, UnaryOperator<String> taskDir, Map<String, TaskRecord> tasks) {
        TaskRecord t = tasks.get(hash);
        return "crucible_task " + ShellQuote.join(taskDir.apply(hash), t.commandLine(), t.stdoutFile(),
                t.failures().isEmpty() ? "first" : "rerun");
    }
}
