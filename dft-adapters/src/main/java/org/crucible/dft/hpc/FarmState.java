package org.crucible.dft.hpc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The persisted state of one campaign on a cluster ({@code state.json} in the manager's state directory),
 * written atomically after every change so a killed driver resumes from it.
 *
 * @param campaign campaign name
 * @param nextBatch number of the next batch id
 * @param tasks task hash to record, in submission order
 * @param batches batch id to record
 */
public record FarmState(String campaign, int nextBatch, Map<String, TaskRecord> tasks, Map<String, BatchRecord> batches) {
    public FarmState {
        tasks = new LinkedHashMap<>(tasks);
        batches = new LinkedHashMap<>(batches);
    }

    /** Where a task is in its life. */
    public enum TaskPhase { PENDING, SUBMITTED, DONE, FAILED, CANCELLED }

    /** Where a batch (one job) is. PREPARED: recorded locally, submission not yet confirmed. */
    public enum BatchPhase { PREPARED, SUBMITTED, ENDED, SUBMIT_FAILED }

    /**
     * One failed attempt.
     *
     * @param batch batch id
     * @param jobId scheduler job id
     * @param reason classified reason
     * @param detail what was seen (job state, exit status, message)
     */
    public record Attempt(String batch, String jobId, FailureReason reason, String detail) {
    }

    /**
     * One task.
     *
     * @param hash task identity ({@link DftTask#hash()})
     * @param name label
     * @param code code id
     * @param commandLine the command run in the task directory
     * @param stdoutFile standard output file name
     * @param mainOutput file the parser reads
     * @param phase phase
     * @param batch current or last batch, or null
     * @param failures failed attempts, oldest first
     * @param message final message (failure summary), or null
     * @param extraOutputs further output files downloaded with the main output ({@code InputSet#extraOutputs()});
     *                     empty for single points and for state files written before the field existed
     * @param resources what the task's job asks the scheduler for, or null for the farm's default
     *                  ({@link FarmSettings#resources()}; also for state files written before the field existed)
     */
    public record TaskRecord(String hash, String name, String code, String commandLine, String stdoutFile,
            String mainOutput, TaskPhase phase, String batch, List<Attempt> failures, String message, List<String> extraOutputs,
            JobResources resources) {
        public TaskRecord {
            failures = List.copyOf(failures);
            extraOutputs = extraOutputs == null ? List.of() : List.copyOf(extraOutputs);
        }

        /** A record with the farm's default resources. */
        public TaskRecord(String hash, String name, String code, String commandLine, String stdoutFile,
                String mainOutput, TaskPhase phase, String batch, List<Attempt> failures, String message, List<String> extraOutputs) {
            this(hash, name, code, commandLine, stdoutFile, mainOutput, phase, batch, failures, message, extraOutputs, null);
        }

        /** A record without extra outputs (single points). */
        public TaskRecord(String hash, String name, String code, String commandLine, String stdoutFile,
                String mainOutput, TaskPhase phase, String batch, List<Attempt> failures, String message) {
            this(hash, name, code, commandLine, stdoutFile, mainOutput, phase, batch, failures, message, List.of());
        }

        TaskRecord with(TaskPhase p, String b, List<Attempt> f, String m) {
            return new TaskRecord(hash, name, code, commandLine, stdoutFile, mainOutput, p, b, f, m, extraOutputs, resources);
        }

        /** Every file fetched when the task finishes: standard output, main output and extra outputs, no repeats. */
        public List<String> outputFiles() {
            java.util.LinkedHashSet<String> s = new java.util.LinkedHashSet<>();
            s.add(stdoutFile);
            s.add(mainOutput);
            s.addAll(extraOutputs);
            return List.copyOf(s);
        }

        /** The resources of this task's job: its own, else {@code dflt}. */
        public JobResources resourcesOr(JobResources dflt) {
            return resources != null ? resources : dflt;
        }

        public boolean terminal() {
            return phase == TaskPhase.DONE || phase == TaskPhase.FAILED || phase == TaskPhase.CANCELLED;
        }
    }

    /**
     * One job, or one element of a job array.
     *
     * @param id batch id ({@code b000001})
     * @param tasks task hashes run by the job, in order (for an array element, its {@code tasks_per_element} tasks or fewer)
     * @param phase phase
     * @param jobId scheduler job id once known; for an array element the element id {@code ARRAYJOB_INDEX} that
     *     {@code squeue} and {@code sacct} print and the task records in {@code started}
     * @param endState scheduler state code seen when it ended (or "gone")
     * @param endSeen consecutive polls that saw it ended (conclusions about missing outputs wait for 2)
     * @param array for an array element, the id of the submission it belongs to (the id of its first element, whose
     *     job directory holds the array's script and submission record); null for a single job
     * @param arrayIndex for an array element, its index in the array ({@code SLURM_ARRAY_TASK_ID}); 0 otherwise
     * @param resources what the job asks the scheduler for (nodes, tasks, cores per task, memory, ...), recorded with the
     *     batch before it is submitted and written into its script, so the cores a job was given stay known after the
     *     profile changes ({@link JobResources#cores()}); null in state files written before the field existed
     */
    public record BatchRecord(String id, List<String> tasks, BatchPhase phase, String jobId, String endState, int endSeen,
            String array, int arrayIndex, JobResources resources) {
        public BatchRecord {
            tasks = List.copyOf(tasks);
            if (array != null && (arrayIndex < 0 || tasks.isEmpty())) {
                throw new IllegalArgumentException("array element " + id + " must have at least one task and an index >= 0, got "
                        + tasks.size() + " task(s), index " + arrayIndex);
            }
        }

        /** A record without recorded resources (the farm's default applies). */
        public BatchRecord(String id, List<String> tasks, BatchPhase phase, String jobId, String endState, int endSeen,
                String array, int arrayIndex) {
            this(id, tasks, phase, jobId, endState, endSeen, array, arrayIndex, null);
        }

        /** A single job (not an array element) without recorded resources. */
        public BatchRecord(String id, List<String> tasks, BatchPhase phase, String jobId, String endState, int endSeen) {
            this(id, tasks, phase, jobId, endState, endSeen, null, 0);
        }

        BatchRecord with(BatchPhase p, String j, String e, int seen) {
            return new BatchRecord(id, tasks, p, j, e, seen, array, arrayIndex, resources);
        }

        /** The submission this batch was sent in: its array's id, or its own id for a single job. */
        String submission() {
            return array == null ? id : array;
        }
    }
}
