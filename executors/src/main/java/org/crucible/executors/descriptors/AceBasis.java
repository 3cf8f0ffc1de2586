package org.crucible.executors.descriptors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.crucible.core.Elements;
import org.crucible.core.Structure;
import org.crucible.core.neighbors.NeighborList;

/**
 * Linear atomic cluster expansion (ACE) basis (Drautz, PRB 99, 014104 (2019); Dusson et al., J. Comput. Phys.
 * 454, 110946 (2022); the linear ACE of the hyperactive-learning paper, its eqs. 13-17).
 *
 * <p><b>One-particle basis.</b> For centre i (element z_i) and neighbour j (element z_j) at r_ij = r_j - r_i,
 * |r_ij| = r &lt; rCut: phi_{z n l m}(r_ij) = delta(z, z_j) R_n^{z_i z_j}(r) Y_lm(r_ij / r), with real
 * orthonormal harmonics Y ({@link RealSphericalHarmonics}) and R_n = T_n(x(r)) e(x(r)): Chebyshev polynomials
 * T_n of the transformed distance x = 1 - 2 (u(r) - u(rCut)) / (u(rIn) - u(rCut)) in [-1, 1],
 * u(r) = exp(-lambda (r / r0 - 1)), r0 = r0 or the covalent-radius sum of the pair (so the radial channels
 * differ per element pair), times the envelope e = (1 - x)^2 (value and first derivative zero at rCut), or
 * e = (1 - x)^2 (1 + x)^2 when rIn &gt; 0 (also zero at rIn; closer pairs are left to a repulsive term).
 *
 * <p><b>Atomic base</b> A_{i z n l m} = sum_j phi_{z n l m}(r_ij). <b>Invariants</b> (all reflection-even):
 * nu = 1: B = A_{z n 0 0} (times the constant Y_00); nu = 2: B = sum_m A_{z1 n1 l m} A_{z2 n2 l m};
 * nu = 3: B = sum_{m1 m2 m3} G(l1 m1, l2 m2, l3 m3) A_{z1 n1 l1 m1} A_{z2 n2 l2 m2} A_{z3 n3 l3 m3} with the
 * real Gaunt coefficients G ({@link GauntCoefficients}), the rotation-invariant coupling of real harmonics,
 * non-zero for triangular l with even sum; nu = 4: B = sum_M P_M Q_M with
 * P_M = sum G(l1 m1, l2 m2, L M) A_1 A_2 and Q_M = sum G(l3 m3, l4 m4, L M) A_3 A_4 for every intermediate L
 * with both couplings parity-even (a subset of the nu = 4 invariants: odd intermediate couplings are left out;
 * tuples with repeated one-particle functions can give linearly dependent functions, which a regularised
 * fit tolerates). One-particle functions (z, n, l) are sorted and taken in
 * non-decreasing order so no invariant is repeated; a product is kept when its total degree
 * sum_t (n_t + wL l_t) &lt;= maxDegree[nu - 1] and every l_t &lt;= lMax.
 *
 * <p><b>Layout.</b> F = (number of elements) x (functions per block): atom i fills only the block of its own
 * element, so a coefficient vector carries separate coefficients per centre element. Within a block: all
 * nu = 1, then nu = 2, nu = 3 and nu = 4 functions, in the order of {@link #describeFunction}.
 *
 * <p><b>Gradients.</b> Forces and stress come from one back-propagation per model: dE/dA (sparse in the
 * invariants) contracted with dphi/dr_ij per neighbour, so cost is (basis evaluation) + K x (neighbours x
 * radial x harmonics), never basis functions x neighbours. Memory streams per atom (no N x N x 3 x F arrays);
 * only {@link #designRows} returns the (3N x F) matrix it is asked for.
 *
 * <p>Units: Angstrom in, features dimensionless; energy in units of the coefficients (eV). Immutable and
 * thread-safe (scratch space is per call).
 *
 * <pre>{@code
 * AceBasis basis = new AceBasis(AceParameters.defaults(14));
 * LinearBasis.CommitteeEvaluation ev = basis.evaluate(structure, coefficients); // K x F
 * }</pre>
 */
public final class AceBasis implements LinearBasis {
    private static final long serialVersionUID = 1L;

