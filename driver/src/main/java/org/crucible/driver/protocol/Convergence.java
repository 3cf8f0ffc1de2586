package org.crucible.driver.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The stopping test of a protocol, applied after every selection of cycle t &gt;= 1. It keeps its own state between
 * cycles as a JSON section of {@code state.json} ({@code protocol_state.convergence}): it is handed the section it
 * returned last (an empty object at first) and returns the new one, which the engine checkpoints with the cycle.
 * The cycle cap ({@code stopping.max_cycles}) and the oracle budget are the engine's, not the criterion's.
 *
 * <p>Registry names: {@code lowest-clusters} ({@link LowestClustersConvergence}: NN-ensemble Sec. 2.6, the k lowest
 * cluster energies move less than epsilon eV/atom over the last n cycle pairs), {@code none} (never: the campaign
 * runs to max_cycles; the history is still kept for reports).
 */
@FunctionalInterface
public interface Convergence {
    /** The verdict after {@code selection}, from the section {@code state} this criterion returned last. */
    Verdict assess(JsonNode state, Selection selection);

    /**
     * @param converged whether the campaign stops here
     * @param change    the change the test measured (eV/atom; NaN when undefined)
     * @param state     the section to checkpoint
     */
    record Verdict(boolean converged, double change, JsonNode state) {
    }
}
