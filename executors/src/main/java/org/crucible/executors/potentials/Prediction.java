package org.crucible.executors.potentials;

import org.crucible.core.Labels;

/**
 * A committee prediction for one structure. Energies eV, forces eV/Angstrom, stress eV/Angstrom^3 (ASE
 * convention); the mean is the posterior-mean model, the committee members are posterior samples.
 *
 * @param energy                 E of the mean model (with reference energies)
 * @param forces                 forces of the mean model (3N)
 * @param stress                 stress of the mean model (6), null for a non-periodic structure
 * @param sigmaEnergy            sigma_E = sqrt(1/K sum_k (E_k - E)^2) (HAL eq. 9), eV
 * @param forceSpread            sigma_F,i = sqrt(1/K sum_k |F_i^k - F_i|^2) per atom, eV/Angstrom
 * @param relativeForceUncertainty f_i = sigma_F,i / (|F_i| + epsilon) (HAL eq. 6)
 * @param softmaxRelativeForceUncertainty sum_i f_i exp(f_i) / sum_j exp(f_j) (HAL eq. 8), a smooth max_i f_i
 * @param ensembleUncertainty    U = max_i sigma_F,i / max_i |F_i| (NN-ensemble paper, eq. 5)
 * @param extrapolationGrade     gamma = max over atoms of the D-optimality grade (MTP eq. 5); NaN without an
 *                               active set
 */
public record Prediction(double energy, double[] forces, double[] stress, double sigmaEnergy, double[] forceSpread,
                         double[] relativeForceUncertainty, double softmaxRelativeForceUncertainty,
                         double ensembleUncertainty, double extrapolationGrade) {

    public Prediction {
        forces = forces.clone();
        stress = stress == null ? null : stress.clone();
        forceSpread = forceSpread.clone();
        relativeForceUncertainty = relativeForceUncertainty.clone();
    }

    @Override
    public double[] forces() {
        return forces.clone();
    }

    @Override
    public double[] stress() {
        return stress == null ? null : stress.clone();
    }

    @Override
    public double[] forceSpread() {
        return forceSpread.clone();
    }

    @Override
    public double[] relativeForceUncertainty() {
        return relativeForceUncertainty.clone();
    }

    /** Largest relative force uncertainty max_i f_i. */
    public double maxRelativeForceUncertainty() {
        double m = 0;
        for (double f : relativeForceUncertainty) m = Math.max(m, f);
        return m;
    }

    /** Largest per-atom committee force spread max_i sigma_F,i (eV/Angstrom). */
    public double maxForceSpread() {
        double m = 0;
        for (double f : forceSpread) m = Math.max(m, f);
        return m;
    }

    /** The mean-model results as {@link Labels}. */
    public Labels labels() {
        return new Labels(energy, forces, stress);
    }
}
