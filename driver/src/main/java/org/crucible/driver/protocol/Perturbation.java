package org.crucible.driver.protocol;

import org.crucible.core.Structure;

/**
 * How a selected structure is displaced before it is labelled, so labels sample the neighbourhood of a minimum
 * rather than the minimum itself. Pure given (structure, pool id, cycle, seed).
 *
 * <p>Registry names: {@code gaussian-decay} (NN-ensemble Sec. 2.5: Gaussian displacements of rms
 * eps_t = amplitude * decay^t Angstrom in cycle t &gt;= 1), {@code none}.
 */
@FunctionalInterface
public interface Perturbation {
    /** The structure sent to the oracle for pool entry {@code poolId} selected in {@code cycle}. */
    Structure perturb(Structure s, long poolId, int cycle);
}
