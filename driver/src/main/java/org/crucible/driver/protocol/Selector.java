package org.crucible.driver.protocol;

import org.crucible.driver.pool.Pool;

/**
 * Chooses the structures to label, on the driver over compact summaries ({@link Pool#summaries()}), never over
 * structures collected to the driver; for large pools a selector asks the executors for a per-partition preselection
 * ({@code pool.summaries(Preselection)}). Ties break by pool id, so a selection is a pure function of the pool.
 *
 * <p>Registry names: {@code cycle0-random} (the initial selector: a seeded random draw from the training block),
 * {@code dbscan} ({@link DbscanSelector}: NN-ensemble Sec. 2.4, DBSCAN over standardised descriptors, score
 * s = E/atom - omega_f max|F|, the best of each cluster), {@code lowest-score} ({@link LowestScoreSelector}: the
 * batch lowest scores s, no clustering), {@code maxvol} ({@link MaxvolSelector}: grades on executors, batch maxvol update
 * of the training set's active set, MTP paper).
 *
 * <p>Writing a selector: implement this interface, register it in {@link StageRegistry#builtIn()} under a name,
 * add the name to {@code org.crucible.config.campaign.Protocols.STAGES}; a campaign file then chooses it with
 * {@code protocol.stages.selector: NAME}.
 */
@FunctionalInterface
public interface Selector {
    /** The selection of {@code ctx.cycle()} from {@code pool}. */
    Selection select(Pool pool, StageContext ctx);
}
