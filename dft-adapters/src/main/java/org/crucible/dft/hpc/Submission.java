package org.crucible.dft.hpc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.crucible.dft.hpc.FarmState.BatchPhase;
import org.crucible.dft.hpc.FarmState.BatchRecord;
import org.crucible.dft.hpc.FarmState.TaskPhase;
import org.crucible.dft.hpc.FarmState.TaskRecord;

/**
 * Submission and its recovery after a crash (the {@link JobManager}'s "Submission and recovery"): a batch is recorded
 * PREPARED before anything is sent; the remote submit command takes a {@code mkdir} lock, runs the scheduler's submit
 * command and writes its answer to {@code sbatch.out} before the id comes back; a PREPARED batch found on resume is
 * resolved from that remote record, so a batch is never submitted twice.
 */
final class Submission {
    private static final int SUBMIT_LOCKED = 75;
    private final FarmBook book;

    Submission(FarmBook book) {
        this.book = book;
    }

    /** Submits pending tasks, {@link FarmSettings#packing()} per job, while the queue cap allows. */
    void submitPending() throws RemoteException {
        List<String> pending = new ArrayList<>();
        for (TaskRecord t : book.state.tasks().values()) if (t.phase() == TaskPhase.PENDING) pending.add(t.hash());
        int i = 0;
        while (i < pending.size() && book.activeBatches() < book.settings.maxJobsInQueue()) {
            List<String> chunk = pending.subList(i, Math.min(i + book.settings.packing(), pending.size()));
            i += chunk.size();
            String id = String.format(Locale.ROOT, "b%06d", book.state.nextBatch());
            BatchRecord b = new BatchRecord(id, chunk, BatchPhase.PREPARED, null, null, 0);
            book.state = new FarmState(book.state.campaign(), book.state.nextBatch() + 1, book.state.tasks(), book.state.batches());
            book.state.batches().put(id, b);
            for (String h : chunk) {
                TaskRecord t = book.state.tasks().get(h);
                book.state.tasks().put(h, t.with(TaskPhase.SUBMITTED, id, t.failures(), null));
            }
            book.save(); // recorded before anything is sent
            submit(b);
        }
    }

