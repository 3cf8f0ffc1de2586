package org.crucible.executors.symmetry;

/** Small exact integer 3x3 matrix helpers (row-major int[9]) used by the symmetry code. */
final class IntMatrix {
    private IntMatrix() {
    }

    static int[] multiply(int[] a, int[] b) {
        int[] c = new int[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                c[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
            }
        }
        return c;
    }

    static int determinant(int[] a) {
        return a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6]);
    }

    /** Inverse of a unimodular matrix (det = +-1): the adjugate times det. */
    static int[] inverseUnimodular(int[] a) {
        int det = determinant(a);
        if (det != 1 && det != -1) throw new IllegalArgumentException("matrix is not unimodular, det = " + det);
        return new int[] {
            det * (a[4] * a[8] - a[5] * a[7]), det * (a[2] * a[7] - a[1] * a[8]), det * (a[1] * a[5] - a[2] * a[4]),
            det * (a[5] * a[6] - a[3] * a[8]), det * (a[0] * a[8] - a[2] * a[6]), det * (a[2] * a[3] - a[0] * a[5]),
            det * (a[3] * a[7] - a[4] * a[6]), det * (a[1] * a[6] - a[0] * a[7]), det * (a[0] * a[4] - a[1] * a[3])};
    }

    static int[] transpose(int[] a) {
        return new int[] {a[0], a[3], a[6], a[1], a[4], a[7], a[2], a[5], a[8]};
    }

    static int[] identity() {
        return new int[] {1, 0, 0, 0, 1, 0, 0, 0, 1};
    }
}
