package org.crucible.executors.potentials;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.crucible.core.Elements;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.executors.calculators.CalculationException;
import org.crucible.executors.calculators.Calculator;
import org.crucible.executors.descriptors.LinearBasis;

/**
 * The uncertainty-aware linear potential E = sum_i (c . B_i + E0(z_i)) with a committee of K posterior samples
 * c_k ~ N(c, Sigma) (HAL paper, eq. 5). A {@link Calculator} (mean model) and {@link Serializable}, so one
 * instance is broadcast to Spark executors; immutable and thread-safe.
 *
 * <p>{@link #predict} evaluates the mean and all K members in one basis evaluation and returns the uncertainty
 * measures of the three seed methods ({@link Prediction}); {@link #biased} gives the HAL biased calculator
 * E - tau sigma_E with its exact forces and stress (HAL eqs. 9-11).
 *
 * <pre>{@code
 * LinearPotential pot = ModelFile.read(Path.of("model.json")).potential();
 * Prediction p = pot.predict(structure);
 * if (p.ensembleUncertainty() > 0.5 || p.extrapolationGrade() > pot.activeSet().gammaBreak()) ...
 * }</pre>
 */
public final class LinearPotential implements Calculator, Serializable {
    private static final long serialVersionUID = 1L;
    /** Default epsilon of the relative force uncertainty f_i (HAL eq. 6), eV/Angstrom. */
    public static final double DEFAULT_EPSILON = 0.2;

    private final LinearBasis basis;
    private final double[] mean;
    private final double[][] committee;
    private final double[][] rowsMeanAndCommittee;
    private final TreeMap<Integer, Double> referenceEnergies;
    private final ActiveSet activeSet;
    private final double epsilon;

    /**
     * @param referenceEnergies E0 per atomic number (eV per atom); every element the potential is asked about must
     *                          be present
     * @param committee         K x F samples (K >= 2)
     * @param activeSet         D-optimality active set over per-atom descriptors, or null
     * @param epsilon           regulariser of f_i (eV/Angstrom, > 0)
     */
    public LinearPotential(LinearBasis basis, double[] mean, double[][] committee, Map<Integer, Double> referenceEnergies,
                           ActiveSet activeSet, double epsilon) {
        if (basis == null) throw new IllegalArgumentException("basis is null");
        int f = basis.size();
        if (mean.length != f) throw new IllegalArgumentException("coefficients have length " + mean.length + " but the basis has " + f + " functions");
        if (committee.length < 2) throw new IllegalArgumentException("committee needs at least 2 members, got " + committee.length);
        for (int k = 0; k < committee.length; k++) {
            if (committee[k].length != f) throw new IllegalArgumentException("committee member " + k + " has length " + committee[k].length + ", expected " + f);
        }
        if (activeSet != null && activeSet.features() != f) {
            throw new IllegalArgumentException("active set is over " + activeSet.features() + " features, basis has " + f);
        }
        if (!(epsilon > 0)) throw new IllegalArgumentException("epsilon must be > 0 eV/Angstrom, got " + epsilon);
        this.basis = basis;
        this.mean = mean.clone();
        this.committee = new double[committee.length][];
        this.rowsMeanAndCommittee = new double[committee.length + 1][];
        this.rowsMeanAndCommittee[0] = this.mean;
        for (int k = 0; k < committee.length; k++) {
            this.committee[k] = committee[k].clone();
            this.rowsMeanAndCommittee[k + 1] = this.committee[k];
        }
        this.referenceEnergies = new TreeMap<>(referenceEnergies);
        this.activeSet = activeSet;
        this.epsilon = epsilon;
    }

    public LinearBasis basis() {
        return basis;
    }

    public double[] coefficients() {
        return mean.clone();
    }

    public double[][] committee() {
        double[][] c = new double[committee.length][];
        for (int k = 0; k < c.length; k++) c[k] = committee[k].clone();
        return c;
    }

    public int committeeSize() {
        return committee.length;
    }

    public Map<Integer, Double> referenceEnergies() {
        return Collections.unmodifiableMap(referenceEnergies);
    }

    /** The D-optimality active set, or null when the model has none. */
    public ActiveSet activeSet() {
        return activeSet;
    }

    public double epsilon() {
        return epsilon;
    }

    /** A copy with another active set (e.g. after {@link ActiveSet#update}). */
    public LinearPotential withActiveSet(ActiveSet updated) {
        return new LinearPotential(basis, mean, committee, referenceEnergies, updated, epsilon);
    }

