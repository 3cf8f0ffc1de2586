package org.crucible.driver.interop;

import java.util.Locale;
import org.crucible.core.Structure;
import org.crucible.executors.potentials.LinearPotential;
import org.crucible.executors.potentials.Prediction;

/**
 * A fitted {@link LinearPotential} as an i-PI {@link IpiClient.ForceField} that also sends the committee spread in the
 * extras string, as JSON: {@code {"committee_sigma_energy_eV": sigma_E, "committee_max_force_spread_eV_per_A":
 * max_i sigma_F,i, "ensemble_uncertainty": U, "committee_force_spread_eV_per_A": [sigma_F,1, ...]}} with sigma_E of
 * HAL eq. 9, sigma_F,i = sqrt(1/K sum_k |F_i^k - F_i|^2) and U = max_i sigma_F,i / max_i |F_i| (NN-ensemble paper,
 * eq. 5). i-PI stores the extras of each bead ({@code extras} output); ASE returns them as {@code morebytes}.
 *
 * <p>Energy, forces and virial are the mean model's, bit for bit those of {@link LinearPotential#calculate}; the
 * committee costs K + 1 evaluations instead of one, so use it only when the spread is wanted.
 */
public final class CommitteeForceField implements IpiClient.ForceField {
    private final LinearPotential potential;

    public CommitteeForceField(LinearPotential potential) {
        this.potential = java.util.Objects.requireNonNull(potential, "potential");
    }

    @Override
    public IpiClient.Evaluation evaluate(Structure s) {
        Prediction p = potential.predict(s, false);
        StringBuilder sb = new StringBuilder(64 + 24 * s.size());
        sb.append("{\"committee_sigma_energy_eV\": ").append(number(p.sigmaEnergy()));
        sb.append(", \"committee_max_force_spread_eV_per_A\": ").append(number(p.maxForceSpread()));
        sb.append(", \"ensemble_uncertainty\": ").append(number(p.ensembleUncertainty()));
        sb.append(", \"committee_force_spread_eV_per_A\": [");
        double[] spread = p.forceSpread();
        for (int i = 0; i < spread.length; i++) sb.append(i == 0 ? "" : ", ").append(number(spread[i]));
        sb.append("]}");
        return IpiClient.Evaluation.of(s, p.labels(), sb.toString());
    }

    private static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%s", v) : "null";
    }
}
