package org.crucible.executors.descriptors;

import java.util.Arrays;

/**
 * The coupling of an {@link AceBasis}: invariants B from the atomic base A of one atom, and back again, the
 * adjoint dE/dA of a site energy c . B and the sparse gradient dB_f/dA of one function.
 *
 * <p>nu = 2: B = sum_m A_{1 l m} A_{2 l m}; nu = 3: B = sum_M P_M A_{3 l3 M} with the pair coupling
 * P_M = sum G(l1 m1, l2 m2, l3 M) A_1 A_2, formed once per group of functions sharing (1, 2, l3) by
 * {@link #coupledPairs}; nu = 4: B = sum_M P_M Q_M with two pair couplings to an intermediate L. G are the real
 * Gaunt coefficients ({@link GauntCoefficients}); Drautz, PRB 99, 014104 (2019), eqs. 24-27, and the linear ACE of
 * the hyperactive-learning paper, eqs. 13-17. Dimensionless; immutable; scratch arrays come from the caller.
 */
final class AceCoupling implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final int lMaxUsed;
    private final int[] f1;
    private final int[] f2a;
    private final int[] f2b;
    private final int[] f2l;
    private final int[] f3a;
    private final int[] f3b;
    private final int[] f3c;
    private final int[][] f3i1;
    private final int[][] f3i2;
    private final int[][] f3i3;
    private final double[][] f3g;
    private final int[] g3a;
    private final int[] g3b;
    private final int[] g3l;
    private final int[] g3off;
    private final GauntCoefficients[] g3g;
    private final int[] f3grp;
    private final int[] f4a;
    private final int[] f4b;
    private final int[] f4c;
    private final int[] f4d;
    private final int[] f4L;
    private final GauntCoefficients[] f4g12;
    private final GauntCoefficients[] f4g34;

    AceCoupling(AceFunctions fn) {
        lMaxUsed = fn.lMaxUsed;
        f1 = fn.f1;
        f2a = fn.f2a;
        f2b = fn.f2b;
        f2l = fn.f2l;
        f3a = fn.f3a;
        f3b = fn.f3b;
        f3c = fn.f3c;
        f3i1 = fn.f3i1;
        f3i2 = fn.f3i2;
        f3i3 = fn.f3i3;
        f3g = fn.f3g;
        g3a = fn.g3a;
        g3b = fn.g3b;
        g3l = fn.g3l;
        g3off = fn.g3off;
        g3g = fn.g3g;
        f3grp = fn.f3grp;
        f4a = fn.f4a;
        f4b = fn.f4b;
        f4c = fn.f4c;
        f4d = fn.f4d;
        f4L = fn.f4L;
        f4g12 = fn.f4g12;
        f4g34 = fn.f4g34;
    }

    /** B of one block from the atomic base A; pv is scratch of length pLength (left holding the nu = 3 pair couplings). */
    void invariants(double[] a, double[] pv, double[] b) {
        int f = 0;
        for (int idx : f1) b[f++] = a[idx];
        for (int q = 0; q < f2a.length; q++) {
            int l = f2l[q], lo = l * l, pa = f2a[q] + lo, pb = f2b[q] + lo;
            double sum = 0;
            for (int m = 0; m <= 2 * l; m++) sum += a[pa + m] * a[pb + m];
            b[f++] = sum;
        }
        if (f3a.length > 0) {
            coupledPairs(a, pv);
            for (int q = 0; q < f3a.length; q++) {
                int gi = f3grp[q], l3 = g3l[gi], po = g3off[gi], pc = f3c[q] + l3 * l3;
                double sum = 0;
                for (int m = 0; m <= 2 * l3; m++) sum += pv[po + m] * a[pc + m];
                b[f++] = sum;
            }
        }
        if (f4a.length > 0) {
            double[] p4 = new double[4 * lMaxUsed + 1], q4 = new double[4 * lMaxUsed + 1];
            for (int q = 0; q < f4a.length; q++) {
                int big = f4L[q];
                couple(f4g12[q], a, f4a[q], f4b[q], big, p4);
                couple(f4g34[q], a, f4c[q], f4d[q], big, q4);
                double sum = 0;
                for (int m = 0; m <= 2 * big; m++) sum += p4[m] * q4[m];
                b[f++] = sum;
            }
        }
    }

    /** P of every nu = 3 group into pv (group g at g3off[g], M = 0..2 l3). */
    void coupledPairs(double[] a, double[] pv) {
        Arrays.fill(pv, 0.0);
        for (int gi = 0; gi < g3a.length; gi++) {
            GauntCoefficients g = g3g[gi];
            int[] i1 = g.i1(), i2 = g.i2(), i3 = g.i3();
            double[] v = g.values();
            int pa = g3a[gi], pb = g3b[gi], po = g3off[gi] - g3l[gi] * g3l[gi];
            for (int t = 0; t < v.length; t++) pv[po + i3[t]] += v[t] * a[pa + i1[t]] * a[pb + i2[t]];
        }
    }

    /** P_M = sum G(l1 m1, l2 m2, L M) A[pa + l1m1] A[pb + l2m2], M = 0..2L (offset from L^2). */
    private static void couple(GauntCoefficients g, double[] a, int pa, int pb, int big, double[] out) {
        java.util.Arrays.fill(out, 0, 2 * big + 1, 0.0);
        int[] i1 = g.i1(), i2 = g.i2(), i3 = g.i3();
        double[] v = g.values();
        int lo = big * big;
        for (int t = 0; t < v.length; t++) out[i3[t] - lo] += v[t] * a[pa + i1[t]] * a[pb + i2[t]];
    }

    /** adj[pa + l1m1] += sum_M w_M G A[pb + l2m2] and symmetrically, for the back-propagation of P_M. */
    private static void coupleBack(GauntCoefficients g, double[] a, int pa, int pb, int big, double[] w, double[] adj) {
        int[] i1 = g.i1(), i2 = g.i2(), i3 = g.i3();
        double[] v = g.values();
        int lo = big * big;
        for (int t = 0; t < v.length; t++) {
            double gw = v[t] * w[i3[t] - lo];
            adj[pa + i1[t]] += gw * a[pb + i2[t]];
            adj[pb + i2[t]] += gw * a[pa + i1[t]];
        }
    }

    /**
     * Site energy c . B for the block at coefficient offset off, and adj = dE/dA (overwritten). pv holds the
     * nu = 3 pair couplings of this atom ({@link #coupledPairs}, shared by all models); dp is scratch.
     */
    double adjoint(double[] a, double[] c, int off, double[] adj, double[] pv, double[] dp) {
        Arrays.fill(adj, 0.0);
        double e = 0;
        int f = off;
        for (int idx : f1) {
            double cf = c[f++];
            e += cf * a[idx];
            adj[idx] += cf;
        }
        for (int q = 0; q < f2a.length; q++) {
            double cf = c[f++];
            int l = f2l[q], lo = l * l, pa = f2a[q] + lo, pb = f2b[q] + lo;
            if (cf == 0) continue;
            double sum = 0;
            for (int m = 0; m <= 2 * l; m++) {
                double x = a[pa + m], y = a[pb + m];
                sum += x * y;
                adj[pa + m] += cf * y;
                adj[pb + m] += cf * x;
            }
            e += cf * sum;
        }
        if (f3a.length > 0) {
            Arrays.fill(dp, 0.0);
            for (int q = 0; q < f3a.length; q++) {
                double cf = c[f++];
                if (cf == 0) continue;
                int gi = f3grp[q], l3 = g3l[gi], po = g3off[gi], pc = f3c[q] + l3 * l3;
                double sum = 0;
                for (int m = 0; m <= 2 * l3; m++) {
                    double x = a[pc + m], pm = pv[po + m];
                    sum += pm * x;
                    dp[po + m] += cf * x;
                    adj[pc + m] += cf * pm;
                }
                e += cf * sum;
            }
            // back through the shared pair couplings, once per group
            for (int gi = 0; gi < g3a.length; gi++) {
                GauntCoefficients g = g3g[gi];
                int[] i1 = g.i1(), i2 = g.i2(), i3 = g.i3();
                double[] v = g.values();
                int pa = g3a[gi], pb = g3b[gi], po = g3off[gi] - g3l[gi] * g3l[gi];
                for (int t = 0; t < v.length; t++) {
                    double wgt = v[t] * dp[po + i3[t]];
                    if (wgt == 0) continue;
                    adj[pa + i1[t]] += wgt * a[pb + i2[t]];
                    adj[pb + i2[t]] += wgt * a[pa + i1[t]];
                }
            }
        }
        if (f4a.length > 0) {
            double[] p4 = new double[4 * lMaxUsed + 1], q4 = new double[4 * lMaxUsed + 1];
            for (int q = 0; q < f4a.length; q++) {
                double cf = c[f++];
                if (cf == 0) continue;
                int big = f4L[q];
                couple(f4g12[q], a, f4a[q], f4b[q], big, p4);
                couple(f4g34[q], a, f4c[q], f4d[q], big, q4);
                double sum = 0;
                for (int m = 0; m <= 2 * big; m++) {
                    sum += p4[m] * q4[m];
                    p4[m] *= cf;
                    q4[m] *= cf;
                }
                e += cf * sum;
                // dE/dP = cf Q, dE/dQ = cf P (p4, q4 now hold cf P and cf Q)
                coupleBack(f4g12[q], a, f4a[q], f4b[q], big, q4, adj);
                coupleBack(f4g34[q], a, f4c[q], f4d[q], big, p4, adj);
            }
        }
        return e;
    }

    /** dB_f/dA as a sparse list (indices into A, values); returns its length. dense/touched are scratch. */
    int sparseGradient(int f, double[] a, int[] idx, double[] val, double[] dense, int[] touched) {
        if (f < f1.length) {
            idx[0] = f1[f];
            val[0] = 1.0;
            return 1;
        }
        f -= f1.length;
        int cnt = 0;
        if (f < f2a.length) {
            int l = f2l[f], lo = l * l, pa = f2a[f] + lo, pb = f2b[f] + lo;
            for (int m = 0; m <= 2 * l; m++) {
                idx[cnt] = pa + m;
                val[cnt++] = a[pb + m];
                idx[cnt] = pb + m;
                val[cnt++] = a[pa + m];
            }
            return cnt;
        }
        f -= f2a.length;
        if (f >= f3a.length) {
            int q = f - f3a.length;
            int big = f4L[q];
            double[] pv = new double[2 * big + 1], qv = new double[2 * big + 1];
            couple(f4g12[q], a, f4a[q], f4b[q], big, pv);
            couple(f4g34[q], a, f4c[q], f4d[q], big, qv);
            int nt = 0;
            nt = touchBack(f4g12[q], a, f4a[q], f4b[q], big, qv, dense, touched, nt);
            nt = touchBack(f4g34[q], a, f4c[q], f4d[q], big, pv, dense, touched, nt);
            for (int t = 0; t < nt; t++) {
                idx[cnt] = touched[t];
                val[cnt++] = dense[touched[t]];
                dense[touched[t]] = 0.0;
            }
            return cnt;
        }
        int pa = f3a[f], pb = f3b[f], pc = f3c[f];
        int[] i1 = f3i1[f], i2 = f3i2[f], i3 = f3i3[f];
        double[] gv = f3g[f];
        int nt = 0;
        for (int t = 0; t < gv.length; t++) {
            double x = a[pa + i1[t]], y = a[pb + i2[t]], z = a[pc + i3[t]];
            nt = touch(pa + i1[t], gv[t] * y * z, dense, touched, nt);
            nt = touch(pb + i2[t], gv[t] * x * z, dense, touched, nt);
            nt = touch(pc + i3[t], gv[t] * x * y, dense, touched, nt);
        }
        for (int t = 0; t < nt; t++) {
            idx[cnt] = touched[t];
            val[cnt++] = dense[touched[t]];
            dense[touched[t]] = 0.0;
        }
        return cnt;
    }

    private static int touchBack(GauntCoefficients g, double[] a, int pa, int pb, int big, double[] w, double[] dense, int[] touched, int nt) {
        int[] i1 = g.i1(), i2 = g.i2(), i3 = g.i3();
        double[] v = g.values();
        int lo = big * big;
        for (int t = 0; t < v.length; t++) {
            double gw = v[t] * w[i3[t] - lo];
            nt = touch(pa + i1[t], gw * a[pb + i2[t]], dense, touched, nt);
            nt = touch(pb + i2[t], gw * a[pa + i1[t]], dense, touched, nt);
        }
        return nt;
    }

    private static int touch(int index, double v, double[] dense, int[] touched, int nt) {
        if (dense[index] == 0.0) {
            touched[nt++] = index;
        }
        dense[index] += v;
        // keep a touched entry non-zero (a subnormal, negligible) so it is listed once even if terms cancel exactly
        if (dense[index] == 0.0) dense[index] = Double.MIN_VALUE;
        return nt;
    }
}
