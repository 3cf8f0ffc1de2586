package org.crucible.core.testing;

import java.util.SplittableRandom;
import org.crucible.core.Cell;
import org.crucible.core.Structure;

/**
 * Other bases of the same lattice, for invariance tests (Niggli reduction, symmetry, descriptors): a cell whose
 * rows are L' = M L for an integer matrix M with det M = +1 describes the same lattice, volume and handedness.
 * Matrices are row-major {@code int[9]}.
 */
public final class Lattices {
    private Lattices() {
    }

    /** The cell with lattice vectors (rows) M L; periodic flags kept. */
    public static Cell changeBasis(Cell cell, int[] m) {
        if (m.length != 9) throw new IllegalArgumentException("basis change needs 9 integers, got " + m.length);
        double[] l = cell.matrix();
        double[] n = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) n[3 * r + c] = m[3 * r] * l[c] + m[3 * r + 1] * l[3 + c] + m[3 * r + 2] * l[6 + c];
        }
        return cell.withMatrix(n);
    }

    /** The same crystal in the cell {@link #changeBasis(Cell, int[]) M L}, atoms wrapped into it; labels and info dropped. */
    public static Structure changeBasis(Structure s, int[] m) {
        Cell cell = changeBasis(s.cell(), m);
        return Structure.of(cell, s.atomicNumbers(), cell.wrap(s.positions()));
    }

    /** A random product of six elementary shears (row i += +-row j): integer, det +1, entries usually small. */
    public static int[] randomUnimodular(SplittableRandom rng) {
        int[] t = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        for (int s = 0; s < 6; s++) {
            int i = rng.nextInt(3), j = (i + 1 + rng.nextInt(2)) % 3;
            int f = rng.nextBoolean() ? 1 : -1;
            for (int c = 0; c < 3; c++) t[3 * i + c] += f * t[3 * j + c];
        }
        return t;
    }
}
