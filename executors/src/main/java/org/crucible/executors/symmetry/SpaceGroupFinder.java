package org.crucible.executors.symmetry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.crucible.core.Cell;
import org.crucible.core.Labels;
import org.crucible.core.Structure;

/**
 * Finds the space group of a periodic structure at a distance tolerance (Angstrom, the meaning of spglib's
 * symprec: atoms closer than it count as the same site). Method:
 * <ol>
 *   <li>Niggli-reduce the cell; find the pure translations (vectors from one atom of the rarest species to the
 *       others that map every atom onto an atom of its species) and build the primitive cell from the three
 *       shortest translation vectors spanning the right volume;</li>
 *   <li>the lattice point group: integer matrices W whose columns are lattice vectors as long as a, b, c and
 *       which keep the metric, W^T G W = G, within the tolerance;</li>
 *   <li>for each W, the translation w from the atom mappings of the rarest species, kept when every atom maps;</li>
 *   <li>the operations are identified by an invariant fingerprint ({@link GroupFingerprint}) matched against the
 *       230 groups of {@link SpaceGroups}; if the operations found do not form a group (too loose a tolerance
 *       catches part of a supergroup) the tolerance is halved, at most five times, as spglib does.</li>
 * </ol>
 * The symmetrised structure is the primitive structure with the metric averaged over the point group and every
 * atom replaced by the average of its images, so its symmetry holds to rounding.
 *
 * <pre>{@code
 * SpaceGroupFinder.Result r = SpaceGroupFinder.find(structure, 1e-3);
 * r.number();   // 227 for diamond
 * r.symbol();   // "Fd-3m"
 * }</pre>
 */
public final class SpaceGroupFinder {
    private static volatile Map<String, SpaceGroup> byFingerprint;

    private SpaceGroupFinder() {
    }

    /**
     * @param group       the space-group type
     * @param tolerance   the tolerance (Angstrom) at which it was found (may be below the requested one)
     * @param operations  the operations in the basis of {@code primitive}, one per coset of the lattice
     * @param primitive   the Niggli-reduced primitive structure
     * @param symmetrized the primitive structure with exact symmetry
     */
    public record Result(SpaceGroup group, double tolerance, List<SymOp> operations, Structure primitive, Structure symmetrized) {
        public Result {
            operations = List.copyOf(operations);
        }

        public int number() {
            return group.number();
        }

        public String symbol() {
            return group.symbol();
        }

        /**
         * A conventional cell of the group: the basis in which the point-group operations are those of the standard
         * setting (found by search over integer bases with entries in [-2, 2]), turned into the conventional cell by
         * the centring of the setting, with all atoms (centring copies included). The origin is the structure's own,
         * not the International Tables origin, and for orthorhombic groups the axis order may be another setting's.
         * Cost: up to ~2 million trial bases, so call it for reports, not in bulk.
         *
         * @throws IllegalStateException when no such basis exists within the search range
         */
        public Structure conventional() {
            return SpaceGroupFinder.conventional(this);
        }
    }

    /**
     * @param tolerance symmetry tolerance, Angstrom (> 0; 1e-3 for relaxed structures, 1e-5 for ideal ones)
     * @throws IllegalArgumentException for a structure without three periodic axes or a bad tolerance
     * @throws IllegalStateException    when no tolerance down to tolerance / 32 gives a consistent group
     */
    public static Result find(Structure s, double tolerance) {
        if (!s.cell().isFullyPeriodic()) throw new IllegalArgumentException("space groups need a fully periodic cell");
        if (!(tolerance > 0) || !Double.isFinite(tolerance)) throw new IllegalArgumentException("tolerance must be > 0 Angstrom, got " + tolerance);
        if (s.size() == 0) throw new IllegalArgumentException("structure has no atoms");
        double tol = tolerance;
        for (int attempt = 0; attempt < 6; attempt++, tol /= 2) {
            Result r = tryFind(s, tol);
            if (r != null) return r;
        }
        throw new IllegalStateException("no consistent space group for " + s.formula() + " at tolerances "
                + tolerance + " down to " + tol * 2 + " Angstrom");
    }

