package org.crucible.driver.oracle;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.crucible.dft.DftInputException;
import org.crucible.dft.DftParseException;
import org.crucible.dft.DftParsers;
import org.crucible.dft.RelaxationOutcome;
import org.crucible.dft.input.RelaxationRequest;
import org.crucible.dft.DftResult;
import org.crucible.dft.DftStatus;
import org.crucible.dft.hpc.DftTask;
import org.crucible.dft.hpc.FailureReason;
import org.crucible.dft.hpc.FarmProgress;
import org.crucible.dft.hpc.FarmState;
import org.crucible.dft.hpc.JobManager;
import org.crucible.dft.hpc.RemoteException;
import org.crucible.dft.hpc.TaskOutcome;
import org.crucible.dft.input.InputGenerator;
import org.crucible.driver.cluster.TaskPlacement;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.LabelStatus;
import org.crucible.driver.store.Provenance;

/**
 * A DFT code run on a batch cluster (SLURM over SSH) as an {@link Oracle}: each batch becomes dft-adapters
 * {@link DftTask}s handed to one {@link JobManager} task farm, which packs them into jobs, polls all of them with one
 * scheduler query and one file scan per poll, and fetches finished outputs with a checksummed transfer.
 *
 * <h2>Crash safety</h2>
 * The farm's state directory lives inside the campaign directory. The campaign writes its batch
 * ({@code cycles/NNN/batch.json}) before calling {@link #label}; the farm records every task (with its inputs) and
 * every job as PREPARED before {@code sbatch} runs and adopts the job id the cluster wrote down if the driver died in
 * between. After a kill -9 and {@code crucible resume}, the same batch produces the same content-hashed tasks, which
 * the farm recognises: running and finished jobs are re-attached, finished outputs harvested, and nothing is
 * submitted twice. Each result goes to the sink as soon as its poll sees it, so a crash loses no stored label.
 *
 * <h2>Labels</h2>
 * DONE tasks with an OK parse become labels in the adapters' units (energy eV, forces eV/Angstrom, stress
 * eV/Angstrom^3, ASE sign convention). Tasks the farm gives up on (after its resubmissions) become FAILED records,
 * or UNCONVERGED when their last attempt ended with an unconverged SCF; they carry the farm's reason and are never
 * fitted. Provenance: code, code version (from the output), settings hash, SLURM job id, cluster host, cycle,
 * selector, wall time of the calculation (s).
 */
public final class ClusterOracle extends ProvenancedOracle {
    private final InputGenerator generator;
    private final JobManager farm;
    private final TaskPlacement placement;
    private final Consumer<FarmProgress> progress;

