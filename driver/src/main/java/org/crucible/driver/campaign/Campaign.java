package org.crucible.driver.campaign;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.Composition;
import org.crucible.core.Cell;
import org.crucible.core.Elements;
import org.crucible.core.Structure;
import org.crucible.driver.oracle.Oracle;
import org.crucible.driver.oracle.OracleRelaxation;
import org.crucible.driver.oracle.OracleTask;
import org.crucible.driver.pool.DescribeStage;
import org.crucible.driver.pool.GenerationPlan;
import org.crucible.driver.pool.PerturbStage;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.PoolBackend;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.PoolSummary;
import org.crucible.driver.pool.Preselection;
import org.crucible.driver.pool.RelaxStage;
import org.crucible.driver.pool.Seeds;
import org.crucible.driver.selection.ClusterSelector;
import org.crucible.driver.selection.ConvergenceTest;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.Provenance;
import org.crucible.driver.store.ShardCodec;
import org.crucible.driver.store.TrainingStore;
import org.crucible.executors.descriptors.AceBasis;
import org.crucible.executors.descriptors.AceBasisFactory;
import org.crucible.executors.descriptors.AceParameters;
import org.crucible.executors.descriptors.LinearBasis;
import org.crucible.executors.generators.SpaceGroupGenerator;
import org.crucible.executors.potentials.FitOptions;
import org.crucible.executors.potentials.FitResult;
import org.crucible.executors.potentials.LinearPotential;
import org.crucible.executors.potentials.ModelFile;
import org.crucible.executors.potentials.PotentialFitter;
import org.crucible.executors.symmetry.SpaceGroupFinder;

