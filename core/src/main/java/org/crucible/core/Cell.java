package org.crucible.core;

import java.util.Arrays;

/**
 * A simulation cell: three lattice vectors a, b, c (Angstrom) stored as the rows of a 3x3 matrix L, and a
 * periodic flag per axis. A Cartesian position is r = s L for fractional coordinates s (a row vector).
 *
 * <p>Immutable. A molecule in vacuum has no periodic axis and may have a zero matrix ({@link #NONE}); any
 * cell with at least one periodic axis must have a non-singular matrix with positive volume (right-handed
 * lattice vectors are not required; the volume is |det L|).
 *
 * <pre>{@code
 * Cell c = Cell.cubic(5.431);
 * double[] s = c.toFractional(new double[] {1.0, 2.0, 3.0});
 * }</pre>
 */
public final class Cell {
    /** No cell: a molecule in vacuum. */
    public static final Cell NONE = new Cell(new double[9], new boolean[] {false, false, false});

    private final double[] m; // row-major: a = m[0..2], b = m[3..5], c = m[6..8]
    private final boolean[] pbc;
    private final double det;
    private final double[] inv; // null when singular
    private transient volatile NiggliReduction niggli; // lazily computed, for the minimum image

    /**
     * @param matrix row-major 3x3 (9 values), rows are lattice vectors in Angstrom
     * @param pbc    periodic flag per axis
     */
    public Cell(double[] matrix, boolean[] pbc) {
        if (matrix == null || matrix.length != 9) {
            throw new IllegalArgumentException("cell matrix needs 9 values (3 lattice vectors as rows), got "
                    + (matrix == null ? "null" : matrix.length));
        }
        if (pbc == null || pbc.length != 3) throw new IllegalArgumentException("pbc needs 3 flags");
        for (double v : matrix) {
            if (!Double.isFinite(v)) throw new IllegalArgumentException("cell matrix has a non-finite entry: " + Arrays.toString(matrix));
        }
        this.m = matrix.clone();
        this.pbc = pbc.clone();
        this.det = det3(m);
        double scale = Math.max(1e-300, Math.pow(norm(m, 0) * norm(m, 3) * norm(m, 6), 1.0));
        boolean singular = Math.abs(det) <= 1e-10 * scale || Math.abs(det) < 1e-12;
        if (singular && (pbc[0] || pbc[1] || pbc[2])) {
            throw new IllegalArgumentException("a periodic cell needs three independent lattice vectors; volume is "
                    + det + " Angstrom^3 for " + Arrays.toString(matrix));
        }
        this.inv = singular ? null : inverse3(m, det);
    }

    /** A fully periodic cell from lattice vectors as rows. */
    public static Cell periodic(double[][] rows) {
        return new Cell(flatten(rows), new boolean[] {true, true, true});
    }

    /** A fully periodic cubic cell of edge {@code a} Angstrom. */
    public static Cell cubic(double a) {
        return new Cell(new double[] {a, 0, 0, 0, a, 0, 0, 0, a}, new boolean[] {true, true, true});
    }

    /**
     * A fully periodic cell from lengths (Angstrom) and angles (degrees) with a along x and b in the xy plane,
     * the same standard orientation as ASE's {@code cellpar_to_cell}.
     */
    public static Cell fromParameters(double a, double b, double c, double alphaDeg, double betaDeg, double gammaDeg) {
        double al = Math.toRadians(alphaDeg), be = Math.toRadians(betaDeg), ga = Math.toRadians(gammaDeg);
        double cosA = cosExact(alphaDeg, al), cosB = cosExact(betaDeg, be), cosG = cosExact(gammaDeg, ga);
        double sinG = Math.sqrt(1 - cosG * cosG);
        double cx = cosB;
        double cy = (cosA - cosB * cosG) / sinG;
        double cz2 = 1 - cx * cx - cy * cy;
        if (!(cz2 > 0)) {
            throw new IllegalArgumentException("cell angles alpha=" + alphaDeg + " beta=" + betaDeg + " gamma=" + gammaDeg
                    + " do not form a cell");
        }
        return periodic(new double[][] {{a, 0, 0}, {b * cosG, b * sinG, 0}, {c * cx, c * cy, c * Math.sqrt(cz2)}});
    }