    private static Result tryFind(Structure s, double tol) {
        Structure reduced = niggliReduced(s);
        Structure prim = primitive(reduced, tol);
        if (prim == null) return null;
        prim = niggliReduced(prim);
        double[] l = prim.cell().matrix();
        double[] x = prim.cell().toFractionalAll(prim.positions());
        int[] z = new int[prim.size()];
        for (int i = 0; i < z.length; i++) z[i] = prim.atomicNumber(i);
        int ref = rarest(z);
        List<SymOp> ops = new ArrayList<>();
        for (int[] w : latticePointGroup(prim.cell(), tol)) {
            SymOp op = translationFor(w, x, z, ref, l, tol);
            if (op != null) ops.add(op);
        }
        if (!isGroup(ops)) return null;
        SpaceGroup g = table().get(GroupFingerprint.of(ops, l));
        if (g == null || g.pointGroupOrder() != ops.size()) return null;
        return new Result(g, tol, ops, prim, symmetrize(prim, ops, x, z));
    }

    /** The primitive cell of a Niggli-reduced structure, or null when the translations are inconsistent. */
    /**
     * The structure in its Niggli cell ({@link Structure#niggliReduced(double)}) at eps = 1e-5 V^(2/3) Angstrom^2,
     * relative to the squared lengths compared (the tolerance the finder was checked against spglib with; core's
     * default is ASE's 1e-5 V^(1/3)). Labels are dropped: the primitive structure of a result never carries them.
     */
    private static Structure niggliReduced(Structure s) {
        return s.withLabels(Labels.NONE).niggliReduced(1e-5 * Math.pow(s.cell().volume(), 2.0 / 3.0));
    }

