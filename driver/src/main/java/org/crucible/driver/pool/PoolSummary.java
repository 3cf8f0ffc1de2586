package org.crucible.driver.pool;

import java.io.Serializable;

/**
 * The compact per-structure row the driver decides on (clustering, selection, convergence): id, atoms, model energy
 * (eV), uncertainty (eV/atom), max force (eV/Angstrom), exploration steps, status and the descriptor row. A pool of
 * 10^6 structures has summaries of a few hundred bytes each, not full structures.
 */
public record PoolSummary(long id, int atoms, double energy, double uncertainty, double maxForce, int steps, String status,
                          double[] features) implements Serializable {
    /** This row without its descriptor (empty {@code features}). */
    public PoolSummary withoutFeatures() {
        return features.length == 0 ? this : new PoolSummary(id, atoms, energy, uncertainty, maxForce, steps, status, new double[0]);
    }

    /** Energy per atom, eV/atom. */
    public double energyPerAtom() {
        return energy / atoms;
    }

    /** Whether the selection can use this row: finite energy and max force, and a descriptor row. */
    public boolean selectable() {
        return Double.isFinite(energy) && Double.isFinite(maxForce) && features.length > 0;
    }
}