    @Override
    public Set<Property> implementedProperties() {
        return EnumSet.allOf(Property.class);
    }

    @Override
    public String name() {
        return "linear-potential(F=" + basis.size() + ",K=" + committee.length + ")";
    }

    /**
     * Mean-model energy, forces and (periodic structures) stress. Evaluates the mean coefficients alone (a quarter
     * of a committee evaluation's cost for K = 8); the numbers are bit for bit those of {@link #predict}.
     */
    @Override
    public Labels calculate(Structure s) {
        double e0 = referenceEnergy(s);
        LinearBasis.CommitteeEvaluation ev = evaluate(s, new double[][] {mean});
        double energy = ev.energies()[0] + e0;
        check(s, energy, 0.0);
        double[] stress = s.cell().hasVolume() && s.cell().isFullyPeriodic() ? ev.stress()[0] : null;
        return new Labels(energy, ev.forces()[0], stress);
    }

    /** Mean prediction with all uncertainty measures, including the extrapolation grade. */
    public Prediction predict(Structure s) {
        return predict(s, true);
    }

    /**
     * @param withGrade also evaluate the D-optimality grade (one extra per-atom descriptor evaluation)
     */
    public Prediction predict(Structure s, boolean withGrade) {
        double e0 = referenceEnergy(s);
        LinearBasis.CommitteeEvaluation ev = evaluate(s);
        int k = committee.length;
        int n = s.size();
        double energy = ev.energies()[0] + e0;
        double[] forces = ev.forces()[0].clone();
        double[] stress = s.cell().hasVolume() && s.cell().isFullyPeriodic() ? ev.stress()[0].clone() : null;
        double var = 0;
        for (int m = 1; m <= k; m++) {
            double d = ev.energies()[m] - ev.energies()[0];
            var += d * d;
        }
        double sigmaE = Math.sqrt(var / k);
        double[] spread = new double[n];
        double[] rel = new double[n];
        double maxSpread = 0, maxForce = 0;
        for (int i = 0; i < n; i++) {
            double v = 0;
            for (int m = 1; m <= k; m++) {
                double[] fm = ev.forces()[m];
                for (int a = 0; a < 3; a++) {
                    double d = fm[3 * i + a] - forces[3 * i + a];
                    v += d * d;
                }
            }
            spread[i] = Math.sqrt(v / k);
            double fn = Math.sqrt(forces[3 * i] * forces[3 * i] + forces[3 * i + 1] * forces[3 * i + 1] + forces[3 * i + 2] * forces[3 * i + 2]);
            rel[i] = spread[i] / (fn + epsilon);
            maxSpread = Math.max(maxSpread, spread[i]);
            maxForce = Math.max(maxForce, fn);
        }
        double softmax = softmax(rel);
        double u = maxForce > 0 ? maxSpread / maxForce : (maxSpread > 0 ? Double.POSITIVE_INFINITY : 0.0);
        double gamma = Double.NaN;
        if (withGrade && activeSet != null) gamma = activeSet.grade(basis.atomicFeatures(s), n);
        check(s, energy, sigmaE);
        return new Prediction(energy, forces, stress, sigmaE, spread, rel, softmax, u, gamma);
    }

    /** D-optimality grade of a structure (max over atoms), NaN without an active set. */
    public double extrapolationGrade(Structure s) {
        return activeSet == null ? Double.NaN : activeSet.grade(basis.atomicFeatures(s), s.size());
    }

    /**
     * The HAL biased calculator: energy E - tau sigma_E, forces F + tau grad sigma_E and the matching stress,
     * where grad sigma_E = (1 / (K sigma_E)) sum_k (E_k - E)(grad E_k - grad E) (HAL eqs. 9-11). tau >= 0 (eV/eV,
     * dimensionless). At sigma_E = 0 the bias gradient is taken as zero.
     */
    public Calculator biased(double tau) {
        if (!(tau >= 0)) throw new IllegalArgumentException("tau must be >= 0, got " + tau);
        return new Biased(this, tau);
    }

    LinearBasis.CommitteeEvaluation evaluate(Structure s) {
        return evaluate(s, rowsMeanAndCommittee);
    }

