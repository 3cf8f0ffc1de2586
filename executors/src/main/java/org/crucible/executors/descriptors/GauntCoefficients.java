package org.crucible.executors.descriptors;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real Gaunt coefficients G(l1 m1, l2 m2, l3 m3) = integral over the unit sphere of Y_l1m1 Y_l2m2 Y_l3m3 for the
 * real harmonics of {@link RealSphericalHarmonics}: the rotation-invariant coupling tensor of three real
 * spherical-harmonic representations (proportional to the real-basis Wigner 3j symbol times the parity-even
 * 3j (l1 l2 l3; 0 0 0)). Non-zero only for triangle-compatible l with l1 + l2 + l3 even, which are exactly the
 * couplings whose invariants are also invariant under reflection.
 *
 * <p>Computed in this code base's own harmonic convention by exact quadrature (Gauss-Legendre in cos(theta)
 * with ceil((L+1)/2) + 1 nodes and a uniform phi grid of L + 2 points, exact for polynomial integrands of
 * total degree L = l1 + l2 + l3), so no phase convention can mismatch the harmonics that use them.
 * Tables are cached and immutable.
 */
public final class GauntCoefficients implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private static final ConcurrentHashMap<Long, GauntCoefficients> CACHE = new ConcurrentHashMap<>();

    /** Non-zero entries: lm indices (l*l + l + m) of the three factors and the values. */
    private final int[] i1;
    private final int[] i2;
    private final int[] i3;
    private final double[] value;

    private GauntCoefficients(int[] i1, int[] i2, int[] i3, double[] value) {
        this.i1 = i1;
        this.i2 = i2;
        this.i3 = i3;
        this.value = value;
    }

    /** Coefficients for (l1, l2, l3); an empty table when the triple is not parity-even and triangular. */
    public static GauntCoefficients of(int l1, int l2, int l3) {
        long key = ((long) l1 << 40) | ((long) l2 << 20) | l3;
        return CACHE.computeIfAbsent(key, k -> compute(l1, l2, l3));
    }

    public int size() {
        return value.length;
    }

    public int index1(int t) {
        return i1[t];
    }

    public int index2(int t) {
        return i2[t];
    }

    public int index3(int t) {
        return i3[t];
    }

    public double value(int t) {
        return value[t];
    }

    int[] i1() {
        return i1;
    }

    int[] i2() {
        return i2;
    }

    int[] i3() {
        return i3;
    }

    double[] values() {
        return value;
    }

    private static GauntCoefficients compute(int l1, int l2, int l3) {
        if (l3 < Math.abs(l1 - l2) || l3 > l1 + l2 || ((l1 + l2 + l3) & 1) != 0) {
            return new GauntCoefficients(new int[0], new int[0], new int[0], new double[0]);
        }
        int lmax = Math.max(l1, Math.max(l2, l3));
        int total = l1 + l2 + l3;
        int nz = total / 2 + 2;
        int nphi = total + 2;
        double[][] gl = gaussLegendre(nz);
        RealSphericalHarmonics sh = new RealSphericalHarmonics(lmax);
        int n1 = 2 * l1 + 1, n2 = 2 * l2 + 1, n3 = 2 * l3 + 1;
        double[] acc = new double[n1 * n2 * n3];
        double[] y = new double[sh.size()];
        for (int a = 0; a < nz; a++) {
            double z = gl[0][a];
            double st = Math.sqrt(Math.max(0.0, 1 - z * z));
            for (int b = 0; b < nphi; b++) {
                double phi = 2 * Math.PI * b / nphi;
                sh.evaluate(st * Math.cos(phi), st * Math.sin(phi), z, y, null);
                double wgt = gl[1][a] * 2 * Math.PI / nphi;
                for (int m1 = 0; m1 < n1; m1++) {
                    double y1 = y[l1 * l1 + m1] * wgt;
                    for (int m2 = 0; m2 < n2; m2++) {
                        double y12 = y1 * y[l2 * l2 + m2];
                        int off = (m1 * n2 + m2) * n3;
                        for (int m3 = 0; m3 < n3; m3++) acc[off + m3] += y12 * y[l3 * l3 + m3];
                    }
                }
            }
        }
        List<double[]> nonzero = new ArrayList<>();
        for (int m1 = 0; m1 < n1; m1++) {
            for (int m2 = 0; m2 < n2; m2++) {
                for (int m3 = 0; m3 < n3; m3++) {
                    double v = acc[(m1 * n2 + m2) * n3 + m3];
                    if (Math.abs(v) > 1e-12) nonzero.add(new double[] {l1 * l1 + m1, l2 * l2 + m2, l3 * l3 + m3, v});
                }
            }
        }
        int[] a1 = new int[nonzero.size()], a2 = new int[nonzero.size()], a3 = new int[nonzero.size()];
        double[] v = new double[nonzero.size()];
        for (int t = 0; t < v.length; t++) {
            double[] e = nonzero.get(t);
            a1[t] = (int) e[0];
            a2[t] = (int) e[1];
            a3[t] = (int) e[2];
            v[t] = e[3];
        }
        return new GauntCoefficients(a1, a2, a3, v);
    }

    /** Gauss-Legendre nodes and weights on [-1, 1] (Newton iteration on P_n). */
    static double[][] gaussLegendre(int n) {
        double[] x = new double[n], w = new double[n];
        for (int i = 0; i < n; i++) {
            double t = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            for (int it = 0; it < 100; it++) {
                double p0 = 1, p1 = t;
                for (int k = 2; k <= n; k++) {
                    double p2 = ((2 * k - 1) * t * p1 - (k - 1) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                double pn = n == 1 ? t : p1;
                double pnm1 = n == 1 ? 1 : p0;
                double dp = n * (t * pn - pnm1) / (t * t - 1);
                double dt = pn / dp;
                t -= dt;
                if (Math.abs(dt) < 1e-16) break;
            }
            double p0 = 1, p1 = t;
            for (int k = 2; k <= n; k++) {
                double p2 = ((2 * k - 1) * t * p1 - (k - 1) * p0) / k;
                p0 = p1;
                p1 = p2;
            }
            double pn = n == 1 ? t : p1, pnm1 = n == 1 ? 1 : p0;
            double dp = n * (t * pn - pnm1) / (t * t - 1);
            x[i] = t;
            w[i] = 2.0 / ((1 - t * t) * dp * dp);
        }
        return new double[][] {x, w};
    }
}
