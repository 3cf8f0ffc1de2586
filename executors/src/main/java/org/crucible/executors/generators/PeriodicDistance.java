package org.crucible.executors.generators;

import org.crucible.core.Cell;

/**
 * Minimum-image distances in any periodic cell, exact up to a cutoff: the fractional difference is reduced to
 * [-1/2, 1/2] and then every image n with |d_k + n_k| <= cutoff / h_k (h_k the cell heights) is tried, which
 * covers all vectors shorter than the cutoff however skewed the cell.
 */
final class PeriodicDistance {
    private final double[] m;
    private final int[] range = new int[3];
    private final double shortest2;

    PeriodicDistance(Cell cell, double cutoff) {
        this.m = cell.matrix();
        double[] h = cell.heights();
        for (int k = 0; k < 3; k++) range[k] = (int) Math.ceil(0.5 + cutoff / h[k]);
        // any lattice vector n L no longer than the shortest basis vector has |n_k| <= |a|_min / h_k
        double[] len = cell.lengths();
        double lmin = Math.min(len[0], Math.min(len[1], len[2]));
        int ra = (int) Math.ceil(lmin / h[0]), rb = (int) Math.ceil(lmin / h[1]), rc = (int) Math.ceil(lmin / h[2]);
        double best = Double.MAX_VALUE;
        for (int a = -ra; a <= ra; a++) for (int b = -rb; b <= rb; b++) for (int c = -rc; c <= rc; c++) {
            if (a == 0 && b == 0 && c == 0) continue;
            best = Math.min(best, norm2(a, b, c));
        }
        this.shortest2 = best;
    }

    double shortestLattice2() {
        return shortest2;
    }

    /** Squared minimum-image distance (Angstrom^2) between fractional points a[ia..] and b[ib..]. */
    double min2(double[] a, int ia, double[] b, int ib) {
        double dx = a[ia] - b[ib], dy = a[ia + 1] - b[ib + 1], dz = a[ia + 2] - b[ib + 2];
        dx -= Math.rint(dx);
        dy -= Math.rint(dy);
        dz -= Math.rint(dz);
        double best = Double.MAX_VALUE;
        for (int i = -range[0]; i <= range[0]; i++) {
            for (int j = -range[1]; j <= range[1]; j++) {
                for (int k = -range[2]; k <= range[2]; k++) {
                    best = Math.min(best, norm2(dx + i, dy + j, dz + k));
                }
            }
        }
        return best;
    }

    private double norm2(double a, double b, double c) {
        double x = a * m[0] + b * m[3] + c * m[6];
        double y = a * m[1] + b * m[4] + c * m[7];
        double z = a * m[2] + b * m[5] + c * m[8];
        return x * x + y * y + z * z;
    }
}