    private static double cosExact(double deg, double rad) {
        if (deg == 90.0) return 0.0;
        if (deg == 60.0) return 0.5;
        if (deg == 120.0) return -0.5;
        return Math.cos(rad);
    }

    /** Row-major copy of the matrix (9 values, Angstrom). */
    public double[] matrix() {
        return m.clone();
    }

    /** Lattice vector i (0 = a, 1 = b, 2 = c) as a new array, Angstrom. */
    public double[] vector(int i) {
        return new double[] {m[3 * i], m[3 * i + 1], m[3 * i + 2]};
    }

    /** Matrix entry L[row][col], Angstrom. */
    public double get(int row, int col) {
        return m[3 * row + col];
    }

    /** Periodic flags per axis (copy). */
    public boolean[] pbc() {
        return pbc.clone();
    }

    public boolean isPeriodic(int axis) {
        return pbc[axis];
    }

    /** True when all three axes are periodic. */
    public boolean isFullyPeriodic() {
        return pbc[0] && pbc[1] && pbc[2];
    }

    /** True when no axis is periodic. */
    public boolean isMolecular() {
        return !pbc[0] && !pbc[1] && !pbc[2];
    }

    /** True when the matrix can be inverted (fractional coordinates exist). */
    public boolean hasVolume() {
        return inv != null;
    }

    /** Volume |det L| in Angstrom^3 (0 for {@link #NONE}). */
    public double volume() {
        return Math.abs(det);
    }

    /** Signed determinant of L (Angstrom^3). */
    public double determinant() {
        return det;
    }

    /** Lengths |a|, |b|, |c| in Angstrom. */
    public double[] lengths() {
        return new double[] {norm(m, 0), norm(m, 3), norm(m, 6)};
    }

    /** Angles alpha (b,c), beta (a,c), gamma (a,b) in degrees. */
    public double[] angles() {
        return new double[] {angle(3, 6), angle(0, 6), angle(0, 3)};
    }

