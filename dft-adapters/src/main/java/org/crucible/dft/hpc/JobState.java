package org.crucible.dft.hpc;

/**
 * Crucible's view of a batch job, independent of the scheduler. Each {@link Scheduler} maps its own state codes
 * onto these with a table. Only the active states keep a job "alive"; a job in a final state (or no longer in the
 * queue) is judged from the files it wrote, never from its state alone.
 */
public enum JobState {
    /** Waiting for resources (SLURM PD, CF, RQ, ...). */
    QUEUED,
    /** Held or suspended by the user, an admin or a reservation: alive but not progressing. */
    HELD,
    /** Running or completing. */
    RUNNING,
    /** The batch script ended with status 0. */
    COMPLETED,
    /** The batch script ended non-zero, or the job could not start. */
    FAILED,
    /** Cancelled by a user or admin (scancel). */
    CANCELLED,
    /** Killed at its walltime (or deadline). */
    TIMEOUT,
    /** A node of the allocation failed. */
    NODE_FAIL,
    /** Killed for exceeding its memory. */
    OUT_OF_MEMORY,
    /** Preempted by a higher-priority job. */
    PREEMPTED,
    /** A code the state table does not know; treated as alive so nothing is resubmitted on a guess. */
    UNKNOWN;

    /** Whether the job still holds or waits for an allocation. */
    public boolean active() {
        return this == QUEUED || this == HELD || this == RUNNING || this == UNKNOWN;
    }
}
