package org.crucible.driver.pool;

import java.io.Serializable;

/**
 * Per-structure work run on executors (relaxation, description, perturbation, scoring). Must be pure given (entry,
 * model, seed): a retried or resumed partition, or a single-threaded run, gives the same result. The model is the
 * broadcast value (a potential, a basis); the seed is derived per structure by the pool with {@link Seeds}.
 *
 * @param <M> the broadcast model type (Serializable)
 */
@FunctionalInterface
public interface PoolStage<M> extends Serializable {
    /** The new state of {@code entry}. */
    PoolEntry apply(PoolEntry entry, M model, long seed);
}
