package org.crucible.executors.symmetry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A basis- and origin-independent fingerprint of a space group given by its operations in a PRIMITIVE basis
 * (one per coset of the lattice translations) and the Cartesian lattice (for the sense of rotations, which tells
 * enantiomorphic pairs such as P4_1 and P4_3 apart). Two settings of one space-group type have equal
 * fingerprints; {@code SpaceGroupsTest} checks that the 230 standard groups have 230 different ones.
 *
 * <p>Per operation (W, w): det W and tr W (rotation type); the Smith normal forms of W - I and of
 * N = sum_{k<n} W^k (how W acts on the lattice, which separates P, C, I, F, R arithmetic classes); for a proper
 * rotation, the screw part m of t_n = sum_k W^k w = m u along the axis u oriented by the rotation sense, modulo
 * the step k of N Z^3 on the axis (4_1: m = 1 of k = 4); for a reflection, whether t_2 is outside N Z^3 (a
 * glide). For the group: whether it is symmorphic (one point fixed by a representative of every coset). All of
 * these are invariants of the group under integer changes of basis and shifts of origin (Hahn ed., International
 * Tables A, section 8.1; the intrinsic translation of section 11.1).
 */
final class GroupFingerprint {
    private static final double TOL = 0.02;

    private GroupFingerprint() {
    }

