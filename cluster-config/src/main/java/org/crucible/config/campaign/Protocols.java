package org.crucible.config.campaign;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stage names a campaign file may use and the protocol presets built from them. A protocol is a named choice of
 * one stage per kind ({@code protocol.name}); a campaign file may swap any stage ({@code protocol.stages.KIND: NAME}).
 * The driver's stage registry implements exactly these names (a driver test checks both lists agree); this class
 * holds them so a campaign file is rejected, with the field path and line, before anything starts.
 *
 * <p>Stage kinds (docs/campaign-engine.md describes each stage):
 * <ul>
 *   <li>{@code generator}: what cycle 0 creates (a plan of pool ids);</li>
 *   <li>{@code explorer}: per-structure work on executors with the current potential (relaxation);</li>
 *   <li>{@code describer}: per-structure descriptors for the selector;</li>
 *   <li>{@code initial_selector}: which structures cycle 0 labels (no potential exists yet);</li>
 *   <li>{@code selector}: which structures later cycles label, on the driver over compact summaries;</li>
 *   <li>{@code perturbation}: how a selected structure is displaced before labelling;</li>
 *   <li>{@code fitter}: the potential fitted to the training store;</li>
 *   <li>{@code convergence}: when the loop stops before {@code stopping.max_cycles}.</li>
 * </ul>
 *
 * <pre>{@code
 * Protocols.preset("pool-relaxation").get("selector"); // "dbscan"
 * }</pre>
 */
public final class Protocols {
    /** Stage kinds, in the order a cycle uses them. */
    public static final List<String> KINDS = List.of("generator", "explorer", "describer", "initial_selector", "selector", "perturbation", "fitter",
            "convergence");

    /** Names known per stage kind. */
    public static final Map<String, List<String>> STAGES = ordered(
            "generator", List.of("space-group-pools", "airss", "random-density-cells", "evolution", "seed-structures"),
            "explorer", List.of("relax", "enthalpy-trajectory", "entropy-anneal", "relax-dopt", "hal-md"),
            "describer", List.of("ace-mean", "soap-mean", "none"),
            "initial_selector", List.of("cycle0-random", "cur", "cycle0-random-cells", "cycle0-seeds", "pre-exploration", "harvested"),
            "selector", List.of("dbscan", "lowest-score", "flat-histogram", "cur", "flat-histogram+cur", "harvested", "maxvol", "hal-triggered"),
            "perturbation", List.of("gaussian-decay", "none"),
            "fitter", List.of("ace-committee"),
            "convergence", List.of("lowest-clusters", "none"));

    /** The NN-ensemble pool relaxation: space-group pools, relaxation to U, DBSCAN, k lowest clusters stable. */
    public static final Map<String, String> POOL_RELAXATION = ordered(
            "generator", "space-group-pools",
            "explorer", "relax",
            "describer", "ace-mean",
            "initial_selector", "cycle0-random",
            "selector", "dbscan",
            "perturbation", "gaussian-decay",
            "fitter", "ace-committee",
            "convergence", "lowest-clusters");

    /**
     * GAP-RSS (Bernstein, Csanyi and Deringer 2019; docs/gap-rss.md): fresh AIRSS cells each iteration, enthalpy
     * minimisation at per-cell pressures keeping the trajectories, Boltzmann-biased flat histogram then kernel CUR.
     */
    public static final Map<String, String> GAP_RSS = ordered(
            "generator", "airss",
            "explorer", "enthalpy-trajectory",
            "describer", "soap-mean",
            "initial_selector", "cur",
            "selector", "flat-histogram+cur",
            "perturbation", "none",
            "fitter", "ace-committee",
            "convergence", "none");

    /**
     * Entropy maximisation (entropy-maximisation paper): fresh random cells at the configured density each cycle,
     * annealing chains on the effective energy V = E_rep - K S (no model needed, so cycle 0 anneals too), every
     * harvested end labelled (or a CUR or seeded random thinning on the explorer's environment descriptor, so no
     * describer), the ACE committee fitted to them; no convergence test (runs to stopping.max_cycles).
     */
    public static final Map<String, String> ENTROPY_MAX = ordered(
            "generator", "random-density-cells",
            "explorer", "entropy-anneal",
            "describer", "none",
            "initial_selector", "harvested",
            "selector", "harvested",
            "perturbation", "none",
            "fitter", "ace-committee",
            "convergence", "none");

    /**
     * Evolutionary search with on-the-fly D-optimality (MTP/USPEX paper, PRB 99, 064114): generations of offspring,
     * relaxation that marks configurations with gamma &gt; gamma_select and breaks at gamma_break, batch maxvol.
     */
    public static final Map<String, String> EVOLUTION_DOPT = ordered(
            "generator", "evolution",
            "explorer", "relax-dopt",
            "describer", "none",
            "initial_selector", "cycle0-random",
            "selector", "maxvol",
            "perturbation", "none",
            "fitter", "ace-committee",
            "convergence", "lowest-clusters");

    /**
     * Hyperactive learning (van der Oord et al., npj Comput. Mater. 9, 168 (2023); docs/hal.md): seed structures
     * (rattled in cycle 0), one HAL trajectory per seed and random seed on E - tau sigma_E stopped by the softmax of the
     * relative force uncertainty, the triggered configurations labelled, the ACE committee refitted.
     */
    public static final Map<String, String> HAL = ordered(
            "generator", "seed-structures",
            "explorer", "hal-md",
            "describer", "none",
            "initial_selector", "cycle0-seeds",
            "selector", "hal-triggered",
            "perturbation", "none",
            "fitter", "ace-committee",
            "convergence", "none");

    /** Preset name to its stages. */
    public static final Map<String, Map<String, String>> PRESETS = Map.of("pool-relaxation", POOL_RELAXATION,
            "gap-rss", GAP_RSS,
            "entropy-max", ENTROPY_MAX,
            "evolution-dopt", EVOLUTION_DOPT,
            "hal", HAL);

    /** Preset names, for messages and the loader's choice. */
    public static final List<String> NAMES = List.of("pool-relaxation", "gap-rss", "entropy-max", "evolution-dopt", "hal");

    private Protocols() {
    }

    /** The stages of preset {@code name}. */
    public static Map<String, String> preset(String name) {
        Map<String, String> p = PRESETS.get(name);
        if (p == null) throw new IllegalArgumentException("unknown protocol '" + name + "': one of " + NAMES);
        return p;
    }

    @SafeVarargs
    private static <V> Map<String, V> ordered(Object... kv) {
        Map<String, V> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            @SuppressWarnings("unchecked")
            V v = (V) kv[i + 1];
            m.put((String) kv[i], v);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
