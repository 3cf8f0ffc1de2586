package org.crucible.dft.hpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crucible.dft.hpc.FarmState.Attempt;
import org.crucible.dft.hpc.FarmState.BatchPhase;
import org.crucible.dft.hpc.FarmState.BatchRecord;
import org.crucible.dft.hpc.FarmState.TaskPhase;
import org.crucible.dft.hpc.FarmState.TaskRecord;
import org.crucible.dft.hpc.Harvest.TaskFiles;

/**
 * State reconciliation for jobs that left the active states: after two polls agree a job has ended (shared file
 * systems publish files late), each of its tasks that did not finish is requeued (never started: not charged, up to
 * {@value #MAX_UNSTARTED} times in a row) or charged a failure classified from the job's end state (queue, else
 * {@code sacct}).
 */
final class JobEnds {
    /** Jobs that may end without starting a task (walltime spent on earlier tasks) before it is charged. */
    private static final int MAX_UNSTARTED = 3;
    private final FarmBook book;
    private final Retries retries;

    JobEnds(FarmBook book, Retries retries) {
        this.book = book;
        this.retries = retries;
    }

    /** Decides about every submitted job the last queue answer shows ended or gone. */
    void endBatches(Map<String, TaskFiles> files) throws RemoteException {
        List<BatchRecord> ended = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        for (BatchRecord b : List.copyOf(book.state.batches().values())) {
            if (b.phase() != BatchPhase.SUBMITTED) continue;
            QueueEntry q = book.lastQueue.get(b.jobId());
            if (q != null && q.state().active()) {
                if (b.endSeen() != 0) book.state.batches().put(b.id(), b.with(b.phase(), b.jobId(), null, 0));
                continue;
            }
            boolean open = b.tasks().stream().map(h -> book.state.tasks().get(h))
                    .anyMatch(t -> t.phase() == TaskPhase.SUBMITTED && b.id().equals(t.batch()));
            String endState = q == null ? "gone" : q.code();
            if (!open) {
                book.state.batches().put(b.id(), b.with(BatchPhase.ENDED, b.jobId(), endState, b.endSeen() + 1));
                continue;
            }
            BatchRecord seen = b.with(b.phase(), b.jobId(), endState, b.endSeen() + 1);
            book.state.batches().put(b.id(), seen);
            if (seen.endSeen() >= 2) {
                ended.add(seen);
                if (q == null) gone.add(b.jobId());
            }
        }
        if (ended.isEmpty()) return;
        Map<String, QueueEntry> acct = book.settings.accounting() ? book.scheduler.accounting(book.shell, gone) : Map.of();
        for (BatchRecord b : ended) {
            QueueEntry q = book.lastQueue.get(b.jobId());
            if (q == null) q = acct.get(b.jobId());
            JobState js = q == null ? null : q.state();
            for (String h : b.tasks()) {
                TaskRecord t = book.state.tasks().get(h);
                if (t.phase() != TaskPhase.SUBMITTED || !b.id().equals(t.batch())) continue;
                TaskFiles f = files.get(h);
                if (f == null || !b.jobId().equals(f.startedBy())) {
                    long unstarted = retries.events(h, "before starting it");
                    if (unstarted >= MAX_UNSTARTED) {
                        // a job that keeps ending without running the task is a fault, not bad luck: charge it
                        retries.fail(t, new Attempt(b.id(), b.jobId(), FailureReason.MISSING_OUTPUT, "job " + b.jobId()
                                + " ended (" + b.endState() + ") without starting the task, " + (unstarted + 1) + " times in a row"));
                        continue;
                    }
                    book.state.tasks().put(h, t.with(TaskPhase.PENDING, null, t.failures(), null));
                    book.event("requeue " + h + " (" + t.name() + "): job " + b.jobId() + " ended (" + b.endState()
                            + ") before starting it; not charged");
                    continue;
                }
                FailureClassifier.Decision d = FailureClassifier.ofJobEnd(js, "job " + b.jobId() + " ended ("
                        + (q == null ? "left the queue" : q.code() + (q.reason().isEmpty() ? "" : ", " + q.reason()))
                        + ") while the task ran, without its exit code");
                retries.fail(t, new Attempt(b.id(), b.jobId(), d.reason(), d.detail()), d.retry());
            }
            book.state.batches().put(b.id(), b.with(BatchPhase.ENDED, b.jobId(), b.endState(), b.endSeen()));
        }
    }
}
