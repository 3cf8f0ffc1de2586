package org.crucible.executors.potentials;

import java.util.Map;
import java.util.TreeMap;

/**
 * Settings of {@link PotentialFitter}. Defaults ({@link #defaults()}): Bayesian ridge, K = 8 committee members,
 * seed 0, GAP-RSS observation weights, virials fitted, outliers beyond mean + 3 sd of the per-structure maximum
 * force excluded, reference energies fitted jointly as per-element 1-body columns, a D-optimality active set with
 * gamma_select 2 / gamma_break 10, epsilon 0.2 eV/Angstrom.
 *
 * @param solver            "brr" (Bayesian ridge) or "ard" (automatic relevance determination)
 * @param committeeSize     K >= 2
 * @param seed              seed of the committee draw
 * @param weights           observation sigmas
 * @param fitVirials        include stress observations of periodic structures
 * @param outlierSigmas     exclude structures whose max |F_i| exceeds mean + outlierSigmas * sd (Infinity: keep all)
 * @param referenceEnergies E0 per atomic number (eV, isolated atoms); null to fit them jointly with the coefficients
 * @param activeSet         build the maxvol active set for extrapolation grades
 * @param gammaSelect       D-optimality selection threshold
 * @param gammaBreak        D-optimality break threshold
 * @param epsilon           regulariser of the relative force uncertainty, eV/Angstrom
 * @param ardThreshold      ARD pruning threshold on lambda_j
 */
public record FitOptions(String solver, int committeeSize, long seed, ObservationWeights weights, boolean fitVirials,
                         double outlierSigmas, Map<Integer, Double> referenceEnergies, boolean activeSet,
                         double gammaSelect, double gammaBreak, double epsilon, double ardThreshold) {
    public FitOptions {
        if (!"brr".equals(solver) && !"ard".equals(solver)) throw new IllegalArgumentException("solver must be brr or ard, got '" + solver + "'");
        if (committeeSize < 2) throw new IllegalArgumentException("committee size must be >= 2, got " + committeeSize);
        if (weights == null) throw new IllegalArgumentException("weights are required");
        if (!(outlierSigmas > 0)) throw new IllegalArgumentException("outlierSigmas must be > 0, got " + outlierSigmas);
        if (!(gammaSelect >= 1) || !(gammaBreak >= gammaSelect)) {
            throw new IllegalArgumentException("need 1 <= gamma_select <= gamma_break, got " + gammaSelect + ", " + gammaBreak);
        }
        if (!(epsilon > 0)) throw new IllegalArgumentException("epsilon must be > 0 eV/Angstrom, got " + epsilon);
        if (!(ardThreshold > 0)) throw new IllegalArgumentException("ardThreshold must be > 0, got " + ardThreshold);
        referenceEnergies = referenceEnergies == null ? null : new TreeMap<>(referenceEnergies);
    }

    public static FitOptions defaults() {
        return new FitOptions("brr", 8, 0L, ObservationWeights.GAP_RSS, true, 3.0, null, true,
                ActiveSet.DEFAULT_GAMMA_SELECT, ActiveSet.DEFAULT_GAMMA_BREAK, LinearPotential.DEFAULT_EPSILON, 1e4);
    }

    public FitOptions withSolver(String s) {
        return new FitOptions(s, committeeSize, seed, weights, fitVirials, outlierSigmas, referenceEnergies, activeSet, gammaSelect, gammaBreak, epsilon, ardThreshold);
    }

    public FitOptions withSeed(long s) {
        return new FitOptions(solver, committeeSize, s, weights, fitVirials, outlierSigmas, referenceEnergies, activeSet, gammaSelect, gammaBreak, epsilon, ardThreshold);
    }

    public FitOptions withCommitteeSize(int k) {
        return new FitOptions(solver, k, seed, weights, fitVirials, outlierSigmas, referenceEnergies, activeSet, gammaSelect, gammaBreak, epsilon, ardThreshold);
    }

    public FitOptions withWeights(ObservationWeights w) {
        return new FitOptions(solver, committeeSize, seed, w, fitVirials, outlierSigmas, referenceEnergies, activeSet, gammaSelect, gammaBreak, epsilon, ardThreshold);
    }

    public FitOptions withOutlierSigmas(double s) {
        return new FitOptions(solver, committeeSize, seed, weights, fitVirials, s, referenceEnergies, activeSet, gammaSelect, gammaBreak, epsilon, ardThreshold);
    }

    public FitOptions withReferenceEnergies(Map<Integer, Double> e) {
        return new FitOptions(solver, committeeSize, seed, weights, fitVirials, outlierSigmas, e, activeSet, gammaSelect, gammaBreak, epsilon, ardThreshold);
    }

    public FitOptions withFitVirials(boolean v) {
        return new FitOptions(solver, committeeSize, seed, weights, v, outlierSigmas, referenceEnergies, activeSet, gammaSelect, gammaBreak, epsilon, ardThreshold);
    }

    public FitOptions withActiveSet(boolean a) {
        return new FitOptions(solver, committeeSize, seed, weights, fitVirials, outlierSigmas, referenceEnergies, a, gammaSelect, gammaBreak, epsilon, ardThreshold);
    }
}