    /**
     * @param generator writes a structure's input files (the DFT recipe)
     * @param farm      the campaign's task farm (owned by this oracle from now on: closed with it)
     * @param placement the site's resources and command line for the code, per structure size
     * @param settings  what determines the labels (code, pseudopotentials, cutoffs, k-points...), hashed into task hashes
     * @param host      the cluster, for provenance (e.g. {@code local/127.0.0.1})
     * @param progress  told after every poll (a progress line); may ignore
     */
    public ClusterOracle(InputGenerator generator, JobManager farm, TaskPlacement placement, Map<String, ?> settings, String host,
            Clock clock, Consumer<FarmProgress> progress) {
        super("unknown", settings, host, clock);
        this.generator = Objects.requireNonNull(generator, "generator");
        this.farm = Objects.requireNonNull(farm, "farm");
        this.placement = Objects.requireNonNull(placement, "placement");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    @Override
    public String code() {
        return dftCodeName(generator.code());
    }

    /** Its calculations are cluster jobs: they outlive the driver and are re-attached on resume; the farm's events.log records them. */
    @Override
    public boolean runsInDriver() {
        return false;
    }

    /** The farm, for status reports and tests (sbatch count, recorded jobs). */
    public JobManager farm() {
        return farm;
    }

    @Override
    public void label(List<OracleTask> batch, int cycle, String selector, Consumer<LabelRecord> sink) {
        if (batch.isEmpty()) return;
        List<DftTask> tasks = new ArrayList<>();
        List<OracleTask> sent = new ArrayList<>();
        List<Integer> atoms = new ArrayList<>();
        for (OracleTask t : batch) {
            try {
                tasks.add(new DftTask("cycle" + cycle + "/" + t.taskHash().substring(0, 16) + "/pool" + t.poolId(), generator.inputSet(t.structure())));
                sent.add(t);
                atoms.add(t.structure().size());
            } catch (DftInputException e) {
                // no input can be written for this structure (e.g. an element without pseudopotential): a failed label, never sent
                Provenance p = provenance("-", cycle, selector, 0.0);
                sink.accept(LabelRecord.failed(t.taskHash(), t.structure(), LabelStatus.FAILED, "input: " + e.getMessage(), p));
            }
        }
        if (tasks.isEmpty()) return;
        // one farm task per structure; two structures with identical inputs would share one farm task
        Map<String, List<OracleTask>> waiting = new LinkedHashMap<>();
        try {
            List<String> hashes = placement.add(farm, tasks, atoms);
            for (int i = 0; i < hashes.size(); i++) waiting.computeIfAbsent(hashes.get(i), h -> new ArrayList<>()).add(sent.get(i));
        } catch (IOException e) {
            throw new OracleException("cannot record the batch of cycle " + cycle + " in the task farm: " + e.getMessage(), e);
        }
        emitFinished(waiting, cycle, selector, sink);
        runFarm(p -> {
            progress.accept(p);
            emitFinished(waiting, cycle, selector, sink);
        });
        emitFinished(waiting, cycle, selector, sink);
        if (!waiting.isEmpty()) {
            throw new OracleException("the task farm finished without a result for " + waiting.size() + " task(s) of cycle " + cycle);
        }
    }

    /**
     * Relaxes each structure with the code's own variable-cell relaxation (pw.x {@code vc-relax}) as one farm task
     * per structure: the same packing, queue cap, resubmission budget and crash safety as the labels (a resumed
     * campaign re-attaches to relaxation jobs already submitted; content-hashed tasks are never submitted twice).
     * Every complete ionic step counts as one single point.
     */
    @Override
    public List<OracleRelaxation> relax(List<OracleTask> batch, double fmaxEvPerAngstrom, int maxSteps) {
        RelaxationRequest request = new RelaxationRequest(fmaxEvPerAngstrom, 0.0, maxSteps, true);
        OracleRelaxation[] out = new OracleRelaxation[batch.size()];
        List<DftTask> tasks = new ArrayList<>();
        List<Integer> index = new ArrayList<>();
        List<Integer> atoms = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            OracleTask t = batch.get(i);
            try {
                tasks.add(new DftTask("validation/" + t.taskHash().substring(0, 16) + "/pool" + t.poolId(), generator.relaxationInputSet(t.structure(), request)));
                index.add(i);
                atoms.add(t.structure().size());
            } catch (DftInputException e) {
                out[i] = new OracleRelaxation(t.poolId(), null, 0, "failed: input: " + e.getMessage(), "slurm:-");
            }
        }
        if (!tasks.isEmpty()) {
            List<String> hashes;
            try {
                hashes = placement.add(farm, tasks, atoms);
            } catch (IOException e) {
                throw new OracleException("cannot record the validation relaxations in the task farm: " + e.getMessage(), e);
            }
            runFarm(progress);
            FarmState state = farm.state();
            for (int k = 0; k < tasks.size(); k++) {
                int i = index.get(k);
                OracleTask t = batch.get(i);
                TaskOutcome o = farm.outcome(hashes.get(k));
                String jobId = jobId(state, hashes.get(k));
                if (o.phase() != FarmState.TaskPhase.DONE || o.outputDir() == null) {
                    out[i] = new OracleRelaxation(t.poolId(), null, 0, "failed: cluster task " + o.hash() + " " + o.phase().name().toLowerCase()
                            + (o.message() == null ? "" : ": " + o.message()), jobId);
                    continue;
                }
                try {
                    RelaxationOutcome r = DftParsers.relaxation(tasks.get(k).inputs().code(), o.outputDir(), tasks.get(k).inputs(), t.structure());
                    noteVersion(r.result().codeVersion());
                    out[i] = LocalDftOracle.relaxation(t.poolId(), r, jobId);
                } catch (DftParseException e) {
                    out[i] = new OracleRelaxation(t.poolId(), null, 0, "failed: " + e.getMessage(), jobId);
                }
            }
        }
        return java.util.Arrays.asList(out);
    }

