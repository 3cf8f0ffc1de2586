package org.crucible.driver.report;

/**
 * Classical (Torgerson) multidimensional scaling to two dimensions: with squared distances D2, the double-centred
 * Gram matrix B = -1/2 J D2 J (J = I - 11^T/n) is factored as B ~ sum_k lambda_k v_k v_k^T over its two largest
 * eigenvalues, and point i sits at (sqrt(lambda_1) v_1i, sqrt(lambda_2) v_2i). The GAP-RSS paper (Bernstein et al.,
 * npj Comput. Mater. 5, 99 (2019), Fig. 5) maps averaged-SOAP distances this way.
 *
 * <p>The two leading eigenvectors come from orthogonal (subspace) iteration with a fixed start, O(n^2) per
 * iteration, so the embedding is deterministic and n of a few thousand takes well under a second. Axes are
 * returned in distance units; the sign of each axis is fixed so that its largest component is positive.
 */
public final class ClassicalMds {
    private ClassicalMds() {
    }

    /** Coordinates [n][2] from a symmetric distance matrix (n &gt;= 1). */
    public static double[][] embed(double[][] d) {
        int n = d.length;
        double[][] out = new double[n][2];
        if (n < 2) return out;
        double[][] b = new double[n][n];
        double[] rowMean = new double[n];
        double all = 0;
        for (int i = 0; i < n; i++) {
            if (d[i].length != n) throw new IllegalArgumentException("distance matrix row " + i + " has " + d[i].length + " entries, expected " + n);
            for (int j = 0; j < n; j++) {
                double v = d[i][j] * d[i][j];
                b[i][j] = v;
                rowMean[i] += v / n;
            }
            all += rowMean[i] / n;
        }
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) b[i][j] = -0.5 * (b[i][j] - rowMean[i] - rowMean[j] + all);
        double[][] v = new double[2][n];
        for (int i = 0; i < n; i++) {
            v[0][i] = 1.0 + Math.sin(1.3 * i + 0.1);
            v[1][i] = Math.cos(0.7 * i + 0.4);
        }
        double[] lambda = new double[2];
        for (int it = 0; it < 500; it++) {
            double[][] w = new double[2][n];
            for (int k = 0; k < 2; k++) {
                for (int i = 0; i < n; i++) {
                    double s = 0;
                    double[] bi = b[i];
                    for (int j = 0; j < n; j++) s += bi[j] * v[k][j];
                    w[k][i] = s;
                }
            }
            // Gram-Schmidt keeps the second vector orthogonal to the first (subspace iteration).
            double n0 = norm(w[0]);
            if (n0 == 0) break;
            for (int i = 0; i < n; i++) w[0][i] /= n0;
            double dot = 0;
            for (int i = 0; i < n; i++) dot += w[0][i] * w[1][i];
            for (int i = 0; i < n; i++) w[1][i] -= dot * w[0][i];
            double n1 = norm(w[1]);
            if (n1 > 0) for (int i = 0; i < n; i++) w[1][i] /= n1;
            double change = 0;
            for (int i = 0; i < n; i++) change = Math.max(change, Math.abs(Math.abs(w[0][i]) - Math.abs(v[0][i])) + Math.abs(Math.abs(w[1][i]) - Math.abs(v[1][i])));
            v = w;
            lambda[0] = n0;
            lambda[1] = n1;
            if (change < 1e-10) break;
        }
        for (int k = 0; k < 2; k++) {
            int arg = 0;
            for (int i = 1; i < n; i++) if (Math.abs(v[k][i]) > Math.abs(v[k][arg])) arg = i;
            double sign = v[k][arg] < 0 ? -1 : 1;
            double scale = Math.sqrt(Math.max(0, lambda[k]));
            for (int i = 0; i < n; i++) out[i][k] = sign * scale * v[k][i];
        }
        return out;
    }

    private static double norm(double[] x) {
        double s = 0;
        for (double v : x) s += v * v;
        return Math.sqrt(s);
    }
}