    private LinearBasis.CommitteeEvaluation evaluate(Structure s, double[][] coefficients) {
        try {
            return basis.evaluate(s, coefficients);
        } catch (IllegalArgumentException e) {
            throw new CalculationException("potential cannot evaluate " + s.formula() + " (" + s.contentHash().substring(0, 12) + "): " + e.getMessage(), e);
        }
    }

    double referenceEnergy(Structure s) {
        double e0 = 0;
        for (int i = 0; i < s.size(); i++) {
            Double e = referenceEnergies.get(s.atomicNumber(i));
            if (e == null) {
                throw new CalculationException("potential has no reference energy for element " + Elements.byZ(s.atomicNumber(i)).symbol()
                        + " (structure " + s.formula() + "); it was fitted for " + symbols());
            }
            e0 += e;
        }
        return e0;
    }

    private String symbols() {
        StringBuilder sb = new StringBuilder();
        for (int z : referenceEnergies.keySet()) sb.append(sb.length() == 0 ? "" : ",").append(Elements.byZ(z).symbol());
        return sb.toString();
    }

    private static void check(Structure s, double energy, double sigma) {
        if (!Double.isFinite(energy) || !Double.isFinite(sigma)) {
            throw new CalculationException("potential produced a non-finite energy " + energy + " (sigma " + sigma + ") for " + s.formula());
        }
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) sum += a[i] * b[i];
        return sum;
    }

    static double softmax(double[] f) {
        if (f.length == 0) return 0;
        double max = Arrays.stream(f).max().getAsDouble();
        double num = 0, den = 0;
        for (double v : f) {
            double w = Math.exp(v - max);
            num += w * v;
            den += w;
        }
        return num / den;
    }

    /** E - tau sigma_E; serialisable so it can be broadcast like the potential itself. */
    private static final class Biased implements Calculator, Serializable {
        private static final long serialVersionUID = 1L;
        private final LinearPotential potential;
        private final double tau;

        Biased(LinearPotential potential, double tau) {
            this.potential = potential;
            this.tau = tau;
        }

        @Override
        public Set<Property> implementedProperties() {
            return EnumSet.allOf(Property.class);
        }

        @Override
        public String name() {
            return potential.name() + "-biased(tau=" + tau + ")";
        }

        /**
         * Two passes instead of K + 1 gradients: the member energies E_k = c_k . S need only the summed features
         * S = sum_i B_i, and since forces and stress are linear in the coefficients, F + tau grad sigma_E =
         * F(c) - (tau / (K sigma_E)) sum_k dE_k (F(c_k) - F(c)) is the force of the one combined vector
         * c_b = c - (tau / (K sigma_E)) sum_k dE_k (c_k - c), evaluated with one adjoint pass.
         */
        @Override
        public Labels calculate(Structure s) {
            int k = potential.committee.length;
            double[] c = potential.mean;
            double[] meanAndSigma = new double[2];
            LinearBasis.CommitteeEvaluation ev;
            try {
                // one basis call: the summed features give the member energies, then the combined vector's forces
                ev = potential.basis.evaluateFromSummedFeatures(s, sum -> {
                    double e = dot(c, sum);
                    double[] de = new double[k];
                    double var = 0;
                    for (int m = 0; m < k; m++) {
                        de[m] = dot(potential.committee[m], sum) - e;
                        var += de[m] * de[m];
                    }
                    double sigma = Math.sqrt(var / k);
                    meanAndSigma[0] = e;
                    meanAndSigma[1] = sigma;
                    double[] combined = c;
                    if (sigma > 0 && tau > 0) {
                        double scale = tau / (k * sigma);
                        combined = c.clone();
                        for (int m = 0; m < k; m++) {
                            double w = scale * de[m];
                            double[] cm = potential.committee[m];
                            for (int f = 0; f < combined.length; f++) combined[f] -= w * (cm[f] - c[f]);
                        }
                    }
                    return combined;
                });
            } catch (IllegalArgumentException ex) {
                throw new CalculationException("potential cannot evaluate " + s.formula() + " (" + s.contentHash().substring(0, 12) + "): " + ex.getMessage(), ex);
            }
            boolean periodic = s.cell().hasVolume() && s.cell().isFullyPeriodic();
            double[] f = ev.forces()[0];
            double[] st = periodic ? ev.stress()[0] : null;
            double sigma = meanAndSigma[1];
            double energy = meanAndSigma[0] + potential.referenceEnergy(s) - tau * sigma;
            check(s, energy, sigma);
            return new Labels(energy, f, st);
        }
    }
}
