package org.crucible.executors.potentials;

import java.util.List;
import java.util.Map;

/**
 * What {@link PotentialFitter#fit} produced: the potential, its posterior, the structures excluded as outliers
 * and the provenance (SHA-256 of the training data in order, seed).
 *
 * @param trainingErrors RMSE of the mean model on the structures actually fitted
 */
public record FitResult(LinearPotential potential, Posterior posterior, List<Excluded> excluded, String dataHash,
                        long seed, int structuresFitted, long observations, Errors trainingErrors) {
    public FitResult {
        excluded = List.copyOf(excluded);
    }

    /**
     * A structure left out of the fit.
     *
     * @param index    position in the input list
     * @param hash     {@link org.crucible.core.Structure#contentHash()}
     * @param maxForce its largest |F_i|, eV/Angstrom
     * @param reason   human-readable reason with the threshold
     */
    public record Excluded(int index, String hash, double maxForce, String reason) {
    }

    /**
     * Root-mean-square errors of a potential against labelled structures: energy per atom (meV/atom, over
     * structures), force components (meV/Angstrom, over all Cartesian components), stress components
     * (meV/Angstrom^3, over Voigt components); NaN when the labels have no such data.
     */
    public record Errors(int structures, double energyMeVPerAtom, double forcesMeVPerAngstrom, double stressMeVPerAngstrom3) {
        /** For people: {@code energy 3.2 meV/atom, forces 95.1 meV/A, stress n/a} (one decimal; n/a when absent). */
        public String describe() {
            return "energy " + oneDecimal(energyMeVPerAtom, " meV/atom") + ", forces " + oneDecimal(forcesMeVPerAngstrom, " meV/A") + ", stress "
                    + oneDecimal(stressMeVPerAngstrom3, " meV/A^3");
        }

        private static String oneDecimal(double v, String unit) {
            return Double.isFinite(v) ? String.format(java.util.Locale.ROOT, "%.1f", v) + unit : "n/a";
        }

        public Map<String, Object> toMap() {
            return Map.of("structures", structures, "rmse_energy_meV_per_atom", energyMeVPerAtom,
                    "rmse_forces_meV_per_A", forcesMeVPerAngstrom, "rmse_stress_meV_per_A3", stressMeVPerAngstrom3);
        }
    }
}
