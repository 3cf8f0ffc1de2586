package org.crucible.driver.campaign;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.LongSupplier;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.driver.oracle.Oracle;
import org.crucible.driver.pool.PoolBackend;
import org.crucible.driver.protocol.Protocol;
import org.crucible.driver.protocol.StageContext;
import org.crucible.driver.protocol.StageRegistry;
import org.crucible.driver.store.TrainingStore;
import org.crucible.executors.potentials.FitResult;

/**
 * The one checkpointed campaign loop every protocol runs ({@link Stage}): GENERATE, then per cycle RELAX (the
 * protocol's explorer), DESCRIBE, SELECT (with the convergence test), LABEL, FIT, and VALIDATE at the end. What each
 * stage does is the {@link Protocol}'s (stage interfaces in {@code org.crucible.driver.protocol}); the loop owns
 * durability, so every protocol gets it without doing anything. Each call of {@link #step()} runs one stage and then
 * writes {@code state.json} atomically, and everything a stage decides is a function of the configuration, the seed,
 * the cycle and files written by earlier stages, never of time or thread scheduling, so a campaign resumed after a
 * kill -9 at any moment makes the same decisions as one that never stopped (the stages' work is in
 * {@link GenerationStep}, {@link SelectionStep}, {@link ExactlyOnceLabelling}, {@link FitStep}, {@link FinalValidation}; pools and models
 * pass through {@link CampaignArtifacts}):
 *
 * <ul>
 *   <li>pools and models are written (temp, then rename) before the state that points to them;</li>
 *   <li>the oracle batch of a cycle is written to {@code cycles/NNN/batch.json} before any task is sent, and on
 *       resume only tasks whose task hash is not in the store are sent (each result is stored as it arrives);</li>
 *   <li>the fit uses the store's OK records sorted by task hash, so arrival order does not matter;</li>
 *   <li>a stage's state between cycles is its section of {@code state.json}, checkpointed with the cycle.</li>
 * </ul>
 *
 * <p>Directory layout: {@code campaign.yaml} (the configuration as given), {@code state.json}, {@code campaign.log},
 * {@code store/} (unless configured elsewhere), {@code pools/cycle=N/stage={generated,relaxed,described}} (Parquet; the
 * root is {@code pools.uri}),
 * {@code models/model-NNN.json}, {@code cycles/NNN/{batch.json,selection.json}}, {@code best/}.
 */
public final class Campaign {
    /** Called after every checkpoint (tests use it to stop a campaign at a chosen stage). */
    @FunctionalInterface
    public interface CheckpointListener {
        void afterCheckpoint(CampaignState state);
    }

    private final CampaignConfig cfg;
    private final Protocol protocol;
    private final CampaignFiles files;
    private final CampaignArtifacts artifacts;
    private final GenerationStep generation;
    private final SelectionStep selection;
    private final Oracle oracle;
    private final TrainingStore store;
    private final Clock clock;
    private final LongSupplier nanoTicker;
    private final CampaignLog log;
    private final CheckpointListener listener;
    private PrintStream progress;
    private CampaignState state;
    private final ReferenceTracking tracking;

    /** A campaign running the protocol {@code cfg} names, its stages from {@link StageRegistry#builtIn()}. */
    public Campaign(CampaignConfig cfg, Path dir, CampaignState state, PoolBackend backend, Oracle oracle, TrainingStore store, int partitions,
                    Clock clock, LongSupplier nanoTicker, CampaignLog log, CheckpointListener listener) {
        this(cfg, Protocol.of(cfg, StageRegistry.builtIn()), dir, state, backend, oracle, store, partitions, clock, nanoTicker, log, listener);
    }

    /**
     * @param dir        the campaign directory holding {@code state.json}
     * @param store      the opened training store
     * @param partitions number of pool partitions
     */
    public Campaign(CampaignConfig cfg, Protocol protocol, Path dir, CampaignState state, PoolBackend backend, Oracle oracle, TrainingStore store,
                    int partitions, Clock clock, LongSupplier nanoTicker, CampaignLog log, CheckpointListener listener) {
        this.cfg = cfg;
        this.protocol = protocol;
        this.files = new CampaignFiles(dir, cfg.pools().uri());
        this.artifacts = new CampaignArtifacts(files, backend);
        this.generation = new GenerationStep(cfg, protocol, backend, artifacts, log, partitions);
        this.selection = new SelectionStep(cfg, protocol, files, artifacts, log, this::context);
        this.state = state;
        this.oracle = oracle;
        this.store = store;
        this.clock = clock;
        this.nanoTicker = nanoTicker;
        this.log = log;
        this.listener = listener == null ? s -> { } : listener;
        this.tracking = cfg.tracking().enabled() ? new ReferenceTracking(cfg.tracking(), oracle, files, log, nanoTicker) : null;
    }

