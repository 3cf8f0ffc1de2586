package org.crucible.executors.symmetry;

import java.util.Arrays;

/**
 * One Wyckoff position of a space group in its conventional cell: the affine subspace x = p + sum_k u_k b_k
 * (fractional) of points whose site-symmetry group has order {@code siteOrder}, and its multiplicity (number of
 * points of one orbit in the conventional cell, = |G| / siteOrder with |G| counting centring translations).
 * The degrees of freedom are the number of basis vectors (0 for a fixed point, 3 for the general position).
 *
 * @param letter       Wyckoff letter as the International Tables name it (e.g. 'a' for diamond's 8a in Fd-3m)
 * @param multiplicity points per conventional cell
 * @param siteOrder    order of the site-symmetry group (conventional operations fixing the point)
 * @param point        a point of the subspace, fractional
 * @param basis        integer direction vectors of the subspace (0 to 3 of them, 3 components each)
 */
public record WyckoffPosition(char letter, int multiplicity, int siteOrder, double[] point, int[][] basis) {
    public WyckoffPosition {
        if (multiplicity < 1 || siteOrder < 1) throw new IllegalArgumentException("multiplicity and site order must be >= 1");
        if (point == null || point.length != 3) throw new IllegalArgumentException("point needs 3 fractional coordinates");
        if (basis == null || basis.length > 3) throw new IllegalArgumentException("a Wyckoff subspace has 0..3 basis vectors");
        point = point.clone();
        int[][] b = new int[basis.length][];
        for (int i = 0; i < basis.length; i++) {
            if (basis[i].length != 3) throw new IllegalArgumentException("basis vector " + i + " needs 3 components");
            b[i] = basis[i].clone();
        }
        basis = b;
    }

    /** Degrees of freedom (free parameters) of the position. */
    public int degreesOfFreedom() {
        return basis.length;
    }

    /** The point p + sum_k u_k b_k for free parameters u (length = degrees of freedom), fractional. */
    public double[] at(double... u) {
        if (u.length != basis.length) {
            throw new IllegalArgumentException("Wyckoff position " + multiplicity + letter + " has " + basis.length
                    + " free parameters, got " + u.length);
        }
        double[] x = point.clone();
        for (int k = 0; k < basis.length; k++) {
            for (int c = 0; c < 3; c++) x[c] += u[k] * basis[k][c];
        }
        return x;
    }

    @Override
    public double[] point() {
        return point.clone();
    }

    @Override
    public int[][] basis() {
        int[][] b = new int[basis.length][];
        for (int i = 0; i < basis.length; i++) b[i] = basis[i].clone();
        return b;
    }

    /** The usual label, e.g. "8a". */
    public String label() {
        return multiplicity + String.valueOf(letter);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WyckoffPosition w && w.letter == letter && w.multiplicity == multiplicity
                && w.siteOrder == siteOrder && Arrays.equals(w.point, point) && Arrays.deepEquals(w.basis, basis);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * letter + multiplicity) + Arrays.hashCode(point);
    }

    @Override
    public String toString() {
        return label();
    }
}