    static Structure primitive(Structure s, double tol) {
        double[] l = s.cell().matrix();
        double[] x = s.cell().toFractionalAll(s.positions());
        int n = s.size();
        int[] z = new int[n];
        for (int i = 0; i < n; i++) z[i] = s.atomicNumber(i);
        int ref = rarest(z);
        List<double[]> trans = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            if (z[j] != z[ref]) continue;
            double[] t = new double[3];
            for (int k = 0; k < 3; k++) t[k] = x[3 * j + k] - x[3 * ref + k];
            if (mapsAll(IntMatrix.identity(), t, x, z, l, tol)) {
                for (int k = 0; k < 3; k++) t[k] = SymOp.wrap(t[k] + 1e-12);
                trans.add(t);
            }
        }
        int points = trans.size();
        if (points == 1) return s;
        if (n % points != 0) return null;
        // candidate lattice vectors t + m for m in {-1,0,1}^3, shortest first
        List<double[]> cand = new ArrayList<>();
        for (double[] t : trans) {
            for (int a = -1; a <= 1; a++) for (int b = -1; b <= 1; b++) for (int c = -1; c <= 1; c++) {
                double[] v = {t[0] + a, t[1] + b, t[2] + c};
                double len = norm(cart(v, l));
                if (len > 1e-6) cand.add(new double[] {v[0], v[1], v[2], len});
            }
        }
        cand.sort((p, q) -> Double.compare(p[3], q[3]));
        double target = s.cell().volume() / points;
        int lim = Math.min(cand.size(), 60);
        for (int i = 0; i < lim; i++) {
            for (int j = i + 1; j < lim; j++) {
                for (int k = j + 1; k < lim; k++) {
                    double[] pm = {cand.get(i)[0], cand.get(i)[1], cand.get(i)[2], cand.get(j)[0], cand.get(j)[1], cand.get(j)[2],
                        cand.get(k)[0], cand.get(k)[1], cand.get(k)[2]};
                    double vol = Math.abs(det(pm)) * s.cell().volume();
                    if (Math.abs(vol - target) > 1e-3 * target) continue;
                    if (det(pm) < 0) for (int c = 0; c < 3; c++) pm[c] = -pm[c];
                    return mapInto(s, pm, x, z, points, tol);
                }
            }
        }
        return null;
    }

    private static Structure mapInto(Structure s, double[] pm, double[] x, int[] z, int points, double tol) {
        double[] lp = multiply(pm, s.cell().matrix());
        Cell cell = s.cell().withMatrix(lp);
        double[] inv = inverse(pm);
        List<double[]> keep = new ArrayList<>();
        List<Integer> species = new ArrayList<>();
        for (int i = 0; i < z.length; i++) {
            double[] f = new double[3];
            for (int k = 0; k < 3; k++) {
                f[k] = SymOp.wrap(x[3 * i] * inv[k] + x[3 * i + 1] * inv[3 + k] + x[3 * i + 2] * inv[6 + k]);
            }
            boolean dup = false;
            for (int a = 0; a < keep.size() && !dup; a++) {
                if (species.get(a) == z[i] && minDist(keep.get(a), 0, f, 0, lp) < tol) dup = true;
            }
            if (!dup) {
                keep.add(f);
                species.add(z[i]);
            }
        }
        if (keep.size() * points != z.length) return null;
        double[] frac = new double[3 * keep.size()];
        int[] zs = new int[keep.size()];
        for (int a = 0; a < zs.length; a++) {
            System.arraycopy(keep.get(a), 0, frac, 3 * a, 3);
            zs[a] = species.get(a);
        }
        return Structure.of(cell, zs, cell.toCartesianAll(frac), s.info(), null);
    }

    /** Integer W (row-major) keeping the metric: columns are lattice vectors as long as the basis vectors. */
    static List<int[]> latticePointGroup(Cell cell, double tol) {
        double[] l = cell.matrix();
        double[] len = cell.lengths();
        List<List<int[]>> columns = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<int[]> c = new ArrayList<>();
            for (int a = -2; a <= 2; a++) for (int b = -2; b <= 2; b++) for (int d = -2; d <= 2; d++) {
                double lv = norm(cart(new double[] {a, b, d}, l));
                if (Math.abs(lv - len[i]) < tol) c.add(new int[] {a, b, d});
            }
            columns.add(c);
        }
        double[] g = metric(l);
        List<int[]> out = new ArrayList<>();
        for (int[] c0 : columns.get(0)) {
            for (int[] c1 : columns.get(1)) {
                if (Math.abs(dotN(c0, c1, g) - g[1]) > tol * (len[0] + len[1])) continue;
                for (int[] c2 : columns.get(2)) {
                    if (Math.abs(dotN(c0, c2, g) - g[2]) > tol * (len[0] + len[2])) continue;
                    if (Math.abs(dotN(c1, c2, g) - g[5]) > tol * (len[1] + len[2])) continue;
                    int[] w = {c0[0], c1[0], c2[0], c0[1], c1[1], c2[1], c0[2], c1[2], c2[2]};
                    int det = IntMatrix.determinant(w);
                    if (det == 1 || det == -1) out.add(w);
                }
            }
        }
        return out;
    }

    private static SymOp translationFor(int[] w, double[] x, int[] z, int ref, double[] l, double tol) {
        double[] y = new SymOp(w, new double[3]).apply(new double[] {x[3 * ref], x[3 * ref + 1], x[3 * ref + 2]});
        for (int j = 0; j < z.length; j++) {
            if (z[j] != z[ref]) continue;
            double[] t = {x[3 * j] - y[0], x[3 * j + 1] - y[1], x[3 * j + 2] - y[2]};
            if (mapsAll(w, t, x, z, l, tol)) {
                for (int k = 0; k < 3; k++) t[k] = SymOp.wrap(t[k] + 1e-12);
                return new SymOp(w, t);
            }
        }
        return null;
    }

    /**
     * True when x -> W x + t maps every atom within tol (Angstrom) of an atom of the same species. The trial t
     * comes from one pair of atoms and carries both their errors, so the mapping is first found at 3 tol, t is
     * replaced (in place) by the mean displacement over all atoms, and the refined operation is checked at tol.
     */
    private static boolean mapsAll(int[] w, double[] t, double[] x, int[] z, double[] l, double tol) {
        SymOp op = new SymOp(w, t);
        double[] y = new double[3];
        double[] mean = new double[3];
        int[] image = new int[z.length];
        for (int i = 0; i < z.length; i++) {
            op.apply(x, 3 * i, y, 0);
            int found = -1;
            for (int j = 0; j < z.length && found < 0; j++) {
                if (z[j] == z[i] && minDist(y, 0, x, 3 * j, l) < 3 * tol) found = j;
            }
            if (found < 0) return false;
            image[i] = found;
            for (int k = 0; k < 3; k++) {
                double d = x[3 * found + k] - y[k];
                mean[k] += d - Math.rint(d);
            }
        }
        for (int k = 0; k < 3; k++) t[k] += mean[k] / z.length;
        SymOp refined = new SymOp(w, t);
        boolean[] hit = new boolean[z.length];
        for (int i = 0; i < z.length; i++) {
            if (hit[image[i]]) return false; // two atoms onto one: not a symmetry operation
            hit[image[i]] = true;
            refined.apply(x, 3 * i, y, 0);
            if (minDist(y, 0, x, 3 * image[i], l) >= tol) return false;
        }
        return true;
    }

    /** Closure check: every product of two operations is (mod lattice) one of them. */
    private static boolean isGroup(List<SymOp> ops) {
        if (ops.isEmpty()) return false;
        for (SymOp a : ops) {
            for (SymOp b : ops) {
                SymOp c = a.compose(b);
                boolean found = false;
                for (SymOp d : ops) {
                    if (Arrays.equals(d.rotation(), c.rotation()) && SpaceGroup.periodicClose(d.translation(), c.translation(), 0.05)) {
                        found = true;
                        break;
                    }
                }
                if (!found) return false;
            }
        }
        return true;
    }

    private static Structure symmetrize(Structure prim, List<SymOp> ops, double[] x, int[] z) {
        double[] l = prim.cell().matrix();
        double[] g = metric(l);
        double[] gs = new double[9];
        for (SymOp op : ops) {
            int[] w = op.rotation();
            for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) {
                double v = 0;
                for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++) v += w[3 * a + i] * gFull(g, a, b) * w[3 * b + j];
                gs[3 * i + j] += v / ops.size();
            }
        }
        double a = Math.sqrt(gs[0]), b = Math.sqrt(gs[4]), c = Math.sqrt(gs[8]);
        Cell cell = Cell.fromParameters(a, b, c, Math.toDegrees(Math.acos(gs[5] / (b * c))),
                Math.toDegrees(Math.acos(gs[2] / (a * c))), Math.toDegrees(Math.acos(gs[1] / (a * b))));
        int n = z.length;
        double[] sum = new double[3 * n];
        double[] y = new double[3];
        for (SymOp op : ops) {
            for (int i = 0; i < n; i++) {
                op.apply(x, 3 * i, y, 0);
                int best = -1;
                double bd = Double.MAX_VALUE;
                for (int j = 0; j < n; j++) {
                    if (z[j] != z[i]) continue;
                    double d = minDist(y, 0, x, 3 * j, l);
                    if (d < bd) {
                        bd = d;
                        best = j;
                    }
                }
                for (int k = 0; k < 3; k++) sum[3 * best + k] += y[k] - Math.rint(y[k] - x[3 * best + k]);
            }
        }
        for (int i = 0; i < sum.length; i++) sum[i] = SymOp.wrap(sum[i] / ops.size());
        return Structure.of(cell, z, cell.toCartesianAll(sum), prim.info(), null);
    }

    static Structure conventional(Result r) {
        SpaceGroup g = r.group();
        double[] p = g.primitiveTransform();
        double[] pt = transpose(p), ptInv = inverse(pt);
        java.util.Set<String> table = new java.util.HashSet<>();
        for (SymOp op : g.operations()) {
            int[] ro = op.rotation();
            double[] rd = new double[9];
            for (int i = 0; i < 9; i++) rd[i] = ro[i];
            double[] w = multiply(multiply(ptInv, rd), pt);
            int[] wi = new int[9];
            for (int i = 0; i < 9; i++) wi[i] = (int) Math.round(w[i]);
            table.add(Arrays.toString(wi));
        }
        List<int[]> found = new ArrayList<>();
        for (SymOp op : r.operations()) found.add(op.rotation());
        List<int[]> vectors = new ArrayList<>();
        for (int a = -2; a <= 2; a++) for (int b = -2; b <= 2; b++) for (int c = -2; c <= 2; c++) {
            if (a != 0 || b != 0 || c != 0) vectors.add(new int[] {a, b, c});
        }
        for (int[] q0 : vectors) {
            for (int[] q1 : vectors) {
                for (int[] q2 : vectors) {
                    int[] q = {q0[0], q1[0], q2[0], q0[1], q1[1], q2[1], q0[2], q1[2], q2[2]};
                    if (IntMatrix.determinant(q) != 1) continue;
                    int[] qi = IntMatrix.inverseUnimodular(q);
                    boolean all = true;
                    for (int[] w : found) {
                        if (!table.contains(Arrays.toString(IntMatrix.multiply(IntMatrix.multiply(qi, w), q)))) {
                            all = false;
                            break;
                        }
                    }
                    if (all) return conventionalFrom(r, g, q, p);
                }
            }
        }
        throw new IllegalStateException("no basis within [-2, 2] brings the operations of " + r.primitive().formula()
                + " to the standard setting of " + g);
    }

    private static Structure conventionalFrom(Result r, SpaceGroup g, int[] q, double[] p) {
        Structure prim = r.primitive();
        double[] lf = prim.cell().matrix();
        double[] qt = new double[9];
        int[] qtr = IntMatrix.transpose(q);
        for (int i = 0; i < 9; i++) qt[i] = qtr[i];
        double[] primRows = multiply(qt, lf);          // new primitive vectors b'_j = sum_i Q_ij b_i
        double[] conv = multiply(inverse(p), primRows); // conventional rows: prim = P conv
        Cell cell = prim.cell().withMatrix(conv);
        double[] x = cell.toFractionalAll(prim.positions());
        List<double[]> centring = g.centringTranslations();
        int n = prim.size();
        int[] z = new int[n * centring.size()];
        double[] f = new double[3 * z.length];
        int k = 0;
        for (double[] t : centring) {
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < 3; c++) f[3 * k + c] = SymOp.wrap(x[3 * i + c] + t[c] + 1e-12);
                z[k++] = prim.atomicNumber(i);
            }
        }
        return Structure.of(cell, z, cell.toCartesianAll(f), prim.info(), null);
    }

    /** Fingerprint -> group for the 230 standard groups, built once. */
    static Map<String, SpaceGroup> table() {
        Map<String, SpaceGroup> t = byFingerprint;
        if (t == null) {
            synchronized (SpaceGroupFinder.class) {
                if (byFingerprint == null) {
                    Map<String, SpaceGroup> m = new HashMap<>();
                    for (SpaceGroup g : SpaceGroups.all()) {
                        SpaceGroup old = m.put(fingerprint(g), g);
                        if (old != null) throw new IllegalStateException("fingerprints of " + old + " and " + g + " coincide");
                    }
                    byFingerprint = m;
                }
                t = byFingerprint;
            }
        }
        return t;
    }

    /** The fingerprint of a table group, from its operations transformed to the primitive basis. */
    static String fingerprint(SpaceGroup g) {
        double[] p = g.primitiveTransform();
        double[] pt = transpose(p);
        double[] ptInv = inverse(pt);
        List<SymOp> ops = new ArrayList<>();
        for (SymOp op : g.operations()) {
            double[] w = new double[9];
            int[] r = op.rotation();
            double[] rd = new double[9];
            for (int i = 0; i < 9; i++) rd[i] = r[i];
            w = multiply(multiply(ptInv, rd), pt);
            int[] wi = new int[9];
            for (int i = 0; i < 9; i++) wi[i] = (int) Math.round(w[i]);
            double[] t = new double[3];
            for (int i = 0; i < 3; i++) {
                t[i] = SymOp.wrap(ptInv[3 * i] * op.t(0) + ptInv[3 * i + 1] * op.t(1) + ptInv[3 * i + 2] * op.t(2) + 1e-12);
            }
            SymOp q = new SymOp(wi, t);
            boolean seen = false;
            for (SymOp o : ops) {
                if (Arrays.equals(o.rotation(), wi)) {
                    seen = true;
                    break;
                }
            }
            if (!seen) ops.add(q);
        }
        double[] lp = multiply(p, modelLattice(g.system()).matrix());
        return GroupFingerprint.of(ops, lp);
    }

    private static Cell modelLattice(CrystalSystem s) {
        return switch (s) {
            case CUBIC -> Cell.cubic(5.0);
            case HEXAGONAL, TRIGONAL -> Cell.fromParameters(5.0, 5.0, 6.3, 90, 90, 120);
            case TETRAGONAL -> Cell.fromParameters(5.0, 5.0, 6.3, 90, 90, 90);
            case ORTHORHOMBIC -> Cell.fromParameters(4.4, 5.3, 6.7, 90, 90, 90);
            case MONOCLINIC -> Cell.fromParameters(4.4, 5.3, 6.7, 90, 101.3, 90);
            case TRICLINIC -> Cell.fromParameters(4.4, 5.3, 6.7, 81, 97, 103);
        };
    }

    private static int rarest(int[] z) {
        Map<Integer, Integer> count = new HashMap<>();
        for (int v : z) count.merge(v, 1, Integer::sum);
        int best = 0;
        for (int i = 1; i < z.length; i++) {
            int ci = count.get(z[i]), cb = count.get(z[best]);
            if (ci < cb || (ci == cb && z[i] < z[best])) best = i;
        }
        return best;
    }

    /** Minimum-image Cartesian distance; exact for Niggli-reduced cells and distances below the shortest height / 2. */
    private static double minDist(double[] a, int ia, double[] b, int ib, double[] l) {
        double[] d = {a[ia] - b[ib], a[ia + 1] - b[ib + 1], a[ia + 2] - b[ib + 2]};
        for (int k = 0; k < 3; k++) d[k] -= Math.rint(d[k]);
        double best = Double.MAX_VALUE;
        for (int i = -1; i <= 1; i++) for (int j = -1; j <= 1; j++) for (int k = -1; k <= 1; k++) {
            best = Math.min(best, norm(cart(new double[] {d[0] + i, d[1] + j, d[2] + k}, l)));
        }
        return best;
    }

    private static double[] metric(double[] l) {
        double[] g = new double[6]; // 00, 01, 02, 11, 22, 12 packed as used below
        g[0] = dot(l, 0, 0);
        g[1] = dot(l, 0, 1);
        g[2] = dot(l, 0, 2);
        g[3] = dot(l, 1, 1);
        g[4] = dot(l, 2, 2);
        g[5] = dot(l, 1, 2);
        return g;
    }

    private static double gFull(double[] g, int a, int b) {
        if (a > b) {
            int t = a;
            a = b;
            b = t;
        }
        if (a == b) return a == 0 ? g[0] : (a == 1 ? g[3] : g[4]);
        if (a == 0) return b == 1 ? g[1] : g[2];
        return g[5];
    }

    private static double dotN(int[] u, int[] v, double[] g) {
        double s = 0;
        for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++) s += u[a] * gFull(g, a, b) * v[b];
        return s;
    }

    private static double dot(double[] l, int i, int j) {
        return l[3 * i] * l[3 * j] + l[3 * i + 1] * l[3 * j + 1] + l[3 * i + 2] * l[3 * j + 2];
    }

    private static double[] cart(double[] f, double[] l) {
        return new double[] {f[0] * l[0] + f[1] * l[3] + f[2] * l[6], f[0] * l[1] + f[1] * l[4] + f[2] * l[7], f[0] * l[2] + f[1] * l[5] + f[2] * l[8]};
    }

    private static double norm(double[] v) {
        return Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    }

    private static double det(double[] a) {
        return a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6]);
    }

    private static double[] multiply(double[] a, double[] b) {
        double[] c = new double[9];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) {
            c[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
        }
        return c;
    }

    private static double[] transpose(double[] a) {
        return new double[] {a[0], a[3], a[6], a[1], a[4], a[7], a[2], a[5], a[8]};
    }

    private static double[] inverse(double[] a) {
        double d = det(a);
        return new double[] {
            (a[4] * a[8] - a[5] * a[7]) / d, (a[2] * a[7] - a[1] * a[8]) / d, (a[1] * a[5] - a[2] * a[4]) / d,
            (a[5] * a[6] - a[3] * a[8]) / d, (a[0] * a[8] - a[2] * a[6]) / d, (a[2] * a[3] - a[0] * a[5]) / d,
            (a[3] * a[7] - a[4] * a[6]) / d, (a[1] * a[6] - a[0] * a[7]) / d, (a[0] * a[4] - a[1] * a[3]) / d};
    }
}