    private double angle(int i, int j) {
        double dot = m[i] * m[j] + m[i + 1] * m[j + 1] + m[i + 2] * m[j + 2];
        double c = dot / (norm(m, i) * norm(m, j));
        return Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, c))));
    }

    /**
     * Perpendicular heights of the cell (Angstrom): the distance between opposite faces, h_a = V / |b x c| etc.
     * A sphere of radius r fits inside the cell iff 2r <= min(h).
     */
    public double[] heights() {
        double v = volume();
        return new double[] {v / crossNorm(3, 6), v / crossNorm(0, 6), v / crossNorm(0, 3)};
    }

    private double crossNorm(int i, int j) {
        double x = m[i + 1] * m[j + 2] - m[i + 2] * m[j + 1];
        double y = m[i + 2] * m[j] - m[i] * m[j + 2];
        double z = m[i] * m[j + 1] - m[i + 1] * m[j];
        return Math.sqrt(x * x + y * y + z * z);
    }

    /** Row-major inverse of L (1/Angstrom); fractional s = r L^-1. */
    public double[] inverse() {
        requireVolume();
        return inv.clone();
    }

    /** Fractional coordinates of a Cartesian point (Angstrom). */
    public double[] toFractional(double[] r) {
        requireVolume();
        return new double[] {
            r[0] * inv[0] + r[1] * inv[3] + r[2] * inv[6],
            r[0] * inv[1] + r[1] * inv[4] + r[2] * inv[7],
            r[0] * inv[2] + r[1] * inv[5] + r[2] * inv[8]};
    }

    /** Cartesian point (Angstrom) of fractional coordinates. */
    public double[] toCartesian(double[] s) {
        return new double[] {
            s[0] * m[0] + s[1] * m[3] + s[2] * m[6],
            s[0] * m[1] + s[1] * m[4] + s[2] * m[7],
            s[0] * m[2] + s[1] * m[5] + s[2] * m[8]};
    }

    /** Flat fractional coordinates (3n) of flat Cartesian positions (3n). */
    public double[] toFractionalAll(double[] xyz) {
        requireVolume();
        double[] out = new double[xyz.length];
        for (int i = 0; i < xyz.length; i += 3) {
            double x = xyz[i], y = xyz[i + 1], z = xyz[i + 2];
            out[i] = x * inv[0] + y * inv[3] + z * inv[6];
            out[i + 1] = x * inv[1] + y * inv[4] + z * inv[7];
            out[i + 2] = x * inv[2] + y * inv[5] + z * inv[8];
        }
        return out;
    }

    /** Flat Cartesian positions (3n) of flat fractional coordinates (3n). */
    public double[] toCartesianAll(double[] frac) {
        double[] out = new double[frac.length];
        for (int i = 0; i < frac.length; i += 3) {
            double a = frac[i], b = frac[i + 1], c = frac[i + 2];
            out[i] = a * m[0] + b * m[3] + c * m[6];
            out[i + 1] = a * m[1] + b * m[4] + c * m[7];
            out[i + 2] = a * m[2] + b * m[5] + c * m[8];
        }
        return out;
    }

    /**
     * Wraps flat Cartesian positions (3n) into the cell along periodic axes: fractional coordinates in [0, 1).
     * Non-periodic axes are left as they are.
     */
    public double[] wrap(double[] xyz) {
        if (isMolecular()) return xyz.clone();
        double[] s = toFractionalAll(xyz);
        for (int i = 0; i < s.length; i++) {
            int axis = i % 3;
            if (pbc[axis]) s[i] = wrapUnit(s[i]);
        }
        return toCartesianAll(s);
    }

    /** x - floor(x), folded so the result is in [0, 1) even when rounding gives 1.0. */
    public static double wrapUnit(double x) {
        double w = x - Math.floor(x);
        return w >= 1.0 ? 0.0 : w;
    }

    /**
     * The Niggli-reduced cell and the integer transformation to it (Krivy-Gruber with the epsilon comparisons of
     * Grosse-Kunstleve, Sauter &amp; Adams 2004; eps = 1e-5 V^(1/3) as ASE). See {@link NiggliReduction}.
     *
     * @throws IllegalArgumentException when the cell is not fully periodic
     */
    public NiggliReduction niggliReduced() {
        NiggliReduction r = niggli;
        if (r == null) {
            r = NiggliReduction.reduce(this);
            niggli = r;
        }
        return r;
    }

    /** The Niggli reduction with an explicit epsilon (see {@link NiggliReduction}). */
    public NiggliReduction niggliReduced(double eps) {
        return NiggliReduction.reduce(this, eps);
    }

    /**
     * The minimum-image form of a displacement d (Angstrom): the shortest d + n L over integer n along the
     * periodic axes (non-periodic axes are not shifted). Exact for any triclinic cell: the displacement is first
     * wrapped in the Niggli-reduced basis (fully periodic cells) and then every image that could be shorter is
     * checked, using that the fractional component k of a vector v satisfies |s_k| &lt;= |v| / h_k (h_k the cell
     * height), so no candidate is missed however skewed the cell. Returns a new array; a cell without volume
     * returns d unchanged.
     */
    public double[] minimumImage(double[] d) {
        if (d.length != 3) throw new IllegalArgumentException("displacement needs 3 components, got " + d.length);
        if (inv == null || isMolecular()) return d.clone();
        Cell frame = isFullyPeriodic() ? niggliReduced().cell() : this;
        double[] s = frame.toFractional(d);
        for (int k = 0; k < 3; k++) if (pbc[k]) s[k] -= Math.rint(s[k]);
        double[] best = frame.toCartesian(s);
        double bestSq = best[0] * best[0] + best[1] * best[1] + best[2] * best[2];
        double r = Math.sqrt(bestSq) * (1 + 1e-12);
        double[] h = frame.heights();
        int[] lo = new int[3], hi = new int[3];
        for (int k = 0; k < 3; k++) {
            if (!pbc[k]) continue;
            lo[k] = (int) Math.ceil(-r / h[k] - s[k]);
            hi[k] = (int) Math.floor(r / h[k] - s[k]);
        }
        double[] fm = frame.m;
        for (int i = lo[0]; i <= hi[0]; i++) {
            for (int j = lo[1]; j <= hi[1]; j++) {
                for (int k = lo[2]; k <= hi[2]; k++) {
                    if (i == 0 && j == 0 && k == 0) continue;
                    double a = s[0] + i, b = s[1] + j, c = s[2] + k;
                    double x = a * fm[0] + b * fm[3] + c * fm[6];
                    double y = a * fm[1] + b * fm[4] + c * fm[7];
                    double z = a * fm[2] + b * fm[5] + c * fm[8];
                    double sq = x * x + y * y + z * z;
                    if (sq < bestSq) {
                        bestSq = sq;
                        best = new double[] {x, y, z};
                    }
                }
            }
        }
        return best;
    }

    /** Minimum-image distance (Angstrom) between two Cartesian points. */
    public double minimumImageDistance(double[] ri, double[] rj) {
        double[] d = minimumImage(new double[] {rj[0] - ri[0], rj[1] - ri[1], rj[2] - ri[2]});
        return Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    }

    /** A copy with the same periodic flags and a new matrix (row-major, Angstrom). */
    public Cell withMatrix(double[] matrix) {
        return new Cell(matrix, pbc);
    }

    /**
     * The cell deformed by a strain: L' = L (I + eps)^T, i.e. every lattice vector v becomes (I + eps) v.
     *
     * @param strainVoigt small-strain tensor in Voigt order xx, yy, zz, yz, xz, xy (tensor, not engineering,
     *                    shear components: eps_yz itself, not 2 eps_yz)
     */
    public Cell strained(double[] strainVoigt) {
        double[] e = org.crucible.core.units.Units.fromVoigt(strainVoigt);
        double[] f = {1 + e[0], e[1], e[2], e[3], 1 + e[4], e[5], e[6], e[7], 1 + e[8]};
        return withMatrix(multiplyTransposeRight(m, f));
    }

    /** L F^T for row-major 3x3 matrices. */
    static double[] multiplyTransposeRight(double[] l, double[] f) {
        double[] out = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                out[3 * r + c] = l[3 * r] * f[3 * c] + l[3 * r + 1] * f[3 * c + 1] + l[3 * r + 2] * f[3 * c + 2];
            }
        }
        return out;
    }

    private void requireVolume() {
        if (inv == null) {
            throw new IllegalStateException("cell has no volume (molecule without a box): fractional coordinates undefined");
        }
    }

    static double det3(double[] a) {
        return a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6]);
    }

    static double[] inverse3(double[] a, double det) {
        double id = 1.0 / det;
        return new double[] {
            (a[4] * a[8] - a[5] * a[7]) * id, (a[2] * a[7] - a[1] * a[8]) * id, (a[1] * a[5] - a[2] * a[4]) * id,
            (a[5] * a[6] - a[3] * a[8]) * id, (a[0] * a[8] - a[2] * a[6]) * id, (a[2] * a[3] - a[0] * a[5]) * id,
            (a[3] * a[7] - a[4] * a[6]) * id, (a[1] * a[6] - a[0] * a[7]) * id, (a[0] * a[4] - a[1] * a[3]) * id};
    }

    private static double norm(double[] a, int off) {
        return Math.sqrt(a[off] * a[off] + a[off + 1] * a[off + 1] + a[off + 2] * a[off + 2]);
    }

    static double[] flatten(double[][] rows) {
        if (rows.length != 3) throw new IllegalArgumentException("a cell needs 3 lattice vectors, got " + rows.length);
        double[] out = new double[9];
        for (int i = 0; i < 3; i++) {
            if (rows[i].length != 3) throw new IllegalArgumentException("lattice vector " + i + " needs 3 components");
            System.arraycopy(rows[i], 0, out, 3 * i, 3);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cell c && Arrays.equals(m, c.m) && Arrays.equals(pbc, c.pbc);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(m) + Arrays.hashCode(pbc);
    }

    @Override
    public String toString() {
        return "Cell" + Arrays.toString(m) + " pbc=" + Arrays.toString(pbc);
    }
}
