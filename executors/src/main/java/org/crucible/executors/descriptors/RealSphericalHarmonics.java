package org.crucible.executors.descriptors;

/**
 * Real, orthonormal spherical harmonics Y_lm(u) of a unit vector u = (x, y, z) and their gradients, for
 * 0 &lt;= l &lt;= lMax, stored at index {@code l*l + l + m} (m = -l..l).
 *
 * <p>Convention (no Condon-Shortley phase): Y_l0 = N_l0 Q_l^0(z); Y_lm = sqrt(2) N_lm Q_l^m(z) Re (x + i y)^m and
 * Y_l,-m = sqrt(2) N_lm Q_l^m(z) Im (x + i y)^m for m &gt; 0, where Q_l^m = d^m P_l / dz^m and
 * N_lm = sqrt((2l+1)/(4 pi) (l-m)!/(l+m)!). Every factor is a polynomial in x, y, z, so there is no division
 * by sin(theta) and the poles are regular; dQ_l^m/dz = Q_l^{m+1} gives analytic gradients. Q is built by the
 * stable upward recursion in l at fixed m: (l-m) Q_l^m = (2l-1) z Q_{l-1}^m - (l+m-1) Q_{l-2}^m.
 *
 * <p>{@link #evaluate} gives d Y / d r for the (non-unit) displacement r: the tangential projection
 * (I - u u^T) grad_u Y / |r|. Instances hold scratch space: one instance per thread.
 *
 * <pre>{@code
 * RealSphericalHarmonics sh = new RealSphericalHarmonics(6);
 * double[] y = new double[sh.size()], dy = new double[3 * sh.size()];
 * sh.evaluate(dx, dy_, dz, y, dy);
 * }</pre>
 */
public final class RealSphericalHarmonics {
    private final int lMax;
    private final double[] norm; // per (l, m >= 0): N_lm (times sqrt 2 for m > 0)
    private final double[] q; // Q_l^m, index l*(lMax+2) + m, m up to l+1 (zero beyond l)
    private final double[] ra; // (2l-1)/(l-m), index l*(lMax+2) + m
    private final double[] rb; // (l+m-1)/(l-m)
    private final double[] c;
    private final double[] s;

    /** Harmonics up to degree lMax (0..40). */
    public RealSphericalHarmonics(int lMax) {
        if (lMax < 0 || lMax > 40) throw new IllegalArgumentException("lMax must be in 0..40, got " + lMax);
        this.lMax = lMax;
        norm = new double[(lMax + 1) * (lMax + 1)];
        for (int l = 0; l <= lMax; l++) {
            for (int m = 0; m <= l; m++) {
                // (l-m)!/(l+m)! as a product to avoid overflow
                double ratio = 1.0;
                for (int k = l - m + 1; k <= l + m; k++) ratio /= k;
                double n = Math.sqrt((2 * l + 1) / (4 * Math.PI) * ratio);
                norm[l * (lMax + 1) + m] = m == 0 ? n : Math.sqrt(2.0) * n;
            }
        }
        q = new double[(lMax + 1) * (lMax + 2)];
        ra = new double[q.length];
        rb = new double[q.length];
        for (int l = 0; l <= lMax; l++) {
            for (int m = 0; m < l; m++) {
                ra[l * (lMax + 2) + m] = (2.0 * l - 1) / (l - m);
                rb[l * (lMax + 2) + m] = (l + m - 1.0) / (l - m);
            }
        }
        c = new double[lMax + 1];
        s = new double[lMax + 1];
    }

    /** Highest degree. */
    public int lMax() {
        return lMax;
    }

    /** Number of harmonics, (lMax+1)^2. */
    public int size() {
        return (lMax + 1) * (lMax + 1);
    }

    /**
     * Y_lm of the direction of r = (rx, ry, rz) (|r| &gt; 0) into {@code y}; if {@code grad} is not null, the
     * Cartesian gradient d Y_lm / d r into {@code grad[3*lm .. 3*lm+2]} (1/Angstrom when r is in Angstrom).
     */
    public void evaluate(double rx, double ry, double rz, double[] y, double[] grad) {
        evaluate(rx, ry, rz, y, 0, grad, 0);
    }

    /**
     * As {@link #evaluate(double, double, double, double[], double[])}, writing Y_lm to {@code y[yOff + lm]} and
     * the gradient to {@code grad[gOff + 3*lm ..]}, so callers can fill per-neighbour tables in place.
     */
    public void evaluate(double rx, double ry, double rz, double[] y, int yOff, double[] grad, int gOff) {
        double r = Math.sqrt(rx * rx + ry * ry + rz * rz);
        double inv = 1.0 / r;
        double x = rx * inv, yy = ry * inv, z = rz * inv;
        int w = lMax + 2;
        // Q_l^m(z) for 0 <= m <= l, plus Q_l^{l+1} = 0 for the derivative
        double qmm = 1.0;
        for (int m = 0; m <= lMax; m++) {
            if (m > 0) qmm *= (2 * m - 1);
            q[m * w + m] = qmm;
            if (m + 1 <= lMax) q[(m + 1) * w + m] = (2 * m + 1) * z * qmm;
            for (int l = m + 2; l <= lMax; l++) {
                q[l * w + m] = ra[l * w + m] * z * q[(l - 1) * w + m] - rb[l * w + m] * q[(l - 2) * w + m];
            }
        }
        for (int l = 0; l <= lMax; l++) q[l * w + l + 1] = 0.0;
        c[0] = 1.0;
        s[0] = 0.0;
        for (int m = 1; m <= lMax; m++) {
            c[m] = x * c[m - 1] - yy * s[m - 1];
            s[m] = x * s[m - 1] + yy * c[m - 1];
        }
        int stride = lMax + 1;
        for (int l = 0; l <= lMax; l++) {
            int base = l * l + l;
            int yb = yOff + base, gb = gOff + 3 * base;
            double n0 = norm[l * stride];
            y[yb] = n0 * q[l * w];
            if (grad != null) {
                // grad_u of N Q_l^0(z): only z
                double gz = n0 * q[l * w + 1];
                project(grad, gb, 0, 0, gz, x, yy, z, inv);
            }
            for (int m = 1; m <= l; m++) {
                double nm = norm[l * stride + m];
                double qlm = q[l * w + m];
                y[yb + m] = nm * qlm * c[m];
                y[yb - m] = nm * qlm * s[m];
                if (grad != null) {
                    double dq = q[l * w + m + 1];
                    // d/dx (x+iy)^m = m (x+iy)^{m-1}; d/dy = i m (x+iy)^{m-1}
                    double gx = nm * qlm * m * c[m - 1];
                    double gy = -nm * qlm * m * s[m - 1];
                    double gz = nm * dq * c[m];
                    project(grad, gb + 3 * m, gx, gy, gz, x, yy, z, inv);
                    gx = nm * qlm * m * s[m - 1];
                    gy = nm * qlm * m * c[m - 1];
                    gz = nm * dq * s[m];
                    project(grad, gb - 3 * m, gx, gy, gz, x, yy, z, inv);
                }
            }
        }
    }

    private static void project(double[] g, int off, double gx, double gy, double gz, double x, double y, double z, double inv) {
        double dot = gx * x + gy * y + gz * z;
        g[off] = (gx - dot * x) * inv;
        g[off + 1] = (gy - dot * y) * inv;
        g[off + 2] = (gz - dot * z) * inv;
    }
}
