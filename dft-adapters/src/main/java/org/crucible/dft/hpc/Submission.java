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
 * PREPARED, with the resources its job asks for, before anything is sent; the remote submit command takes a {@code mkdir} lock, runs the scheduler's submit
 * command and writes its answer to {@code sbatch.out} before the id comes back; a PREPARED batch found on resume is
 * resolved from that remote record, so a batch is never submitted twice. When the command was cut short, the record is,
 * in order: the answer left in {@code sbatch.out.tmp}; the job found in the queue by its comment (the batch id); the
 * job named by the {@code started} file of one of its tasks (it ran and left the queue); else no job was created and
 * the tasks are queued again. A job array is one submission: its elements
 * are recorded together (one batch record each, sharing {@link BatchRecord#array()}), sent by one {@code sbatch} of
 * {@link TaskArrayScript}, and resolved together; each element then lives as its own job with the element id
 * {@code ARRAYJOB_INDEX}, so polling, harvesting and failure classification are those of a single job.
 */
final class Submission {
    private static final int SUBMIT_LOCKED = 75;
    private final FarmBook book;

    Submission(FarmBook book) {
        this.book = book;
    }

    /**
     * Submits pending tasks while the queue cap allows: jobs of {@link FarmSettings#packing()} tasks, or with
     * {@link FarmSettings#arrays()} one job array whose elements each run up to {@link FarmSettings#packing()} tasks
     * (profile key {@code tasks_per_element}) one after another, per distinct resource request.
     */
    void submitPending() throws RemoteException {
        // tasks asking for different resources never share a job or an array: one group per distinct request, in order
        Map<JobResources, List<String>> groups = new LinkedHashMap<>();
        for (TaskRecord t : book.state.tasks().values()) {
            if (t.phase() == TaskPhase.PENDING) groups.computeIfAbsent(t.resourcesOr(book.settings.resources()), k -> new ArrayList<>()).add(t.hash());
        }
        for (Map.Entry<JobResources, List<String>> g : groups.entrySet()) {
            List<String> pending = g.getValue();
            if (book.settings.arrays()) {
                submitArray(pending, g.getKey());
                continue;
            }
            int i = 0;
            while (i < pending.size() && book.activeBatches() < book.settings.maxJobsInQueue()) {
                List<String> chunk = pending.subList(i, Math.min(i + book.settings.packing(), pending.size()));
                i += chunk.size();
                BatchRecord b = new BatchRecord(nextId(0), chunk, BatchPhase.PREPARED, null, null, 0, null, 0, g.getKey());
                record(List.of(b));
                submit(b.id(), List.of(b));
            }
        }
    }

    /**
     * One array for as many pending tasks (all asking for the same resources) as the queue cap leaves room for (each
     * element counts as a job), at most {@link FarmSettings#MAX_ARRAY_SIZE} elements of k = {@link FarmSettings#packing()}
     * tasks (the last may hold fewer); element {@code i} is batch record {@code b<n+i>} of the array {@code b<n>}, holding
     * pending tasks {@code i*k .. i*k+k-1}, so harvesting, failure classification and suspension treat it as a task-farm
     * job of those tasks: each finished task harvested once, unfinished ones resubmitted.
     */
    private void submitArray(List<String> pending, JobResources resources) throws RemoteException {
        int k = book.settings.packing(); // tasks per element
        int wanted = (pending.size() + k - 1) / k;
        int n = Math.min(Math.min(wanted, book.settings.maxJobsInQueue() - book.activeBatches()), FarmSettings.MAX_ARRAY_SIZE);
        if (n < 1) return;
        String array = nextId(0);
        List<BatchRecord> elements = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<String> chunk = List.copyOf(pending.subList(i * k, Math.min((i + 1) * k, pending.size())));
            elements.add(new BatchRecord(nextId(i), chunk, BatchPhase.PREPARED, null, null, 0, array, i, resources));
        }
        record(elements);
        submit(array, elements);
    }

    private String nextId(int offset) {
        return String.format(Locale.ROOT, "b%06d", book.state.nextBatch() + offset);
    }

    /** Records new batches PREPARED and their tasks SUBMITTED, durably, before anything is sent. */
    private void record(List<BatchRecord> batches) {
        book.state = new FarmState(book.state.campaign(), book.state.nextBatch() + batches.size(), book.state.tasks(), book.state.batches());
        for (BatchRecord b : batches) {
            book.state.batches().put(b.id(), b);
            for (String h : b.tasks()) {
                TaskRecord t = book.state.tasks().get(h);
                book.state.tasks().put(h, t.with(TaskPhase.SUBMITTED, b.id(), t.failures(), null));
            }
        }
        book.save();
    }

    /**
     * Sends one submission: a single job ({@code members} is that batch) or a job array (its elements, in index
     * order), from the job directory of {@code submission}.
     */
    private void submit(String submission, List<BatchRecord> members) throws RemoteException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        List<String> tasks = new ArrayList<>();
        for (BatchRecord b : members) tasks.addAll(b.tasks());
        for (String h : tasks) {
            Path in = book.stateDir.resolve("tasks").resolve(h).resolve("inputs");
            try (var list = Files.list(in)) {
                for (Path f : list.sorted().toList()) {
                    files.put(book.taskDir(h) + "/" + f.getFileName(), Files.readAllBytes(f));
                }
            } catch (IOException e) {
                throw new RemoteException("cannot read the recorded inputs of task " + h + " in " + in + ": " + e.getMessage(), e);
            }
        }
        String dir = book.jobDir(submission);
        boolean array = members.get(0).array() != null;
        String script = array
                ? TaskArrayScript.text(book.settings, book.scheduler, submission, members.get(0).resources(),
                        members.stream().map(BatchRecord::tasks).toList(), dir, book::taskDir, book.state.tasks(),
                        Math.max(1, book.settings.arrayParallelism()))
                : TaskFarmScript.text(book.settings, book.scheduler, members.get(0), dir, book::taskDir, book.state.tasks());
        files.put(dir + "/job.sh", script.getBytes(StandardCharsets.UTF_8));
        book.shell.put(files);
        String cmd = "cd " + ShellQuote.quote(dir) + " && { mkdir submit.lock 2>/dev/null || exit "
                + SUBMIT_LOCKED + "; } && " + ShellQuote.join(book.scheduler.submitCommand("job.sh"))
                + " > sbatch.out.tmp 2> sbatch.err; rc=$?; mv -f sbatch.out.tmp sbatch.out; cat sbatch.out; "
                + "cat sbatch.err >&2; exit $rc";
        CommandResult r;
        try {
            r = book.shell.run(cmd, RemoteShell.DEFAULT_TIMEOUT);
        } catch (ConnectionLostException e) {
            book.event("submit " + submission + ": connection lost, outcome unknown; resolved from the remote record next poll");
            throw e;
        }
        if (r.exitCode() == SUBMIT_LOCKED) {
            book.event("submit " + submission + ": already locked remotely; resolving from the remote record");
            resolve(submission, members);
            return;
        }
        if (!r.ok()) {
            for (BatchRecord b : members) {
                book.state.batches().put(b.id(), b.with(BatchPhase.SUBMIT_FAILED, null, r.stderr().strip(), 0));
                requeueUncharged(b);
            }
            book.event("submit " + submission + " rejected: " + r.describe());
            book.save();
            if (transientSubmitError(r.stderr())) {
                throw new SchedulerException("submission of " + submission + " deferred: " + r.describe());
            }
            throw new SubmissionRejectedException("the scheduler rejected job " + submission + " of campaign "
                    + book.settings.campaign() + ": " + r.describe());
        }
        String jobId = book.scheduler.parseJobId(r.stdout());
        adopt(members, jobId);
        JobResources res = members.get(0).resources();
        book.event("submit " + submission + " -> job " + jobId + " (" + tasks.size() + " tasks" + (array ? " as array elements "
                + jobId + "_0.." + jobId + "_" + (members.size() - 1) + (book.settings.packing() > 1 ? ", up to " + book.settings.packing()
                + " tasks each" : "") + ", at most " + book.settings.arrayParallelism() + " at once" : "")
                + (res == null ? "" : ", each job " + res.describe()) + ")");
        book.save();
    }

    /** Marks the members of a submission SUBMITTED under job {@code jobId} (an array element: {@code jobId_index}). */
    private void adopt(List<BatchRecord> members, String jobId) {
        for (BatchRecord b : members) {
            String id = b.array() == null ? jobId : jobId + "_" + b.arrayIndex();
            book.state.batches().put(b.id(), b.with(BatchPhase.SUBMITTED, id, null, 0));
        }
    }

    /** Limits and controller hiccups pass; anything else (bad partition, account) needs a human. */
    private static boolean transientSubmitError(String stderr) {
        String s = stderr.toLowerCase(Locale.ROOT);
        return s.contains("qosmax") || s.contains("assocmax") || s.contains("timed out") || s.contains("unable to contact")
                || s.contains("try again") || s.contains("resource temporarily unavailable");
    }

    /** Resolves every submission (a job, or a job array with all its elements) that was not confirmed. */
    void resolvePrepared() throws RemoteException {
        Map<String, List<BatchRecord>> open = new LinkedHashMap<>();
        for (BatchRecord b : book.state.batches().values()) {
            if (b.phase() == BatchPhase.PREPARED) open.computeIfAbsent(b.submission(), k -> new ArrayList<>()).add(b);
        }
        for (Map.Entry<String, List<BatchRecord>> e : open.entrySet()) resolve(e.getKey(), e.getValue());
    }

    /** Decides what happened to a submission that was not confirmed, from the remote record. */
    private void resolve(String submission, List<BatchRecord> members) throws RemoteException {
        String d = ShellQuote.quote(book.jobDir(submission));
        CommandResult r = book.shell.run("if [ -s " + d + "/sbatch.out ]; then echo out; cat " + d + "/sbatch.out; elif [ -s "
                + d + "/sbatch.out.tmp ]; then echo tmp; cat " + d + "/sbatch.out.tmp; elif [ -d "
                + d + "/submit.lock ]; then echo locked; else echo none; fi", RemoteShell.DEFAULT_TIMEOUT).orThrow();
        String[] lines = r.stdout().strip().split("\n", 2);
        String kind = lines[0].strip();
        if (kind.equals("tmp")) {
            // the submit command was cut after the scheduler answered and before the answer was renamed into place
            try {
                String jobId = book.scheduler.parseJobId(lines.length > 1 ? lines[1] : "");
                adopt(members, jobId);
                book.event("recover " + submission + ": adopted job " + jobId + " from the scheduler's answer left in sbatch.out.tmp");
                book.save();
                return;
            } catch (SchedulerException e) {
                kind = "locked"; // a partial answer: look for the job as if there were none
            }
        }
        switch (kind) {
            case "out" -> {
                String jobId = book.scheduler.parseJobId(lines.length > 1 ? lines[1] : "");
                adopt(members, jobId);
                book.event("recover " + submission + ": adopted job " + jobId + " from the remote record");
            }
            case "locked" -> {
                Map<String, QueueEntry> q = book.scheduler.queue(book.shell, book.settings.jobName());
                QueueEntry found = q.values().stream().filter(e -> e.comment().equals(submission)).findFirst().orElse(null);
                String ran = found == null ? startedByUnknownJob(members) : null;
                if (found != null) {
                    String jobId = submissionJobId(members, found.jobId());
                    adopt(members, jobId);
                    book.event("recover " + submission + ": adopted job " + jobId + " found in the queue by its comment");
                } else if (ran != null) {
                    // the job ran and has left the queue: its finished tasks are harvested, the others judged as a job
                    // that ended without them (requeueing would leave finished work unharvested and pay for it again)
                    adopt(members, ran);
                    book.event("recover " + submission + ": adopted job " + ran + ", no longer queued, named by the started file of its tasks");
                } else {
                    for (BatchRecord b : members) {
                        book.state.batches().put(b.id(), b.with(BatchPhase.SUBMIT_FAILED, null, "locked without record", 0));
                        requeueUncharged(b);
                    }
                    book.event("recover " + submission + ": submission locked but no job recorded or queued; tasks re-queued");
                }
            }
            default -> {
                if (book.cancelled) {
                    for (BatchRecord b : members) {
                        book.state.batches().put(b.id(), b.with(BatchPhase.SUBMIT_FAILED, null, "never submitted; campaign cancelled", 0));
                        requeueUncharged(b);
                    }
                    book.event("recover " + submission + ": never submitted; not submitting, the campaign is cancelled");
                } else {
                    book.event("recover " + submission + ": never submitted; submitting now");
                    book.save();
                    submit(submission, members);
                }
            }
        }
        book.save();
    }

    /**
     * The job that started a task of {@code members} without the farm knowing its id (its {@code started} file names a
     * job that no batch of the farm records), or null: the job of a submission whose answer was lost and which has
     * already left the queue. For an array element {@code A_i}, the array id {@code A}.
     */
    private String startedByUnknownJob(List<BatchRecord> members) throws RemoteException {
        java.util.Set<String> known = new java.util.HashSet<>();
        for (BatchRecord b : book.state.batches().values()) if (b.jobId() != null) known.add(b.jobId());
        StringBuilder cmd = new StringBuilder();
        for (BatchRecord b : members) {
            for (String h : b.tasks()) {
                cmd.append("printf '%s\\n' \"$(head -c 40 ").append(ShellQuote.quote(book.taskDir(h) + "/" + TaskFarmScript.STARTED))
                        .append(" 2>/dev/null)\"; ");
            }
        }
        cmd.append("exit 0");
        CommandResult r = book.shell.run(cmd.toString(), RemoteShell.DEFAULT_TIMEOUT).orThrow();
        for (String line : r.stdout().split("\n")) {
            String id = line.strip();
            if (!id.isEmpty() && !known.contains(id)) return submissionJobId(members, id);
        }
        return null;
    }

    /** The job id to adopt for {@code members} from a job id seen remotely: an array element's {@code A_i} gives {@code A}. */
    private static String submissionJobId(List<BatchRecord> members, String seen) {
        int cut = seen.indexOf('_');
        return members.get(0).array() == null || cut < 0 ? seen : seen.substring(0, cut);
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
