package org.crucible.dft.hpc;

/**
 * Counts of a campaign's tasks after a poll, for progress bars; every task is in exactly one bucket.
 *
 * @param total all tasks
 * @param pending waiting to be put in a job
 * @param queued in a job that has not started
 * @param running in a running job
 * @param done finished with a result
 * @param failed out of budget
 * @param cancelled cancelled with the campaign
 * @param jobsInQueue this campaign's jobs queued or running
 * @param polls polls so far in this process
 */
public record FarmProgress(int total, int pending, int queued, int running, int done, int failed, int cancelled,
        int jobsInQueue, int polls) {
    public boolean finished() {
        return done + failed + cancelled == total;
    }
}
