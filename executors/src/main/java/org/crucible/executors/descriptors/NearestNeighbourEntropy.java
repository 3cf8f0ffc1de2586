package org.crucible.executors.descriptors;

/**
 * The Kozachenko-Leonenko nearest-neighbour estimate of the differential entropy of n points q_i in R^m (the
 * entropy-maximisation paper's S({q}), Sec. 1):
 * <pre>
 *   S = (m/n) sum_i ln delta_i + ln(n - 1) + gamma + ln V_m,   delta_i = sqrt(min_{j != i} |q_i - q_j|^2 + eps^2)
 * </pre>
 * with gamma Euler's constant and V_m = pi^(m/2) / Gamma(m/2 + 1) the volume of the unit m-ball (nats). The small
 * eps = {@value #EPSILON} (in the units of q) keeps S finite when two points coincide (the perfect crystal). Its
 * gradient is piecewise smooth: with j*(i) the nearest neighbour of i,
 * dS/dq_i = (m/n) sum over the pairs (a, j*(a)) containing i of +-(q_a - q_j*(a)) / delta_a^2.
 * Ties in the nearest neighbour are broken by the lower index.
 *
 * <pre>{@code
 * double s = NearestNeighbourEntropy.entropy(q);           // q: n x m
 * double[][] g = new double[n][m];
 * double s2 = NearestNeighbourEntropy.entropyAndGradient(q, g);
 * }</pre>
 */
public final class NearestNeighbourEntropy {
    /** Regularisation eps of the nearest-neighbour distance (units of q). */
    public static final double EPSILON = 1e-6;
    private static final double EULER_GAMMA = 0.5772156649015329;

    private NearestNeighbourEntropy() {
    }

    /** S of the rows of {@code q} (n x m, n &gt;= 2), in nats. */
    public static double entropy(double[][] q) {
        return entropyAndGradient(q, null);
    }

    /**
     * S of the rows of {@code q}; when {@code gradient} is not null it receives dS/dq (n x m, overwritten).
     */
    public static double entropyAndGradient(double[][] q, double[][] gradient) {
        int n = q.length;
        if (n < 2) throw new IllegalArgumentException("the nearest-neighbour entropy needs at least 2 points, got " + n);
        int m = q[0].length;
        if (gradient != null) for (double[] g : gradient) java.util.Arrays.fill(g, 0);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int best = -1;
            double bestD2 = Double.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                if (j == i) continue;
                double d2 = 0;
                for (int c = 0; c < m; c++) {
                    double x = q[i][c] - q[j][c];
                    d2 += x * x;
                }
                if (d2 < bestD2) {
                    bestD2 = d2;
                    best = j;
                }
            }
            double delta2 = bestD2 + EPSILON * EPSILON;
            sum += 0.5 * Math.log(delta2);
            if (gradient != null) {
                double f = (double) m / n / delta2;
                for (int c = 0; c < m; c++) {
                    double x = f * (q[i][c] - q[best][c]);
                    gradient[i][c] += x;
                    gradient[best][c] -= x;
                }
            }
        }
        return (double) m / n * sum + constant(n, m);
    }

    /** ln(n - 1) + gamma + ln V_m. */
    public static double constant(int n, int m) {
        return Math.log(n - 1) + EULER_GAMMA + m / 2.0 * Math.log(Math.PI) - logGammaHalfInteger(m + 2);
    }

    /** ln Gamma(k / 2) for a positive integer k. */
    static double logGammaHalfInteger(int k) {
        double x = k % 2 == 0 ? 0 : 0.5 * Math.log(Math.PI); // Gamma(1) = 1, Gamma(1/2) = sqrt(pi)
        for (int j = k % 2 == 0 ? 2 : 1; j + 2 <= k; j += 2) x += Math.log(j / 2.0);
        return x;
    }
}
