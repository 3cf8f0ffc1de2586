package org.crucible.dft.hpc;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a {@link JobManager} runs a campaign's tasks on a scheduler: where, in which queue, how many single points
 * per allocation (task farm), how often to poll and how often to retry. Scheduler-neutral; the driver builds it
 * from a cluster profile.
 *
 * @param campaign campaign name: remote directory {@code <workRoot>/<campaign>/} and job name {@code crucible-<campaign>}
 * @param workRoot absolute remote root directory
 * @param partition partition or null
 * @param account account or null
 * @param qos QOS or null
 * @param resources what each job asks for (nodes, MPI tasks, cores, memory, GPUs, constraint) unless a task was added
 *     with resources of its own ({@link JobManager#add(java.util.List, TaskCommand, JobResources)})
 * @param walltime job time limit
 * @param extraDirectives further scheduler directives
 * @param environment shell lines run at the top of each job (module loads, exports)
 * @param packing single points per job, run one after another inside the allocation; with job arrays, per array
 *     element (profile key {@code tasks_per_element})
 * @param maxJobsInQueue cap on this campaign's jobs queued or running at once
 * @param pollInterval time between polls when the controller answers
 * @param maxPollInterval upper bound of the backoff when the controller or SSH fails
 * @param maxResubmissions failed attempts allowed per task before it is recorded failed (0: no retry)
 * @param taskTimeout limit of one task inside a job ({@code timeout}; recorded as "task timeout")
 * @param accounting ask {@code sacct} about jobs that left the queue (cross-check; off where no database exists)
 * @param arrayParallelism 0: every job is a task farm of {@code packing} tasks; N >= 1: pending tasks are submitted
 *     as one SLURM job array per poll ({@link TaskArrayScript}, {@code packing} tasks per element, one after another), at
 *     most N elements running at once ({@code --array=0-(n-1)%N}); each element counts as one job against
 *     {@code maxJobsInQueue}, as it does against a site's job limits
 */
public record FarmSettings(String campaign, String workRoot, String partition, String account, String qos,
        JobResources resources, Duration walltime, List<String> extraDirectives, List<String> environment, int packing,
        int maxJobsInQueue, Duration pollInterval, Duration maxPollInterval, int maxResubmissions, Duration taskTimeout,
        boolean accounting, int arrayParallelism) {
    /** Elements in one array: below SLURM's default MaxArraySize (1001). */
    public static final int MAX_ARRAY_SIZE = 1000;
    private static final Pattern CAMPAIGN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public FarmSettings {
        if (campaign == null || !CAMPAIGN.matcher(campaign).matches()) {
            throw new IllegalArgumentException("campaign name '" + campaign + "' must be 1-64 letters, digits, '.', '_' or '-'");
        }
        if (workRoot == null || !workRoot.startsWith("/")) throw new IllegalArgumentException("workRoot must be absolute: " + workRoot);
        extraDirectives = List.copyOf(extraDirectives);
        environment = List.copyOf(environment);
        if (packing < 1) throw new IllegalArgumentException("packing must be >= 1, got " + packing);
        if (maxJobsInQueue < 1) throw new IllegalArgumentException("maxJobsInQueue must be >= 1, got " + maxJobsInQueue);
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(maxPollInterval, "maxPollInterval");
        if (maxPollInterval.compareTo(pollInterval) < 0) {
            throw new IllegalArgumentException("maxPollInterval " + maxPollInterval + " is below pollInterval " + pollInterval);
        }
        if (maxResubmissions < 0) throw new IllegalArgumentException("maxResubmissions must be >= 0, got " + maxResubmissions);
        Objects.requireNonNull(taskTimeout, "taskTimeout");
        Objects.requireNonNull(walltime, "walltime");
        if (taskTimeout.toSeconds() < 1) throw new IllegalArgumentException("taskTimeout must be >= 1 s, got " + taskTimeout);
        if (arrayParallelism < 0) throw new IllegalArgumentException("arrayParallelism must be >= 0 (0: no arrays), got " + arrayParallelism);
        // a probe request validates the scheduler-visible values (partition, account, ...) now, not at submission
        Objects.requireNonNull(resources, "resources");
        new JobRequest("crucible-" + campaign, "probe", workRoot, workRoot + "/x", partition, account, qos, resources,
                walltime, extraDirectives);
    }

    /** Settings whose jobs ask for {@code ntasks} MPI tasks of {@code cpusPerTask} cores and nothing else first-class. */
    public FarmSettings(String campaign, String workRoot, String partition, String account, String qos, int ntasks,
            int cpusPerTask, Duration walltime, List<String> extraDirectives, List<String> environment, int packing,
            int maxJobsInQueue, Duration pollInterval, Duration maxPollInterval, int maxResubmissions, Duration taskTimeout,
            boolean accounting, int arrayParallelism) {
        this(campaign, workRoot, partition, account, qos, JobResources.of(ntasks, cpusPerTask), walltime, extraDirectives,
                environment, packing, maxJobsInQueue, pollInterval, maxPollInterval, maxResubmissions, taskTimeout, accounting,
                arrayParallelism);
    }

    /** Settings without job arrays ({@code arrayParallelism} 0). */
    public FarmSettings(String campaign, String workRoot, String partition, String account, String qos, int ntasks,
            int cpusPerTask, Duration walltime, List<String> extraDirectives, List<String> environment, int packing,
            int maxJobsInQueue, Duration pollInterval, Duration maxPollInterval, int maxResubmissions, Duration taskTimeout,
            boolean accounting) {
        this(campaign, workRoot, partition, account, qos, ntasks, cpusPerTask, walltime, extraDirectives, environment, packing,
                maxJobsInQueue, pollInterval, maxPollInterval, maxResubmissions, taskTimeout, accounting, 0);
    }

    /** MPI tasks per job by default ({@link JobResources#tasks()}). */
    public int ntasks() {
        return resources.tasks();
    }

    /** Cores per MPI task by default. */
    public int cpusPerTask() {
        return resources.cpusPerTask();
    }

    /** Whether pending tasks go out as job arrays. */
    public boolean arrays() {
        return arrayParallelism > 0;
    }

    /** The job name all of this campaign's jobs carry (one status query finds them all). */
    public String jobName() {
        return "crucible-" + campaign;
    }

    /** {@code <workRoot>/<campaign>}. */
    public String campaignDir() {
        return workRoot.replaceAll("/+$", "") + "/" + campaign;
    }
}
