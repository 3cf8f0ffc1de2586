package org.crucible.executors.md;

import java.util.LinkedHashMap;
import java.util.Map;
import org.crucible.core.Structure;

/**
 * The outcome of one hyperactive-learning trajectory ({@link HyperactiveMd}): the configuration to label and its
 * provenance.
 *
 * @param structure     the trigger configuration (positions wrapped into the cell, no labels), or the last frame
 * @param triggered     whether the softmax of f_i exceeded s_tol (false: the run reached max_steps)
 * @param step          the MD step of {@code structure} (0 is the start)
 * @param timeFs        its time (fs)
 * @param tau           tau in force at that step (dimensionless)
 * @param softmax       softmax over atoms of f_i at that step (HAL Eq. 8)
 * @param maxRelative   max_i f_i at that step
 * @param temperatureK  the instantaneous kinetic temperature (K)
 * @param sigmaEnergy   the committee energy spread sigma_E (eV)
 * @param energy        the mean model's energy E of {@code structure} (eV, unbiased)
 * @param maxForce      the mean model's largest atomic force there (eV/Angstrom)
 * @param meanBiasRatio over the last {@code window} steps before the stop, mean |tau g| / mean |F| (Eq. 12's target
 *                      tau_r once tau has adapted; 0 during burn-in)
 */
public record HalTrajectory(Structure structure, boolean triggered, long step, double timeFs, double tau, double softmax, double maxRelative,
                            double temperatureK, double sigmaEnergy, double energy, double maxForce, double meanBiasRatio) {
    /** The provenance as info keys ({@code hal_*}), for extended XYZ and pool origins. */
    public Map<String, Object> provenance() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hal_triggered", triggered);
        m.put("hal_step", step);
        m.put("hal_time_fs", timeFs);
        m.put("hal_tau", tau);
        m.put("hal_softmax", softmax);
        m.put("hal_max_f", maxRelative);
        m.put("hal_temperature_k", temperatureK);
        return m;
    }

    /** One line: {@code hal triggered step=412 t=412.0fs tau=0.0310 softmax=0.5123 maxf=0.9120 T=812K}. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "hal %s step=%d t=%.1ffs tau=%.4f softmax=%.4f maxf=%.4f T=%.0fK", triggered ? "triggered" : "max-steps",
                step, timeFs, tau, softmax, maxRelative, temperatureK);
    }
}
