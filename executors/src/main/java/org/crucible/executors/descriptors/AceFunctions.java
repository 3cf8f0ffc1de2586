package org.crucible.executors.descriptors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.crucible.core.Elements;

/**
 * The functions of an {@link AceBasis}: which one-particle channels (element, n, l) and which products of them
 * (correlation orders nu = 1..4) the basis holds, their names and the index tables into the atomic base A.
 *
 * <p>Channels are sorted by (element, n, l) and each product takes them in non-decreasing order, so no invariant
 * is repeated; a product is kept when its total degree sum_t (n_t + wL l_t) &lt;= maxDegree[nu - 1] and every
 * l_t &lt;= lMax; nu = 3 needs a triangular l triple with even sum, nu = 4 a parity-even intermediate L (Drautz,
 * PRB 99, 014104 (2019), and the class comment of {@link AceBasis}). nu = 3 functions are grouped by their first
 * two channels and l3 so that the coupled pair P_M is formed once per group ({@link AceCoupling}).
 *
 * <p>Layout of A for one atom: index (element, n, lm) = (element nR + n) nLM + lm, lm = l^2 + l + m.
 * Immutable; built once per basis.
 */
final class AceFunctions implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    final int nElem;
    final int nR;
    final int lMaxUsed;
    final int nLM;
    final int[] lmCount; // per radial index n: harmonics (l+1)^2 up to the highest l any function pairs with n
    final int nA;
    final int block;
    // basis functions of one block
    final int[] f1;
    final int[] f2a;
    final int[] f2b;
    final int[] f2l;
    final int[] f3a;
    final int[] f3b;
    final int[] f3c;
    final int[][] f3i1;
    final int[][] f3i2;
    final int[][] f3i3;
    final double[][] f3g;
    // nu = 3 functions grouped by their first two one-particle functions and l3: the coupled pair
    // P_M = sum G(l1 m1, l2 m2, l3 M) A_1 A_2 is shared by every function of a group (B = sum_M P_M A_3M)
    final int[] g3a;
    final int[] g3b;
    final int[] g3l;
    final int[] g3off;
    final GauntCoefficients[] g3g;
    final int[] f3grp;
    final int pLength;
    final int[] f4a;
    final int[] f4b;
    final int[] f4c;
    final int[] f4d;
    final int[] f4L;
    final GauntCoefficients[] f4g12;
    final GauntCoefficients[] f4g34;
    final String[] names;

    /** Selects the functions of the given parameters and tabulates their coupling coefficients. */
    AceFunctions(AceParameters params) {
        int[] el = params.elements();
        nElem = el.length;
        int[] deg = params.maxDegree();
        int dMax = 0;
        for (int d : deg) dMax = Math.max(dMax, d);
        nR = dMax + 1;
        double wL = params.wL();
        // one-particle channels (e, n, l) sorted by (e, n, l)
        List<int[]> channels = new ArrayList<>();
        int lUsed = 0;
        for (int e = 0; e < nElem; e++) {
            for (int n = 0; n < nR; n++) {
                for (int l = 0; l <= params.lMax(); l++) {
                    if (n + wL * l <= dMax + 1e-9) channels.add(new int[] {e, n, l});
                }
            }
        }
        List<String> nm = new ArrayList<>();
        List<int[]> o1 = new ArrayList<>();
        List<int[]> o2 = new ArrayList<>();
        List<int[]> o3 = new ArrayList<>();
        // nu = 1
        for (int[] ch : channels) {
            if (ch[2] == 0 && ch[1] <= deg[0]) {
                o1.add(ch);
                nm.add("nu1 " + label(el, ch));
            }
        }
        int nC = channels.size();
        int lFor = 0;
        if (deg.length >= 2) {
            for (int p = 0; p < nC; p++) {
                for (int q = p; q < nC; q++) {
                    int[] a = channels.get(p), b = channels.get(q);
                    if (a[2] != b[2]) continue;
                    if (degree(a, wL) + degree(b, wL) > deg[1] + 1e-9) continue;
                    o2.add(new int[] {p, q});
                    lFor = Math.max(lFor, a[2]);
                    nm.add("nu2 " + label(el, a) + " " + label(el, b));
                }
            }
        }
        if (deg.length >= 3) {
            for (int p = 0; p < nC; p++) {
                int[] a = channels.get(p);
                if (degree(a, wL) > deg[2] + 1e-9) continue;
                for (int q = p; q < nC; q++) {
                    int[] b = channels.get(q);
                    if (degree(a, wL) + degree(b, wL) > deg[2] + 1e-9) continue;
                    for (int r = q; r < nC; r++) {
                        int[] c = channels.get(r);
                        if (degree(a, wL) + degree(b, wL) + degree(c, wL) > deg[2] + 1e-9) continue;
                        int l1 = a[2], l2 = b[2], l3 = c[2];
                        if (l3 < Math.abs(l1 - l2) || l3 > l1 + l2 || ((l1 + l2 + l3) & 1) != 0) continue;
                        o3.add(new int[] {p, q, r});
                        lFor = Math.max(lFor, Math.max(l1, Math.max(l2, l3)));
                        nm.add("nu3 " + label(el, a) + " " + label(el, b) + " " + label(el, c));
                    }
                }
            }
        }
        List<int[]> o4 = new ArrayList<>();
        if (deg.length >= 4) {
            double d4 = deg[3] + 1e-9;
            for (int p = 0; p < nC; p++) {
                double dp = degree(channels.get(p), wL);
                if (4 * dp > d4) continue;
                for (int q = p; q < nC; q++) {
                    double dq = dp + degree(channels.get(q), wL);
                    if (dq + 2 * degree(channels.get(q), wL) > d4) continue;
                    for (int r = q; r < nC; r++) {
                        double dr = dq + degree(channels.get(r), wL);
                        if (dr + degree(channels.get(r), wL) > d4) continue;
                        for (int t = r; t < nC; t++) {
                            if (dr + degree(channels.get(t), wL) > d4) continue;
                            int l1 = channels.get(p)[2], l2 = channels.get(q)[2], l3 = channels.get(r)[2], l4 = channels.get(t)[2];
                            int lo = Math.max(Math.abs(l1 - l2), Math.abs(l3 - l4)), hi = Math.min(l1 + l2, l3 + l4);
                            for (int big = lo; big <= hi; big++) {
                                // parity-even intermediate couplings only (real Gaunt coefficients vanish otherwise)
                                if (((l1 + l2 + big) & 1) != 0 || ((l3 + l4 + big) & 1) != 0) continue;
                                o4.add(new int[] {p, q, r, t, big});
                                lFor = Math.max(lFor, Math.max(Math.max(l1, l2), Math.max(l3, l4)));
                                nm.add("nu4 " + label(el, channels.get(p)) + " " + label(el, channels.get(q)) + " " + label(el, channels.get(r)) + " "
                                        + label(el, channels.get(t)) + " L=" + big);
                            }
                        }
                    }
                }
            }
        }
        lUsed = lFor;
        lMaxUsed = lUsed;
        nLM = (lUsed + 1) * (lUsed + 1);
        nA = nElem * nR * nLM;
        int[] lTop = new int[nR];
        Arrays.fill(lTop, -1);
        for (int[] ch : o1) lTop[ch[1]] = Math.max(lTop[ch[1]], ch[2]);
        for (int[] pq : o2) for (int c : pq) lTop[channels.get(c)[1]] = Math.max(lTop[channels.get(c)[1]], channels.get(c)[2]);
        for (int[] pqr : o3) for (int c : pqr) lTop[channels.get(c)[1]] = Math.max(lTop[channels.get(c)[1]], channels.get(c)[2]);
        for (int[] q4 : o4) for (int c = 0; c < 4; c++) lTop[channels.get(q4[c])[1]] = Math.max(lTop[channels.get(q4[c])[1]], channels.get(q4[c])[2]);
        lmCount = new int[nR];
        for (int n = 0; n < nR; n++) lmCount[n] = (lTop[n] + 1) * (lTop[n] + 1);
        f1 = new int[o1.size()];
        for (int i = 0; i < f1.length; i++) f1[i] = base(o1.get(i));
        f2a = new int[o2.size()];
        f2b = new int[o2.size()];
        f2l = new int[o2.size()];
        for (int i = 0; i < o2.size(); i++) {
            int[] a = channels.get(o2.get(i)[0]), b = channels.get(o2.get(i)[1]);
            f2a[i] = base(a);
            f2b[i] = base(b);
            f2l[i] = a[2];
        }
        int n3 = o3.size();
        f3a = new int[n3];
        f3b = new int[n3];
        f3c = new int[n3];
        f3i1 = new int[n3][];
        f3i2 = new int[n3][];
        f3i3 = new int[n3][];
        f3g = new double[n3][];
        for (int i = 0; i < n3; i++) {
            int[] a = channels.get(o3.get(i)[0]), b = channels.get(o3.get(i)[1]), c = channels.get(o3.get(i)[2]);
            f3a[i] = base(a);
            f3b[i] = base(b);
            f3c[i] = base(c);
            GauntCoefficients g = GauntCoefficients.of(a[2], b[2], c[2]);
            f3i1[i] = g.i1();
            f3i2[i] = g.i2();
            f3i3[i] = g.i3();
            f3g[i] = g.values();
        }
        java.util.Map<String, Integer> groupIndex = new java.util.LinkedHashMap<>();
        f3grp = new int[n3];
        List<int[]> groups = new ArrayList<>();
        for (int i = 0; i < n3; i++) {
            int[] a = channels.get(o3.get(i)[0]), b = channels.get(o3.get(i)[1]), c = channels.get(o3.get(i)[2]);
            String key = f3a[i] + "/" + f3b[i] + "/" + a[2] + "/" + b[2] + "/" + c[2];
            Integer gi = groupIndex.get(key);
            if (gi == null) {
                gi = groups.size();
                groupIndex.put(key, gi);
                groups.add(new int[] {f3a[i], f3b[i], a[2], b[2], c[2]});
            }
            f3grp[i] = gi;
        }
        int ng = groups.size();
        g3a = new int[ng];
        g3b = new int[ng];
        g3l = new int[ng];
        g3off = new int[ng];
        g3g = new GauntCoefficients[ng];
        int off = 0;
        for (int gi = 0; gi < ng; gi++) {
            int[] gr = groups.get(gi);
            g3a[gi] = gr[0];
            g3b[gi] = gr[1];
            g3l[gi] = gr[4];
            g3g[gi] = GauntCoefficients.of(gr[2], gr[3], gr[4]);
            g3off[gi] = off;
            off += 2 * gr[4] + 1;
        }
        pLength = off;
        int n4 = o4.size();
        f4a = new int[n4];
        f4b = new int[n4];
        f4c = new int[n4];
        f4d = new int[n4];
        f4L = new int[n4];
        f4g12 = new GauntCoefficients[n4];
        f4g34 = new GauntCoefficients[n4];
        for (int i = 0; i < n4; i++) {
            int[] q4 = o4.get(i);
            int[] a = channels.get(q4[0]), b = channels.get(q4[1]), c = channels.get(q4[2]), d = channels.get(q4[3]);
            f4a[i] = base(a);
            f4b[i] = base(b);
            f4c[i] = base(c);
            f4d[i] = base(d);
            f4L[i] = q4[4];
            f4g12[i] = GauntCoefficients.of(a[2], b[2], q4[4]);
            f4g34[i] = GauntCoefficients.of(c[2], d[2], q4[4]);
        }
        block = f1.length + f2a.length + n3 + n4;
        if (block == 0) throw new IllegalArgumentException("ACE parameters select no basis functions: " + params);
        names = nm.toArray(new String[0]);
    }

    /** Functions of all centre elements: elements x block. */
    int size() {
        return nElem * block;
    }

    /** Offset of the (element, n) row of A; add the lm index. */
    private int base(int[] ch) {
        return (ch[0] * nR + ch[1]) * nLM;
    }

    private static double degree(int[] ch, double wL) {
        return ch[1] + wL * ch[2];
    }

    private static String label(int[] el, int[] ch) {
        return "(" + Elements.byZ(el[ch[0]]).symbol() + ",n=" + ch[1] + ",l=" + ch[2] + ")";
    }

}
