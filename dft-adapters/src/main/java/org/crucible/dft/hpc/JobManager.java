package org.crucible.dft.hpc;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.crucible.dft.hpc.FarmState.BatchPhase;
import org.crucible.dft.hpc.FarmState.BatchRecord;
import org.crucible.dft.hpc.FarmState.TaskPhase;
import org.crucible.dft.hpc.FarmState.TaskRecord;
import org.crucible.dft.input.InputSet;

/**
 * Runs a campaign's DFT single points on a batch scheduler, idempotently and recoverably.
 *
 * <h2>Layout</h2>
 * Remote: {@code <workRoot>/<campaign>/<task-hash>/} holds a task's inputs and, once it ran, {@code started} (the
 * job id that ran it), its outputs, {@code stderr.txt} and {@code exit_code}; {@code <workRoot>/<campaign>/jobs/
 * <batch>/} holds a job's script, {@code submit.lock}, {@code sbatch.out} (the job id) and the scheduler log.
 * Local (the state directory): {@code state.json} (every task and job, written atomically after each change),
 * {@code events.log} (append-only audit: submissions, failures, results), {@code tasks/<hash>/inputs/} and
 * {@code tasks/<hash>/out/} (downloaded outputs).
 *
 * <h2>One poll</h2>
 * One status query for all jobs of the campaign ({@code squeue --name=crucible-<campaign> --states=all}) and one
 * command that lists every task's {@code started}/{@code exit_code}; then one checksummed transfer for all tasks
 * that finished since the last poll. A task is finished when its {@code exit_code} exists and {@code started}
 * names the job the task is currently assigned to; the job's state only decides what happened to tasks that
 * did not finish (walltime, cancel, node failure), and only after two polls agree the job has ended (shared file
 * systems publish files late).
 *
 * <h2>Submission and recovery</h2>
 * A job (batch) is recorded locally as PREPARED before anything is sent; the submit command takes a remote
 * {@code mkdir} lock, runs {@code sbatch} and writes its answer to {@code sbatch.out} on the remote side before
 * the job id comes back; only then is the id recorded locally as SUBMITTED. After a crash or a dropped
 * connection a PREPARED batch is resolved from the remote record: {@code sbatch.out} (adopt its id), a lock
 * without record (find the job by its comment in the queue, else declare the submission failed), or no lock
 * (submit now). A batch is never submitted twice and a task never runs in two live jobs.
 *
 * <h2>Job arrays</h2>
 * With {@link FarmSettings#arrays()} the pending tasks of a poll go out as one SLURM job array ({@link TaskArrayScript},
 * one sbatch); each element is recorded as a batch of its own whose job id is the element id {@code JOBID_i}, so
 * polling, harvesting and failure handling are those of single jobs, and recovery resolves the array as one submission.
 *
 * <h2>Failures</h2>
 * Each failed attempt is recorded with a {@link FailureReason}; a task gets {@link FarmSettings#maxResubmissions()}
 * further attempts, then is recorded FAILED and the others go on. Tasks of a job that never started them are
 * re-queued without charge. Controller or SSH errors back off exponentially up to
 * {@link FarmSettings#maxPollInterval()}; host-key and authentication errors stop the run.
 *
 * <pre>{@code
 * try (JobManager m = new JobManager(settings, shell, new SlurmScheduler(), stateDir, Clock.systemUTC(), Sleeper.SYSTEM)) {
 *     m.add(tasks, inputs -> "srun pw.x " + ShellQuote.join(inputs.arguments()));
 *     Map<String, TaskOutcome> out = m.run(p -> System.err.println(p));
 * }
 * }</pre>
 *
 * <p>The parts: {@link Submission} (submit, and resolve unconfirmed submissions after a restart), {@link Harvest}
 * (scan the task files, fetch and judge finished outputs), {@link JobEnds} (what ended jobs mean for their unfinished
 * tasks), {@link Retries} (the retry policy and budget), all over one {@link FarmBook}.
 */
