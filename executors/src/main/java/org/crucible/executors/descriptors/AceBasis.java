package org.crucible.executors.descriptors;

import java.util.Arrays;
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
 * <p><b>Parts.</b> {@code AceFunctions} selects the functions and holds their index tables, {@code AceRadial}
 * the radial functions, {@code AceExpansion} the atomic base of one atom, {@code AceCoupling} the invariants and
 * their adjoints, {@code AceCommitteeKernel} the committee pass; this class is the {@link LinearBasis} over them.
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
    private final int[] zIndex; // atomic number -> element index or -1
    final AceFunctions fn;
    final AceCoupling coupling;
    private final AceRadial radial;

    /** Builds the basis (selects functions, tabulates coupling coefficients). */
    public AceBasis(AceParameters params) {
        this.params = params;
        int[] el = params.elements();
        int maxZ = el[el.length - 1];
        zIndex = new int[maxZ + 1];
        Arrays.fill(zIndex, -1);
        for (int i = 0; i < el.length; i++) zIndex[el[i]] = i;
        fn = new AceFunctions(params);
        radial = new AceRadial(params, fn.nR);
        coupling = new AceCoupling(fn);
    }

    /** The parameters this basis was built from. */
    public AceParameters parameters() {
        return params;
    }

    @Override
    public int size() {
        return fn.nElem * fn.block;
    }

    /** Basis functions per centre element. */
    public int blockSize() {
        return fn.block;
    }

    /** Number of functions of correlation order nu (1..4) per block. */
    public int countOfOrder(int nu) {
        return switch (nu) {
            case 1 -> fn.f1.length;
            case 2 -> fn.f2a.length;
            case 3 -> fn.f3a.length;
            case 4 -> fn.f4a.length;
            default -> 0;
        };
    }

    /** Number of radial functions per element pair. */
    public int radialCount() {
        return fn.nR;
    }

    /** Highest l actually used. */
    public int lMax() {
        return fn.lMaxUsed;
    }

    /** Human-readable name of basis function f (0..size-1): centre element, order and its one-particle functions. */
    public String describeFunction(int f) {
        int b = f / fn.block;
        return Elements.byZ(params.elements()[b]).symbol() + ": " + fn.names[f % fn.block];
    }

    @Override
    public Map<String, Object> spec() {
        return params.toMap();
    }

    @Override
    public DesignRows designRows(Structure s) {
        Frame fr = frame(s);
        final int nR = fn.nR, nLM = fn.nLM;
        int n = s.size();
        int width = size();
        double[] energy = new double[width];
        double[] forces = new double[3 * n * width];
        double[] stress = new double[6 * width];
        AceExpansion w = workspace();
        double[] b = new double[fn.block];
        int[] sIdx = new int[Math.max(16, 6 * (fn.lMaxUsed + 1) * (2 * fn.lMaxUsed + 1))];
        double[] sVal = new double[sIdx.length];
        double[] dense = new double[fn.nA];
        int[] touched = new int[sIdx.length];
        for (int i = 0; i < n; i++) {
            int cnt = w.expand(fr, i, true);
            int blk = fr.elem[i];
            coupling.invariants(w.a, w.pv, b);
            int col0 = blk * fn.block;
            for (int f = 0; f < fn.block; f++) energy[col0 + f] += b[f];
            for (int f = 0; f < fn.block; f++) {
                int nnz = coupling.sparseGradient(f, w.a, sIdx, sVal, dense, touched);
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

    /**
     * Two passes instead of three: the first computes every atom's expansion A_i (and coupled pairs) once, sums the
     * invariants into S and keeps A_i; {@code choose(S)} gives the coefficients; the second pass builds only the
     * per-neighbour tables (radial values, harmonics and their derivatives) and takes A_i from the first, so the
     * accumulation of A and the coupled pairs are not repeated. Bit for bit the result of the default (the same
     * sums in the same order); about 15 % cheaper (docs/benchmarks.md, session 40).
     */
    @Override
    public CommitteeEvaluation evaluateFromSummedFeatures(Structure s, java.util.function.Function<double[], double[]> choose) {
        Frame fr = frame(s);
        int n = s.size();
        AceExpansion w = workspace();
        int nA = fn.nA, pl = fn.pLength;
        double[] aCache = new double[n * nA];
        double[] pCache = fn.f3a.length > 0 ? new double[n * pl] : null;
        double[] sum = new double[size()];
        double[] b = new double[fn.block];
        for (int i = 0; i < n; i++) {
            w.expand(fr, i, false);
            coupling.invariants(w.a, w.pv, b);
            System.arraycopy(w.a, 0, aCache, i * nA, nA);
            if (pCache != null) System.arraycopy(w.pv, 0, pCache, i * pl, pl);
            int off = fr.elem[i] * fn.block;
            for (int f = 0; f < fn.block; f++) sum[off + f] += b[f];
        }
        double[] c = choose.apply(sum);
        if (c.length != size()) throw new IllegalArgumentException("chosen coefficient vector has length " + c.length + ", basis size is " + size());
        for (int f = 0; f < c.length; f++) {
            if (!Double.isFinite(c[f])) throw new IllegalArgumentException("chosen coefficient " + f + " (" + describeFunction(f) + ") is not finite: " + c[f]);
        }
        return modelByModel(fr, n, new double[][] {c}, aCache, pCache);
    }

    private CommitteeEvaluation modelByModel(Frame fr, int n, double[][] coefficients) {
        return modelByModel(fr, n, coefficients, null, null);
    }

    /** With {@code aCache} (n x nA) and {@code pCache} (n x pLength, or null without 3-body terms): A and P from there. */
    private CommitteeEvaluation modelByModel(Frame fr, int n, double[][] coefficients, double[] aCache, double[] pCache) {
        int kModels = coefficients.length;
        final int nR = fn.nR, nLM = fn.nLM;
        final int[] lmCount = fn.lmCount;
        double[] energies = new double[kModels];
        double[][] forces = new double[kModels][3 * n];
        double[][] virial = new double[kModels][9];
        AceExpansion w = workspace();
        double[] adj = new double[fn.nA];
        double[] g = new double[nLM];
        double[] h = new double[nLM];
        double[] pv = new double[fn.pLength];
        double[] dp = new double[fn.pLength];
        for (int i = 0; i < n; i++) {
            int cnt;
            if (aCache == null) {
                cnt = w.expand(fr, i, true);
                if (fn.f3a.length > 0) coupling.coupledPairs(w.a, pv);
            } else {
                cnt = w.expand(fr, i, true, false);
                System.arraycopy(aCache, i * fn.nA, w.a, 0, fn.nA);
                if (fn.f3a.length > 0) System.arraycopy(pCache, i * fn.pLength, pv, 0, fn.pLength);
            }
            int off = fr.elem[i] * fn.block;
            for (int km = 0; km < kModels; km++) {
                energies[km] += coupling.adjoint(w.a, coefficients[km], off, adj, pv, dp);
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
        AceExpansion w = workspace();
        double[] b = new double[fn.block];
        for (int i = 0; i < n; i++) {
            w.expand(fr, i, false);
            coupling.invariants(w.a, w.pv, b);
            System.arraycopy(b, 0, out, i * width + fr.elem[i] * fn.block, fn.block);
        }
        return out;
    }

    /** S = sum_i B_i without the N x F table of {@link #atomicFeatures} (no gradients, one block per atom). */
    @Override
    public double[] summedFeatures(Structure s) {
        Frame fr = frame(s);
        double[] out = new double[size()];
        AceExpansion w = workspace();
        double[] b = new double[fn.block];
        for (int i = 0, n = s.size(); i < n; i++) {
            w.expand(fr, i, false);
            coupling.invariants(w.a, w.pv, b);
            int off = fr.elem[i] * fn.block;
            for (int f = 0; f < fn.block; f++) out[off + f] += b[f];
        }
        return out;
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

    /** Fresh per-call scratch for expanding atoms of this basis. */
    AceExpansion workspace() {
        return new AceExpansion(fn, radial);
    }
}
