package org.crucible.config.campaign;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A validated campaign file (docs/campaign.md documents every field). Built only by {@link CampaignConfigLoader},
 * which rejects an invalid file before anything starts. Units: Angstrom, eV, eV/Angstrom, eV/atom; seconds for
 * times.
 *
 * <p>The default protocol and parameters are those of the NN-ensemble pool-relaxation paper: 1,000 random training
 * cells, 30 space-group cells per compatible group, a cycle-0 batch of 100, relaxation to fmax 0.05 eV/Angstrom in
 * at most 300 steps with patience 20 or until the committee uncertainty U reaches 0.5, DBSCAN (eps 0.5, min
 * samples 2), score E/atom - omega_f max|F| with omega_f 0.5, batches of 100, perturbation eps_t = 0.4 * 0.6^t
 * Angstrom, and convergence when the k = 3 lowest clusters move less than 0.01 eV/atom, at most 15 cycles.
 *
 * <pre>{@code
 * CampaignConfig c = CampaignConfigLoader.load(Path.of("examples/si16-sw.yaml"));
 * c.protocol().selection().dbscanEps(); // 0.5
 * }</pre>
 */
public record CampaignConfig(String name, long seed, List<Composition> compositions, Pools pools, PotentialSpec potential,
                             Protocol protocol, Oracle oracle, Stopping stopping, Validation validation, SparkSettings spark,
                             StoreSettings store, Entropy entropy, Evolution evolution, HalConfig hal, TrackingConfig tracking) {
    public CampaignConfig {
        Objects.requireNonNull(name, "name");
        compositions = List.copyOf(compositions);
        Objects.requireNonNull(pools, "pools");
        Objects.requireNonNull(potential, "potential");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(oracle, "oracle");
        Objects.requireNonNull(stopping, "stopping");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(spark, "spark");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(entropy, "entropy");
        Objects.requireNonNull(evolution, "evolution");
        Objects.requireNonNull(hal, "hal");
        Objects.requireNonNull(tracking, "tracking");
    }

    /** A campaign without a {@code tracking} section ({@link TrackingConfig#NONE}). */
    public CampaignConfig(String name, long seed, List<Composition> compositions, Pools pools, PotentialSpec potential, Protocol protocol,
                          Oracle oracle, Stopping stopping, Validation validation, SparkSettings spark, StoreSettings store, Entropy entropy,
                          Evolution evolution, HalConfig hal) {
        this(name, seed, compositions, pools, potential, protocol, oracle, stopping, validation, spark, store, entropy, evolution, hal, TrackingConfig.NONE);
    }

    /** A campaign without a {@code hal} section ({@link HalConfig#DEFAULTS}). */
    public CampaignConfig(String name, long seed, List<Composition> compositions, Pools pools, PotentialSpec potential, Protocol protocol,
                          Oracle oracle, Stopping stopping, Validation validation, SparkSettings spark, StoreSettings store, Entropy entropy,
                          Evolution evolution) {
        this(name, seed, compositions, pools, potential, protocol, oracle, stopping, validation, spark, store, entropy, evolution, HalConfig.DEFAULTS);
    }

    /** A campaign without an {@code entropy} or {@code evolution} section (their defaults). */
    public CampaignConfig(String name, long seed, List<Composition> compositions, Pools pools, PotentialSpec potential, Protocol protocol,
                          Oracle oracle, Stopping stopping, Validation validation, SparkSettings spark, StoreSettings store) {
        this(name, seed, compositions, pools, potential, protocol, oracle, stopping, validation, spark, store, Entropy.DEFAULTS, Evolution.DEFAULTS);
    }

    /** A campaign without an {@code evolution} section ({@link Evolution#DEFAULTS}). */
    public CampaignConfig(String name, long seed, List<Composition> compositions, Pools pools, PotentialSpec potential, Protocol protocol,
                          Oracle oracle, Stopping stopping, Validation validation, SparkSettings spark, StoreSettings store, Entropy entropy) {
        this(name, seed, compositions, pools, potential, protocol, oracle, stopping, validation, spark, store, entropy, Evolution.DEFAULTS);
    }

    /**
     * Training pool (random cells), search pool (space-group cells), and where the pools are kept: {@code uri}, a
     * Hadoop filesystem URI ({@code file:}, {@code hdfs:}, ...) or a path relative to the campaign directory
     * (default {@code pools}); pools are Parquet datasets there (docs/pools.md).
     */
    public record Pools(TrainingPool training, SearchPool search, String uri) {
        public Pools {
            Objects.requireNonNull(uri, "pools.uri");
        }
    }

    /**
     * Random cells for training: {@code size} cells of space group P1 (atoms placed at random), pairs no closer than
     * {@code minSeparationFactor} times the mean covalent radius of the pair, volume from the {@code volume} model
     * ({@code covalent}: 14.5 r^3 per atom, {@code metallic}: 5.5 r^3) within +-{@code volumeSpread}.
     */
    public record TrainingPool(int size, String generator, double minSeparationFactor, String volume, double volumeSpread) {
    }

    /**
     * Space-group cells for search: {@code perGroup} cells for each group among {@code spaceGroups} (empty: all 230)
     * that can host the composition in its conventional cell.
     */
    public record SearchPool(int perGroup, String generator, List<Integer> spaceGroups, double minSeparationFactor, String volume,
                             double volumeSpread) {
        public SearchPool {
            spaceGroups = List.copyOf(spaceGroups);
        }
    }

    /**
     * The potential: a linear ACE basis (cutoff and inner cutoff in Angstrom, total-degree bound per correlation
     * order {@code maxDegree} (its length is the body order minus one), l cap and angular weight), a committee of
     * {@code committee} posterior samples, solver {@code brr} (Bayesian ridge) or {@code ard}, and the outlier
     * exclusion threshold in standard deviations of the per-structure max force.
     */
    public record PotentialSpec(String basisType, double cutoff, double innerCutoff, List<Integer> maxDegree, int lMax, double wL,
                                int committee, String fit, double outlierSigmas) {
        public PotentialSpec {
            maxDegree = List.copyOf(maxDegree);
        }
    }

    /**
     * The protocol: its preset name, the stage chosen for each kind (the preset's, with the campaign file's
     * {@code protocol.stages} overrides; keys are {@link Protocols#KINDS}) and the stages' parameters.
     */
    public record Protocol(String name, Map<String, String> stages, int cycle0Batch, Relax relax, Selection selection, Perturbation perturbation,
                           GapRssSettings gapRss) {
        public Protocol {
            Objects.requireNonNull(gapRss, "gap_rss");
            Objects.requireNonNull(name, "name");
            stages = Map.copyOf(stages);
            for (String kind : Protocols.KINDS) {
                String stage = stages.get(kind);
                if (stage == null || !Protocols.STAGES.get(kind).contains(stage)) {
                    throw new IllegalArgumentException("protocol.stages." + kind + ": '" + stage + "' is not one of " + Protocols.STAGES.get(kind));
                }
            }
        }

        /** Without GAP-RSS parameters (their defaults). */
        public Protocol(String name, Map<String, String> stages, int cycle0Batch, Relax relax, Selection selection, Perturbation perturbation) {
            this(name, stages, cycle0Batch, relax, selection, perturbation, GapRssSettings.DEFAULTS);
        }

        /** The preset's stages, unchanged. */
        public Protocol(String name, int cycle0Batch, Relax relax, Selection selection, Perturbation perturbation) {
            this(name, Protocols.preset(name), cycle0Batch, relax, selection, perturbation);
        }

        /** The stage name chosen for {@code kind} (one of {@link Protocols#KINDS}). */
        public String stage(String kind) {
            String s = stages.get(kind);
            if (s == null) throw new IllegalArgumentException("no stage kind '" + kind + "': one of " + Protocols.KINDS);
            return s;
        }
    }

    /**
     * Relaxation on executors with the committee potential: stops at fmax (eV/Angstrom), steps, patience or U >=
     * maxUncertainty (NN-ensemble eq. 5, dimensionless); a frame with two atoms closer than minSeparationFactor x the
     * sum of their covalent radii (a hole of the fitted potential, not chemistry), or closer than
     * trainingSeparationFactor x the shortest distance of that element pair in the training set (where the data end),
     * ends it, keeping the lowest earlier frame; 0 turns either guard off. The committee spread (and so U) is
     * evaluated on every {@code uncertaintyEvery}-th calculator call and on the kept frame; the other frames use the
     * mean model alone, whose numbers are bit for bit the committee evaluation's mean (1: every frame, the paper).
     */
    public record Relax(String optimizer, double fmax, int steps, int patience, double maxUncertainty, int trajectoryTail,
                        double minSeparationFactor, double trainingSeparationFactor, int uncertaintyEvery) {
        public Relax {
            if (uncertaintyEvery < 1) throw new IllegalArgumentException("protocol.relax.uncertainty_every must be >= 1, got " + uncertaintyEvery);
        }

        /** The relaxation with the default guards: 0.7 of the covalent-radius sum, 0.9 of the training set's shortest pair. */
        public Relax(String optimizer, double fmax, int steps, int patience, double maxUncertainty, int trajectoryTail) {
            this(optimizer, fmax, steps, patience, maxUncertainty, trajectoryTail, 0.7, 0.9, 1);
        }
    }

    /**
     * Selection: DBSCAN over standardised mean-pooled descriptors, score E/atom - omegaF max|F|, best per
     * cluster, batch of {@code batch}; {@code noise} is {@code singletons} (each noise point its own cluster) or
     * {@code drop}. {@code dbscanMetric} is {@code rms} (Euclidean distance divided by sqrt(number of varying
     * standardised features), so eps is a per-feature RMS difference independent of the basis size) or {@code euclidean}
     * (the plain distance, as in the paper's scikit-learn call). {@code preselect} is 0 (every relaxed structure is
     * clustered), the number of lowest-scoring structures of the pool that reach the driver and are clustered (large
     * pools; at least {@code batch}), or {@link #AUTO_PRESELECT} ({@code auto}, the default): off up to
     * {@link #AUTO_ROWS} rows, above that the {@code AUTO_ROWS} lowest-scoring rows.
     */
    public record Selection(double dbscanEps, int dbscanMinSamples, String dbscanMetric, double omegaF, int batch, String noise, int preselect) {
        /** {@code preselect: auto}. */
        public static final int AUTO_PRESELECT = -1;
        /**
         * Rows the driver clusters at most under {@code auto}: 2 x 10^4 rows of ~300 double features are about 100 MB
         * with the standardised copy, and the indexed DBSCAN takes tens of seconds on them (docs/benchmarks.md,
         * "Selection at pool scale"), where 10^5 rows took more than 13 minutes.
         */
        public static final int AUTO_ROWS = 20_000;

        public Selection {
            if (!dbscanMetric.equals("rms") && !dbscanMetric.equals("euclidean")) {
                throw new IllegalArgumentException("protocol.selection.dbscan.metric must be rms or euclidean, got " + dbscanMetric);
            }
            if (preselect < AUTO_PRESELECT) throw new IllegalArgumentException("protocol.selection.preselect must be auto or >= 0, got " + preselect);
        }

        /** The rows to preselect from a pool of {@code rows} structures (0: cluster them all). */
        public int preselectFor(long rows) {
            if (preselect != AUTO_PRESELECT) return preselect;
            return rows > AUTO_ROWS ? Math.max(AUTO_ROWS, batch) : 0;
        }

        /** The selection without preselection. */
        public Selection(double dbscanEps, int dbscanMinSamples, String dbscanMetric, double omegaF, int batch, String noise) {
            this(dbscanEps, dbscanMinSamples, dbscanMetric, omegaF, batch, noise, 0);
        }

        /** The selection with the default {@code rms} metric. */
        public Selection(double dbscanEps, int dbscanMinSamples, double omegaF, int batch, String noise) {
            this(dbscanEps, dbscanMinSamples, "rms", omegaF, batch, noise);
        }
    }

    /** Perturbation of selected cells before labelling: Gaussian displacement of rms eps_t = amplitude * decay^t Angstrom. */
    public record Perturbation(double amplitude, double decay) {
        public double epsilon(int cycle) {
            return amplitude * Math.pow(decay, cycle);
        }
    }

    /**
     * Stop when the k lowest clusters' energies move less than epsilon (eV/atom) over {@code cyclesCompared} cycles,
     * or (when {@code oracleAgreementEvPerAtom} &gt; 0) once the labels of the previous cycle's picks from the k lowest
     * clusters agree with the model that picked them within that many eV/atom (0: that rule is off).
     */
    public record Stopping(int k, double epsilonEvPerAtom, int cyclesCompared, int maxCycles, int maxOracleCalls, double oracleAgreementEvPerAtom) {
        /** Without the oracle-agreement rule. */
        public Stopping(int k, double epsilonEvPerAtom, int cyclesCompared, int maxCycles, int maxOracleCalls) {
            this(k, epsilonEvPerAtom, cyclesCompared, maxCycles, maxOracleCalls, 0.0);
        }
    }

    /** Final validation: relax the best cell of each of the {@code topK} lowest clusters with the oracle. */
    public record Validation(int topK, double fmax, int steps, double symmetryTolerance) {
    }

    /**
     * Spark master URL, partitions (0: 8 x the default parallelism), UI and progress bar, and {@code conf}: any
     * {@code spark.*} setting passed to the context as given (driver host and bind address, executor memory and
     * cores, ...), winning over Crucible's defaults.
     */
    public record SparkSettings(String master, int partitions, boolean ui, int uiPort, boolean progress, Map<String, String> conf) {
        public SparkSettings {
            conf = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(conf));
        }

        /** Without extra settings. */
        public SparkSettings(String master, int partitions, boolean ui, int uiPort, boolean progress) {
            this(master, partitions, ui, uiPort, progress, Map.of());
        }
    }

    /** Where labels go: a Hadoop filesystem URI or a path (relative paths are resolved against the campaign directory). */
    public record StoreSettings(String uri) {
    }

    /**
     * The {@code entropy} section, read by the {@code entropy-max} protocol (docs/entropy-max.md): per cycle
     * {@code chains} independent annealing chains of {@code cyclesPerChain} cycles each; a cycle is
     * {@code stepsPerCycle} Langevin MD steps of {@code timestepFs} (fs, damping {@code dampingFs} fs) while T falls
     * linearly from {@code tStartK} to {@code tEndK} (K) and K rises from 0 to {@code kMaxEv} (eV) in {@code segments}
     * steps of a staircase; the effective energy's repulsion is E_0 = {@code repulsionEv} (eV) inside the hard-core
     * radius {@code hardCoreAngstrom}. Cells are orthorhombic with edge lengths {@code cell} (Angstrom) when given,
     * otherwise cubic at {@code densityPerA3} atoms per Angstrom^3. {@code keep} is 0 (label every harvested
     * configuration) or the number kept per campaign cycle, chosen by {@code thinning}: {@code cur} (kernel CUR on
     * the per-configuration descriptor, the paper's option) or {@code random} (a seeded uniform draw).
     * {@code nearestNeighbourAngstrom} is the element's nearest-neighbour distance d_nn that scales the environment
     * features' lengths (W bcc 2.741 Angstrom by default; {@code EnvironmentFeatures.forNearestNeighbour}).
     */
    public record Entropy(int chains, int cyclesPerChain, double kMaxEv, double tStartK, double tEndK, int stepsPerCycle, double timestepFs,
                          double dampingFs, int segments, double repulsionEv, double hardCoreAngstrom, List<Double> cell, double densityPerA3,
                          int keep, String thinning, double nearestNeighbourAngstrom) {
        /** The nearest-neighbour distance of bcc W, Angstrom (the default feature scale). */
        public static final double TUNGSTEN_NEAREST_NEIGHBOUR = Math.sqrt(3) / 2 * 3.165;

        /** The thinning methods {@code entropy.thinning} accepts. */
        public static final List<String> THINNINGS = List.of("cur", "random");

        /** The paper's schedule (K_max 1,000 eV, 10,000 K to 0 K) on 8 chains of 10 cycles of 2,000 steps of 1 fs, CUR thinning. */
        public static final Entropy DEFAULTS = new Entropy(8, 10, 1000, 10_000, 0, 2000, 1.0, 50, 50, 100, 2.2, List.of(), 0.03, 0, "cur",
                TUNGSTEN_NEAREST_NEIGHBOUR);

        /** With the default thinning (CUR). */
        public Entropy(int chains, int cyclesPerChain, double kMaxEv, double tStartK, double tEndK, int stepsPerCycle, double timestepFs,
                       double dampingFs, int segments, double repulsionEv, double hardCoreAngstrom, List<Double> cell, double densityPerA3, int keep) {
            this(chains, cyclesPerChain, kMaxEv, tStartK, tEndK, stepsPerCycle, timestepFs, dampingFs, segments, repulsionEv, hardCoreAngstrom, cell,
                    densityPerA3, keep, "cur", TUNGSTEN_NEAREST_NEIGHBOUR);
        }

        /** With the W feature scale. */
        public Entropy(int chains, int cyclesPerChain, double kMaxEv, double tStartK, double tEndK, int stepsPerCycle, double timestepFs,
                       double dampingFs, int segments, double repulsionEv, double hardCoreAngstrom, List<Double> cell, double densityPerA3, int keep,
                       String thinning) {
            this(chains, cyclesPerChain, kMaxEv, tStartK, tEndK, stepsPerCycle, timestepFs, dampingFs, segments, repulsionEv, hardCoreAngstrom, cell,
                    densityPerA3, keep, thinning, TUNGSTEN_NEAREST_NEIGHBOUR);
        }

        public Entropy {
            cell = List.copyOf(cell);
            if (!(nearestNeighbourAngstrom > 0) || nearestNeighbourAngstrom > 6.5) {
                throw new IllegalArgumentException("entropy.nearest_neighbour must be in (0, 6.5] Angstrom, got " + nearestNeighbourAngstrom);
            }
            if (!THINNINGS.contains(thinning)) throw new IllegalArgumentException("entropy.thinning must be one of " + THINNINGS + ", got " + thinning);
            if (!cell.isEmpty() && cell.size() != 3) throw new IllegalArgumentException("entropy.cell: give 3 edge lengths in Angstrom, got " + cell);
            if (segments > stepsPerCycle) throw new IllegalArgumentException("entropy.segments " + segments + " exceeds entropy.steps_per_cycle " + stepsPerCycle);
        }
    }

    /**
     * The {@code evolution} section, read by the {@code evolution-dopt} protocol's stages (docs/evolution-dopt.md): a
     * generation of {@code population} candidates, of which {@code randomFraction} are fresh space-group cells and the
     * rest offspring of the best {@code parents} distinct relaxed structures of the earlier generations (fitness:
     * enthalpy per atom at 0 GPa, eV/atom) by heredity, lattice mutation, permutation and coordinate mutation in the
     * ratio of the four weights; offspring closer than {@code fingerprintTolerance} (cosine distance of the
     * Oganov-Valle fingerprint) to an earlier candidate are dropped. Lattice mutation strain {@code latticeSigma}
     * (dimensionless), coordinate mutation {@code coordinateSigma} (Angstrom). The D-optimality thresholds of the
     * MTP paper (PRB 99, 064114, eq. 5): a configuration with extrapolation grade gamma &gt; {@code gammaSelect} is
     * marked for labelling, gamma &gt; {@code gammaBreak} stops the relaxation (it continues next cycle);
     * {@code preselect} bounds how many marked rows reach the driver for the batch maxvol update.
     */
    public record Evolution(int population, int parents, double randomFraction, double heredity, double latticeMutation, double permutation,
                            double coordinateMutation, double latticeSigma, double coordinateSigma, double fingerprintTolerance,
                            double gammaSelect, double gammaBreak, int preselect, PreExploration preExploration, VariableComposition composition) {
        /** Population 20, 10 parents, 20% random, weights 0.5/0.2/0.1/0.2, gamma_select 2, gamma_break 10, fixed composition. */
        public static final Evolution DEFAULTS = new Evolution(20, 10, 0.2, 0.5, 0.2, 0.1, 0.2, 0.15, 0.25, 0.01, 2.0, 10.0, 1000,
                PreExploration.DEFAULTS);

        /** Fixed composition (no {@code evolution.composition}). */
        public Evolution(int population, int parents, double randomFraction, double heredity, double latticeMutation, double permutation,
                         double coordinateMutation, double latticeSigma, double coordinateSigma, double fingerprintTolerance,
                         double gammaSelect, double gammaBreak, int preselect, PreExploration preExploration) {
            this(population, parents, randomFraction, heredity, latticeMutation, permutation, coordinateMutation, latticeSigma, coordinateSigma,
                    fingerprintTolerance, gammaSelect, gammaBreak, preselect, preExploration, null);
        }

        /** Whether offspring may change stoichiometry ({@code evolution.composition} given). */
        public boolean variableComposition() {
            return composition != null;
        }

        public Evolution {
            if (population < 1 || parents < 1) throw new IllegalArgumentException("evolution.population and evolution.parents must be >= 1");
            if (!(randomFraction >= 0 && randomFraction <= 1)) throw new IllegalArgumentException("evolution.random_fraction must be in [0, 1], got " + randomFraction);
            if (!(heredity >= 0 && latticeMutation >= 0 && permutation >= 0 && coordinateMutation >= 0)
                    || !(heredity + latticeMutation + permutation + coordinateMutation > 0)) {
                throw new IllegalArgumentException("evolution operator weights must be >= 0 with a positive sum");
            }
            if (!(gammaSelect >= 1) || !(gammaBreak >= gammaSelect)) {
                throw new IllegalArgumentException("need 1 <= evolution.gamma_select <= evolution.gamma_break, got " + gammaSelect + " and " + gammaBreak);
            }
            java.util.Objects.requireNonNull(preExploration, "evolution.pre_exploration");
        }
    }

    /**
     * {@code evolution.pre_exploration}: the MTP paper's pre-exploration (PRB 99, 064114, Sec. II C), used when
     * {@code protocol.stages.initial_selector} is {@code pre-exploration}. Cycle 0 draws {@code pool} random P1 cells
     * per composition (minimum separations of {@code pools.training}); maxvol starts from the per-atom rows of the first
     * {@code seedCells} of them (0: twice the basis size over the atoms per cell, rounded up) and, at most
     * {@code rounds} times, grades the whole pool on the executors and updates the active set by batch maxvol with the
     * candidates above {@code gammaSelect} (dimensionless). The cells owning the final active rows are labelled: at
     * most {@code protocol.cycle0_batch} of them, or with {@code labelActiveSet} every one of them (the paper's "every
     * configuration is selected until the training set spans the basis": the whole D-optimal set is labelled).
     */
    public record PreExploration(int pool, int seedCells, int rounds, double gammaSelect, boolean labelActiveSet) {
        /** 10^5 cells (the paper's figure), automatic seed, 5 rounds, gamma 2, at most cycle0_batch labels. */
        public static final PreExploration DEFAULTS = new PreExploration(100_000, 0, 5, 2.0, false);

        public PreExploration {
            if (pool < 1 || seedCells < 0 || rounds < 1) {
                throw new IllegalArgumentException("evolution.pre_exploration needs pool >= 1, seed_cells >= 0 and rounds >= 1, got " + pool + ", " + seedCells + ", " + rounds);
            }
            if (!(gammaSelect >= 1)) throw new IllegalArgumentException("evolution.pre_exploration.gamma_select must be >= 1, got " + gammaSelect);
        }
    }

    /**
     * {@code evolution.composition}: variable-composition search of a binary A-B (USPEX; Lyakhov et al., Comput. Phys.
     * Commun. 184, 1172 (2013)). Cells hold {@code minAtoms} to {@code maxAtoms} atoms of {@code elements} (both
     * elemental ends included) and the fraction x of the second element lies in [{@code minFraction},
     * {@code maxFraction}]; offspring may change stoichiometry by transmutation and by adding or removing an atom (relative
     * weights {@code transmutation} and {@code addRemove} beside the four of {@code evolution.operators}) and the
     * fitness is the distance above the convex hull of formation enthalpies (eV/atom).
     */
    public record VariableComposition(List<String> elements, int minAtoms, int maxAtoms, double minFraction, double maxFraction,
                                      double transmutation, double addRemove) {
        public VariableComposition {
            elements = List.copyOf(elements);
            if (elements.size() != 2 || elements.get(0).equals(elements.get(1))) {
                throw new IllegalArgumentException("evolution.composition.elements must name two different elements, got " + elements);
            }
            if (minAtoms < 1 || maxAtoms < minAtoms) {
                throw new IllegalArgumentException("need 1 <= evolution.composition.min_atoms <= max_atoms, got " + minAtoms + " and " + maxAtoms);
            }
            if (!(minFraction >= 0 && minFraction <= maxFraction && maxFraction <= 1)) {
                throw new IllegalArgumentException("need 0 <= min_fraction <= max_fraction <= 1, got " + minFraction + " and " + maxFraction);
            }
            if (!(transmutation >= 0 && addRemove >= 0)) throw new IllegalArgumentException("composition operator weights must be >= 0");
        }
    }
}
