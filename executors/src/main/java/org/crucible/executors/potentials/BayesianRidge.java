package org.crucible.executors.potentials;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Bayesian ridge regression with evidence maximisation (MacKay; HAL paper, van der Oord et al. 2023, eqs. 22-27).
 *
 * <p>Model: y = X c + noise, noise ~ N(0, 1/alpha), prior c' ~ N(0, 1/lambda) on the column-scaled coefficients
 * c'_j = d_j c_j (d_j = RMS of column j, so one lambda suits features of very different magnitude). Posterior:
 * Sigma' = (alpha X'^T X' + lambda I)^-1, c' = alpha Sigma' X'^T y. Evidence maximisation iterates
 * gamma = sum_i alpha s_i^2 / (alpha s_i^2 + lambda), lambda = gamma / |c'|^2, alpha = (N - gamma) / |y - X'c'|^2
 * to a fixed point, where s_i are the singular values of X'.
 *
 * <p>Numerics: the solver works on the triangular factor R of a {@link StreamingQr}, never on X^T X, and takes
 * one SVD R' = U S V^T; each iteration is then O(F) and the posterior factor L = D^-1 V diag((alpha s^2 +
 * lambda)^-1/2) is exact and symmetric positive semi-definite by construction (no jitter needed).
 */
public final class BayesianRidge {
    private final int maxIterations;
    private final double tolerance;

    /** @param tolerance relative change of alpha and lambda at which the evidence iteration stops */
    public BayesianRidge(int maxIterations, double tolerance) {
        if (maxIterations < 1) throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
        if (!(tolerance > 0)) throw new IllegalArgumentException("tolerance must be > 0, got " + tolerance);
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
    }

    /** Defaults: 500 iterations, relative tolerance 1e-9. */
    public BayesianRidge() {
        this(500, 1e-9);
    }

    public Posterior fit(LeastSquaresProblem p) {
        int f = p.features();
        long n = p.observations();
        double[] d = columnScales(p);
        DMatrixRMaj scaled = new DMatrixRMaj(f, f);
        for (int i = 0; i < f; i++) for (int j = i; j < f; j++) scaled.set(i, j, p.rAt(i, j) / d[j]);
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(f, f, true, true, false);
        if (!svd.decompose(scaled)) throw new IllegalStateException("SVD of the " + f + "x" + f + " design factor failed");
        double[] s = svd.getSingularValues();
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj v = svd.getV(null, false);
        int rank = Math.min(s.length, f);
        double[] b = new double[rank];          // U^T z
        for (int k = 0; k < rank; k++) {
            double sum = 0;
            for (int i = 0; i < f; i++) sum += u.get(i, k) * p.zAt(i);
            b[k] = sum;
        }
        double yy = p.residualOutsideSpan();
        for (int i = 0; i < f; i++) yy += p.zAt(i) * p.zAt(i);
        double alpha = n / Math.max(yy, Double.MIN_NORMAL);
        double lambda = 1.0;
        double[] w = new double[rank];
        double gamma = 0, rss = 0, norm2 = 0;
        int it = 0;
        boolean converged = false;
        while (it < maxIterations && !converged) {
            it++;
            gamma = 0;
            norm2 = 0;
            rss = p.residualOutsideSpan();
            for (int k = 0; k < rank; k++) {
                double s2 = s[k] * s[k];
                w[k] = alpha * s[k] * b[k] / (alpha * s2 + lambda);
                gamma += alpha * s2 / (alpha * s2 + lambda);
                norm2 += w[k] * w[k];
                double res = b[k] - s[k] * w[k];
                rss += res * res;
            }
            double lambdaNew = gamma / Math.max(norm2, Double.MIN_NORMAL);
            double alphaNew = (n - gamma) / Math.max(rss, Double.MIN_NORMAL);
            if (!Double.isFinite(lambdaNew) || !Double.isFinite(alphaNew) || alphaNew <= 0 || lambdaNew <= 0) {
                throw new IllegalStateException("evidence maximisation diverged at iteration " + it + ": alpha=" + alphaNew + " lambda=" + lambdaNew);
            }
            converged = Math.abs(lambdaNew - lambda) <= tolerance * lambda && Math.abs(alphaNew - alpha) <= tolerance * alpha;
            alpha = alphaNew;
            lambda = lambdaNew;
        }
        // final posterior at the converged hyperparameters
        double[] mean = new double[f];
        double[] factor = new double[f * f];
        gamma = 0;
        norm2 = 0;
        rss = p.residualOutsideSpan();
        double logDet = 0;
        for (int k = 0; k < f; k++) {
            double sk = k < rank ? s[k] : 0.0;
            double precision = alpha * sk * sk + lambda;
            double wk = k < rank ? alpha * sk * b[k] / precision : 0.0;
            gamma += alpha * sk * sk / precision;
            norm2 += wk * wk;
            if (k < rank) {
                double res = b[k] - sk * wk;
                rss += res * res;
            }
            logDet += Math.log(precision);
            double sd = 1.0 / Math.sqrt(precision);
            for (int j = 0; j < f; j++) {
                double vjk = v.get(j, k);
                mean[j] += vjk * wk;
                factor[j * f + k] = vjk * sd / d[j];
            }
        }
        for (int j = 0; j < f; j++) mean[j] /= d[j];
        double logEvidence = 0.5 * (f * Math.log(lambda) + n * Math.log(alpha) - alpha * rss - lambda * norm2 - logDet
                - n * Math.log(2 * Math.PI));
        return new Posterior(mean, factor, alpha, new double[] {lambda}, d, logEvidence, gamma, it, "brr");
    }

    /** RMS of each column of X; 1 for an all-zero column (its coefficient then stays at the prior mean 0). */
    static double[] columnScales(LeastSquaresProblem p) {
        double[] norms = p.columnNorms();
        double sqrtN = Math.sqrt((double) p.observations());
        double[] d = new double[norms.length];
        for (int j = 0; j < d.length; j++) d[j] = norms[j] > 0 ? norms[j] / sqrtN : 1.0;
        return d;
    }
}
