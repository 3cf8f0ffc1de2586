package org.crucible.dft.hpc;

/**
 * The scheduler refused a job for a reason that waiting will not fix (unknown partition or account, invalid
 * option). The campaign stops with the scheduler's message; recorded work is kept and a rerun re-attaches.
 */
public final class SubmissionRejectedException extends SchedulerException {
    private static final long serialVersionUID = 1L;

    public SubmissionRejectedException(String message) {
        super(message);
    }
}