    private final AceParameters params;
    private final int nElem;
    final int nR;
    private final int lMaxUsed;
    final int nLM;
    final int[] lmCount; // per radial index n: harmonics (l+1)^2 up to the highest l any function pairs with n
    final int nA;
    final int block;
    private final int[] zIndex; // atomic number -> element index or -1
    // radial transform per (centre, neighbour) pair
    private final double[] pairR0;
    private final double[] pairUIn;
    private final double[] pairUCut;
    // basis functions of one block
    final int[] f1;
    final int[] f2a;
    final int[] f2b;
    final int[] f2l;
    final int[] f3a;
    private final int[] f3b;
    final int[] f3c;
    private final int[][] f3i1;
    private final int[][] f3i2;
    private final int[][] f3i3;
    private final double[][] f3g;
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
    private final int[] f4b;
    private final int[] f4c;
    private final int[] f4d;
    private final int[] f4L;
    private final GauntCoefficients[] f4g12;
    private final GauntCoefficients[] f4g34;
    private final String[] names;

    /** Builds the basis (selects functions, tabulates coupling coefficients). */
    public AceBasis(AceParameters params) {
        this.params = params;
        int[] el = params.elements();
        nElem = el.length;
        int maxZ = el[el.length - 1];
        zIndex = new int[maxZ + 1];
        Arrays.fill(zIndex, -1);
        for (int i = 0; i < el.length; i++) zIndex[el[i]] = i;
        int[] deg = params.maxDegree();
        int dMax = 0;
        for (int d : deg) dMax = Math.max(dMax, d);
        nR = dMax + 1;
        pairR0 = new double[nElem * nElem];
        pairUIn = new double[nElem * nElem];
        pairUCut = new double[nElem * nElem];
        for (int a = 0; a < nElem; a++) {
            for (int b = 0; b < nElem; b++) {
                double r0 = Double.isNaN(params.r0()) ? Elements.byZ(el[a]).covalentRadius() + Elements.byZ(el[b]).covalentRadius() : params.r0();
                pairR0[a * nElem + b] = r0;
                pairUIn[a * nElem + b] = Math.exp(-params.lambda() * (params.rIn() / r0 - 1));
                pairUCut[a * nElem + b] = Math.exp(-params.lambda() * (params.rCut() / r0 - 1));
                if (params.lambda() == 0) {
                    pairUIn[a * nElem + b] = -params.rIn();
                    pairUCut[a * nElem + b] = -params.rCut();
                }
            }
        }
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

    /** The parameters this basis was built from. */
    public AceParameters parameters() {
        return params;
    }

    @Override
    public int size() {
        return nElem * block;
    }

    /** Basis functions per centre element. */
    public int blockSize() {
        return block;
    }

    /** Number of functions of correlation order nu (1..4) per block. */
    public int countOfOrder(int nu) {
        return switch (nu) {
            case 1 -> f1.length;
            case 2 -> f2a.length;
            case 3 -> f3a.length;
            case 4 -> f4a.length;
            default -> 0;
        };
    }

    /** Number of radial functions per element pair. */
    public int radialCount() {
        return nR;
    }

    /** Highest l actually used. */
    public int lMax() {
        return lMaxUsed;
    }

    /** Human-readable name of basis function f (0..size-1): centre element, order and its one-particle functions. */
    public String describeFunction(int f) {
        int b = f / block;
        return Elements.byZ(params.elements()[b]).symbol() + ": " + names[f % block];
    }

    @Override
    public Map<String, Object> spec() {
        return params.toMap();
    }

    @Override
    public DesignRows designRows(Structure s) {
        Frame fr = frame(s);
        int n = s.size();
        int width = size();
        double[] energy = new double[width];
        double[] forces = new double[3 * n * width];
        double[] stress = new double[6 * width];
        Workspace w = new Workspace();
        double[] b = new double[block];
        int[] sIdx = new int[Math.max(16, 6 * (lMaxUsed + 1) * (2 * lMaxUsed + 1))];
        double[] sVal = new double[sIdx.length];
        double[] dense = new double[nA];
        int[] touched = new int[sIdx.length];
        for (int i = 0; i < n; i++) {
            int cnt = w.expand(fr, i, true);
            int blk = fr.elem[i];
            invariants(w, w.a, b);
            int col0 = blk * block;
            for (int f = 0; f < block; f++) energy[col0 + f] += b[f];
            for (int f = 0; f < block; f++) {
                int nnz = sparseGradient(f, w.a, sIdx, sVal, dense, touched);
                int col = col0 + f;
                for (int k = 0; k < cnt; k++) {
                    int e = w.elem[k];
                    double gx = 0, gy = 0, gz = 0;
                    double ux = w.u[3 * k], uy = w.u[3 * k + 1], uz = w.u[3 * k + 2];
                    for (int t = 0; t < nnz; t++) {
                        int a = sIdx[t];
                        int ea = a / (nR * nLM);
                        if (ea != e) continue;
                        int nn = (a / nLM) % nR;
                        int lm = a % nLM;
                        double c1 = sVal[t] * w.dr[k * nR + nn] * w.y[k * nLM + lm];
                        double c2 = sVal[t] * w.r[k * nR + nn];
                        int d = 3 * (k * nLM + lm);
                        gx += c1 * ux + c2 * w.dy[d];
                        gy += c1 * uy + c2 * w.dy[d + 1];
                        gz += c1 * uz + c2 * w.dy[d + 2];
                    }
                    if (gx == 0 && gy == 0 && gz == 0) continue;
                    int j = w.nbr[k];
                    forces[(3 * j) * width + col] -= gx;
                    forces[(3 * j + 1) * width + col] -= gy;
                    forces[(3 * j + 2) * width + col] -= gz;
                    forces[(3 * i) * width + col] += gx;
                    forces[(3 * i + 1) * width + col] += gy;
                    forces[(3 * i + 2) * width + col] += gz;
                    if (fr.invVolume != 0) {
                        double rx = w.vec[3 * k], ry = w.vec[3 * k + 1], rz = w.vec[3 * k + 2];
                        double iv = fr.invVolume;
                        stress[col] += gx * rx * iv;
                        stress[width + col] += gy * ry * iv;
                        stress[2 * width + col] += gz * rz * iv;
                        stress[3 * width + col] += 0.5 * (gy * rz + gz * ry) * iv;
                        stress[4 * width + col] += 0.5 * (gx * rz + gz * rx) * iv;
                        stress[5 * width + col] += 0.5 * (gx * ry + gy * rx) * iv;
                    }
                }
            }
        }
        return new DesignRows(energy, forces, stress);
    }

    @Override
    public CommitteeEvaluation evaluate(Structure s, double[][] coefficients) {
        int kModels = coefficients.length;
        for (int k = 0; k < kModels; k++) {
            if (coefficients[k].length != size()) {
                throw new IllegalArgumentException("coefficient vector " + k + " has length " + coefficients[k].length + ", basis size is " + size());
            }
            for (int f = 0; f < coefficients[k].length; f++) {
                if (!Double.isFinite(coefficients[k][f])) {
                    throw new IllegalArgumentException("coefficient " + f + " (" + describeFunction(f) + ") of model " + k + " is not finite: " + coefficients[k][f]);
                }
            }
        }
        Frame fr = frame(s);
        int n = s.size();
        if (coefficients.length > 1 && AceCommitteeKernel.handles(this)) return new AceCommitteeKernel(this).evaluate(fr, n, coefficients);
        return modelByModel(fr, n, coefficients);
    }

    /** The reference evaluation: one adjoint pass and one neighbour contraction per model, model after model. */
    CommitteeEvaluation evaluateModelByModel(Structure s, double[][] coefficients) {
        return modelByModel(frame(s), s.size(), coefficients);
    }

    private CommitteeEvaluation modelByModel(Frame fr, int n, double[][] coefficients) {
        int kModels = coefficients.length;
        double[] energies = new double[kModels];
        double[][] forces = new double[kModels][3 * n];
        double[][] virial = new double[kModels][9];
        Workspace w = new Workspace();
        double[] adj = new double[nA];
        double[] g = new double[nLM];
        double[] h = new double[nLM];
        double[] pv = new double[pLength];
        double[] dp = new double[pLength];
        for (int i = 0; i < n; i++) {
            int cnt = w.expand(fr, i, true);
            int off = fr.elem[i] * block;
            if (f3a.length > 0) coupledPairs(w.a, pv);
            for (int km = 0; km < kModels; km++) {
                energies[km] += adjoint(w.a, coefficients[km], off, adj, pv, dp);
                double[] fk = forces[km];
                double[] vk = virial[km];
                for (int k = 0; k < cnt; k++) {
                    int e = w.elem[k];
                    Arrays.fill(g, 0.0);
                    Arrays.fill(h, 0.0);
                    for (int nn = 0; nn < nR; nn++) {
                        double rn = w.r[k * nR + nn], drn = w.dr[k * nR + nn];
                        int a0 = (e * nR + nn) * nLM;
                        for (int lm = 0, top = lmCount[nn]; lm < top; lm++) {
                            double v = adj[a0 + lm];
                            g[lm] += v * rn;
                            h[lm] += v * drn;
                        }
                    }
                    double radial = 0, gx = 0, gy = 0, gz = 0;
                    int yo = k * nLM;
                    for (int lm = 0; lm < nLM; lm++) {
                        radial += h[lm] * w.y[yo + lm];
                        double gl = g[lm];
                        int d = 3 * (yo + lm);
                        gx += gl * w.dy[d];
                        gy += gl * w.dy[d + 1];
                        gz += gl * w.dy[d + 2];
                    }
                    gx += radial * w.u[3 * k];
                    gy += radial * w.u[3 * k + 1];
                    gz += radial * w.u[3 * k + 2];
                    int j = w.nbr[k];
                    fk[3 * j] -= gx;
                    fk[3 * j + 1] -= gy;
                    fk[3 * j + 2] -= gz;
                    fk[3 * i] += gx;
                    fk[3 * i + 1] += gy;
                    fk[3 * i + 2] += gz;
                    double rx = w.vec[3 * k], ry = w.vec[3 * k + 1], rz = w.vec[3 * k + 2];
                    vk[0] += gx * rx;
                    vk[1] += gx * ry;
                    vk[2] += gx * rz;
                    vk[3] += gy * rx;
                    vk[4] += gy * ry;
                    vk[5] += gy * rz;
                    vk[6] += gz * rx;
                    vk[7] += gz * ry;
                    vk[8] += gz * rz;
                }
            }
        }
        double[][] stress = new double[kModels][6];
        if (fr.invVolume != 0) {
            for (int km = 0; km < kModels; km++) {
                double[] v = virial[km];
                double iv = fr.invVolume;
                stress[km] = new double[] {v[0] * iv, v[4] * iv, v[8] * iv, 0.5 * (v[5] + v[7]) * iv, 0.5 * (v[2] + v[6]) * iv, 0.5 * (v[1] + v[3]) * iv};
            }
        }
        return new CommitteeEvaluation(energies, forces, stress);
    }

    @Override
    public double[] atomicFeatures(Structure s) {
        Frame fr = frame(s);
        int n = s.size();
        int width = size();
        double[] out = new double[n * width];
        Workspace w = new Workspace();
        double[] b = new double[block];
        for (int i = 0; i < n; i++) {
            w.expand(fr, i, false);
            invariants(w, w.a, b);
            System.arraycopy(b, 0, out, i * width + fr.elem[i] * block, block);
        }
        return out;
    }

    /** S = sum_i B_i without the N x F table of {@link #atomicFeatures} (no gradients, one block per atom). */
    @Override
    public double[] summedFeatures(Structure s) {
        Frame fr = frame(s);
        double[] out = new double[size()];
        Workspace w = new Workspace();
        double[] b = new double[block];
        for (int i = 0, n = s.size(); i < n; i++) {
            w.expand(fr, i, false);
            invariants(w, w.a, b);
            int off = fr.elem[i] * block;
            for (int f = 0; f < block; f++) out[off + f] += b[f];
        }
        return out;
    }

    /** B of one block from the atomic base A (w supplies scratch). */
    private void invariants(Workspace w, double[] a, double[] b) {
        int f = 0;
        for (int idx : f1) b[f++] = a[idx];
        for (int q = 0; q < f2a.length; q++) {
            int l = f2l[q], lo = l * l, pa = f2a[q] + lo, pb = f2b[q] + lo;
            double sum = 0;
            for (int m = 0; m <= 2 * l; m++) sum += a[pa + m] * a[pb + m];
            b[f++] = sum;
        }
        if (f3a.length > 0) {
            double[] pv = w.pv;
            coupledPairs(a, pv);
            for (int q = 0; q < f3a.length; q++) {
                int gi = f3grp[q], l3 = g3l[gi], po = g3off[gi], pc = f3c[q] + l3 * l3;
                double sum = 0;
                for (int m = 0; m <= 2 * l3; m++) sum += pv[po + m] * a[pc + m];
                b[f++] = sum;
            }
        }
        if (f4a.length > 0) {
            double[] pv = new double[4 * lMaxUsed + 1], qv = new double[4 * lMaxUsed + 1];
            for (int q = 0; q < f4a.length; q++) {
                int big = f4L[q];
                couple(f4g12[q], a, f4a[q], f4b[q], big, pv);
                couple(f4g34[q], a, f4c[q], f4d[q], big, qv);
                double sum = 0;
                for (int m = 0; m <= 2 * big; m++) sum += pv[m] * qv[m];
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
    private double adjoint(double[] a, double[] c, int off, double[] adj, double[] pv, double[] dp) {
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
    private int sparseGradient(int f, double[] a, int[] idx, double[] val, double[] dense, int[] touched) {
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

    /** Neighbour list and element indices of a structure, validated against the basis elements. */
    Frame frame(Structure s) {
        int n = s.size();
        int[] elem = new int[n];
        for (int i = 0; i < n; i++) {
            int z = s.atomicNumber(i);
            int e = z < zIndex.length ? zIndex[z] : -1;
            if (e < 0) {
                throw new IllegalArgumentException("ACE basis has no element " + s.symbol(i) + " (atom " + i + "); basis elements: " + spec().get("elements"));
            }
            elem[i] = e;
        }
        NeighborList nl = NeighborList.build(s, params.rCut());
        double inv = s.cell().hasVolume() && s.cell().isFullyPeriodic() ? 1.0 / Math.abs(s.cell().volume()) : 0.0;
        return new Frame(elem, nl.startArray(), nl.neighborArray(), nl.displacementArray(), inv);
    }

    record Frame(int[] elem, int[] start, int[] nbr, double[] disp, double invVolume) {
    }

    /** Per-call scratch: atomic base and per-neighbour radial values, harmonics and their gradients. */
    final class Workspace {
        final double[] a = new double[nA];
        final double[] pv = new double[pLength];
        final RealSphericalHarmonics sh = new RealSphericalHarmonics(lMaxUsed);
        int cap = 0;
        double[] r = new double[0];
        double[] dr = new double[0];
        double[] y = new double[0];
        double[] dy = new double[0];
        double[] u = new double[0];
        double[] vec = new double[0];
        int[] elem = new int[0];
        int[] nbr = new int[0];

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
        int expand(Frame fr, int i, boolean gradients) {
            Arrays.fill(a, 0.0);
            int from = fr.start[i], to = fr.start[i + 1];
            ensure(to - from);
            int bi = fr.elem[i];
            double rCut = params.rCut(), rIn = params.rIn(), lambda = params.lambda();
            boolean inner = rIn > 0;
            int cnt = 0;
            for (int p = from; p < to; p++) {
                double x = fr.disp[3 * p], yv = fr.disp[3 * p + 1], z = fr.disp[3 * p + 2];
                double dist = Math.sqrt(x * x + yv * yv + z * z);
                if (dist >= rCut || (inner && dist <= rIn)) continue;
                int j = fr.nbr[p];
                if (dist < 1e-10) throw new IllegalArgumentException("atoms " + i + " and " + j + " coincide (distance " + dist + " Angstrom)");
                int e = fr.elem[j];
                int pair = bi * nElem + e;
                double uu, du;
                if (lambda == 0) {
                    uu = -dist;
                    du = -1;
                } else {
                    uu = Math.exp(-lambda * (dist / pairR0[pair] - 1));
                    du = -lambda / pairR0[pair] * uu;
                }
                double span = pairUIn[pair] - pairUCut[pair];
                double t = 1 - 2 * (uu - pairUCut[pair]) / span;
                double dtdr = -2 * du / span;
                double env, denv;
                if (inner) {
                    double q = 1 - t * t;
                    env = q * q;
                    denv = -4 * t * q;
                } else {
                    env = (1 - t) * (1 - t);
                    denv = -2 * (1 - t);
                }
                // Chebyshev T_n(t) and dT_n/dt by the three-term recursion, kept in registers
                int ro = cnt * nR;
                double tPrev = 1, tCur = t, dPrev = 0, dCur = 1;
                r[ro] = env;
                dr[ro] = denv * dtdr;
                if (nR > 1) {
                    r[ro + 1] = t * env;
                    dr[ro + 1] = (env + t * denv) * dtdr;
                }
                for (int nn = 2; nn < nR; nn++) {
                    double tNext = 2 * t * tCur - tPrev;
                    double dNext = 2 * tCur + 2 * t * dCur - dPrev;
                    tPrev = tCur;
                    tCur = tNext;
                    dPrev = dCur;
                    dCur = dNext;
                    r[ro + nn] = tCur * env;
                    dr[ro + nn] = (dCur * env + tCur * denv) * dtdr;
                }
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
                for (int nn = 0; nn < nR; nn++) {
                    double rn = r[ro + nn];
                    int ao = abase + nn * nLM;
                    for (int lm = 0, top = lmCount[nn]; lm < top; lm++) a[ao + lm] += rn * y[yo + lm];
                }
                cnt++;
            }
            return cnt;
        }
    }
}
