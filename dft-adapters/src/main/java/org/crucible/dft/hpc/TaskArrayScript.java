package org.crucible.dft.hpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.crucible.dft.hpc.FarmState.BatchRecord;
import org.crucible.dft.hpc.FarmState.TaskRecord;

/**
 * The script of one SLURM job array for a batch: one {@code sbatch} submits every task of the batch, array index
 * {@code i} runs the batch's task {@code i} (in the order of {@link BatchRecord#tasks()}), or with several tasks per
 * element ({@link FarmSettings#packing()}, profile key {@code tasks_per_element}) its tasks one after another, and at most
 * {@code throttle} elements run at once ({@code --array=0-(n-1)%throttle}). Each element has the resources of one
 * task-farm job ({@link FarmSettings}) and its own output file {@code slurm-%A_%a.out}.
 *
 * <p>The task function is the task farm's ({@link TaskFarmScript#preamble}): a task records in {@value
 * TaskFarmScript#STARTED} the element id {@code ARRAYJOB_INDEX} that {@code squeue} shows, writes {@value
 * TaskFarmScript#EXIT_CODE} atomically when it ends, and is skipped when an earlier run finished it with status 0,
 * so resubmitting the whole array after an interruption redoes only unfinished work.
 *
 * <p>Example: {@code text(settings, new SlurmScheduler(), batch, "/w/jobs/b1", h -> "/w/tasks/" + h, tasks, 4)}.
 */
final class TaskArrayScript {
    /** The id a task records: the array element as squeue prints it ({@code %i}), e.g. {@code 630114_3}. */
    static final String ELEMENT_ID = "${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}";

    private TaskArrayScript() {
    }

    /**
     * One element per task of {@code b} (in order).
     *
     * @param jobDir remote directory of the array job (element outputs go there)
     * @param taskDir remote directory of a task, by task hash
     * @param tasks the farm's task records, by hash
     * @param throttle most elements running at once ({@code %N}), at least 1
     */
    static String text(FarmSettings settings, Scheduler scheduler, BatchRecord b, String jobDir, UnaryOperator<String> taskDir,
            Map<String, TaskRecord> tasks, int throttle) {
        if (b.tasks().isEmpty()) throw new IllegalArgumentException("batch " + b.id() + " has no tasks");
        List<List<String>> elements = new ArrayList<>();
        for (String h : b.tasks()) elements.add(List.of(h));
        return text(settings, scheduler, b.id(), b.resources(), elements, jobDir, taskDir, tasks, throttle);
    }

    /**
     * Element {@code i} runs the tasks of {@code elements.get(i)} one after another, as a task-farm job runs its tasks
     * (profile key {@code tasks_per_element}): a finished task is skipped when the element runs again, and a task
     * interrupted by the element's end records no exit code, so it is resubmitted, never charged as failed.
     *
     * @param submission the array's batch id (the job's comment)
     * @param resources what each element asks for (null: the first task's, else the farm's default)
     * @param elements the task hashes of each element, in index order; none empty
     */
    static String text(FarmSettings settings, Scheduler scheduler, String submission, JobResources resources, List<List<String>> elements,
            String jobDir, UnaryOperator<String> taskDir, Map<String, TaskRecord> tasks, int throttle) {
        if (throttle < 1) throw new IllegalArgumentException("array throttle must be >= 1, got " + throttle);
        if (elements.isEmpty()) throw new IllegalArgumentException("batch " + submission + " has no tasks");
        List<String> all = new ArrayList<>();
        for (List<String> e : elements) {
            if (e.isEmpty()) throw new IllegalArgumentException("an element of array " + submission + " has no tasks");
            all.addAll(e);
        }
        BatchRecord whole = new BatchRecord(submission, all, FarmState.BatchPhase.PREPARED, null, null, 0, null, 0, resources);
        List<String> directives = new ArrayList<>(settings.extraDirectives());
        directives.add("--array=0-" + (elements.size() - 1) + "%" + throttle);
        JobRequest req = new JobRequest(settings.jobName(), submission, jobDir, jobDir + "/slurm-%A_%a.out",
                settings.partition(), settings.account(), settings.qos(), TaskFarmScript.resources(settings, whole, tasks),
                settings.walltime(), directives);
        List<String> body = new ArrayList<>();
        body.add("# Crucible job array: campaign " + settings.campaign() + ", batch " + submission + ", " + all.size()
                + " task(s) in " + elements.size() + " element(s), at most " + throttle + " at once.");
        body.addAll(TaskFarmScript.preamble(settings, ELEMENT_ID));
        body.add("case \"${SLURM_ARRAY_TASK_ID:?not a job array element}\" in");
        for (int i = 0; i < elements.size(); i++) {
            List<String> calls = new ArrayList<>();
            for (String h : elements.get(i)) calls.add(TaskFarmScript.call(h, taskDir, tasks));
            body.add("  " + i + ") " + String.join("; ", calls) + " ;;");
        }
        body.add("  *) echo \"crucible: no task for array index $SLURM_ARRAY_TASK_ID\" >&2; exit 2 ;;");
        body.add("esac");
        body.add("exit 0");
        return scheduler.script(req, body);
    }
}