public final class JobManager implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(JobManager.class.getName());

    private final FarmSettings settings;
    private final RemoteShell shell;
    private final Scheduler scheduler;
    private final Path stateDir;
    private final Clock clock;
    private final Sleeper sleeper;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final FarmBook book;
    private final Submission submission;
    private final Harvest harvest;
    private final JobEnds jobEnds;
    private Duration unreachableDeadline = Duration.ofHours(6);
    private int polls;

    /**
     * Opens (or resumes) the campaign recorded in {@code stateDir}. Only one manager may use a state directory at
     * a time (an exclusive file lock).
     */
    public JobManager(FarmSettings settings, RemoteShell shell, Scheduler scheduler, Path stateDir, Clock clock,
            Sleeper sleeper) throws IOException {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.shell = Objects.requireNonNull(shell, "shell");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        FarmJournal.createDirectoriesDurably(stateDir);
        lockChannel = FileChannel.open(stateDir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            lockChannel.close();
            throw new IOException("another Crucible process is using " + stateDir + " (its lock file is held)");
        }
        lock = l;
        book = new FarmBook(settings, shell, scheduler, stateDir, new FarmJournal(stateDir, settings.campaign(), clock));
        Retries retries = new Retries(book);
        submission = new Submission(book);
        harvest = new Harvest(book, retries);
        jobEnds = new JobEnds(book, retries);
        FarmState recorded = book.journal.read();
        if (recorded != null) {
            book.state = recorded;
            if (!book.state.campaign().equals(settings.campaign())) {
                close();
                throw new IOException(stateDir + " belongs to campaign '" + book.state.campaign() + "', not '"
                        + settings.campaign() + "'");
            }
            book.event("resume: " + book.state.tasks().size() + " tasks, " + book.state.batches().size() + " jobs recorded");
        } else {
            book.state = new FarmState(settings.campaign(), 1, Map.of(), Map.of());
            book.save();
        }
    }

    // ---- public API --------------------------------------------------------------------------------------

    /**
     * Adds tasks; tasks already recorded (same hash) are not added again, whatever their name, so re-running a
     * submission after an interruption re-attaches to the recorded work. Inputs are stored locally so a resumed
     * manager can resubmit without them.
     *
     * @return the hash of each given task, in order
     */
    public synchronized List<String> add(List<DftTask> tasks, TaskCommand command) throws IOException {
        return add(tasks, command, null);
    }

    /**
     * As {@link #add(List, TaskCommand)}, the jobs of these tasks asking for {@code resources} (null: the farm's default,
     * {@link FarmSettings#resources()}). Tasks with different resources never share a job or a job array. A task already
     * recorded keeps the resources it was recorded with.
     */
    public synchronized List<String> add(List<DftTask> tasks, TaskCommand command, JobResources resources) throws IOException {
        List<String> hashes = new ArrayList<>();
        boolean changed = false;
        for (DftTask t : tasks) {
            String h = t.hash();
            hashes.add(h);
            if (book.state.tasks().containsKey(h)) continue;
            InputSet in = t.inputs();
            Path dir = stateDir.resolve("tasks").resolve(h).resolve("inputs");
            FarmJournal.createDirectoriesDurably(dir, stateDir); // also a tasks/H/inputs/ left by a killed add
            for (Map.Entry<String, String> f : in.files().entrySet()) {
                FarmJournal.writeAtomically(dir.resolve(f.getKey()), f.getValue().getBytes(StandardCharsets.UTF_8));
            }
            book.state.tasks().put(h, new TaskRecord(h, t.name(), in.code().id(), command.commandLine(in), in.stdoutFile(),
                    in.mainOutput(), TaskPhase.PENDING, null, List.of(), null, in.extraOutputs(), resources));
            changed = true;
        }
        if (changed) book.save();
        return hashes;
    }

    /**
     * One poll: resolve unconfirmed submissions, submit what fits under the queue cap, ask the scheduler once,
     * read every task's files once, fetch and parse finished outputs, decide about ended jobs.
     *
     * @return whether every task is now done, failed or cancelled
     */
    public synchronized boolean step() throws RemoteException {
        polls++;
        submission.resolvePrepared();
        if (!book.cancelled) submission.submitPending();
        if (book.state.batches().values().stream().noneMatch(b -> b.phase() == BatchPhase.SUBMITTED)) {
            book.save();
            return progress().finished();
        }
        book.lastQueue = scheduler.queue(shell, settings.jobName());
        Map<String, Harvest.TaskFiles> files = harvest.scan();
        harvest.harvest(files);
        jobEnds.endBatches(files);
        book.save();
        return progress().finished();
    }

    /**
     * Polls until every task is terminal, sleeping {@link FarmSettings#pollInterval()} between polls (doubling up
     * to {@link FarmSettings#maxPollInterval()} while SSH or the controller fails).
     *
     * @throws HostKeyException, SshAuthException, SchedulerException (rejected submission): these need a human
     */
    public Map<String, TaskOutcome> run(Consumer<FarmProgress> progress) throws RemoteException, InterruptedException {
        Duration interval = settings.pollInterval();
        java.time.Instant lastAnswer = clock.instant();
        while (true) {
            boolean finished;
            try {
                finished = step();
                interval = settings.pollInterval();
                lastAnswer = clock.instant();
            } catch (HostKeyException | SshAuthException | SubmissionRejectedException e) {
                throw e;
            } catch (RemoteException e) {
                Duration silence = Duration.between(lastAnswer, clock.instant());
                if (silence.compareTo(unreachableDeadline) > 0) {
                    String msg = "the cluster has not answered for " + silence.toSeconds() + " s (deadline " + unreachableDeadline.toSeconds()
                            + " s; last error: " + e.getMessage() + "); the farm's state is saved in " + stateDir + ", resume to continue";
                    book.event("giving up: " + msg);
                    throw new ClusterUnreachableException(msg, silence, e);
                }
                Duration next = interval.multipliedBy(2);
                interval = next.compareTo(settings.maxPollInterval()) > 0 ? settings.maxPollInterval() : next;
                book.event("poll failed, next in " + interval.toMillis() + " ms: " + e.getMessage());
                LOG.log(System.Logger.Level.WARNING, String.format(java.util.Locale.ROOT,
                        "the cluster did not answer the poll of campaign %s (%s); polling again in %.1f s, giving up after %d s without an answer "
                                + "(unreachable_deadline), %d s so far; submitted jobs keep running", settings.campaign(), e.getMessage(),
                        interval.toMillis() / 1000.0, unreachableDeadline.toSeconds(), silence.toSeconds()));
                finished = false;
            }
            progress.accept(progress());
            if (finished) return outcomes();
            sleeper.sleep(interval);
        }
    }

    /**
     * How long {@link #run} keeps polling a cluster that does not answer (SSH down, controller down) before it stops
     * with a {@link ClusterUnreachableException}; the state saved at the last successful poll is kept, so a resumed
     * campaign continues without resubmitting. Default 6 hours.
     */
    public synchronized JobManager unreachableDeadline(Duration deadline) {
        if (deadline.isNegative() || deadline.isZero()) throw new IllegalArgumentException("unreachable deadline must be positive, got " + deadline);
        this.unreachableDeadline = deadline;
        return this;
    }

    /** Cancels every job of the campaign (one scheduler command) and records the unfinished tasks as cancelled. */
    public synchronized void cancel() throws RemoteException {
        book.cancelled = true;
        submission.resolvePrepared(); // a job whose submission was never confirmed may exist: learn its id first
        List<String> ids = new ArrayList<>();
        for (BatchRecord b : book.state.batches().values()) {
            if ((b.phase() == BatchPhase.SUBMITTED || b.phase() == BatchPhase.PREPARED) && b.jobId() != null) ids.add(b.jobId());
        }
        scheduler.cancel(shell, ids);
        for (BatchRecord b : List.copyOf(book.state.batches().values())) {
            if (b.phase() == BatchPhase.SUBMITTED || b.phase() == BatchPhase.PREPARED) {
                book.state.batches().put(b.id(), b.with(BatchPhase.ENDED, b.jobId(), "cancelled by campaign", b.endSeen()));
            }
        }
        for (TaskRecord t : List.copyOf(book.state.tasks().values())) {
            if (!t.terminal()) book.state.tasks().put(t.hash(), t.with(TaskPhase.CANCELLED, t.batch(), t.failures(), "campaign cancelled"));
        }
        book.event("cancel: scancel " + ids);
        book.save();
    }

    /**
     * Stops the campaign's jobs so that a later run continues where this one stopped ({@code crucible cancel}): harvests
     * every task that finished, cancels the jobs still queued or running (one scheduler command), harvests again what
     * finished in between, and puts each remaining unfinished task back to PENDING without charging a failure, so the
     * next manager on this state directory resubmits exactly those. Finished outputs are kept (a paid calculation is
     * never repeated); a task cut off mid-run loses only its partial run.
     *
     * @return the scheduler job ids cancelled
     */
    public synchronized List<String> suspend() throws RemoteException {
        submission.resolvePrepared();
        List<String> ids = new ArrayList<>();
        for (BatchRecord b : book.state.batches().values()) {
            if ((b.phase() == BatchPhase.SUBMITTED || b.phase() == BatchPhase.PREPARED) && b.jobId() != null) ids.add(b.jobId());
        }
        if (!ids.isEmpty()) {
            harvest.harvest(harvest.scan());
            scheduler.cancel(shell, ids);
            harvest.harvest(harvest.scan());
        }
        for (BatchRecord b : List.copyOf(book.state.batches().values())) {
            if (b.phase() == BatchPhase.SUBMITTED || b.phase() == BatchPhase.PREPARED) {
                book.state.batches().put(b.id(), b.with(BatchPhase.ENDED, b.jobId(), "cancelled by crucible cancel", b.endSeen()));
            }
        }
        int requeued = 0;
        for (TaskRecord t : List.copyOf(book.state.tasks().values())) {
            if (t.phase() == TaskPhase.SUBMITTED) {
                book.state.tasks().put(t.hash(), t.with(TaskPhase.PENDING, null, t.failures(), "its job was cancelled by crucible cancel; resubmitted on resume"));
                requeued++;
            }
        }
        book.event("suspend: scancel " + ids + ", " + requeued + " unfinished tasks back to pending");
        book.save();
        return List.copyOf(ids);
    }

    /** Current counts. */
    public synchronized FarmProgress progress() {
        int pending = 0;
        int queued = 0;
        int running = 0;
        int done = 0;
        int failed = 0;
        int cancelledCount = 0;
        for (TaskRecord t : book.state.tasks().values()) {
            switch (t.phase()) {
                case PENDING -> pending++;
                case DONE -> done++;
                case FAILED -> failed++;
                case CANCELLED -> cancelledCount++;
                case SUBMITTED -> {
                    BatchRecord b = book.state.batches().get(t.batch());
                    QueueEntry q = b == null || b.jobId() == null ? null : book.lastQueue.get(b.jobId());
                    if (q != null && q.state() == JobState.RUNNING) running++;
                    else queued++;
                }
            }
        }
        return new FarmProgress(book.state.tasks().size(), pending, queued, running, done, failed, cancelledCount,
                book.activeBatches(), polls);
    }

    /** Outcome of every task, in the order they were added; DONE tasks are parsed from the local outputs. */
    public synchronized Map<String, TaskOutcome> outcomes() {
        Map<String, TaskOutcome> out = new LinkedHashMap<>();
        for (TaskRecord t : book.state.tasks().values()) out.put(t.hash(), harvest.outcome(t));
        return out;
    }

    /** Outcome of one task (parsed from the local outputs when DONE), or null when no task has this hash. */
    public synchronized TaskOutcome outcome(String hash) {
        TaskRecord t = book.state.tasks().get(hash);
        return t == null ? null : harvest.outcome(t);
    }

    /**
     * The state recorded in {@code stateDir} ({@code state.json}), read without taking the directory's lock, so a
     * report can be made while a manager runs there; null when nothing is recorded. The file is replaced atomically,
     * so this is some state the manager saved, possibly one poll old.
     */
    public static FarmState recorded(Path stateDir) throws IOException {
        return new FarmJournal(stateDir, "-", Clock.systemUTC()).read();
    }

    /** A copy of the recorded state (for reports and tests). */
    public synchronized FarmState state() {
        return new FarmState(book.state.campaign(), book.state.nextBatch(), book.state.tasks(), book.state.batches());
    }

    /** Releases the state directory. Does not cancel jobs: a later manager re-attaches to them. */
    @Override
    public synchronized void close() {
        try {
            if (lock.isValid()) lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot release the lock of " + stateDir, e);
        }
    }

    /** Hashes of tasks in a phase (for tests and reports). */
    public synchronized Set<String> tasksIn(TaskPhase phase) {
        Set<String> s = new LinkedHashSet<>();
        for (TaskRecord t : book.state.tasks().values()) if (t.phase() == phase) s.add(t.hash());
        return s;
    }
}
