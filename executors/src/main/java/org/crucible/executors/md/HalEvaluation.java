package org.crucible.executors.md;

import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.executors.potentials.LinearPotential;
import org.crucible.executors.potentials.Prediction;

/**
 * Everything hyperactive learning needs of one configuration, from one committee prediction and one unit-bias
 * evaluation of a {@link LinearPotential}: the mean model E, F, stress; sigma_E (HAL Eq. 9); the bias force per unit
 * tau, g = grad sigma_E (eV/Angstrom, Eq. 10), and its stress; and the stop measure, the softmax over atoms of
 * f_i = sigma_F,i / (|F_i| + eps) (Eq. 6-8, eps the potential's {@link LinearPotential#epsilon()}).
 *
 * <p>E_HAL is linear in tau, so one evaluation serves every tau: {@link #labels(double)} gives E - tau sigma_E,
 * F + tau g and the matching stress, the same numbers {@code potential.biased(tau)} computes (up to rounding).
 *
 * @param prediction     the committee prediction (mean model and uncertainties)
 * @param biasForce      g = F_biased(tau = 1) - F, flat 3n, eV/Angstrom
 * @param biasStress     the stress of E_biased(tau = 1) minus the model stress (Voigt, eV/Angstrom^3), null when not periodic
 */
public record HalEvaluation(Prediction prediction, double[] biasForce, double[] biasStress) {
    public HalEvaluation {
        biasForce = biasForce.clone();
        biasStress = biasStress == null ? null : biasStress.clone();
    }

    /** Evaluates {@code s} with {@code potential}: {@code predict} without the D-optimality grade plus {@code biased(1)}. */
    public static HalEvaluation of(LinearPotential potential, Structure s) {
        Prediction p = potential.predict(s, false);
        Labels b = potential.biased(1.0).calculate(s);
        double[] f = p.forces();
        double[] g = b.forces();
        for (int c = 0; c < g.length; c++) g[c] -= f[c];
        double[] gs = null;
        if (p.stress() != null && b.hasStress()) {
            gs = b.stress();
            double[] st = p.stress();
            for (int c = 0; c < 6; c++) gs[c] -= st[c];
        }
        return new HalEvaluation(p, g, gs);
    }

    /** E_HAL = E - tau sigma_E (eV), F + tau g (eV/Angstrom) and the stress of E_HAL (eV/Angstrom^3, null when not periodic). */
    public Labels labels(double tau) {
        double[] f = prediction.forces();
        for (int c = 0; c < f.length; c++) f[c] += tau * biasForce[c];
        double[] st = prediction.stress();
        if (st != null && biasStress != null) for (int c = 0; c < 6; c++) st[c] += tau * biasStress[c];
        return new Labels(prediction.energy() - tau * prediction.sigmaEnergy(), f, st);
    }

    /** Mean over atoms of |F_i| of the model (eV/Angstrom). */
    public double meanForceNorm() {
        return meanNorm(prediction.forces());
    }

    /** Mean over atoms of |g_i|, the bias force per unit tau (eV/Angstrom). */
    public double meanBiasForceNorm() {
        return meanNorm(biasForce);
    }

    /** The HAL stop measure: softmax over atoms of f_i (Eq. 8). */
    public double softmax() {
        return prediction.softmaxRelativeForceUncertainty();
    }

    @Override
    public double[] biasForce() {
        return biasForce.clone();
    }

    @Override
    public double[] biasStress() {
        return biasStress == null ? null : biasStress.clone();
    }

    static double meanNorm(double[] v) {
        int n = v.length / 3;
        double sum = 0;
        for (int i = 0; i < n; i++) sum += Math.sqrt(v[3 * i] * v[3 * i] + v[3 * i + 1] * v[3 * i + 1] + v[3 * i + 2] * v[3 * i + 2]);
        return n == 0 ? 0 : sum / n;
    }
}
