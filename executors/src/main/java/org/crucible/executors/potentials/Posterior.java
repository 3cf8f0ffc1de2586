package org.crucible.executors.potentials;

import java.util.Arrays;
import java.util.Map;

/**
 * The Gaussian posterior N(mean, Sigma) over the coefficients of a linear model fitted by {@link BayesianRidge}
 * or {@link Ard}, with Sigma = L L^T given by a factor L (F x F, row-major) so that committees can be sampled as
 * c_k = mean + L xi_k (HAL paper, eq. 5) without re-factorising.
 *
 * @param mean              posterior mean coefficients c (length F)
 * @param covarianceFactor  L with Sigma = L L^T (F x G row-major, G >= F: G > F when the posterior is the marginal
 *                          of a larger model, e.g. after fitted reference energies were split off)
 * @param alpha             noise precision of the weighted residuals (1/alpha is the weighted noise variance)
 * @param lambdas           prior precisions: one value for Bayesian ridge (isotropic prior on scaled columns), F
 *                          values for ARD (Infinity for pruned features)
 * @param columnScales      d_j: the prior acts on d_j c_j (d_j = RMS of column j of the weighted design)
 * @param logEvidence       log marginal likelihood at the optimum (natural log)
 * @param effectiveParameters gamma = sum_i alpha s_i^2 / (alpha s_i^2 + lambda), the well-determined parameters
 * @param iterations        evidence iterations until convergence
 * @param solver            "brr" or "ard"
 */
public record Posterior(double[] mean, double[] covarianceFactor, double alpha, double[] lambdas, double[] columnScales,
                        double logEvidence, double effectiveParameters, int iterations, String solver) {
    public Posterior {
        int f = mean.length;
        if (f == 0 || covarianceFactor.length % f != 0 || covarianceFactor.length < f * f) {
            throw new IllegalArgumentException("covariance factor must be " + f + "xG with G >= " + f + ", got " + covarianceFactor.length + " values");
        }
        for (double v : mean) if (!Double.isFinite(v)) throw new IllegalStateException(solver + " produced a non-finite coefficient");
        mean = mean.clone();
        covarianceFactor = covarianceFactor.clone();
        lambdas = lambdas.clone();
        columnScales = columnScales.clone();
    }

    public int features() {
        return mean.length;
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] covarianceFactor() {
        return covarianceFactor.clone();
    }

    @Override
    public double[] lambdas() {
        return lambdas.clone();
    }

    @Override
    public double[] columnScales() {
        return columnScales.clone();
    }

    /** G, the number of columns of the covariance factor (the length of the standard normal vector drawn). */
    public int factorColumns() {
        return covarianceFactor.length / mean.length;
    }

    /** Sigma_jj, the marginal posterior variance of coefficient j. */
    public double variance(int j) {
        int g = factorColumns();
        double s = 0;
        for (int k = 0; k < g; k++) s += covarianceFactor[j * g + k] * covarianceFactor[j * g + k];
        return s;
    }

    /**
     * The posterior of the first {@code f} coefficients conditioned on the others being fixed at their posterior
     * mean: mean unchanged (the conditional mean at the joint mean is the joint mean), factor L_c - K L_e with
     * K = Sigma_ce Sigma_ee^-1, so that Sigma_c|e = Sigma_cc - Sigma_ce Sigma_ee^-1 Sigma_ec. Used for the
     * fitted reference energies: they are one fixed part of the model shared by all committee members, and
     * marginalising instead would leave the committee free to move along directions that only the (then fixed)
     * 1-body terms compensate, inflating sigma_E.
     */
    public Posterior conditionedOnRest(int f) {
        int total = mean.length;
        if (f < 1 || f >= total) throw new IllegalArgumentException("cannot condition " + f + " of " + total + " coefficients on the rest");
        int g = factorColumns();
        int m = total - f;
        double[] see = new double[m * m];
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < m; b++) {
                double sum = 0;
                for (int k = 0; k < g; k++) sum += covarianceFactor[(f + a) * g + k] * covarianceFactor[(f + b) * g + k];
                see[a * m + b] = sum;
            }
        }
        double trace = 0;
        for (int a = 0; a < m; a++) trace += see[a * m + a];
        double[] chol = null;
        double jitter = 0;
        for (int attempt = 0; attempt < 12 && chol == null; attempt++) {
            chol = Ard.Factor.cholesky(see, m, jitter);
            jitter = jitter == 0 ? 1e-12 * Math.max(trace / m, Double.MIN_NORMAL) : jitter * 10;
        }
        if (chol == null) throw new IllegalStateException("posterior covariance of the conditioning coefficients is singular");
        Ard.Factor fe = new Ard.Factor(chol, m);
        double[] factor = new double[f * g];
        double[] sce = new double[m];
        for (int i = 0; i < f; i++) {
            for (int a = 0; a < m; a++) {
                double sum = 0;
                for (int k = 0; k < g; k++) sum += covarianceFactor[i * g + k] * covarianceFactor[(f + a) * g + k];
                sce[a] = sum;
            }
            double[] kRow = fe.solve(sce);   // row i of K = Sigma_ce Sigma_ee^-1 (Sigma_ee symmetric)
            for (int k = 0; k < g; k++) {
                double v = covarianceFactor[i * g + k];
                for (int a = 0; a < m; a++) v -= kRow[a] * covarianceFactor[(f + a) * g + k];
                factor[i * g + k] = v;
            }
        }
        double[] lam = lambdas.length == 1 ? lambdas : java.util.Arrays.copyOf(lambdas, f);
        return new Posterior(java.util.Arrays.copyOf(mean, f), factor, alpha, lam, java.util.Arrays.copyOf(columnScales, f),
                logEvidence, effectiveParameters, iterations, solver);
    }

    /**
     * The marginal posterior of the first {@code f} coefficients (mean and factor rows 0..f-1; the factor keeps
     * all G columns, so samples are exactly distributed as the marginal).
     */
    public Posterior leading(int f) {
        if (f < 1 || f > mean.length) throw new IllegalArgumentException("cannot take " + f + " of " + mean.length + " coefficients");
        int g = factorColumns();
        double[] lam = lambdas.length == 1 ? lambdas : java.util.Arrays.copyOf(lambdas, f);
        return new Posterior(java.util.Arrays.copyOf(mean, f), java.util.Arrays.copyOf(covarianceFactor, f * g), alpha, lam,
                java.util.Arrays.copyOf(columnScales, f), logEvidence, effectiveParameters, iterations, solver);
    }

    /** Number of features kept (ARD prunes; Bayesian ridge keeps all). */
    public int activeFeatures() {
        int n = 0;
        for (double l : lambdas) if (Double.isFinite(l)) n++;
        return lambdas.length == 1 ? mean.length : n;
    }

    /** Hyperparameters for summaries and model files. */
    public Map<String, Object> hyperparameters() {
        double lambdaReport = lambdas.length == 1 ? lambdas[0]
                : Arrays.stream(lambdas).filter(Double::isFinite).average().orElse(Double.NaN);
        return Map.of("solver", solver, "alpha", alpha, "lambda", lambdaReport, "log_evidence", logEvidence,
                "effective_parameters", effectiveParameters, "iterations", iterations, "active_features", activeFeatures());
    }
}
