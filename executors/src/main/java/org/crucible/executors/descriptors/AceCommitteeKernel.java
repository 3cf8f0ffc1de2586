package org.crucible.executors.descriptors;

import java.util.Arrays;

/**
 * Energies, forces and stress of K coefficient vectors on one {@link AceBasis} in one pass over atoms and
 * neighbours, with the K models innermost (the "K-column adjoint"): for centre i the adjoints
 * adj_k = dE_i^k / dA_i = (dB_i / dA_i)^T c_k of all K models are built in one sweep over the invariants
 * (index arithmetic, Gaunt tables and the atomic base read once for all models), then for every neighbour j the
 * K radial contractions g_k[lm] = sum_n adj_k[n lm] R_n(r_ij), h_k[lm] = sum_n adj_k[n lm] R_n'(r_ij) run as one
 * contiguous loop over (lm, k) (vectorisable), and the pair gradient of model k is
 * dE_i^k / dr_ij = r^_ij sum_lm h_k[lm] Y_lm + sum_lm g_k[lm] grad Y_lm.
 *
 * <p>Cost per centre: one expansion of A (shared) + K x (adjoint through F invariants) + K x neighbours x
 * (2 sum_n (l_top(n) + 1)^2 + 4 (l_max + 1)^2) multiply-adds; for the default Si basis (sum_n (l_top(n) + 1)^2 =
 * 117, l_max = 4) that is 334 multiply-adds per neighbour and model. This is the arithmetic of K separate adjoint
 * passes; what is saved is everything that is not arithmetic (loads of the per-neighbour tables, index
 * computations, loop overhead of short loops).
 *
 * <p>Exactness: every model's sums are formed in exactly the order of {@link AceBasis#evaluate} with one
 * coefficient vector (same terms, same order, no fused multiply-add), so each model's energy, forces and stress
 * are bit for bit those of its own one-model evaluation. Terms with a zero coefficient, which the one-model pass
 * skips, add +-0 here, which leaves every non-zero partial sum unchanged and every +0 partial sum +0.
 *
 * <p>Bases with nu = 4 functions are not handled here ({@link #handles}); {@link AceBasis} evaluates them model by
 * model. Scratch space is per call; the kernel itself holds only the basis, so it is thread-safe.
 */
final class AceCommitteeKernel {
    private final AceBasis basis;

    AceCommitteeKernel(AceBasis basis) {
        this.basis = basis;
    }

    /**
     * Whether this kernel evaluates the basis: no nu = 4 functions, and the harmonics used with radial index n never
     * grow with n ((l_top(n) + 1)^2 non-increasing, as every total-degree bound n + wL l &lt;= D gives), so that for
     * each lm the radial indices in use are 0, 1, ..., len - 1 and the radial tables are read in place.
     */
    static boolean handles(AceBasis basis) {
        if (basis.fn.f4a.length != 0) return false;
        for (int nn = 1; nn < basis.fn.nR; nn++) if (basis.fn.lmCount[nn] > basis.fn.lmCount[nn - 1]) return false;
        return true;
    }

