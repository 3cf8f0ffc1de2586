package org.crucible.dft.hpc;

/** Why one attempt of a task did not produce a usable result; recorded per attempt. */
public enum FailureReason {
    /** The job was killed at its walltime while the task ran. */
    WALLTIME,
    /** The task exceeded the per-task timeout. */
    TASK_TIMEOUT,
    /** The job was cancelled (scancel) by someone other than this campaign. */
    CANCELLED,
    /** A node of the allocation failed (SLURM NODE_FAIL, BOOT_FAIL). */
    NODE_FAILURE,
    /** The job was preempted by a higher-priority job (SLURM PREEMPTED). */
    PREEMPTED,
    /** The job ran out of memory. */
    OUT_OF_MEMORY,
    /** The code ran but the SCF did not converge. */
    SCF_NOT_CONVERGED,
    /** The code exited non-zero or reported an error. */
    CODE_FAILED,
    /** The job ended without the task's exit-code file or outputs. */
    MISSING_OUTPUT,
    /** The code exited 0 but its output is unreadable, truncated or holds non-finite numbers (NaN, Inf). */
    INVALID_OUTPUT
}