    public CampaignState state() {
        return state;
    }

    /** Where the oracle progress bar is drawn (null: none). */
    public Campaign withProgress(PrintStream out) {
        this.progress = out;
        return this;
    }

    /**
     * Runs stages until DONE; first sends again the tasks of earlier batches whose stored label FAILED and that have
     * attempts left ({@code oracle.max_attempts}, counted from the store; see {@link ExactlyOnceLabelling#retryFailed}),
     * so a started or resumed campaign retries what failed before.
     */
    public CampaignState run() {
        if (!state.finished() && !files.batches(state.cycle()).isEmpty()) {
            labelling().retryFailed(files.batches(state.cycle()), cfg.oracle().maxAttempts());
        }
        while (!state.finished()) step();
        return state;
    }

    /** Runs the next stage and checkpoints. */
    public CampaignState step() {
        Stage s = state.next();
        int cycle = state.cycle();
        long t0 = nanoTicker.getAsLong();
        CampaignState.Edit e = state.edit();
        log.info("cycle " + state.cycle() + ": " + s.name().toLowerCase() + " ...");
        switch (s) {
            case GENERATE -> generation.initial(e);
            case RELAX -> explore(e);
            case DESCRIBE -> describe(e);
            case SELECT -> selection.run(e);
            case LABEL -> label(e);
            case FIT -> fit(e);
            case VALIDATE -> validate(e);
            case DONE -> throw new IllegalStateException("the campaign is finished");
            default -> throw new IllegalStateException(s.name());
        }
        double seconds = (nanoTicker.getAsLong() - t0) * 1e-9;
        e.stageSeconds.merge(s.name().toLowerCase(), seconds, Double::sum);
        CampaignState next = e.done();
        try {
            next.write(files.dir().resolve("state.json"));
        } catch (IOException ex) {
            throw new CampaignException("cannot checkpoint " + files.dir().resolve("state.json") + " after " + s + ": " + ex.getMessage(), ex);
        }
        state = next;
        log.info(String.format("cycle %d: %s done in %.1f s; next %s", cycle, s.name().toLowerCase(), seconds,
                state.next().name().toLowerCase() + (state.cycle() != cycle ? " (cycle " + state.cycle() + ")" : "")));
        listener.afterCheckpoint(next);
        return next;
    }

    private StageContext context(int cycle) {
        return new StageContext(cycle, cfg.seed(), store, log::info);
    }

    private ExactlyOnceLabelling labelling() {
        return new ExactlyOnceLabelling(oracle, store, log, progress, nanoTicker);
    }

    /** RELAX; in cycle 0 only for an explorer that needs no model, then SELECT (the describer needs a model). */
    private void explore(CampaignState.Edit e) {
        if (e.cycle > 0) generation.fresh(e);
        var model = protocol.explorer().needsModel() ? artifacts.model(e.modelFile) : null;
        e.poolUri = artifacts.save(protocol.explorer().explore(artifacts.load(e.poolUri), model, context(e.cycle)), e.cycle, "relaxed");
        e.next = e.cycle == 0 ? Stage.SELECT : Stage.DESCRIBE;
    }

    private void describe(CampaignState.Edit e) {
        e.poolUri = artifacts.save(protocol.describer().describe(artifacts.load(e.poolUri), artifacts.model(e.modelFile), context(e.cycle)), e.cycle, "described");
        e.next = Stage.SELECT;
    }

    private void label(CampaignState.Edit e) {
        String selector = protocol.stage(e.cycle == 0 ? "initial_selector" : "selector");
        labelling().label(files.cycleDir(e.cycle).resolve("batch.json"), () -> artifacts.load(e.poolUri), e.selection, protocol.perturbation(), e.cycle, selector);
        TrainingStore.Stats st = store.stats();
        e.oracleSinglePoints = st.records();
        e.oracleFailures = st.records() - st.ok();
        e.next = Stage.FIT;
    }

    private void fit(CampaignState.Edit e) {
        FitResult fit = new FitStep(protocol, store, artifacts, log).run(e);
        if (tracking != null) tracking.afterFit(e.cycle - 1, e.modelFile, fit.potential(), e); // may stop: converged -> VALIDATE
    }

    private void validate(CampaignState.Edit e) {
        if (tracking != null && e.modelFile != null) tracking.evCurves(e.modelFile, artifacts.model(e.modelFile), e);
        if (!e.validationCandidates.isEmpty()) {
            new FinalValidation(cfg.validation(), oracle, files, clock, log).run(artifacts.load(e.poolUri), e.validationCandidates, e);
        }
        e.next = Stage.DONE;
    }
}
