package org.crucible.driver.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.driver.oracle.Oracle;
import org.crucible.driver.pool.GenerationPlan;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.PoolBackend;
import org.crucible.driver.protocol.AceCommitteeFitter;
import org.crucible.driver.protocol.Convergence;
import org.crucible.driver.protocol.Protocol;
import org.crucible.driver.protocol.Selection;
import org.crucible.driver.protocol.SpaceGroupPools;
import org.crucible.driver.protocol.StageContext;
import org.crucible.driver.protocol.StageRegistry;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.TrainingStore;
import org.crucible.executors.descriptors.AceBasisFactory;
import org.crucible.executors.descriptors.LinearBasis;
import org.crucible.executors.potentials.FitResult;
import org.crucible.executors.potentials.LinearPotential;
import org.crucible.executors.potentials.ModelFile;

/**
 * The one checkpointed campaign loop every protocol runs ({@link Stage}): GENERATE, then per cycle RELAX (the
 * protocol's explorer), DESCRIBE, SELECT (with the convergence test), LABEL, FIT, and VALIDATE at the end. What each
 * stage does is the {@link Protocol}'s (stage interfaces in {@code org.crucible.driver.protocol}); the loop owns
 * durability, so every protocol gets it without doing anything. Each call of {@link #step()} runs one stage and then
 * writes {@code state.json} atomically, and everything a stage decides is a function of the configuration, the seed,
 * the cycle and files written by earlier stages, never of time or thread scheduling, so a campaign resumed after a
 * kill -9 at any moment makes the same decisions as one that never stopped:
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
    private final PoolBackend backend;
    private final Oracle oracle;
    private final TrainingStore store;
    private final Clock clock;
    private final LongSupplier nanoTicker;
    private final CampaignLog log;
    private final CheckpointListener listener;
    private final int partitions;
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
        this.state = state;
        this.backend = backend;
        this.oracle = oracle;
        this.store = store;
        this.partitions = partitions;
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
        if (!state.finished()) retryFailedLabels();
        while (!state.finished()) step();
        return state;
    }

    private void retryFailedLabels() {
        List<Path> batches = new ArrayList<>();
        for (int c = 0; c <= state.cycle(); c++) {
            Path b = files.cycleDir(c).resolve("batch.json");
            if (java.nio.file.Files.exists(b)) batches.add(b);
        }
        if (batches.isEmpty()) return;
        new ExactlyOnceLabelling(oracle, store, log, progress, nanoTicker).retryFailed(batches, cfg.oracle().maxAttempts());
    }

    /** Runs the next stage and checkpoints. */
    public CampaignState step() {
        Stage s = state.next();
        int cycle = state.cycle();
        long t0 = nanoTicker.getAsLong();
        CampaignState.Edit e = state.edit();
        log.info("cycle " + state.cycle() + ": " + s.name().toLowerCase() + " ...");
        switch (s) {
            case GENERATE -> generate(e);
            case RELAX -> explore(e);
            case DESCRIBE -> describe(e);
            case SELECT -> select(e);
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

    /** The pool-relaxation generation plan of {@code cfg} ({@link SpaceGroupPools}). */
    public static GenerationPlan plan(CampaignConfig cfg) {
        return new SpaceGroupPools(cfg).plan(0);
    }

    /** The linear ACE basis of the configuration ({@link AceCommitteeFitter#basis}). */
    public static LinearBasis basis(CampaignConfig cfg) {
        return AceCommitteeFitter.basis(cfg);
    }

    // ---- stages: the protocol decides, the loop writes ------------------------------------------------------

    private StageContext context(int cycle) {
        return new StageContext(cycle, cfg.seed(), store, log::info);
    }

    private void generate(CampaignState.Edit e) {
        GenerationPlan plan = protocol.generator().plan(0);
        Pool pool = backend.generate(plan, partitions);
        long n = pool.size();
        e.poolUri = save(pool, 0, "generated");
        long training = plan.ranges("training").stream().mapToLong(r -> r[1] - r[0]).sum();
        log.info("generated " + n + " of " + plan.size() + " candidates (" + training + " training, the rest search cells; " + (plan.size() - n)
                + " could not be generated)");
        if (n == 0) throw new CampaignException("generate: no candidate could be generated for " + cfg.compositions());
        e.next = Stage.SELECT;
    }

    private void explore(CampaignState.Edit e) {
        if (protocol.generator().freshEachCycle()) {
            GenerationPlan plan = protocol.generator().plan(e.cycle, k -> {
                if (k < 1 || k >= e.cycle) throw new IllegalArgumentException("cycle " + e.cycle + " may read explored pools of cycles 1.." + (e.cycle - 1) + ", not " + k);
                return load(CampaignFiles.poolUri(k, "relaxed"));
            });
            Pool fresh = backend.generate(plan, partitions);
            if (fresh.size() == 0) throw new CampaignException("cycle " + e.cycle + ": the generator made no candidate of " + plan.size());
            e.poolUri = save(fresh, e.cycle, "generated");
            log.info("cycle " + e.cycle + ": generated " + fresh.size() + " fresh candidates of " + plan.size());
        }
        e.poolUri = save(protocol.explorer().explore(load(e.poolUri), model(e.modelFile), context(e.cycle)), e.cycle, "relaxed");
        e.next = Stage.DESCRIBE;
    }

    private void describe(CampaignState.Edit e) {
        e.poolUri = save(protocol.describer().describe(load(e.poolUri), model(e.modelFile), context(e.cycle)), e.cycle, "described");
        e.next = Stage.SELECT;
    }

    private void select(CampaignState.Edit e) {
        Pool pool = load(e.poolUri);
        if (e.cycle == 0) {
            Selection s = protocol.initialSelector().select(pool, context(0));
            e.selection = s.picks();
            CampaignFiles.writeJson(files.cycleDir(0).resolve("selection.json"), s.record());
            log.info("cycle 0: " + s.summary());
            e.next = Stage.LABEL;
            return;
        }
        Selection s = protocol.selector().select(pool, context(e.cycle));
        JsonNode section = e.protocolState.getOrDefault(CampaignState.CONVERGENCE, JsonNodeFactory.instance.objectNode());
        Convergence.Verdict v = protocol.convergence().assess(section, s);
        e.protocolState.put(CampaignState.CONVERGENCE, v.state());
        e.validationCandidates = s.validationCandidates();
        Map<String, Object> record = new LinkedHashMap<>(s.record());
        record.put("change_eV_per_atom", Double.isFinite(v.change()) ? v.change() : null);
        record.putAll(uncertaintyOfPicks(pool, s.picks()));
        record.put("converged", v.converged());
        CampaignFiles.writeJson(files.cycleDir(e.cycle).resolve("selection.json"), record);
        String change = Double.isFinite(v.change()) ? String.format("change %.4f eV/atom", v.change())
                : e.cycle <= 1 ? "no earlier cycle to compare yet" : "no cluster energies to compare (selector " + cfg.protocol().stages().get("selector") + ")";
        log.info(String.format("cycle %d: %s, %s%s", e.cycle, s.summary(), change, v.converged() ? " -> converged" : ""));
        CampaignConfig.Stopping st = cfg.stopping();
        int budgetLeft = st.maxOracleCalls() == 0 ? Integer.MAX_VALUE : st.maxOracleCalls() - e.oracleSinglePoints;
        String stop = v.converged() ? "converged" : e.cycle >= st.maxCycles() ? "max-cycles" : budgetLeft <= 0 ? "budget" : null;
        if (stop != null) {
            e.status = stop;
            e.next = Stage.VALIDATE;
            return;
        }
        e.selection = s.picks().subList(0, Math.min(s.picks().size(), budgetLeft));
        // A protocol with fresh candidates every cycle (an evolutionary search) goes on to its next generation when
        // nothing needs a label: the refit on the same data gives the same potential.
        boolean carryOn = e.selection.isEmpty() && protocol.generator().freshEachCycle();
        e.next = e.selection.isEmpty() && !carryOn ? Stage.VALIDATE : Stage.LABEL;
        if (e.selection.isEmpty() && !carryOn) e.status = "no-candidates";
    }

    private void label(CampaignState.Edit e) {
        String selector = protocol.stage(e.cycle == 0 ? "initial_selector" : "selector");
        new ExactlyOnceLabelling(oracle, store, log, progress, nanoTicker).label(files.cycleDir(e.cycle).resolve("batch.json"), () -> load(e.poolUri), e.selection,
                protocol.perturbation(), e.cycle, selector);
        TrainingStore.Stats st = store.stats();
        e.oracleSinglePoints = st.records();
        e.oracleFailures = st.records() - st.ok();
        e.next = Stage.FIT;
    }

    private void fit(CampaignState.Edit e) {
        List<LabelRecord> data = new ArrayList<>(store.trainingSet());
        data.sort(Comparator.comparing(LabelRecord::taskHash));
        if (data.isEmpty()) throw new CampaignException("fit (cycle " + e.cycle + "): the store has no successful label to fit");
        FitResult fit = protocol.fitter().fit(data.stream().map(LabelRecord::structure).toList(), e.cycle);
        Path model = files.dir().resolve(String.format("models/model-%03d.json", e.cycle));
        try {
            ModelFile.write(fit, model);
        } catch (IOException ex) {
            throw new CampaignException("fit: cannot write " + model + ": " + ex.getMessage(), ex);
        }
        log.info(String.format("cycle %d: fitted %d structures (%d excluded), training RMSE %s; model %s (seed %s)", e.cycle, data.size(),
                fit.excluded().size(), fit.trainingErrors().describe(), files.dir().relativize(model), org.crucible.driver.pool.Seeds.text(fit.seed())));
        e.modelFile = files.dir().relativize(model).toString();
        e.cycle = e.cycle + 1;
        e.next = Stage.RELAX;
        if (tracking != null) tracking.afterFit(e.cycle - 1, e.modelFile, fit.potential(), e); // may stop: converged -> VALIDATE
    }

    private void validate(CampaignState.Edit e) {
        if (!e.validationCandidates.isEmpty()) {
            new FinalValidation(cfg.validation(), oracle, files, clock, log).run(load(e.poolUri), e.validationCandidates, e);
        }
        e.next = Stage.DONE;
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /**
     * Median and largest explorer uncertainty U of the picked entries (whatever the explorer stored: the committee
     * ratio for the relaxation), for the status table; fetches only the picks. Empty when none is finite.
     */
    private static Map<String, Object> uncertaintyOfPicks(Pool pool, List<Long> picks) {
        if (picks.isEmpty()) return Map.of();
        double[] u = pool.fetch(picks).stream().mapToDouble(org.crucible.driver.pool.PoolEntry::uncertainty).filter(Double::isFinite).sorted().toArray();
        if (u.length == 0) return Map.of();
        double median = u.length % 2 == 1 ? u[u.length / 2] : 0.5 * (u[u.length / 2 - 1] + u[u.length / 2]);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("selected_uncertainty_median", median);
        m.put("selected_uncertainty_max", u[u.length - 1]);
        return m;
    }

    private Pool load(String relativePool) {
        return backend.load(files.resolve(relativePool));
    }

    /** Saves {@code pool} as {@code cycle=N/stage=what} under the pool root and returns that relative location for the state. */
    private String save(Pool pool, int cycle, String what) {
        String uri = CampaignFiles.poolUri(cycle, what);
        pool.save(files.resolve(uri));
        return uri;
    }

    private LinearPotential model(String relative) {
        if (relative == null) throw new CampaignException("no model has been fitted yet (state.json has no model_file)");
        try {
            return ModelFile.read(files.dir().resolve(relative), new AceBasisFactory()).potential();
        } catch (IOException ex) {
            throw new CampaignException("cannot read model " + files.dir().resolve(relative) + ": " + ex.getMessage(), ex);
        }
    }
}