    private void submit(BatchRecord b) throws RemoteException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String h : b.tasks()) {
            Path in = book.stateDir.resolve("tasks").resolve(h).resolve("inputs");
            try (var list = Files.list(in)) {
                for (Path f : list.sorted().toList()) {
                    files.put(book.taskDir(h) + "/" + f.getFileName(), Files.readAllBytes(f));
                }
            } catch (IOException e) {
                throw new RemoteException("cannot read the recorded inputs of task " + h + " in " + in + ": " + e.getMessage(), e);
            }
        }
        files.put(book.jobDir(b.id()) + "/job.sh", TaskFarmScript.text(book.settings, book.scheduler, b, book.jobDir(b.id()), h -> book.taskDir(h), book.state.tasks()).getBytes(StandardCharsets.UTF_8));
        book.shell.put(files);
        String cmd = "cd " + ShellQuote.quote(book.jobDir(b.id())) + " && { mkdir submit.lock 2>/dev/null || exit "
                + SUBMIT_LOCKED + "; } && " + ShellQuote.join(book.scheduler.submitCommand("job.sh"))
                + " > sbatch.out.tmp 2> sbatch.err; rc=$?; mv -f sbatch.out.tmp sbatch.out; cat sbatch.out; "
                + "cat sbatch.err >&2; exit $rc";
        CommandResult r;
        try {
            r = book.shell.run(cmd, RemoteShell.DEFAULT_TIMEOUT);
        } catch (ConnectionLostException e) {
            book.event("submit " + b.id() + ": connection lost, outcome unknown; resolved from the remote record next poll");
            throw e;
        }
        if (r.exitCode() == SUBMIT_LOCKED) {
            book.event("submit " + b.id() + ": already locked remotely; resolving from the remote record");
            resolve(b);
            return;
        }
        if (!r.ok()) {
            book.state.batches().put(b.id(), b.with(BatchPhase.SUBMIT_FAILED, null, r.stderr().strip(), 0));
            requeueUncharged(b);
            book.event("submit " + b.id() + " rejected: " + r.describe());
            book.save();
            if (transientSubmitError(r.stderr())) {
                throw new SchedulerException("submission of " + b.id() + " deferred: " + r.describe());
            }
            throw new SubmissionRejectedException("the scheduler rejected job " + b.id() + " of campaign "
                    + book.settings.campaign() + ": " + r.describe());
        }
        String jobId = book.scheduler.parseJobId(r.stdout());
        book.state.batches().put(b.id(), b.with(BatchPhase.SUBMITTED, jobId, null, 0));
        book.event("submit " + b.id() + " -> job " + jobId + " (" + b.tasks().size() + " tasks)");
        book.save();
    }

    /** Limits and controller hiccups pass; anything else (bad partition, account) needs a human. */
    private static boolean transientSubmitError(String stderr) {
        String s = stderr.toLowerCase(Locale.ROOT);
        return s.contains("qosmax") || s.contains("assocmax") || s.contains("timed out") || s.contains("unable to contact")
                || s.contains("try again") || s.contains("resource temporarily unavailable");
    }

    /** Resolves every batch whose submission was not confirmed. */
    void resolvePrepared() throws RemoteException {
        for (BatchRecord b : List.copyOf(book.state.batches().values())) {
            if (b.phase() == BatchPhase.PREPARED) resolve(b);
        }
    }

    /** Decides what happened to a batch whose submission was not confirmed, from the remote record. */
    private void resolve(BatchRecord b) throws RemoteException {
        String d = ShellQuote.quote(book.jobDir(b.id()));
        CommandResult r = book.shell.run("if [ -s " + d + "/sbatch.out ]; then echo out; cat " + d + "/sbatch.out; elif [ -d "
                + d + "/submit.lock ]; then echo locked; else echo none; fi", RemoteShell.DEFAULT_TIMEOUT).orThrow();
        String[] lines = r.stdout().strip().split("\n", 2);
        switch (lines[0].strip()) {
            case "out" -> {
                String jobId = book.scheduler.parseJobId(lines.length > 1 ? lines[1] : "");
                book.state.batches().put(b.id(), b.with(BatchPhase.SUBMITTED, jobId, null, 0));
                book.event("recover " + b.id() + ": adopted job " + jobId + " from the remote record");
            }
            case "locked" -> {
                Map<String, QueueEntry> q = book.scheduler.queue(book.shell, book.settings.jobName());
                QueueEntry found = q.values().stream().filter(e -> e.comment().equals(b.id())).findFirst().orElse(null);
                if (found != null) {
                    book.state.batches().put(b.id(), b.with(BatchPhase.SUBMITTED, found.jobId(), null, 0));
                    book.event("recover " + b.id() + ": adopted job " + found.jobId() + " found in the queue by its comment");
                } else {
                    book.state.batches().put(b.id(), b.with(BatchPhase.SUBMIT_FAILED, null, "locked without record", 0));
                    requeueUncharged(b);
                    book.event("recover " + b.id() + ": submission locked but no job recorded or queued; tasks re-queued");
                }
            }
            default -> {
                if (book.cancelled) {
                    book.state.batches().put(b.id(), b.with(BatchPhase.SUBMIT_FAILED, null, "never submitted; campaign cancelled", 0));
                    requeueUncharged(b);
                    book.event("recover " + b.id() + ": never submitted; not submitting, the campaign is cancelled");
                } else {
                    book.event("recover " + b.id() + ": never submitted; submitting now");
                    book.save();
                    submit(b);
                }
            }
        }
        book.save();
    }

    void requeueUncharged(BatchRecord b) {
        for (String h : b.tasks()) {
            TaskRecord t = book.state.tasks().get(h);
            if (t.phase() == TaskPhase.SUBMITTED && b.id().equals(t.batch())) {
                book.state.tasks().put(h, t.with(TaskPhase.PENDING, null, t.failures(), null));
            }
        }
    }
}