    /**
     * @param coefficients K x F, already validated by the caller (lengths, finite values)
     */
    LinearBasis.CommitteeEvaluation evaluate(AceBasis.Frame fr, int n, double[][] coefficients) {
        final AceBasis b = basis;
        final int kk = coefficients.length;
        final int nR = b.fn.nR, nLM = b.fn.nLM, block = b.fn.block, nElem = b.size() / block;
        final int[] lmCount = b.fn.lmCount;
        // coefficients interleaved: ck[f * K + k]
        double[] ck = new double[b.size() * kk];
        for (int k = 0; k < kk; k++) {
            double[] c = coefficients[k];
            for (int f = 0; f < c.length; f++) ck[f * kk + k] = c[f];
        }
        // per coefficient row: does any model have a non-zero coefficient (the one-model pass skips zeros)
        boolean[] live = new boolean[b.size()];
        for (int f = 0; f < live.length; f++) {
            for (int k = 0; k < kk; k++) live[f] |= ck[f * kk + k] != 0;
        }
        double[] energies = new double[kk];
        double[][] forces = new double[kk][3 * n];
        double[][] virial = new double[kk][9];
        AceExpansion w = b.workspace();
        double[] adj = new double[b.fn.nA * kk];
        double[] dp = new double[b.fn.pLength * kk];
        double[] pv = new double[b.fn.pLength];
        double[] e = new double[kk];
        // lm-major order of the used A entries of one element: for each lm the radial indices n with
        // lm < (l_top(n) + 1)^2, increasing; src[q] is the A index (within an element) of entry q, lmStart[lm] its first q
        int[][] nnFor = new int[nLM][];
        int[] lmStart = new int[nLM + 1];
        for (int lm = 0; lm < nLM; lm++) {
            int c = 0;
            for (int nn = 0; nn < nR; nn++) if (lm < lmCount[nn]) c++;
            nnFor[lm] = new int[c];
            c = 0;
            for (int nn = 0; nn < nR; nn++) {
                if (lm < lmCount[nn]) {
                    nnFor[lm][c++] = nn;
                }
            }
            lmStart[lm + 1] = lmStart[lm] + c;
        }
        final int used = lmStart[nLM];
        int[] src = new int[used];
        for (int lm = 0, q = 0; lm < nLM; lm++) for (int nn : nnFor[lm]) src[q++] = nn * nLM + lm;
        // adjoints of all elements' entries in lm-major order: adjT[(el used + q) K + k]
        double[] adjT = new double[nElem * used * kk];
        double[] radial = new double[kk], gx = new double[kk], gy = new double[kk], gz = new double[kk];
        for (int i = 0; i < n; i++) {
            int cnt = w.expand(fr, i, true);
            int off = fr.elem()[i] * block;
            if (b.fn.f3a.length > 0) b.coupling.coupledPairs(w.a, pv);
            adjoints(w.a, ck, live, off, kk, adj, pv, dp, e);
            for (int k = 0; k < kk; k++) energies[k] += e[k];
            for (int el = 0; el < nElem; el++) {
                int from = el * nR * nLM, to = el * used;
                for (int q = 0; q < used; q++) System.arraycopy(adj, (from + src[q]) * kk, adjT, (to + q) * kk, kk);
            }
            for (int p = 0; p < cnt; p++) {
                int el = w.elem[p];
                Arrays.fill(radial, 0.0);
                Arrays.fill(gx, 0.0);
                Arrays.fill(gy, 0.0);
                Arrays.fill(gz, 0.0);
                int yo = p * nLM, ro = p * nR;
                for (int lm = 0; lm < nLM; lm++) {
                    int len = lmStart[lm + 1] - lmStart[lm];
                    if (len == 0) continue; // g[lm] = h[lm] = +0: adds +-0 in the one-model pass
                    double[] rs = w.r, drs = w.dr;
                    int rb = ro;
                    int eb = (el * used + lmStart[lm]) * kk;
                    double ylm = w.y[yo + lm];
                    int d = 3 * (yo + lm);
                    double dyx = w.dy[d], dyy = w.dy[d + 1], dyz = w.dy[d + 2];
                    int k = 0;
                    // three models at a time: six independent sums in flight (each still summed over n in order)
                    for (; k + 3 <= kk; k += 3) {
                        double g0 = 0, g1 = 0, g2 = 0, h0 = 0, h1 = 0, h2 = 0;
                        int base = eb + k;
                        for (int t = 0; t < len; t++) {
                            int o = base + t * kk;
                            double rt = rs[rb + t], dt = drs[rb + t];
                            double v0 = adjT[o], v1 = adjT[o + 1], v2 = adjT[o + 2];
                            g0 += v0 * rt;
                            h0 += v0 * dt;
                            g1 += v1 * rt;
                            h1 += v1 * dt;
                            g2 += v2 * rt;
                            h2 += v2 * dt;
                        }
                        radial[k] += h0 * ylm;
                        gx[k] += g0 * dyx;
                        gy[k] += g0 * dyy;
                        gz[k] += g0 * dyz;
                        radial[k + 1] += h1 * ylm;
                        gx[k + 1] += g1 * dyx;
                        gy[k + 1] += g1 * dyy;
                        gz[k + 1] += g1 * dyz;
                        radial[k + 2] += h2 * ylm;
                        gx[k + 2] += g2 * dyx;
                        gy[k + 2] += g2 * dyy;
                        gz[k + 2] += g2 * dyz;
                    }
                    for (; k < kk; k++) {
                        double sg = 0, sh = 0;
                        int base = eb + k;
                        for (int t = 0; t < len; t++) {
                            double v = adjT[base + t * kk];
                            sg += v * rs[rb + t];
                            sh += v * drs[rb + t];
                        }
                        radial[k] += sh * ylm;
                        gx[k] += sg * dyx;
                        gy[k] += sg * dyy;
                        gz[k] += sg * dyz;
                    }
                }
                double ux = w.u[3 * p], uy = w.u[3 * p + 1], uz = w.u[3 * p + 2];
                double rx = w.vec[3 * p], ry = w.vec[3 * p + 1], rz = w.vec[3 * p + 2];
                int j = w.nbr[p];
                for (int k = 0; k < kk; k++) {
                    double ax = gx[k] + radial[k] * ux;
                    double ay = gy[k] + radial[k] * uy;
                    double az = gz[k] + radial[k] * uz;
                    double[] fk = forces[k];
                    fk[3 * j] -= ax;
                    fk[3 * j + 1] -= ay;
                    fk[3 * j + 2] -= az;
                    fk[3 * i] += ax;
                    fk[3 * i + 1] += ay;
                    fk[3 * i + 2] += az;
                    double[] vk = virial[k];
                    vk[0] += ax * rx;
                    vk[1] += ax * ry;
                    vk[2] += ax * rz;
                    vk[3] += ay * rx;
                    vk[4] += ay * ry;
                    vk[5] += ay * rz;
                    vk[6] += az * rx;
                    vk[7] += az * ry;
                    vk[8] += az * rz;
                }
            }
        }
        double[][] stress = new double[kk][6];
        if (fr.invVolume() != 0) {
            double iv = fr.invVolume();
            for (int k = 0; k < kk; k++) {
                double[] v = virial[k];
                stress[k] = new double[] {v[0] * iv, v[4] * iv, v[8] * iv, 0.5 * (v[5] + v[7]) * iv, 0.5 * (v[2] + v[6]) * iv, 0.5 * (v[1] + v[3]) * iv};
            }
        }
        return new LinearBasis.CommitteeEvaluation(energies, forces, stress);
    }

