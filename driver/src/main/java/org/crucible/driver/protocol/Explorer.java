package org.crucible.driver.protocol;

import org.crucible.driver.pool.Pool;
import org.crucible.executors.potentials.LinearPotential;

/**
 * Per-structure exploration with the current potential, run on executors ({@link Pool#map}): relaxation, later MD or
 * annealing. Each structure's result must be pure given (structure, model, seed), so a retried or resumed partition
 * gives the same answer. Energies in eV, forces in eV/Angstrom, the committee uncertainty U = max sigma_F / max |F|
 * (NN-ensemble eq. 5, dimensionless).
 *
 * <p>Registry names: {@code relax} ({@link CommitteeRelaxation}: FIRE/BFGS until fmax, steps, patience or U &gt;=
 * the threshold); {@code relax-dopt} ({@link DoptRelaxation}: relaxation that marks configurations with extrapolation
 * grade gamma &gt; gamma_select and stops at gamma_break, MTP/USPEX paper).
 */
@FunctionalInterface
public interface Explorer {
    /** The explored pool of {@code ctx.cycle()}; {@code model} is broadcast to executors (null when {@link #needsModel()} is false). */
    Pool explore(Pool pool, LinearPotential model, StageContext ctx);

    /**
     * Whether exploring needs the fitted potential. An explorer that does not (the entropy-max annealing on
     * V = E_rep - K S) also explores in cycle 0, before any fit: the loop then runs GENERATE, RELAX, SELECT in cycle 0
     * (no DESCRIBE, which needs a model) and hands the explorer a null model in every cycle.
     */
    default boolean needsModel() {
        return true;
    }
}
