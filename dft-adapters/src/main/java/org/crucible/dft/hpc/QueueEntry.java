package org.crucible.dft.hpc;

import java.util.Objects;

/**
 * One line of a scheduler's status listing.
 *
 * @param jobId scheduler job id (for SLURM arrays {@code 123_4})
 * @param state mapped state
 * @param code the scheduler's own state code, kept for messages
 * @param reason the scheduler's reason field (SLURM {@code %r}), empty if none
 * @param comment the job's comment, which Crucible sets to the batch id so a job can be found again after a crash
 */
public record QueueEntry(String jobId, JobState state, String code, String reason, String comment) {
    public QueueEntry {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(code, "code");
        reason = reason == null ? "" : reason;
        comment = comment == null ? "" : comment;
    }
}
