package org.crucible.driver.protocol;

import org.crucible.driver.pool.GenerationPlan;

/**
 * The plan-level generator: which candidate structures a cycle creates, as a {@link GenerationPlan} (consecutive pool
 * id blocks, each a pure function of its id and the seed, so executors generate their partitions independently and a
 * resumed run regenerates identical cells). Cycle 0 of every protocol generates; a plan's blocks carry labels
 * ({@code training}, {@code search}) that selectors may use.
 *
 * <p>Registry names: {@code space-group-pools} (NN-ensemble paper, Sec. 2.2: random P1 training cells and
 * space-group search cells, {@link SpaceGroupPools}); {@code evolution} ({@link EvolutionGenerator}: USPEX generations of
 * offspring of the best earlier relaxations, fresh each cycle).
 *
 * <pre>{@code
 * GenerationPlan plan = protocol.generator().plan(0);
 * Pool pool = backend.generate(plan, partitions);
 * }</pre>
 */
@FunctionalInterface
public interface Generator {
    /** The candidates of {@code cycle}. */
    GenerationPlan plan(int cycle);

    /**
     * Whether every cycle explores fresh candidates ({@code plan(cycle)}, as GAP-RSS draws new random cells each
     * iteration and entropy maximisation anneals new chains) instead of carrying the previous cycle's pool forward (the
     * pool relaxation). The loop then generates {@code plan(cycle)} before the explorer runs in cycles &gt;= 1; each
     * plan must be a pure function of (configuration, seed, cycle) so a resumed run regenerates it identically.
     */
    default boolean freshEachCycle() {
        return false;
    }

    /**
     * The candidates of {@code cycle} when they depend on earlier cycles' results (an evolutionary generation's parents
     * are the previous generations' relaxed structures). {@code explored.apply(k)} is the explorer's saved pool of cycle
     * {@code k}, for 1 &lt;= k &lt; cycle: files written before the checkpoint that moved past them, so the plan stays a
     * pure function of (configuration, seed, cycle, saved pools) and a resumed run regenerates it identically. The
     * default ignores them.
     */
    default GenerationPlan plan(int cycle, java.util.function.IntFunction<org.crucible.driver.pool.Pool> explored) {
        return plan(cycle);
    }
}
