package org.crucible.executors.descriptors;

import java.util.Arrays;

/**
 * Per-call scratch of an {@link AceBasis} evaluation: the atomic base A_{i z n l m} = sum_j R_n(r_ij) Y_lm(r_ij / r_ij)
 * of one centre atom (only the neighbours of element z contribute to block z) and, per contributing neighbour, its
 * radial values and derivatives ({@link AceRadial}), real harmonics and their gradients
 * ({@link RealSphericalHarmonics}), unit vector, displacement (Angstrom), element and atom index, which the
 * gradient passes contract with dE/dA. Not thread-safe: one per thread and call.
 */
final class AceExpansion {
    private final AceRadial radial;
    private final int nR;
    private final int nLM;
    private final int[] lmCount;
    final double[] a;
    final double[] pv;
    final RealSphericalHarmonics sh;
    int cap = 0;
    double[] r = new double[0];
    double[] dr = new double[0];
    double[] y = new double[0];
    double[] dy = new double[0];
    double[] u = new double[0];
    double[] vec = new double[0];
    int[] elem = new int[0];
    int[] nbr = new int[0];

    AceExpansion(AceFunctions fn, AceRadial radial) {
        this.radial = radial;
        nR = fn.nR;
        nLM = fn.nLM;
        lmCount = fn.lmCount;
        a = new double[fn.nA];
        pv = new double[fn.pLength];
        sh = new RealSphericalHarmonics(fn.lMaxUsed);
    }

    void ensure(int count) {
        if (count <= cap) return;
        cap = Math.max(count, 2 * cap);
        r = new double[cap * nR];
        dr = new double[cap * nR];
        y = new double[cap * nLM];
        dy = new double[3 * cap * nLM];
        u = new double[3 * cap];
        vec = new double[3 * cap];
        elem = new int[cap];
        nbr = new int[cap];
    }

    /** Fills A for atom i and the per-neighbour tables; returns the number of contributing neighbours. */
    int expand(AceBasis.Frame fr, int i, boolean gradients) {
        return expand(fr, i, gradients, true);
    }

    /**
     * As {@link #expand(AceBasis.Frame, int, boolean)}; with {@code accumulate} false the per-neighbour tables only,
     * A left as it is (the caller has atom i's A from an earlier pass).
     */
    int expand(AceBasis.Frame fr, int i, boolean gradients, boolean accumulate) {
        if (accumulate) Arrays.fill(a, 0.0);
        int from = fr.start()[i], to = fr.start()[i + 1];
        ensure(to - from);
        int[] felem = fr.elem(), fnbr = fr.nbr();
        double[] disp = fr.disp();
        int bi = felem[i];
        double rCut = radial.rCut, rIn = radial.rIn;
        boolean inner = rIn > 0;
        int cnt = 0;
        for (int p = from; p < to; p++) {
            double x = disp[3 * p], yv = disp[3 * p + 1], z = disp[3 * p + 2];
            double dist = Math.sqrt(x * x + yv * yv + z * z);
            if (dist >= rCut || (inner && dist <= rIn)) continue;
            int j = fnbr[p];
            if (dist < 1e-10) throw new IllegalArgumentException("atoms " + i + " and " + j + " coincide (distance " + dist + " Angstrom)");
            int e = felem[j];
            int ro = cnt * nR;
            radial.evaluate(radial.pair(bi, e), dist, r, dr, ro);
            int yo = cnt * nLM;
            sh.evaluate(x, yv, z, y, yo, gradients ? dy : null, 3 * yo);
            u[3 * cnt] = x / dist;
            u[3 * cnt + 1] = yv / dist;
            u[3 * cnt + 2] = z / dist;
            vec[3 * cnt] = x;
            vec[3 * cnt + 1] = yv;
            vec[3 * cnt + 2] = z;
            elem[cnt] = e;
            nbr[cnt] = j;
            int abase = e * nR * nLM;
            for (int nn = 0; accumulate && nn < nR; nn++) {
                double rn = r[ro + nn];
                int ao = abase + nn * nLM;
                for (int lm = 0, top = lmCount[nn]; lm < top; lm++) a[ao + lm] += rn * y[yo + lm];
            }
            cnt++;
        }
        return cnt;
    }
}
