package org.crucible.executors.potentials;

/**
 * A weighted linear least-squares problem min_c |y - X c|^2 in reduced form: X^T X = R^T R, X^T y = R^T z and
 * |y - X c|^2 = |z - R c|^2 + residualOutsideSpan. R is F x F upper triangular (row-major), as produced by
 * {@link StreamingQr}; {@code observations} is the number N of rows of X (it enters the evidence).
 */
public record LeastSquaresProblem(int features, double[] r, double[] z, double residualOutsideSpan, long observations) {
    public LeastSquaresProblem {
        if (r.length != features * features || z.length != features) {
            throw new IllegalArgumentException("R must be " + features + "x" + features + " and z of length " + features);
        }
        if (observations < 1) throw new IllegalArgumentException("no observations to fit");
        r = r.clone();
        z = z.clone();
    }

    @Override
    public double[] r() {
        return r.clone();
    }

    @Override
    public double[] z() {
        return z.clone();
    }

    /** |y - X c|^2 for coefficients c. */
    public double residual(double[] c) {
        double sum = residualOutsideSpan;
        for (int i = 0; i < features; i++) {
            double v = z[i];
            for (int j = i; j < features; j++) v -= r[i * features + j] * c[j];
            sum += v * v;
        }
        return sum;
    }

    /** Euclidean norms of the columns of X (equal to those of R, since Q is orthonormal). */
    public double[] columnNorms() {
        double[] n = new double[features];
        for (int i = 0; i < features; i++) {
            for (int j = i; j < features; j++) n[j] += r[i * features + j] * r[i * features + j];
        }
        for (int j = 0; j < features; j++) n[j] = Math.sqrt(n[j]);
        return n;
    }

    double rAt(int i, int j) {
        return r[i * features + j];
    }

    double zAt(int i) {
        return z[i];
    }
}
