package org.crucible.dft.hpc;

/** Why one attempt of a task did not produce a usable result; recorded per attempt. */
public enum FailureReason {
    /** The job was killed at its walltime while the task ran. */
    WALLTIME,
    /** The task exceeded the per-task timeout. */
    TASK_TIMEOUT,
    /** The job was cancelled (scancel) by someone other than this campaign. */
    CANCELLED,
    /** A node of the allocation failed, or the job was preempted. */
    NODE_FAILURE,
    /** The job ran out of memory. */
    OUT_OF_MEMORY,
    /** The code ran but the SCF did not converge. */
    SCF_NOT_CONVERGED,
    /** The code exited non-zero or reported an error. */
    CODE_FAILED,
    /** The job ended without the task's exit-code file or outputs. */
    MISSING_OUTPUT
}
