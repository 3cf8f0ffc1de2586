package org.crucible.driver.protocol;

import java.io.Serializable;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.PoolStage;
import org.crucible.executors.calculators.CalculationException;
import org.crucible.executors.md.HalSettings;
import org.crucible.executors.md.HalTrajectory;
import org.crucible.executors.md.HyperactiveMd;
import org.crucible.executors.potentials.LinearPotential;

/**
 * One HAL trajectory ({@link HyperactiveMd}) per pool entry, on the executor that holds it: the entry becomes the
 * trajectory's stop configuration with the mean model's energy (eV) and largest force (eV/Angstrom), the number of MD
 * steps, status {@code triggered} (softmax of f_i &gt; s_tol) or {@code max-steps}, and, in the uncertainty field,
 * the softmax of the relative force uncertainty at the stop (HAL Eq. 8, dimensionless), so a selector ranks by it.
 * The origin gains the provenance ({@link HalTrajectory#describe()}: step, time, tau, softmax, max f_i, T). A
 * configuration the potential cannot evaluate ends the trajectory with status {@code failed}.
 */
public final class HalStage implements PoolStage<HalStage.Model> {
    private static final long serialVersionUID = 1L;

    /** What is broadcast: the committee potential and the trajectory settings. */
    public record Model(LinearPotential potential, HalSettings settings) implements Serializable {
    }

    @Override
    public PoolEntry apply(PoolEntry entry, Model model, long seed) {
        try {
            HalTrajectory t = new HyperactiveMd(model.potential(), model.settings()).run(entry.structure(), seed, null);
            return PoolEntry.of(entry.id(), t.structure(), entry.origin() + "; " + t.describe())
                    .withExploration(t.energy(), t.softmax(), t.maxForce(), (int) Math.min(Integer.MAX_VALUE, t.step()), t.triggered() ? "triggered" : "max-steps",
                            new double[0][]);
        } catch (CalculationException e) {
            return PoolEntry.of(entry.id(), entry.structure(), entry.origin() + "; hal failed: " + e.getMessage())
                    .withExploration(Double.NaN, Double.NaN, Double.NaN, 0, "failed", new double[0][]);
        }
    }
}
