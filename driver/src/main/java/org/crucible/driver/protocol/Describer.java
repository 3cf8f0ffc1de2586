package org.crucible.driver.protocol;

import org.crucible.driver.pool.Pool;
import org.crucible.executors.potentials.LinearPotential;

/**
 * Per-structure descriptors for the selector, run on executors: each entry gets a feature vector (invariant to
 * rotation, translation and permutation of atoms) in its summary.
 *
 * <p>Registry names: {@code ace-mean} ({@link AceMeanDescriber}: the current model's ACE basis, mean-pooled over
 * atoms, as in the NN-ensemble paper's clustering).
 */
@FunctionalInterface
public interface Describer {
    /** The described pool. */
    Pool describe(Pool pool, LinearPotential model, StageContext ctx);
}
