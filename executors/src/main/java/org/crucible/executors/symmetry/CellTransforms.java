package org.crucible.executors.symmetry;

import java.util.ArrayList;
import java.util.List;
import org.crucible.core.Cell;
import org.crucible.core.Structure;

/**
 * Changes of cell for structures whose symmetry is known: the primitive cell of a centred conventional cell.
 */
public final class CellTransforms {
    private CellTransforms() {
    }

    /**
     * The primitive cell of a structure given in the conventional cell of a lattice with this centring (P, A, C,
     * I, F or R with hexagonal axes): lattice rows T L with T from {@link SpaceGroup#primitiveTransform()},
     * atoms mapped into it and duplicates (same species within {@code tolerance} Angstrom) dropped.
     *
     * @throws IllegalArgumentException when the atom count is not divisible by the number of lattice points
     */
    public static Structure toPrimitive(Structure conventional, char centring, double tolerance) {
        if (centring == 'P') return conventional;
        double[] t = SpaceGroup.primitiveTransform(centring);
        double[] l = conventional.cell().matrix();
        double[] p = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                p[3 * i + j] = t[3 * i] * l[j] + t[3 * i + 1] * l[3 + j] + t[3 * i + 2] * l[6 + j];
            }
        }
        Cell prim = conventional.cell().withMatrix(p);
        int points = (int) Math.round(conventional.cell().volume() / prim.volume());
        int n = conventional.size();
        if (n % points != 0) {
            throw new IllegalArgumentException(n + " atoms cannot fill a " + centring + "-centred cell with " + points + " lattice points");
        }
        double[] frac = prim.toFractionalAll(conventional.positions());
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 3; k++) frac[3 * i + k] = SymOp.wrap(frac[3 * i + k]);
            boolean dup = false;
            for (int j : keep) {
                if (conventional.atomicNumber(j) != conventional.atomicNumber(i)) continue;
                double[] d = new double[3];
                for (int k = 0; k < 3; k++) {
                    d[k] = frac[3 * i + k] - frac[3 * j + k];
                    d[k] -= Math.rint(d[k]);
                }
                double[] c = prim.toCartesian(d);
                if (Math.sqrt(c[0] * c[0] + c[1] * c[1] + c[2] * c[2]) < tolerance) {
                    dup = true;
                    break;
                }
            }
            if (!dup) keep.add(i);
        }
        if (keep.size() * points != n) {
            throw new IllegalArgumentException("structure is not " + centring + "-centred: " + keep.size() + " distinct atoms in the primitive cell, expected " + n / points);
        }
        int[] z = new int[keep.size()];
        double[] f = new double[3 * keep.size()];
        for (int a = 0; a < z.length; a++) {
            int i = keep.get(a);
            z[a] = conventional.atomicNumber(i);
            System.arraycopy(frac, 3 * i, f, 3 * a, 3);
        }
        return Structure.of(prim, z, prim.toCartesianAll(f), conventional.info(), null);
    }
}
