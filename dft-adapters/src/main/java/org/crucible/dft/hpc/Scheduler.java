package org.crucible.dft.hpc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch scheduler as a template method (the shape of Nextflow's grid executors): this class writes the job
 * script, runs submit, status and cancel commands through a {@link RemoteShell} and interprets the answers;
 * a subclass fills in only the scheduler's vocabulary -- directives, the commands, {@link #parseJobId} and the
 * table from its state codes to {@link JobState}. Subclass methods are pure string functions, tested with
 * golden strings.
 *
 * <p>Status is asked for all jobs of a campaign at once ({@link #queue}): one command per poll however many jobs
 * there are, never one per job (sites ban users for that).
 */
public abstract class Scheduler {
    /** Scheduler name for messages and provenance, e.g. {@code slurm}. */
    public abstract String name();

    /** Prefix of a directive line, e.g. {@code #SBATCH}. */
    protected abstract String directivePrefix();

    /** Directive values (without prefix) for a request, e.g. {@code --ntasks=4}. */
    protected abstract List<String> directives(JobRequest request);

    /** Argument vector that submits the script at {@code scriptPath} and prints the job id. */
    public abstract List<String> submitCommand(String scriptPath);

    /** The job id from the submit command's standard output. */
    public abstract String parseJobId(String submitOutput) throws SchedulerException;

    /** Argument vector listing every job (active or recently ended) named {@code jobName} of the current user. */
    protected abstract List<String> queueCommand(String jobName);

    /** Parses the output of {@link #queueCommand}. */
    protected abstract List<QueueEntry> parseQueue(String output) throws SchedulerException;

    /** Argument vector cancelling the given jobs in one command. */
    protected abstract List<String> cancelCommand(Collection<String> jobIds);

    /**
     * Argument vector asking the accounting database about jobs that left the queue, or an empty list when
     * the scheduler has no such command.
     */
    protected List<String> accountingCommand(Collection<String> jobIds) {
        return List.of();
    }

    /** Parses the output of {@link #accountingCommand}. */
    protected List<QueueEntry> parseAccounting(String output) throws SchedulerException {
        return List.of();
    }

    /** Maps a scheduler state code to Crucible's state; unknown codes map to {@link JobState#UNKNOWN}. */
    public abstract JobState state(String code);

    // ---- template methods ------------------------------------------------------------------------------

    /** The complete job script: interpreter line, directives, then {@code body} lines. */
    public final String script(JobRequest request, List<String> body) {
        StringBuilder sb = new StringBuilder("#!/bin/bash\n");
        for (String d : directives(request)) sb.append(directivePrefix()).append(' ').append(d).append('\n');
        for (String line : body) sb.append(line).append('\n');
        return sb.toString();
    }

    /**
     * One status query for all jobs named {@code jobName}: job id to entry. A jobs absent from the answer has
     * left the queue.
     *
     * @throws SchedulerException when the controller does not answer (the caller backs off and asks again)
     */
    public final Map<String, QueueEntry> queue(RemoteShell shell, String jobName) throws RemoteException {
        CommandResult r = shell.exec(queueCommand(jobName));
        if (!r.ok()) throw new SchedulerException(name() + " status query failed: " + r.describe());
        Map<String, QueueEntry> out = new LinkedHashMap<>();
        for (QueueEntry e : parseQueue(r.stdout())) out.put(e.jobId(), e);
        return out;
    }

    /**
     * Accounting records for jobs that left the queue, in one command; empty when the scheduler or the site
     * has no accounting (then completion is decided from the job's files alone).
     */
    public final Map<String, QueueEntry> accounting(RemoteShell shell, Collection<String> jobIds) throws RemoteException {
        List<String> cmd = jobIds.isEmpty() ? List.of() : accountingCommand(jobIds);
        Map<String, QueueEntry> out = new LinkedHashMap<>();
        if (cmd.isEmpty()) return out;
        CommandResult r = shell.exec(cmd);
        if (!r.ok()) throw new SchedulerException(name() + " accounting query failed: " + r.describe());
        for (QueueEntry e : parseAccounting(r.stdout())) out.put(e.jobId(), e);
        return out;
    }

    /** Cancels jobs in one command; jobs already gone are not an error. */
    public final void cancel(RemoteShell shell, Collection<String> jobIds) throws RemoteException {
        if (jobIds.isEmpty()) return;
        CommandResult r = shell.exec(cancelCommand(new ArrayList<>(jobIds)));
        if (!r.ok() && !r.stderr().toLowerCase(java.util.Locale.ROOT).contains("invalid job id")) {
            throw new SchedulerException(name() + " cancel failed: " + r.describe());
        }
    }
}
