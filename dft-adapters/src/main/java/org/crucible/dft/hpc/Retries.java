package org.crucible.dft.hpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.crucible.dft.hpc.FarmState.Attempt;
import org.crucible.dft.hpc.FarmState.TaskPhase;
import org.crucible.dft.hpc.FarmState.TaskRecord;

/**
 * Records failed attempts under the retry policy of {@link FailureClassifier} and the resubmission budget of
 * {@link FarmSettings#maxResubmissions()}; counts past requeues of a task from the audit log ({@code events.log}).
 */
final class Retries {
    /** Uncharged requeues (node failure, preemption) in a row before the next one is charged. */
    private static final int MAX_UNCHARGED = 5;
    private static final String UNCHARGED_MARK = "infrastructure fault, not charged";
    private final FarmBook book;

    Retries(FarmBook book) {
        this.book = book;
    }

    /** Uncharged requeues of a task since its last charged failure or submission, from the audit log. */
    long events(String hash, String marker) {
        try {
            long n = 0;
            for (String line : Files.readAllLines(book.stateDir.resolve("events.log"))) {
                if (!line.contains(hash)) continue;
                if (line.contains(marker)) n++;
                else if (line.contains("attempt failed") || line.contains("done ")) n = 0;
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + book.stateDir.resolve("events.log"), e);
        }
    }

    void fail(TaskRecord t, Attempt a) {
        fail(t, a, FailureClassifier.policy(a.reason()));
    }

    /**
     * Records a failed attempt under its retry policy ({@link FailureClassifier}): NEVER ends the task at once,
     * UNCHARGED requeues it without touching the budget (at most {@value #MAX_UNCHARGED} times in a row), CHARGED
     * requeues it until the budget is spent.
     */
    void fail(TaskRecord t, Attempt a, FailureClassifier.Retry retry) {
        if (retry == FailureClassifier.Retry.UNCHARGED && events(t.hash(), UNCHARGED_MARK) < MAX_UNCHARGED) {
            book.state.tasks().put(t.hash(), t.with(TaskPhase.PENDING, null, t.failures(), null));
            book.event("requeue " + t.hash() + " (" + t.name() + "): " + a.reason() + " in job " + a.jobId() + " (" + a.detail() + "); "
                    + UNCHARGED_MARK);
            return;
        }
        List<Attempt> failures = new ArrayList<>(t.failures());
        failures.add(a);
        if (retry == FailureClassifier.Retry.NEVER) {
            String msg = a.reason() + " is not retried (the same input would fail the same way): " + a.detail();
            book.state.tasks().put(t.hash(), t.with(TaskPhase.FAILED, t.batch(), failures, msg));
            book.event("failed " + t.hash() + " (" + t.name() + "): " + msg);
            return;
        }
        if (failures.size() > book.settings.maxResubmissions()) {
            String msg = "failed " + failures.size() + " time(s), budget of " + book.settings.maxResubmissions()
                    + " resubmission(s) exhausted; last: " + a.reason() + " (" + a.detail() + ")";
            book.state.tasks().put(t.hash(), t.with(TaskPhase.FAILED, t.batch(), failures, msg));
            book.event("failed " + t.hash() + " (" + t.name() + "): " + msg);
        } else {
            book.state.tasks().put(t.hash(), t.with(TaskPhase.PENDING, null, failures, null));
            book.event("attempt failed " + t.hash() + " (" + t.name() + ") in job " + a.jobId() + ": " + a.reason() + " ("
                    + a.detail() + "); resubmission " + failures.size() + " of " + book.settings.maxResubmissions());
        }
    }
}
