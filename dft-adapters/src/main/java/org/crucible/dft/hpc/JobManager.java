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
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.crucible.dft.DftCode;
import org.crucible.dft.DftParseException;
import org.crucible.dft.DftParsers;
import org.crucible.dft.DftResult;
import org.crucible.dft.DftStatus;
import org.crucible.dft.hpc.FarmState.Attempt;
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
 */
public final class JobManager implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(JobManager.class.getName());
    private static final String STDERR = TaskFarmScript.STDERR;
    private static final String EXIT_CODE = TaskFarmScript.EXIT_CODE;
    private static final String STARTED = TaskFarmScript.STARTED;
    private static final int SUBMIT_LOCKED = 75;
    /** Jobs that may end without starting a task (walltime spent on earlier tasks) before it is charged. */
    private static final int MAX_UNSTARTED = 3;
    /** Uncharged requeues (node failure, preemption) in a row before the next one is charged. */
    private static final int MAX_UNCHARGED = 5;
    private static final String UNCHARGED_MARK = "infrastructure fault, not charged";

    private final FarmSettings settings;
    private final RemoteShell shell;
    private final Scheduler scheduler;
    private final Path stateDir;
    private final Clock clock;
    private final Sleeper sleeper;
    private final FarmJournal journal;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private FarmState state;
    private Map<String, QueueEntry> lastQueue = Map.of();
    private Duration unreachableDeadline = Duration.ofHours(6);
    private boolean cancelled;
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
        this.journal = new FarmJournal(stateDir, settings.campaign(), clock);
        Files.createDirectories(stateDir);
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
        FarmState recorded = journal.read();
        if (recorded != null) {
            state = recorded;
            if (!state.campaign().equals(settings.campaign())) {
                close();
                throw new IOException(stateDir + " belongs to campaign '" + state.campaign() + "', not '"
                        + settings.campaign() + "'");
            }
            event("resume: " + state.tasks().size() + " tasks, " + state.batches().size() + " jobs recorded");
        } else {
            state = new FarmState(settings.campaign(), 1, Map.of(), Map.of());
            save();
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
        List<String> hashes = new ArrayList<>();
        boolean changed = false;
        for (DftTask t : tasks) {
            String h = t.hash();
            hashes.add(h);
            if (state.tasks().containsKey(h)) continue;
            InputSet in = t.inputs();
            Path dir = stateDir.resolve("tasks").resolve(h).resolve("inputs");
            Files.createDirectories(dir);
            for (Map.Entry<String, String> f : in.files().entrySet()) {
                FarmJournal.writeAtomically(dir.resolve(f.getKey()), f.getValue().getBytes(StandardCharsets.UTF_8));
            }
            state.tasks().put(h, new TaskRecord(h, t.name(), in.code().id(), command.commandLine(in), in.stdoutFile(),
                    in.mainOutput(), TaskPhase.PENDING, null, List.of(), null, in.extraOutputs()));
            changed = true;
        }
        if (changed) save();
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
        resolvePrepared();
        if (!cancelled) submitPending();
        if (state.batches().values().stream().noneMatch(b -> b.phase() == BatchPhase.SUBMITTED)) {
            save();
            return progress().finished();
        }
        lastQueue = scheduler.queue(shell, settings.jobName());
        Map<String, TaskFiles> files = scan();
        harvest(files);
        endBatches(files);
        save();
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
                    event("giving up: " + msg);
                    throw new ClusterUnreachableException(msg, silence, e);
                }
                Duration next = interval.multipliedBy(2);
                interval = next.compareTo(settings.maxPollInterval()) > 0 ? settings.maxPollInterval() : next;
                event("poll failed, next in " + interval.toMillis() + " ms: " + e.getMessage());
                LOG.log(System.Logger.Level.WARNING, "poll of campaign {0} failed ({1}); next poll in {2}",
                        settings.campaign(), e.getMessage(), interval);
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
        cancelled = true;
        resolvePrepared(); // a job whose submission was never confirmed may exist: learn its id first
        List<String> ids = new ArrayList<>();
        for (BatchRecord b : state.batches().values()) {
            if ((b.phase() == BatchPhase.SUBMITTED || b.phase() == BatchPhase.PREPARED) && b.jobId() != null) ids.add(b.jobId());
        }
        scheduler.cancel(shell, ids);
        for (BatchRecord b : List.copyOf(state.batches().values())) {
            if (b.phase() == BatchPhase.SUBMITTED || b.phase() == BatchPhase.PREPARED) {
                state.batches().put(b.id(), b.with(BatchPhase.ENDED, b.jobId(), "cancelled by campaign", b.endSeen()));
            }
        }
        for (TaskRecord t : List.copyOf(state.tasks().values())) {
            if (!t.terminal()) state.tasks().put(t.hash(), t.with(TaskPhase.CANCELLED, t.batch(), t.failures(), "campaign cancelled"));
        }
        event("cancel: scancel " + ids);
        save();
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
        resolvePrepared();
        List<String> ids = new ArrayList<>();
        for (BatchRecord b : state.batches().values()) {
            if ((b.phase() == BatchPhase.SUBMITTED || b.phase() == BatchPhase.PREPARED) && b.jobId() != null) ids.add(b.jobId());
        }
        if (!ids.isEmpty()) {
            harvest(scan());
            scheduler.cancel(shell, ids);
            harvest(scan());
        }
        for (BatchRecord b : List.copyOf(state.batches().values())) {
            if (b.phase() == BatchPhase.SUBMITTED || b.phase() == BatchPhase.PREPARED) {
                state.batches().put(b.id(), b.with(BatchPhase.ENDED, b.jobId(), "cancelled by crucible cancel", b.endSeen()));
            }
        }
        int requeued = 0;
        for (TaskRecord t : List.copyOf(state.tasks().values())) {
            if (t.phase() == TaskPhase.SUBMITTED) {
                state.tasks().put(t.hash(), t.with(TaskPhase.PENDING, null, t.failures(), "its job was cancelled by crucible cancel; resubmitted on resume"));
                requeued++;
            }
        }
        event("suspend: scancel " + ids + ", " + requeued + " unfinished tasks back to pending");
        save();
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
        for (TaskRecord t : state.tasks().values()) {
            switch (t.phase()) {
                case PENDING -> pending++;
                case DONE -> done++;
                case FAILED -> failed++;
                case CANCELLED -> cancelledCount++;
                case SUBMITTED -> {
                    BatchRecord b = state.batches().get(t.batch());
                    QueueEntry q = b == null || b.jobId() == null ? null : lastQueue.get(b.jobId());
                    if (q != null && q.state() == JobState.RUNNING) running++;
                    else queued++;
                }
            }
        }
        return new FarmProgress(state.tasks().size(), pending, queued, running, done, failed, cancelledCount,
                activeBatches(), polls);
    }

    /** Outcome of every task, in the order they were added; DONE tasks are parsed from the local outputs. */
    public synchronized Map<String, TaskOutcome> outcomes() {
        Map<String, TaskOutcome> out = new LinkedHashMap<>();
        for (TaskRecord t : state.tasks().values()) out.put(t.hash(), outcome(t));
        return out;
    }

    /** Outcome of one task (parsed from the local outputs when DONE), or null when no task has this hash. */
    public synchronized TaskOutcome outcome(String hash) {
        TaskRecord t = state.tasks().get(hash);
        return t == null ? null : outcome(t);
    }

    /** A copy of the recorded state (for reports and tests). */
    public synchronized FarmState state() {
        return new FarmState(state.campaign(), state.nextBatch(), state.tasks(), state.batches());
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

    // ---- submission --------------------------------------------------------------------------------------

    private int activeBatches() {
        int n = 0;
        for (BatchRecord b : state.batches().values()) {
            if (b.phase() == BatchPhase.PREPARED || b.phase() == BatchPhase.SUBMITTED) n++;
        }
        return n;
    }

    private void submitPending() throws RemoteException {
        List<String> pending = new ArrayList<>();
        for (TaskRecord t : state.tasks().values()) if (t.phase() == TaskPhase.PENDING) pending.add(t.hash());
        int i = 0;
        while (i < pending.size() && activeBatches() < settings.maxJobsInQueue()) {
            List<String> chunk = pending.subList(i, Math.min(i + settings.packing(), pending.size()));
            i += chunk.size();
            String id = String.format(Locale.ROOT, "b%06d", state.nextBatch());
            BatchRecord b = new BatchRecord(id, chunk, BatchPhase.PREPARED, null, null, 0);
            state = new FarmState(state.campaign(), state.nextBatch() + 1, state.tasks(), state.batches());
            state.batches().put(id, b);
            for (String h : chunk) {
                TaskRecord t = state.tasks().get(h);
                state.tasks().put(h, t.with(TaskPhase.SUBMITTED, id, t.failures(), null));
            }
            save(); // recorded before anything is sent
            submit(b);
        }
    }

    private String jobDir(String batch) {
        return settings.campaignDir() + "/jobs/" + batch;
    }

    private String taskDir(String hash) {
        return settings.campaignDir() + "/" + hash;
    }

    private void submit(BatchRecord b) throws RemoteException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String h : b.tasks()) {
            Path in = stateDir.resolve("tasks").resolve(h).resolve("inputs");
            try (var list = Files.list(in)) {
                for (Path f : list.sorted().toList()) {
                    files.put(taskDir(h) + "/" + f.getFileName(), Files.readAllBytes(f));
                }
            } catch (IOException e) {
                throw new RemoteException("cannot read the recorded inputs of task " + h + " in " + in + ": " + e.getMessage(), e);
            }
        }
        files.put(jobDir(b.id()) + "/job.sh", TaskFarmScript.text(settings, scheduler, b, jobDir(b.id()), h -> taskDir(h), state.tasks()).getBytes(StandardCharsets.UTF_8));
        shell.put(files);
        String cmd = "cd " + ShellQuote.quote(jobDir(b.id())) + " && { mkdir submit.lock 2>/dev/null || exit "
                + SUBMIT_LOCKED + "; } && " + ShellQuote.join(scheduler.submitCommand("job.sh"))
                + " > sbatch.out.tmp 2> sbatch.err; rc=$?; mv -f sbatch.out.tmp sbatch.out; cat sbatch.out; "
                + "cat sbatch.err >&2; exit $rc";
        CommandResult r;
        try {
            r = shell.run(cmd, RemoteShell.DEFAULT_TIMEOUT);
        } catch (ConnectionLostException e) {
            event("submit " + b.id() + ": connection lost, outcome unknown; resolved from the remote record next poll");
            throw e;
        }
        if (r.exitCode() == SUBMIT_LOCKED) {
            event("submit " + b.id() + ": already locked remotely; resolving from the remote record");
            resolve(b);
            return;
        }
        if (!r.ok()) {
            state.batches().put(b.id(), b.with(BatchPhase.SUBMIT_FAILED, null, r.stderr().strip(), 0));
            requeueUncharged(b);
            event("submit " + b.id() + " rejected: " + r.describe());
            save();
            if (transientSubmitError(r.stderr())) {
                throw new SchedulerException("submission of " + b.id() + " deferred: " + r.describe());
            }
            throw new SubmissionRejectedException("the scheduler rejected job " + b.id() + " of campaign "
                    + settings.campaign() + ": " + r.describe());
        }
        String jobId = scheduler.parseJobId(r.stdout());
        state.batches().put(b.id(), b.with(BatchPhase.SUBMITTED, jobId, null, 0));
        event("submit " + b.id() + " -> job " + jobId + " (" + b.tasks().size() + " tasks)");
        save();
    }

    /** Limits and controller hiccups pass; anything else (bad partition, account) needs a human. */
    private static boolean transientSubmitError(String stderr) {
        String s = stderr.toLowerCase(Locale.ROOT);
        return s.contains("qosmax") || s.contains("assocmax") || s.contains("timed out") || s.contains("unable to contact")
                || s.contains("try again") || s.contains("resource temporarily unavailable");
    }

    private void resolvePrepared() throws RemoteException {
        for (BatchRecord b : List.copyOf(state.batches().values())) {
            if (b.phase() == BatchPhase.PREPARED) resolve(b);
        }
    }

    /** Decides what happened to a batch whose submission was not confirmed, from the remote record. */
    private void resolve(BatchRecord b) throws RemoteException {
        String d = ShellQuote.quote(jobDir(b.id()));
        CommandResult r = shell.run("if [ -s " + d + "/sbatch.out ]; then echo out; cat " + d + "/sbatch.out; elif [ -d "
                + d + "/submit.lock ]; then echo locked; else echo none; fi", RemoteShell.DEFAULT_TIMEOUT).orThrow();
        String[] lines = r.stdout().strip().split("\n", 2);
        switch (lines[0].strip()) {
            case "out" -> {
                String jobId = scheduler.parseJobId(lines.length > 1 ? lines[1] : "");
                state.batches().put(b.id(), b.with(BatchPhase.SUBMITTED, jobId, null, 0));
                event("recover " + b.id() + ": adopted job " + jobId + " from the remote record");
            }
            case "locked" -> {
                Map<String, QueueEntry> q = scheduler.queue(shell, settings.jobName());
                QueueEntry found = q.values().stream().filter(e -> e.comment().equals(b.id())).findFirst().orElse(null);
                if (found != null) {
                    state.batches().put(b.id(), b.with(BatchPhase.SUBMITTED, found.jobId(), null, 0));
                    event("recover " + b.id() + ": adopted job " + found.jobId() + " found in the queue by its comment");
                } else {
                    state.batches().put(b.id(), b.with(BatchPhase.SUBMIT_FAILED, null, "locked without record", 0));
                    requeueUncharged(b);
                    event("recover " + b.id() + ": submission locked but no job recorded or queued; tasks re-queued");
                }
            }
            default -> {
                if (cancelled) {
                    state.batches().put(b.id(), b.with(BatchPhase.SUBMIT_FAILED, null, "never submitted; campaign cancelled", 0));
                    requeueUncharged(b);
                    event("recover " + b.id() + ": never submitted; not submitting, the campaign is cancelled");
                } else {
                    event("recover " + b.id() + ": never submitted; submitting now");
                    save();
                    submit(b);
                }
            }
        }
        save();
    }

    private void requeueUncharged(BatchRecord b) {
        for (String h : b.tasks()) {
            TaskRecord t = state.tasks().get(h);
            if (t.phase() == TaskPhase.SUBMITTED && b.id().equals(t.batch())) {
                state.tasks().put(h, t.with(TaskPhase.PENDING, null, t.failures(), null));
            }
        }
    }

    // ---- polling -----------------------------------------------------------------------------------------

    /** What the task directory shows: the job that last started it, and its exit status if it finished. */
    private record TaskFiles(String startedBy, Integer exitCode) {
    }

    private Map<String, TaskFiles> scan() throws RemoteException {
        String cmd = "cd " + ShellQuote.quote(settings.campaignDir()) + " 2>/dev/null || exit 0; for f in */" + STARTED
                + " */" + EXIT_CODE + "; do [ -f \"$f\" ] && printf '%s %s\\n' \"$f\" \"$(head -c 40 \"$f\")\"; done; exit 0";
        CommandResult r = shell.run(cmd, RemoteShell.DEFAULT_TIMEOUT).orThrow();
        Map<String, String> started = new LinkedHashMap<>();
        Map<String, Integer> exit = new LinkedHashMap<>();
        for (String line : r.stdout().split("\n")) {
            int slash = line.indexOf('/');
            int space = line.indexOf(' ');
            if (slash < 0 || space < slash) continue;
            String hash = line.substring(0, slash);
            String file = line.substring(slash + 1, space);
            String value = line.substring(space + 1).strip();
            if (file.equals(STARTED)) {
                started.put(hash, value);
            } else if (file.equals(EXIT_CODE)) {
                try {
                    exit.put(hash, Integer.parseInt(value));
                } catch (NumberFormatException e) {
                    // a half-visible file on a shared file system: read it again next poll
                    event("scan: unreadable exit code '" + value + "' of task " + hash);
                }
            }
        }
        Map<String, TaskFiles> out = new LinkedHashMap<>();
        for (String h : started.keySet()) out.put(h, new TaskFiles(started.get(h), exit.get(h)));
        return out;
    }

    /** Fetches (one transfer) and judges every task that finished in its current job since the last poll. */
    private void harvest(Map<String, TaskFiles> files) throws RemoteException {
        List<TaskRecord> finished = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (TaskRecord t : state.tasks().values()) {
            if (t.phase() != TaskPhase.SUBMITTED) continue;
            BatchRecord b = state.batches().get(t.batch());
            TaskFiles f = files.get(t.hash());
            if (b == null || b.jobId() == null || f == null || f.exitCode() == null || !b.jobId().equals(f.startedBy())) continue;
            finished.add(t);
            for (String name : fetched(t)) paths.add(taskDir(t.hash()) + "/" + name);
        }
        if (finished.isEmpty()) return;
        // a crashed code may not have written its output file: fetch what exists, judge the rest as missing
        Map<String, byte[]> got = shell.getIfPresent(paths);
        for (TaskRecord t : finished) {
            Path out = stateDir.resolve("tasks").resolve(t.hash()).resolve("out");
            try {
                Files.createDirectories(out);
                for (String name : fetched(t)) {
                    byte[] content = got.get(taskDir(t.hash()) + "/" + name);
                    if (content != null) FarmJournal.writeAtomically(out.resolve(name), content);
                    else Files.deleteIfExists(out.resolve(name)); // never judge an attempt by an older attempt's file
                }
            } catch (IOException e) {
                throw new RemoteException("cannot store the outputs of task " + t.hash() + " in " + out + ": " + e.getMessage(), e);
            }
            BatchRecord b = state.batches().get(t.batch());
            int exit = files.get(t.hash()).exitCode();
            judge(t, b, exit, out);
        }
    }

    /** The files brought back when a task finishes: its outputs (main, stdout, extras), stderr and exit code. */
    private static List<String> fetched(TaskRecord t) {
        LinkedHashSet<String> names = new LinkedHashSet<>(t.outputFiles());
        names.add(STDERR);
        names.add(EXIT_CODE);
        return List.copyOf(names);
    }

    private void judge(TaskRecord t, BatchRecord b, int exit, Path out) {
        DftResult r = null;
        String parseError = null;
        if (!Files.isRegularFile(out.resolve(t.mainOutput()))) {
            parseError = t.mainOutput() + " was not written";
        } else {
            try {
                r = DftParsers.forCode(DftCode.parse(t.code())).parse(out.resolve(t.mainOutput()));
            } catch (DftParseException e) {
                parseError = e.getMessage();
            }
        }
        FailureClassifier.Decision d = FailureClassifier.ofTask(exit, r, parseError, settings.taskTimeout(), null);
        if (d == null) {
            state.tasks().put(t.hash(), t.with(TaskPhase.DONE, t.batch(), t.failures(), null));
            event("done " + t.hash() + " (" + t.name() + ") in job " + b.jobId() + ": E = " + r.energy() + " eV");
            return;
        }
        String detail = d.reason() == FailureReason.CODE_FAILED ? d.detail() + stderrTail(out) : d.detail();
        fail(t, new Attempt(b.id(), b.jobId(), d.reason(), detail), d.retry());
    }

    private static String stderrTail(Path out) {
        try {
            String s = Files.readString(out.resolve(STDERR)).strip();
            if (s.isEmpty()) return "";
            return "; stderr: " + (s.length() > 300 ? s.substring(s.length() - 300) : s);
        } catch (IOException e) {
            return "";
        }
    }

    /** Uncharged requeues of a task since its last charged failure or submission, from the audit log. */
    private long events(String hash, String marker) {
        try {
            long n = 0;
            for (String line : Files.readAllLines(stateDir.resolve("events.log"))) {
                if (!line.contains(hash)) continue;
                if (line.contains(marker)) n++;
                else if (line.contains("attempt failed") || line.contains("done ")) n = 0;
            }
            return n;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + stateDir.resolve("events.log"), e);
        }
    }

    private void fail(TaskRecord t, Attempt a) {
        fail(t, a, FailureClassifier.policy(a.reason()));
    }

    /**
     * Records a failed attempt under its retry policy ({@link FailureClassifier}): NEVER ends the task at once,
     * UNCHARGED requeues it without touching the budget (at most {@value #MAX_UNCHARGED} times in a row), CHARGED
     * requeues it until the budget is spent.
     */
    private void fail(TaskRecord t, Attempt a, FailureClassifier.Retry retry) {
        if (retry == FailureClassifier.Retry.UNCHARGED && events(t.hash(), UNCHARGED_MARK) < MAX_UNCHARGED) {
            state.tasks().put(t.hash(), t.with(TaskPhase.PENDING, null, t.failures(), null));
            event("requeue " + t.hash() + " (" + t.name() + "): " + a.reason() + " in job " + a.jobId() + " (" + a.detail() + "); "
                    + UNCHARGED_MARK);
            return;
        }
        List<Attempt> failures = new ArrayList<>(t.failures());
        failures.add(a);
        if (retry == FailureClassifier.Retry.NEVER) {
            String msg = a.reason() + " is not retried (the same input would fail the same way): " + a.detail();
            state.tasks().put(t.hash(), t.with(TaskPhase.FAILED, t.batch(), failures, msg));
            event("failed " + t.hash() + " (" + t.name() + "): " + msg);
            return;
        }
        if (failures.size() > settings.maxResubmissions()) {
            String msg = "failed " + failures.size() + " time(s), budget of " + settings.maxResubmissions()
                    + " resubmission(s) exhausted; last: " + a.reason() + " (" + a.detail() + ")";
            state.tasks().put(t.hash(), t.with(TaskPhase.FAILED, t.batch(), failures, msg));
            event("failed " + t.hash() + " (" + t.name() + "): " + msg);
        } else {
            state.tasks().put(t.hash(), t.with(TaskPhase.PENDING, null, failures, null));
            event("attempt failed " + t.hash() + " (" + t.name() + ") in job " + a.jobId() + ": " + a.reason() + " ("
                    + a.detail() + "); resubmission " + failures.size() + " of " + settings.maxResubmissions());
        }
    }

    private void endBatches(Map<String, TaskFiles> files) throws RemoteException {
        List<BatchRecord> ended = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        for (BatchRecord b : List.copyOf(state.batches().values())) {
            if (b.phase() != BatchPhase.SUBMITTED) continue;
            QueueEntry q = lastQueue.get(b.jobId());
            if (q != null && q.state().active()) {
                if (b.endSeen() != 0) state.batches().put(b.id(), b.with(b.phase(), b.jobId(), null, 0));
                continue;
            }
            boolean open = b.tasks().stream().map(h -> state.tasks().get(h))
                    .anyMatch(t -> t.phase() == TaskPhase.SUBMITTED && b.id().equals(t.batch()));
            String endState = q == null ? "gone" : q.code();
            if (!open) {
                state.batches().put(b.id(), b.with(BatchPhase.ENDED, b.jobId(), endState, b.endSeen() + 1));
                continue;
            }
            BatchRecord seen = b.with(b.phase(), b.jobId(), endState, b.endSeen() + 1);
            state.batches().put(b.id(), seen);
            if (seen.endSeen() >= 2) {
                ended.add(seen);
                if (q == null) gone.add(b.jobId());
            }
        }
        if (ended.isEmpty()) return;
        Map<String, QueueEntry> acct = settings.accounting() ? scheduler.accounting(shell, gone) : Map.of();
        for (BatchRecord b : ended) {
            QueueEntry q = lastQueue.get(b.jobId());
            if (q == null) q = acct.get(b.jobId());
            JobState js = q == null ? null : q.state();
            for (String h : b.tasks()) {
                TaskRecord t = state.tasks().get(h);
                if (t.phase() != TaskPhase.SUBMITTED || !b.id().equals(t.batch())) continue;
                TaskFiles f = files.get(h);
                if (f == null || !b.jobId().equals(f.startedBy())) {
                    long unstarted = events(h, "before starting it");
                    if (unstarted >= MAX_UNSTARTED) {
                        // a job that keeps ending without running the task is a fault, not bad luck: charge it
                        fail(t, new Attempt(b.id(), b.jobId(), FailureReason.MISSING_OUTPUT, "job " + b.jobId()
                                + " ended (" + b.endState() + ") without starting the task, " + (unstarted + 1) + " times in a row"));
                        continue;
                    }
                    state.tasks().put(h, t.with(TaskPhase.PENDING, null, t.failures(), null));
                    event("requeue " + h + " (" + t.name() + "): job " + b.jobId() + " ended (" + b.endState()
                            + ") before starting it; not charged");
                    continue;
                }
                FailureClassifier.Decision d = FailureClassifier.ofJobEnd(js, "job " + b.jobId() + " ended ("
                        + (q == null ? "left the queue" : q.code() + (q.reason().isEmpty() ? "" : ", " + q.reason()))
                        + ") while the task ran, without its exit code");
                fail(t, new Attempt(b.id(), b.jobId(), d.reason(), d.detail()), d.retry());
            }
            state.batches().put(b.id(), b.with(BatchPhase.ENDED, b.jobId(), b.endState(), b.endSeen()));
        }
    }

    // ---- outcomes, persistence ---------------------------------------------------------------------------

    private TaskOutcome outcome(TaskRecord t) {
        Path out = stateDir.resolve("tasks").resolve(t.hash()).resolve("out");
        DftResult r = null;
        if (t.phase() == TaskPhase.DONE) {
            r = DftParsers.forCode(DftCode.parse(t.code())).parse(out.resolve(t.mainOutput()));
        }
        return new TaskOutcome(t.hash(), t.name(), t.phase(), r, t.failures(), t.message(), Files.isDirectory(out) ? out : null);
    }

    private void save() {
        journal.save(state);
    }

    private void event(String message) {
        journal.event(message);
    }

    /** Hashes of tasks in a phase (for tests and reports). */
    public synchronized Set<String> tasksIn(TaskPhase phase) {
        Set<String> s = new LinkedHashSet<>();
        for (TaskRecord t : state.tasks().values()) if (t.phase() == phase) s.add(t.hash());
        return s;
    }
}
