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
    /** The explored pool of {@code ctx.cycle()}; {@code model} is broadcast to executors. */
    Pool explore(Pool pool, LinearPotential model, StageContext ctx);
}
