package org.crucible.driver.protocol;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.crucible.config.campaign.CampaignConfig;

/**
 * Stage implementations by kind and name. A campaign file names stages ({@code protocol.name} picks a preset,
 * {@code protocol.stages.KIND: NAME} swaps one); the campaign loader checks the names against
 * {@code org.crucible.config.campaign.Protocols.STAGES}, and {@link Protocol#of} builds each from this registry with
 * the campaign's configuration. {@link #builtIn()} holds every name the loader accepts (a test checks both lists).
 *
 * <pre>{@code
 * StageRegistry r = StageRegistry.builtIn().register(Kind.SELECTOR, "my-selector", MySelector::new);
 * Selector s = r.create(Kind.SELECTOR, "dbscan", cfg);
 * }</pre>
 */
public final class StageRegistry {
    /** A stage kind: its key under {@code protocol.stages} and its interface. */
    public record Kind<T>(String key, Class<T> type) {
        public static final Kind<Generator> GENERATOR = new Kind<>("generator", Generator.class);
        public static final Kind<Explorer> EXPLORER = new Kind<>("explorer", Explorer.class);
        public static final Kind<Describer> DESCRIBER = new Kind<>("describer", Describer.class);
        public static final Kind<Selector> INITIAL_SELECTOR = new Kind<>("initial_selector", Selector.class);
        public static final Kind<Selector> SELECTOR = new Kind<>("selector", Selector.class);
        public static final Kind<Perturbation> PERTURBATION = new Kind<>("perturbation", Perturbation.class);
        public static final Kind<Fitter> FITTER = new Kind<>("fitter", Fitter.class);
        public static final Kind<Convergence> CONVERGENCE = new Kind<>("convergence", Convergence.class);
    }

    private final Map<String, Map<String, Function<CampaignConfig, ?>>> factories = new TreeMap<>();

    /** An empty registry. */
    public StageRegistry() {
    }

    /** Every stage this build ships. */
    public static StageRegistry builtIn() {
        int threads = Runtime.getRuntime().availableProcessors();
        return new StageRegistry()
                .register(Kind.GENERATOR, "space-group-pools", SpaceGroupPools::new)
                .register(Kind.EXPLORER, "relax", CommitteeRelaxation::new)
                .register(Kind.DESCRIBER, "ace-mean", c -> new AceMeanDescriber())
                .register(Kind.INITIAL_SELECTOR, RandomTrainingPick.NAME, c -> new RandomTrainingPick(new SpaceGroupPools(c), c.protocol().cycle0Batch()))
                .register(Kind.SELECTOR, DbscanSelector.NAME, c -> new DbscanSelector(c, threads))
                .register(Kind.SELECTOR, LowestScoreSelector.NAME, LowestScoreSelector::new)
                .register(Kind.PERTURBATION, "gaussian-decay", c -> new GaussianDecayPerturbation(c.protocol().perturbation(), c.seed()))
                .register(Kind.PERTURBATION, "none", c -> (s, id, cycle) -> s)
                .register(Kind.FITTER, "ace-committee", AceCommitteeFitter::new)
                .register(Kind.CONVERGENCE, "lowest-clusters", c -> new LowestClustersConvergence(c.stopping(), true))
                .register(Kind.CONVERGENCE, "none", c -> new LowestClustersConvergence(c.stopping(), false))
                .register(Kind.GENERATOR, "airss", AirssGenerator::new)
                .register(Kind.EXPLORER, "enthalpy-trajectory", EnthalpyTrajectoryExplorer::new)
                .register(Kind.DESCRIBER, "soap-mean", SoapMeanDescriber::new)
                .register(Kind.INITIAL_SELECTOR, CurSelector.NAME, c -> new CurSelector(c, true))
                .register(Kind.SELECTOR, FlatHistogramSelector.NAME, FlatHistogramSelector::new)
                .register(Kind.SELECTOR, CurSelector.NAME, c -> new CurSelector(c, false))
                .register(Kind.SELECTOR, FlatHistogramCurSelector.NAME, FlatHistogramCurSelector::new)
                .register(Kind.GENERATOR, RandomDensityCells.NAME, RandomDensityCells::new)
                .register(Kind.EXPLORER, EntropyAnnealingExplorer.NAME, EntropyAnnealingExplorer::new)
                .register(Kind.INITIAL_SELECTOR, "cycle0-random-cells", c -> new RandomTrainingPick(new RandomDensityCells(c), c.protocol().cycle0Batch()))
                .register(Kind.SELECTOR, HarvestedSelector.NAME, HarvestedSelector::new)
                .register(Kind.INITIAL_SELECTOR, HarvestedSelector.NAME, HarvestedSelector::new)
                .register(Kind.GENERATOR, "evolution", EvolutionGenerator::new)
                .register(Kind.EXPLORER, "relax-dopt", DoptRelaxation::new)
                .register(Kind.DESCRIBER, "none", c -> (pool, model, ctx) -> pool)
                .register(Kind.SELECTOR, MaxvolSelector.NAME, MaxvolSelector::new)
                .register(Kind.INITIAL_SELECTOR, PreExplorationSelector.NAME, PreExplorationSelector::new)
                .register(Kind.GENERATOR, SeedStructures.NAME, SeedStructures::new)
                .register(Kind.EXPLORER, HalExplorer.NAME, HalExplorer::new)
                .register(Kind.INITIAL_SELECTOR, "cycle0-seeds", c -> new RandomTrainingPick(new SeedStructures(c), c.protocol().cycle0Batch()))
                .register(Kind.SELECTOR, HalTriggeredSelector.NAME, HalTriggeredSelector::new);
    }

    /** Adds {@code name} for {@code kind}; a name registered twice is refused. */
    public <T> StageRegistry register(Kind<T> kind, String name, Function<CampaignConfig, ? extends T> factory) {
        Map<String, Function<CampaignConfig, ?>> byName = factories.computeIfAbsent(kind.key(), k -> new LinkedHashMap<>());
        if (byName.putIfAbsent(name, factory) != null) throw new IllegalArgumentException(kind.key() + " '" + name + "' is registered twice");
        return this;
    }

    /** The stage {@code name} of {@code kind} for {@code cfg}. */
    public <T> T create(Kind<T> kind, String name, CampaignConfig cfg) {
        Function<CampaignConfig, ?> f = factories.getOrDefault(kind.key(), Map.of()).get(name);
        if (f == null) throw new IllegalArgumentException("protocol.stages." + kind.key() + ": no stage '" + name + "'; known: " + names(kind.key()));
        return kind.type().cast(f.apply(cfg));
    }

    /** Registered names of the kind with key {@code kindKey}. */
    public Set<String> names(String kindKey) {
        return java.util.Collections.unmodifiableSet(factories.getOrDefault(kindKey, Map.of()).keySet());
    }

    /** Registered kind keys. */
    public Set<String> kinds() {
        return java.util.Collections.unmodifiableSet(factories.keySet());
    }
}
