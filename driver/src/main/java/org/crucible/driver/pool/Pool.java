package org.crucible.driver.pool;

import java.io.Serializable;
import java.util.Collection;
import java.util.List;

/**
 * A partitioned dataset of {@link PoolEntry} structures: on Spark ({@link SparkPool}, an RDD whose partitions are
 * processed with {@code mapPartitions} and a broadcast model) or in one thread ({@link LocalPool}, the reference the
 * Spark results are tested against). Pools are immutable: {@link #map} returns a new pool. Both persist to the same
 * partitioned files ({@link PoolFiles}), so a campaign can be checkpointed by one and resumed by the other.
 *
 * <p>Decisions run on the driver over {@link #summaries()}, never over collected structures; only selected entries
 * are fetched whole ({@link #fetch}).
 */
public interface Pool {
    /** Number of structures. */
    long size();

    /**
     * Applies {@code stage} to every entry with {@code model} broadcast and the per-entry seed
     * {@code Seeds.mix(seed, entry.id())}.
     */
    <M extends Serializable> Pool map(PoolStage<M> stage, M model, long seed, String description);

    /**
     * Expands every entry into up to {@code stride} entries (e.g. the frames of a minimisation trajectory), where the
     * pool lives: output {@code i} of entry {@code id} gets id {@code id * stride + i}, so ids stay unique, stable and
     * a pure function of the input. The per-entry seed is {@code Seeds.mix(seed, entry.id())}, as in {@link #map}.
     * A stage that returns more than {@code stride} entries is an error.
     */
    <M extends Serializable> Pool flatMap(PoolFlatStage<M> stage, M model, long seed, int stride, String description);

    /** Compact rows of all entries, sorted by id. */
    List<PoolSummary> summaries();

    /**
     * The rows {@code preselection} keeps, sorted by id: the pool-wide lowest scores, found per partition where the
     * pool lives, so the caller holds only {@code preselection.count()} rows.
     */
    default List<PoolSummary> summaries(Preselection preselection) {
        return preselection.apply(summaries().stream());
    }

    /**
     * {@link #summaries()} without the descriptor rows (empty {@code features}), sorted by id: what a selector needs to
     * rank or draw by energy, a few tens of bytes per row on the driver instead of 8 bytes per descriptor component.
     * A selector that needs descriptors for a subset then asks {@link #summaries(Collection)} for those ids only.
     */
    default List<PoolSummary> summariesWithoutFeatures() {
        return summaries().stream().map(PoolSummary::withoutFeatures).toList();
    }

    /** The summaries (with descriptor rows) of the entries with the given ids, sorted by id. */
    default List<PoolSummary> summaries(Collection<Long> ids) {
        return fetch(ids).stream().map(PoolEntry::summary).toList();
    }

    /**
     * Folds every entry's summary row into one accumulator where the pool lives (per partition, then merged; Spark's
     * {@code treeAggregate} with {@code model} broadcast), e.g. a Gram matrix of kernel features or an arg max.
     */
    <M extends Serializable, A extends Serializable> A aggregate(PoolFold<M, A> fold, M model, String description);

    /** The entries with the given ids, sorted by id. */
    List<PoolEntry> fetch(Collection<Long> ids);

    /** Writes the pool as partitioned files under {@code uri} (atomically: temp directory, then rename). */
    void save(String uri);
}