    /** Runs the farm until every recorded task is terminal; cluster failures become OracleExceptions (resume re-attaches). */
    private void runFarm(Consumer<FarmProgress> onPoll) {
        try {
            farm.run(onPoll);
        } catch (RemoteException e) {
            throw new OracleException("the cluster stopped answering or refused a submission (" + e.getMessage() + "); every "
                    + "submitted job is recorded and `crucible resume` re-attaches to it", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OracleException("interrupted while waiting for the cluster; `crucible resume` re-attaches to the jobs", e);
        }
    }

    /** Hands every task of {@code waiting} the farm has finished with to the sink and forgets it. */
    private void emitFinished(Map<String, List<OracleTask>> waiting, int cycle, String selector, Consumer<LabelRecord> sink) {
        if (waiting.isEmpty()) return;
        FarmState state = farm.state();
        List<String> finished = new ArrayList<>();
        for (String h : waiting.keySet()) {
            FarmState.TaskRecord t = state.tasks().get(h);
            if (t != null && t.terminal()) finished.add(h);
        }
        if (finished.isEmpty()) return;
        for (String h : finished) {
            TaskOutcome o = farm.outcome(h); // parses only this task's output, not the whole campaign's
            String jobId = jobId(state, h);
            for (OracleTask task : waiting.remove(h)) sink.accept(record(task, o, jobId, cycle, selector));
        }
    }

    /** {@code slurm:<id>} of the job that ran task {@code hash}, or {@code slurm:-} when no job id is recorded. */
    private static String jobId(FarmState state, String hash) {
        FarmState.TaskRecord t = state.tasks().get(hash);
        FarmState.BatchRecord b = t == null || t.batch() == null ? null : state.batches().get(t.batch());
        return b != null && b.jobId() != null ? "slurm:" + b.jobId() : "slurm:-";
    }

    private LabelRecord record(OracleTask task, TaskOutcome o, String jobId, int cycle, String selector) {
        DftResult r = o.result();
        if (r != null) noteVersion(r.codeVersion());
        double wall = r == null || r.wallSeconds() == null ? 0.0 : r.wallSeconds();
        Provenance p = provenance(jobId, cycle, selector, wall);
        if (o.phase() == FarmState.TaskPhase.DONE && r != null && r.status() == DftStatus.OK) {
            return LabelRecord.ok(task.taskHash(), task.structure().withLabels(r.labels()), p);
        }
        boolean unconverged = (r != null && r.status() == DftStatus.SCF_NOT_CONVERGED)
                || (!o.failures().isEmpty() && o.failures().get(o.failures().size() - 1).reason() == FailureReason.SCF_NOT_CONVERGED);
        String why = o.message() != null ? o.message()
                : r != null ? r.status().name().toLowerCase() + ": " + r.message() : o.phase().name().toLowerCase();
        return LabelRecord.failed(task.taskHash(), task.structure(), unconverged ? LabelStatus.UNCONVERGED : LabelStatus.FAILED,
                "cluster task " + o.hash() + " " + o.phase().name().toLowerCase() + ": " + why, p);
    }

    /** Releases the farm's state directory; jobs keep running and a resumed campaign re-attaches to them. */
    @Override
    public void close() {
        farm.close();
    }

    /** The cluster could not be used (recording, SSH, scheduler); the campaign's recorded work stays valid. */
    public static final class OracleException extends org.crucible.driver.campaign.CampaignException {
        private static final long serialVersionUID = 1L;

        public OracleException(String message, Throwable cause) {
            super(message, cause);
        }

        public OracleException(String message) {
            super(message);
        }
    }
}
