package org.crucible.driver.pool;

import java.io.Serializable;

/**
 * A reduction over a pool's summary rows that runs where the pool lives ({@link Pool#aggregate}): each partition folds
 * its rows into an accumulator starting from {@link #zero}, and the partitions' accumulators are merged. The driver
 * receives one accumulator, so a pool-wide quantity (a Gram matrix, an arg max) costs the driver the accumulator's size,
 * not the pool's.
 *
 * <p>Contract: {@link #merge} is associative and {@link #zero} is its identity, and the result must not depend on the
 * order rows or partitions are folded in (break ties by id), so the Spark result equals {@link LocalPool}'s whatever
 * the partitioning. Implementations may update and return the accumulator passed in.
 *
 * @param <M> the broadcast model the rows are folded against
 * @param <A> the accumulator
 */
public interface PoolFold<M extends Serializable, A extends Serializable> extends Serializable {
    /** A new, empty accumulator. */
    A zero(M model);

    /** Folds one row into {@code acc}. */
    A add(A acc, PoolSummary row, M model);

    /** Merges two accumulators. */
    A merge(A a, A b);
}