    /**
     * @param ops     one operation per coset, primitive fractional coordinates
     * @param lattice row-major primitive lattice (rows = vectors, Angstrom), used only for rotation senses
     */
    static String of(List<SymOp> ops, double[] lattice) {
        List<String> keys = new ArrayList<>();
        for (SymOp op : ops) keys.add(key(op, lattice));
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i).isTranslation()) continue;
            for (int j = i + 1; j < ops.size(); j++) {
                if (ops.get(j).isTranslation()) continue;
                pairs.add(pairKey(ops.get(i), keys.get(i), ops.get(j), keys.get(j)));
            }
        }
        Collections.sort(keys);
        Collections.sort(pairs);
        return String.join(";", keys) + "|" + String.join(";", pairs) + "|" + (symmorphic(ops) ? "S" : "N");
    }

    static String key(SymOp op, double[] l) {
        int[] w = op.rotation();
        int det = op.determinant(), tr = op.trace();
        int n = order(w);
        int[] wi = minusIdentity(w);
        int[] nsum = new int[9];
        int[] power = IntMatrix.identity();
        double[] tn = new double[3];
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < 9; i++) nsum[i] += power[i];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) tn[i] += power[3 * i + j] * op.t(j);
            }
            power = IntMatrix.multiply(power, w);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(det).append(',').append(tr).append(',').append(snf(wi)).append(',').append(snf(nsum));
        long[] t = new long[3];
        for (int i = 0; i < 3; i++) t[i] = Math.round(tn[i]);
        if (det == 1 && n >= 2) {
            int[] u = axis(wi);
            if (n >= 3 && sense(w, u, l) < 0) for (int i = 0; i < 3; i++) u[i] = -u[i];
            int uu = u[0] * u[0] + u[1] * u[1] + u[2] * u[2];
            long m = Math.round((double) (t[0] * u[0] + t[1] * u[1] + t[2] * u[2]) / uu);
            int step = 0;
            for (int j = 0; j < 3; j++) {
                int[] col = {nsum[j], nsum[3 + j], nsum[6 + j]};
                int alpha = (col[0] * u[0] + col[1] * u[1] + col[2] * u[2]) / uu;
                step = gcd(step, Math.abs(alpha));
            }
            sb.append(",s").append(Math.floorMod(m, step)).append('/').append(step);
        } else if (det == -1 && tr == 1) {
            boolean glide = !inImage(nsum, t);
            sb.append(glide ? ",g" : ",m");
        }
        return sb.toString();
    }

    /**
     * Invariants of a pair of operations: their keys, the Smith form of the stacked (W_g - I; W_h - I) (how the
     * two act on the lattice together), whether their symmetry elements share a point, and for a glide with a
     * rotation whether the glide vector can be chosen along the rotation axis.
     */
    private static String pairKey(SymOp g, String kg, SymOp h, String kh) {
        if (kg.compareTo(kh) > 0) {
            SymOp t = g;
            g = h;
            h = t;
            String u = kg;
            kg = kh;
            kh = u;
        }
        int[] a = minusIdentity(g.rotation()), b = minusIdentity(h.rotation());
        int[][] rows = {{a[0], a[1], a[2]}, {a[3], a[4], a[5]}, {a[6], a[7], a[8]}, {b[0], b[1], b[2]}, {b[3], b[4], b[5]}, {b[6], b[7], b[8]}};
        StringBuilder sb = new StringBuilder(kg).append('&').append(kh).append('&').append(snfRows(rows));
        sb.append(symmorphic(List.of(g, h)) ? "x" : "o");
        sb.append(glideAlong(g, h)).append(glideAlong(h, g));
        return sb.toString();
    }

    /** For a glide g and a proper rotation h: "p" when a glide vector of g lies along h's axis, "q" when not. */
    private static String glideAlong(SymOp g, SymOp h) {
        if (!(g.determinant() == -1 && g.trace() == 1 && h.determinant() == 1 && order(h.rotation()) >= 2)) return "";
        int[] w = g.rotation();
        int[] n = w.clone();
        n[0]++;
        n[4]++;
        n[8]++;
        long[] t = new long[3];
        for (int i = 0; i < 3; i++) t[i] = Math.round(g.t(i) + w[3 * i] * g.t(0) + w[3 * i + 1] * g.t(1) + w[3 * i + 2] * g.t(2));
        if (inImage(n, t)) return "";
        int[] u = axis(minusIdentity(h.rotation()));
        int[] nh = new int[9];
        int[] power = IntMatrix.identity();
        for (int k = 0; k < order(h.rotation()); k++) {
            for (int i = 0; i < 9; i++) nh[i] += power[i];
            power = IntMatrix.multiply(power, h.rotation());
        }
        boolean along = false, across = false;
        for (int a = -3; a <= 3; a++) for (int b = -3; b <= 3; b++) for (int c = -3; c <= 3; c++) {
            long x = t[0] + n[0] * a + n[1] * b + n[2] * c, y = t[1] + n[3] * a + n[4] * b + n[5] * c, z = t[2] + n[6] * a + n[7] * b + n[8] * c;
            if (x == 0 && y == 0 && z == 0) continue;
            if (x * u[1] - y * u[0] == 0 && y * u[2] - z * u[1] == 0 && x * u[2] - z * u[0] == 0) along = true;
            // perpendicular to the axis: the sum of the rotation's powers annihilates the vector
            if (nh[0] * x + nh[1] * y + nh[2] * z == 0 && nh[3] * x + nh[4] * y + nh[5] * z == 0 && nh[6] * x + nh[7] * y + nh[8] * z == 0) {
                across = true;
            }
        }
        return (along ? "p" : "q") + (across ? "r" : "s");
    }

    /** Smith normal form diagonal of an integer matrix with 3 columns, from its determinantal divisors. */
    static String snfRows(int[][] r) {
        int m = r.length;
        long g1 = 0, g2 = 0, g3 = 0;
        for (int[] row : r) for (int v : row) g1 = gcd(g1, Math.abs(v));
        for (int i = 0; i < m; i++) for (int j = i + 1; j < m; j++) {
            for (int c1 = 0; c1 < 3; c1++) for (int c2 = c1 + 1; c2 < 3; c2++) {
                g2 = gcd(g2, Math.abs((long) r[i][c1] * r[j][c2] - (long) r[i][c2] * r[j][c1]));
            }
            for (int k = j + 1; k < m; k++) {
                long d = (long) r[i][0] * (r[j][1] * r[k][2] - r[j][2] * r[k][1]) - (long) r[i][1] * (r[j][0] * r[k][2] - r[j][2] * r[k][0])
                        + (long) r[i][2] * (r[j][0] * r[k][1] - r[j][1] * r[k][0]);
                g3 = gcd(g3, Math.abs(d));
            }
        }
        return g1 + "." + (g1 == 0 ? 0 : g2 / g1) + "." + (g2 == 0 ? 0 : g3 / g2);
    }

    static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** True when some point is fixed by one representative of every coset: (W - I) x + w in Z^3 for all ops. */
    static boolean symmorphic(List<SymOp> ops) {
        int m = 3 * ops.size();
        long[][] a = new long[m][3];
        double[] b = new double[m];
        for (int g = 0; g < ops.size(); g++) {
            int[] wi = minusIdentity(ops.get(g).rotation());
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) a[3 * g + i][j] = wi[3 * i + j];
                b[3 * g + i] = ops.get(g).t(i);
            }
        }
        int pivot = 0;
        for (int col = 0; col < 3 && pivot < m; col++) {
            while (true) {
                int best = -1;
                for (int r = pivot; r < m; r++) {
                    if (a[r][col] != 0 && (best < 0 || Math.abs(a[r][col]) < Math.abs(a[best][col]))) best = r;
                }
                if (best < 0) break;
                swap(a, b, pivot, best);
                boolean done = true;
                for (int r = pivot + 1; r < m; r++) {
                    if (a[r][col] == 0) continue;
                    long q = Math.floorDiv(a[r][col], a[pivot][col]);
                    for (int j = 0; j < 3; j++) a[r][j] -= q * a[pivot][j];
                    b[r] -= q * b[pivot];
                    if (a[r][col] != 0) done = false;
                }
                if (done) {
                    pivot++;
                    break;
                }
            }
        }
        for (int r = pivot; r < m; r++) {
            if (Math.abs(b[r] - Math.rint(b[r])) > TOL) return false;
        }
        return true;
    }

    private static void swap(long[][] a, double[] b, int i, int j) {
        long[] t = a[i];
        a[i] = a[j];
        a[j] = t;
        double s = b[i];
        b[i] = b[j];
        b[j] = s;
    }

    static int order(int[] w) {
        int[] p = w.clone();
        for (int n = 1; n <= 6; n++) {
            if (java.util.Arrays.equals(p, IntMatrix.identity())) return n;
            p = IntMatrix.multiply(p, w);
        }
        throw new IllegalArgumentException("not a crystallographic rotation: " + java.util.Arrays.toString(w));
    }

    private static int[] minusIdentity(int[] w) {
        int[] r = w.clone();
        r[0]--;
        r[4]--;
        r[8]--;
        return r;
    }

    /** Smith normal form diagonal d1|d2|d3 of an integer 3x3 matrix from its determinantal divisors. */
    static String snf(int[] a) {
        int g1 = 0;
        for (int v : a) g1 = gcd(g1, Math.abs(v));
        int g2 = 0;
        for (int r1 = 0; r1 < 3; r1++) for (int r2 = r1 + 1; r2 < 3; r2++) {
            for (int c1 = 0; c1 < 3; c1++) for (int c2 = c1 + 1; c2 < 3; c2++) {
                g2 = gcd(g2, Math.abs(a[3 * r1 + c1] * a[3 * r2 + c2] - a[3 * r1 + c2] * a[3 * r2 + c1]));
            }
        }
        int g3 = Math.abs(IntMatrix.determinant(a));
        int d1 = g1, d2 = g1 == 0 ? 0 : g2 / g1, d3 = g2 == 0 ? 0 : g3 / g2;
        return d1 + "." + d2 + "." + d3;
    }

    /** Primitive integer vector spanning the kernel of a rank-2 integer matrix (rotation axis). */
    static int[] axis(int[] wi) {
        int[][] rows = {{wi[0], wi[1], wi[2]}, {wi[3], wi[4], wi[5]}, {wi[6], wi[7], wi[8]}};
        for (int i = 0; i < 3; i++) {
            for (int j = i + 1; j < 3; j++) {
                int[] c = {rows[i][1] * rows[j][2] - rows[i][2] * rows[j][1], rows[i][2] * rows[j][0] - rows[i][0] * rows[j][2],
                    rows[i][0] * rows[j][1] - rows[i][1] * rows[j][0]};
                int g = gcd(gcd(Math.abs(c[0]), Math.abs(c[1])), Math.abs(c[2]));
                if (g != 0) {
                    for (int k = 0; k < 3; k++) c[k] /= g;
                    return c;
                }
            }
        }
        throw new IllegalArgumentException("rotation has no unique axis: " + java.util.Arrays.toString(wi));
    }

    /** Sign of sin(theta) of rotation W about Cartesian axis L^T u (positive: counterclockwise about u). */
    private static double sense(int[] w, int[] u, double[] l) {
        double[] p = {1, 0, 0};
        if (u[1] == 0 && u[2] == 0) p = new double[] {0, 1, 0};
        double[] rp = {w[0] * p[0] + w[1] * p[1] + w[2] * p[2], w[3] * p[0] + w[4] * p[1] + w[5] * p[2], w[6] * p[0] + w[7] * p[1] + w[8] * p[2]};
        double[] uc = cart(new double[] {u[0], u[1], u[2]}, l), pc = cart(p, l), rc = cart(rp, l);
        double[] x = {uc[1] * pc[2] - uc[2] * pc[1], uc[2] * pc[0] - uc[0] * pc[2], uc[0] * pc[1] - uc[1] * pc[0]};
        return rc[0] * x[0] + rc[1] * x[1] + rc[2] * x[2];
    }

    private static double[] cart(double[] f, double[] l) {
        return new double[] {f[0] * l[0] + f[1] * l[3] + f[2] * l[6], f[0] * l[1] + f[1] * l[4] + f[2] * l[7], f[0] * l[2] + f[1] * l[5] + f[2] * l[8]};
    }

    /** True when integer vector t = N y for some integer y (|y_i| <= 3 suffices for the small N met here). */
    private static boolean inImage(int[] nmat, long[] t) {
        for (int a = -3; a <= 3; a++) for (int b = -3; b <= 3; b++) for (int c = -3; c <= 3; c++) {
            if (nmat[0] * a + nmat[1] * b + nmat[2] * c == t[0] && nmat[3] * a + nmat[4] * b + nmat[5] * c == t[1]
                    && nmat[6] * a + nmat[7] * b + nmat[8] * c == t[2]) return true;
        }
        return false;
    }

    static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