    /**
     * Site energies e[k] = c_k . B and adjoints adj[a K + k] = dE^k / dA_a (overwritten) of all K models for the
     * block at coefficient offset off; pv holds the atom's nu = 3 pair couplings, dp is scratch (pLength x K).
     */
    private void adjoints(double[] a, double[] ck, boolean[] live, int off, int kk, double[] adj, double[] pv, double[] dp, double[] e) {
        final AceBasis b = basis;
        Arrays.fill(adj, 0.0);
        Arrays.fill(e, 0.0);
        int f = off;
        for (int idx : b.fn.f1) {
            if (live[f]) {
                int c0 = f * kk, a0 = idx * kk;
                double av = a[idx];
                for (int k = 0; k < kk; k++) {
                    double cf = ck[c0 + k];
                    e[k] += cf * av;
                    adj[a0 + k] += cf;
                }
            }
            f++;
        }
        int[] f2a = b.fn.f2a, f2b = b.fn.f2b, f2l = b.fn.f2l;
        for (int q = 0; q < f2a.length; q++, f++) {
            if (!live[f]) continue;
            int l = f2l[q], lo = l * l, pa = f2a[q] + lo, pb = f2b[q] + lo, c0 = f * kk;
            double sum = 0;
            for (int m = 0; m <= 2 * l; m++) {
                double x = a[pa + m], y = a[pb + m];
                sum += x * y;
                int xa = (pa + m) * kk, xb = (pb + m) * kk;
                for (int k = 0; k < kk; k++) {
                    double cf = ck[c0 + k];
                    adj[xa + k] += cf * y;
                    adj[xb + k] += cf * x;
                }
            }
            for (int k = 0; k < kk; k++) e[k] += ck[c0 + k] * sum;
        }
        int[] f3a = b.fn.f3a;
        if (f3a.length > 0) {
            Arrays.fill(dp, 0.0);
            int[] f3grp = b.fn.f3grp, g3l = b.fn.g3l, g3off = b.fn.g3off, f3c = b.fn.f3c;
            for (int q = 0; q < f3a.length; q++, f++) {
                if (!live[f]) continue;
                int gi = f3grp[q], l3 = g3l[gi], po = g3off[gi], pc = f3c[q] + l3 * l3, c0 = f * kk;
                double sum = 0;
                for (int m = 0; m <= 2 * l3; m++) {
                    double x = a[pc + m], pm = pv[po + m];
                    sum += pm * x;
                    int xd = (po + m) * kk, xc = (pc + m) * kk;
                    for (int k = 0; k < kk; k++) {
                        double cf = ck[c0 + k];
                        dp[xd + k] += cf * x;
                        adj[xc + k] += cf * pm;
                    }
                }
                for (int k = 0; k < kk; k++) e[k] += ck[c0 + k] * sum;
            }
            int[] g3a = b.fn.g3a, g3b = b.fn.g3b;
            for (int gi = 0; gi < g3a.length; gi++) {
                GauntCoefficients gc = b.fn.g3g[gi];
                int[] i1 = gc.i1(), i2 = gc.i2(), i3 = gc.i3();
                double[] v = gc.values();
                int pa = g3a[gi], pb = g3b[gi], po = g3off[gi] - g3l[gi] * g3l[gi];
                for (int t = 0; t < v.length; t++) {
                    double vt = v[t];
                    int xd = (po + i3[t]) * kk, xa = (pa + i1[t]) * kk, xb = (pb + i2[t]) * kk;
                    double ya = a[pb + i2[t]], yb = a[pa + i1[t]];
                    for (int k = 0; k < kk; k++) {
                        double wgt = vt * dp[xd + k];
                        adj[xa + k] += wgt * ya;
                        adj[xb + k] += wgt * yb;
                    }
                }
            }
        }
    }
}