/**
 * The pool-relaxation campaign of the NN-ensemble paper as a checkpointed state machine ({@link Stage}). Each call
 * of {@link #step()} runs one stage and then writes {@code state.json} atomically; {@link #run()} steps until DONE.
 * Everything a stage decides is a function of the configuration, the seed, the cycle and files written by earlier
 * stages (pools, models, the training store), never of time or thread scheduling, so a campaign resumed after a
 * kill -9 at any moment makes the same decisions as one that never stopped:
 *
 * <ul>
 *   <li>pools and models are written (temp, then rename) before the state that points to them;</li>
 *   <li>the oracle batch of a cycle is written to {@code cycles/NNN/batch.json} before any task is sent, and on
 *       resume only tasks whose task hash is not in the store are sent (each result is stored as it arrives);</li>
 *   <li>the fit uses the store's OK records sorted by task hash, so arrival order does not matter.</li>
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

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final long PERTURB = 0x5045525455524CL;
    private static final long PICK = 0x5049434BL;
    private static final long FIT = 0x464954L;

    private final CampaignConfig cfg;
    private final Path dir;
    private final PoolBackend backend;
    private final Oracle oracle;
    private final TrainingStore store;
    private final Clock clock;
    private final LongSupplier nanoTicker;
    private final CampaignLog log;
    private final CheckpointListener listener;
    private final int partitions;
    private java.io.PrintStream progress;
    private CampaignState state;

    /**
     * @param dir        the campaign directory holding {@code state.json}
     * @param store      the opened training store
     * @param partitions number of pool partitions
     */
    public Campaign(CampaignConfig cfg, Path dir, CampaignState state, PoolBackend backend, Oracle oracle, TrainingStore store, int partitions,
                    Clock clock, LongSupplier nanoTicker, CampaignLog log, CheckpointListener listener) {
        this.cfg = cfg;
        this.dir = dir;
        this.state = state;
        this.backend = backend;
        this.oracle = oracle;
        this.store = store;
        this.partitions = partitions;
        this.clock = clock;
        this.nanoTicker = nanoTicker;
        this.log = log;
        this.listener = listener == null ? s -> { } : listener;
    }

    public CampaignState state() {
        return state;
    }

    /** Where the oracle progress bar is drawn (null: none). */
    public Campaign withProgress(java.io.PrintStream out) {
        this.progress = out;
        return this;
    }

    /** Runs stages until DONE. */
    public CampaignState run() {
        while (!state.finished()) step();
        return state;
    }

    /** Runs the next stage and checkpoints. */
    public CampaignState step() {
        Stage s = state.next();
        long t0 = nanoTicker.getAsLong();
        CampaignState.Edit e = state.edit();
        log.info("cycle " + state.cycle() + ": " + s.name().toLowerCase() + " ...");
        switch (s) {
            case GENERATE -> generate(e);
            case RELAX -> relax(e);
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
            next.write(dir.resolve("state.json"));
        } catch (IOException ex) {
            throw new CampaignException("cannot checkpoint " + dir.resolve("state.json") + " after " + s + ": " + ex.getMessage(), ex);
        }
        state = next;
        log.info(String.format("cycle %d: %s done in %.1f s; next %s", state.cycle(), s.name().toLowerCase(), seconds,
                state.next().name().toLowerCase()));
        listener.afterCheckpoint(next);
        return next;
    }

    // ---- stages -------------------------------------------------------------------------------------------

    /** The generation plan: per composition, a P1 training block and one block per compatible space group. */
    public static GenerationPlan plan(CampaignConfig cfg) {
        List<GenerationPlan.Block> blocks = new ArrayList<>();
        long next = 0;
        CampaignConfig.TrainingPool tp = cfg.pools().training();
        CampaignConfig.SearchPool sp = cfg.pools().search();
        for (int ci = 0; ci < cfg.compositions().size(); ci++) {
            String formula = cfg.compositions().get(ci).formula();
            blocks.add(new GenerationPlan.Block(next, tp.size(), formula, ci, 1, tp.minSeparationFactor(), tp.volume(), tp.volumeSpread(), "training"));
            next += tp.size();
        }
        for (int ci = 0; ci < cfg.compositions().size(); ci++) {
            String formula = cfg.compositions().get(ci).formula();
            var comp = org.crucible.executors.generators.Composition.parse(formula);
            List<Integer> groups = sp.spaceGroups().isEmpty() ? java.util.stream.IntStream.rangeClosed(2, 230).boxed().toList() : sp.spaceGroups();
            for (int g : groups) {
                if (sp.perGroup() == 0 || !SpaceGroupGenerator.canHost(g, comp)) continue;
                blocks.add(new GenerationPlan.Block(next, sp.perGroup(), formula, ci, g, sp.minSeparationFactor(), sp.volume(), sp.volumeSpread(), "search"));
                next += sp.perGroup();
            }
        }
        return new GenerationPlan(cfg.seed(), blocks);
    }

    private void generate(CampaignState.Edit e) {
        GenerationPlan plan = plan(cfg);
        Pool pool = backend.generate(plan, partitions);
        String uri = poolUri(0, "generated");
        pool.save(resolve(uri));
        long n = pool.size();
        log.info("generated " + n + " of " + plan.size() + " candidates (" + plan.ranges("training").stream().mapToLong(r -> r[1] - r[0]).sum()
                + " training, the rest space-group search cells; " + (plan.size() - n) + " could not be generated)");
        if (n == 0) throw new CampaignException("generate: no candidate could be generated for " + cfg.compositions());
        e.poolUri = uri;
        e.next = Stage.SELECT;
    }

    private void relax(CampaignState.Edit e) {
        LinearPotential pot = model(e.modelFile);
        CampaignConfig.Relax r = cfg.protocol().relax();
        // Where the training data end, the fitted potential knows nothing: the shortest distance of each element pair in
        // the store's OK labels (a pure function of the store, so resumed runs guard the same way).
        Map<String, Double> limits = r.trainingSeparationFactor() > 0
                ? RelaxStage.trainedLimits(store.trainingSet().stream().map(LabelRecord::structure).toList(), r.trainingSeparationFactor(),
                        cfg.potential().cutoff())
                : Map.of();
        if (!limits.isEmpty()) log.info("cycle " + e.cycle + ": relaxation guard from the training set's shortest pair distances: " + limits + " Angstrom");
        Pool relaxed = backend.load(resolve(e.poolUri)).map(new RelaxStage(r.optimizer(), r.fmax(), r.steps(), r.patience(), r.maxUncertainty(),
                r.trajectoryTail(), r.minSeparationFactor(), limits),
                pot, Seeds.mix(cfg.seed(), e.cycle, 1), "relax cycle " + e.cycle);
        String uri = poolUri(e.cycle, "relaxed");
        relaxed.save(resolve(uri));
        e.poolUri = uri;
        e.next = Stage.DESCRIBE;
    }

    private void describe(CampaignState.Edit e) {
        LinearPotential pot = model(e.modelFile);
        Pool described = backend.load(resolve(e.poolUri)).map(new DescribeStage(), pot.basis(), Seeds.mix(cfg.seed(), e.cycle, 2), "describe cycle " + e.cycle);
        String uri = poolUri(e.cycle, "described");
        described.save(resolve(uri));
        e.poolUri = uri;
        e.next = Stage.SELECT;
    }

    private void select(CampaignState.Edit e) {
        Pool pool = backend.load(resolve(e.poolUri));
        CampaignConfig.Selection sc = cfg.protocol().selection();
        // Preselection (large pools): only the pool-wide lowest scores reach the driver, found per partition.
        boolean preselect = e.cycle > 0 && sc.preselect() > 0;
        List<PoolSummary> rows = preselect ? pool.summaries(new Preselection(sc.preselect(), sc.omegaF())) : pool.summaries();
        if (preselect) log.info("cycle " + e.cycle + ": " + rows.size() + " lowest-score structures preselected for clustering (protocol.selection.preselect)");
        if (e.cycle == 0) {
            e.selection = randomTrainingPick(rows);
            writeJson(cycleDir(0).resolve("selection.json"), Map.of("selector", "cycle0-random", "ids", e.selection));
            log.info("cycle 0: " + e.selection.size() + " random training cells selected for the oracle");
            e.next = Stage.LABEL;
            return;
        }
        // The indexed DBSCAN's labels do not depend on the thread count, so the driver's cores are used freely.
        ClusterSelector.Result r = new ClusterSelector(sc.dbscanEps(), sc.dbscanMinSamples(), ClusterSelector.Metric.parse(sc.dbscanMetric()), sc.omegaF(),
                sc.batch(), sc.noise(), Runtime.getRuntime().availableProcessors()).select(rows);
        CampaignConfig.Stopping st = cfg.stopping();
        List<Double> lowest = r.lowestClusterEnergies(st.k());
        e.history.add(lowest);
        List<Long> picks = r.picks().stream().map(ClusterSelector.Pick::id).toList();
        e.validationCandidates = r.clusters().stream().sorted(Comparator.comparingDouble(ClusterSelector.ClusterEnergy::lowestEnergyPerAtom)
                .thenComparingLong(ClusterSelector.ClusterEnergy::bestId)).limit(cfg.validation().topK()).map(ClusterSelector.ClusterEnergy::bestId).toList();
        ConvergenceTest test = new ConvergenceTest(st.k(), st.epsilonEvPerAtom(), st.cyclesCompared());
        boolean converged = test.converged(e.history);
        int budgetLeft = st.maxOracleCalls() == 0 ? Integer.MAX_VALUE : st.maxOracleCalls() - e.oracleSinglePoints;
        Map<String, Object> sel = new LinkedHashMap<>();
        sel.put("selector", "dbscan");
        if (preselect) sel.put("preselected", rows.size());
        sel.put("clusters", r.clusters().size());
        sel.put("picks", r.picks());
        sel.put("lowest_cluster_energies_eV_per_atom", lowest);
        sel.put("change_eV_per_atom", test.lastChange(e.history));
        sel.put("converged", converged);
        writeJson(cycleDir(e.cycle).resolve("selection.json"), sel);
        long failed = rows.stream().filter(x -> !Double.isFinite(x.energy())).count();
        log.info(String.format("cycle %d: %d structures (%d failed), %d clusters, lowest %s eV/atom, change %.4f eV/atom%s", e.cycle, rows.size(), failed,
                r.clusters().size(), lowest, test.lastChange(e.history), converged ? " -> converged" : ""));
        if (converged) {
            e.status = "converged";
            e.next = Stage.VALIDATE;
        } else if (e.cycle >= st.maxCycles()) {
            e.status = "max-cycles";
            e.next = Stage.VALIDATE;
        } else if (budgetLeft <= 0) {
            e.status = "budget";
            e.next = Stage.VALIDATE;
        } else {
            e.selection = picks.subList(0, Math.min(picks.size(), budgetLeft));
            e.next = e.selection.isEmpty() ? Stage.VALIDATE : Stage.LABEL;
            if (e.selection.isEmpty()) e.status = "no-candidates";
        }
    }

    private List<Long> randomTrainingPick(List<PoolSummary> rows) {
        List<long[]> ranges = plan(cfg).ranges("training");
        List<Long> ids = new ArrayList<>();
        for (PoolSummary s : rows) for (long[] r : ranges) if (s.id() >= r[0] && s.id() < r[1]) ids.add(s.id());
        SplittableRandom rng = new SplittableRandom(Seeds.mix(cfg.seed(), 0, PICK));
        int n = Math.min(cfg.protocol().cycle0Batch(), ids.size());
        for (int i = 0; i < n; i++) {
            int j = i + rng.nextInt(ids.size() - i);
            Long t = ids.get(i);
            ids.set(i, ids.get(j));
            ids.set(j, t);
        }
        List<Long> out = new ArrayList<>(ids.subList(0, n));
        out.sort(Long::compare);
        return out;
    }

    private void label(CampaignState.Edit e) {
        Path batchFile = cycleDir(e.cycle).resolve("batch.json");
        List<OracleTask> batch;
        if (Files.exists(batchFile)) {
            batch = readBatch(batchFile);
            log.info("cycle " + e.cycle + ": resuming the recorded oracle batch of " + batch.size() + " tasks");
        } else {
            Pool pool = backend.load(resolve(e.poolUri));
            double eps = e.cycle == 0 ? 0.0 : cfg.protocol().perturbation().epsilon(e.cycle);
            batch = new ArrayList<>();
            for (PoolEntry p : pool.fetch(e.selection)) {
                Structure s = eps > 0 ? PerturbStage.perturb(p.structure(), eps, Seeds.mix(cfg.seed(), e.cycle, PERTURB, p.id())) : p.structure();
                batch.add(OracleTask.of(s, oracle, p.id()));
            }
            writeBatch(batchFile, batch);
        }
        List<OracleTask> pending = batch.stream().filter(t -> !store.contains(t.taskHash())).toList();
        String selector = e.cycle == 0 ? "cycle0-random" : "dbscan";
        log.info(String.format("cycle %d: labelling %d structures with %s (%d already stored)", e.cycle, pending.size(), oracle.code(),
                batch.size() - pending.size()));
        int[] counts = new int[2];
        oracle.label(pending, e.cycle, selector, rec -> {
            store.append(List.of(rec));
            counts[0]++;
            if (rec.status() != org.crucible.driver.store.LabelStatus.OK) counts[1]++;
            if (progress != null) {
                progress.print("\r" + org.crucible.driver.spark.ProgressBar.render(pending.size(), counts[0], 0, "oracle " + oracle.code()
                        + " cycle " + e.cycle + (counts[1] > 0 ? " (" + counts[1] + " failed)" : ""), 30).replace(" tasks", " labels"));
                if (counts[0] == pending.size()) progress.println();
                progress.flush();
            }
        });
        for (OracleTask t : batch) {
            if (!store.contains(t.taskHash())) throw new CampaignException("label: the oracle returned no result for task " + t.taskHash() + " (pool id " + t.poolId() + ")");
        }
        TrainingStore.Stats st = store.stats();
        e.oracleSinglePoints = st.records();
        e.oracleFailures = st.records() - st.ok();
        e.next = Stage.FIT;
    }

    private void fit(CampaignState.Edit e) {
        List<LabelRecord> data = new ArrayList<>(store.trainingSet());
        data.sort(Comparator.comparing(LabelRecord::taskHash));
        if (data.isEmpty()) throw new CampaignException("fit (cycle " + e.cycle + "): the store has no successful label to fit");
        CampaignConfig.PotentialSpec p = cfg.potential();
        FitOptions opts = FitOptions.defaults().withSolver(p.fit()).withCommitteeSize(p.committee()).withOutlierSigmas(p.outlierSigmas())
                .withSeed(Seeds.mix(cfg.seed(), e.cycle, FIT));
        FitResult fit = PotentialFitter.fit(data.stream().map(LabelRecord::structure).toList(), basis(cfg), opts);
        Path model = dir.resolve(String.format("models/model-%03d.json", e.cycle));
        try {
            ModelFile.write(fit, model);
        } catch (IOException ex) {
            throw new CampaignException("fit: cannot write " + model + ": " + ex.getMessage(), ex);
        }
        log.info(String.format("cycle %d: fitted %d structures (%d excluded), training RMSE %s", e.cycle, data.size(), fit.excluded().size(),
                fit.trainingErrors().toMap()));
        e.modelFile = dir.relativize(model).toString();
        e.cycle = e.cycle + 1;
        e.next = Stage.RELAX;
    }

    private void validate(CampaignState.Edit e) {
        List<CampaignState.Best> best = new ArrayList<>();
        if (e.validationCandidates.isEmpty()) {
            e.next = Stage.DONE;
            return;
        }
        Pool pool = backend.load(resolve(e.poolUri));
        CampaignConfig.Validation v = cfg.validation();
        List<PoolEntry> entries = order(pool.fetch(e.validationCandidates), e.validationCandidates);
        List<OracleTask> tasks = entries.stream().map(p -> OracleTask.of(p.structure(), oracle, p.id())).toList();
        log.info(String.format("validation: relaxing the best cells of the %d lowest clusters with %s (fmax %.3g eV/A, at most %d steps)",
                tasks.size(), oracle.code(), v.fmax(), v.steps()));
        List<OracleRelaxation> relaxations;
        try {
            relaxations = oracle.relax(tasks, v.fmax(), v.steps());
        } catch (UnsupportedOperationException ex) {
            throw new CampaignException("validate: " + ex.getMessage() + "; set validation.top_k: 0 to skip the validation", ex);
        }
        int evaluations = 0;
        for (int rank = 1; rank <= entries.size(); rank++) {
            PoolEntry p = entries.get(rank - 1);
            OracleRelaxation r = relaxations.get(rank - 1);
            evaluations += r.singlePoints();
            if (!r.ok()) {
                log.info(String.format("validation %d: pool id %d predicted %.4f eV/atom: %s relaxation %s after %d single points (%s)", rank, p.id(),
                        p.energyPerAtom(), oracle.code(), r.stopReason(), r.singlePoints(), r.jobId()));
                continue;
            }
            Structure low = r.relaxed();
            double ePerAtom = r.energyPerAtom();
            Path file = dir.resolve(String.format("best/best-%02d.extxyz", rank));
            writeStructure(file, low, e.cycle, r.jobId());
            String group = spaceGroup(low, v.symmetryTolerance());
            best.add(new CampaignState.Best(p.id(), ePerAtom, p.energyPerAtom(), group, dir.relativize(file).toString(), r.stopReason()));
            log.info(String.format("validation %d: pool id %d predicted %.4f eV/atom, %s %.4f eV/atom after %d single points (%s), space group %s", rank,
                    p.id(), p.energyPerAtom(), oracle.code(), ePerAtom, r.singlePoints(), r.stopReason(), group));
        }
        best.sort(Comparator.comparingDouble(CampaignState.Best::energyEvPerAtom));
        e.best = best;
        e.validationSinglePoints = evaluations;
        e.next = Stage.DONE;
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** "Fd-3m (227)" from the symmetry finder at {@code tolerance} Angstrom; "unknown (reason)" when it finds none. */
    static String spaceGroup(Structure s, double tolerance) {
        try {
            SpaceGroupFinder.Result r = SpaceGroupFinder.find(s, tolerance);
            return r.symbol() + " (" + r.number() + ")";
        } catch (IllegalArgumentException | IllegalStateException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static List<PoolEntry> order(List<PoolEntry> entries, List<Long> ids) {
        Map<Long, PoolEntry> byId = new LinkedHashMap<>();
        for (PoolEntry p : entries) byId.put(p.id(), p);
        List<PoolEntry> out = new ArrayList<>();
        for (Long id : ids) if (byId.containsKey(id)) out.add(byId.get(id));
        return out;
    }

    /** The linear ACE basis of the configuration, covering every element of every composition. */
    public static LinearBasis basis(CampaignConfig cfg) {
        java.util.TreeSet<Integer> zs = new java.util.TreeSet<>();
        for (Composition c : cfg.compositions()) for (String sym : c.counts().keySet()) zs.add(Elements.bySymbol(sym).z());
        CampaignConfig.PotentialSpec p = cfg.potential();
        AceParameters params = AceParameters.defaults(zs.stream().mapToInt(Integer::intValue).toArray()).withCutoff(p.cutoff())
                .withInnerCutoff(p.innerCutoff()).withDegrees(p.maxDegree().stream().mapToInt(Integer::intValue).toArray(), p.wL(), p.lMax());
        return new AceBasis(params);
    }

    private LinearPotential model(String relative) {
        if (relative == null) throw new CampaignException("no model has been fitted yet (state.json has no model_file)");
        try {
            return ModelFile.read(dir.resolve(relative), new AceBasisFactory()).potential();
        } catch (IOException ex) {
            throw new CampaignException("cannot read model " + dir.resolve(relative) + ": " + ex.getMessage(), ex);
        }
    }

    /** Pool locations are kept relative to the pool root ({@code pools.uri}) in the state, so a campaign directory can be moved. */
    private static String poolUri(int cycle, String what) {
        return org.crucible.driver.pool.PoolFiles.location(cycle, what);
    }

    private String resolve(String relativePool) {
        return org.crucible.driver.pool.PoolFiles.resolve(dir, cfg.pools().uri(), relativePool);
    }

    private Path cycleDir(int cycle) {
        Path d = dir.resolve(String.format("cycles/%03d", cycle));
        try {
            Files.createDirectories(d);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return d;
    }

    private static void writeJson(Path file, Object value) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), value);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ex) {
            throw new CampaignException("cannot write " + file + ": " + ex.getMessage(), ex);
        }
    }

    private static void writeBatch(Path file, List<OracleTask> batch) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (OracleTask t : batch) {
            Structure s = t.structure();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("task_hash", t.taskHash());
            m.put("pool_id", t.poolId());
            m.put("cell", s.cell().matrix());
            m.put("pbc", s.cell().pbc());
            m.put("numbers", s.atomicNumbers());
            m.put("positions", s.positions());
            rows.add(m);
        }
        writeJson(file, Map.of("format", "crucible-oracle-batch-1", "tasks", rows));
    }

    private static List<OracleTask> readBatch(Path file) {
        try {
            var root = JSON.readTree(file.toFile());
            List<OracleTask> out = new ArrayList<>();
            for (var t : root.path("tasks")) {
                double[] cell = JSON.treeToValue(t.path("cell"), double[].class);
                boolean[] pbc = JSON.treeToValue(t.path("pbc"), boolean[].class);
                int[] z = JSON.treeToValue(t.path("numbers"), int[].class);
                double[] xyz = JSON.treeToValue(t.path("positions"), double[].class);
                out.add(new OracleTask(t.path("task_hash").asText(), Structure.of(new Cell(cell, pbc), z, xyz), t.path("pool_id").asLong()));
            }
            return out;
        } catch (IOException | RuntimeException ex) {
            throw new CampaignException("cannot read the recorded oracle batch " + file + ": " + ex.getMessage(), ex);
        }
    }

    private void writeStructure(Path file, Structure labelled, int cycle, String jobId) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer w = new OutputStreamWriter(Files.newOutputStream(tmp), StandardCharsets.UTF_8)) {
                Provenance prov = new Provenance(oracle.code(), oracle.codeVersion(), oracle.settingsHash(), jobId, "driver", cycle, "validation", 0.0, Instant.now(clock));
                ShardCodec.write(w, LabelRecord.ok(org.crucible.driver.store.TaskHash.of(labelled, oracle.settingsHash()), labelled, prov), true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ex) {
            throw new CampaignException("cannot write " + file + ": " + ex.getMessage(), ex);
        }
    }
}
