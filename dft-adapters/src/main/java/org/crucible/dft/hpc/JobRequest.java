package org.crucible.dft.hpc;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The resources and bookkeeping of one batch job, scheduler-neutral. Queue, account and walltime are here and
 * never in a task's identity, so changing them does not resubmit finished work.
 *
 * @param jobName job name; all jobs of a campaign share it so one status query finds them all
 * @param comment free text stored with the job (Crucible: the batch id)
 * @param workDir absolute working directory of the job
 * @param stdoutPath absolute path of the job's output file ({@code %j} expands to the job id)
 * @param partition partition (queue), or null for the site default
 * @param account account to charge, or null
 * @param qos quality of service, or null
 * @param resources nodes, tasks, cores, memory, GPUs and constraint of the allocation
 * @param walltime time limit, positive (SLURM rounds it up to whole minutes)
 * @param extraDirectives further scheduler options, each one token such as {@code --constraint=amd}
 */
public record JobRequest(String jobName, String comment, String workDir, String stdoutPath, String partition,
        String account, String qos, JobResources resources, Duration walltime, List<String> extraDirectives) {
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._:/%+=,@-]+");

    public JobRequest {
        jobName = token("jobName", jobName, false);
        comment = token("comment", comment, false);
        workDir = token("workDir", workDir, false);
        stdoutPath = token("stdoutPath", stdoutPath, false);
        partition = token("partition", partition, true);
        account = token("account", account, true);
        qos = token("qos", qos, true);
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(walltime, "walltime");
        if (walltime.isNegative() || walltime.isZero()) {
            throw new IllegalArgumentException("walltime must be positive, got " + walltime);
        }
        extraDirectives = List.copyOf(extraDirectives == null ? List.of() : extraDirectives);
        for (String d : extraDirectives) token("extraDirectives", d, false);
    }

    /** A request for {@code ntasks} MPI tasks of {@code cpusPerTask} cores and nothing else first-class. */
    public JobRequest(String jobName, String comment, String workDir, String stdoutPath, String partition, String account,
            String qos, int ntasks, int cpusPerTask, Duration walltime, List<String> extraDirectives) {
        this(jobName, comment, workDir, stdoutPath, partition, account, qos, JobResources.of(ntasks, cpusPerTask), walltime,
                extraDirectives);
    }

    /**
     * Directive values are read by the scheduler, not by a shell, and split on blanks: only plain tokens are
     * accepted, so no value can smuggle in a second directive or a shell command.
     */
    private static String token(String field, String value, boolean optional) {
        if (value == null || value.isEmpty()) {
            if (optional) return null;
            throw new IllegalArgumentException(field + " is required");
        }
        if (!TOKEN.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " '" + value.replace("\n", "\\n")
                    + "' may contain only letters, digits and ._:/%+=,@- (no blanks, quotes or newlines)");
        }
        return value;
    }
}
