package org.crucible.driver.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.Seeds;

/** Test fixture: seeded random cubic Si cells with a minimum separation, as pool entries. */
public final class RandomCells {
    private RandomCells() {
    }

    public static Structure cell(int atoms, double a, double minDist, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] xyz = new double[3 * atoms];
        int placed = 0;
        int tries = 0;
        while (placed < atoms) {
            if (++tries > 100_000) throw new IllegalStateException("cannot place " + atoms + " atoms");
            double[] p = {r.nextDouble() * a, r.nextDouble() * a, r.nextDouble() * a};
            boolean ok = true;
            for (int j = 0; j < placed && ok; j++) {
                double d2 = 0;
                for (int k = 0; k < 3; k++) {
                    double d = p[k] - xyz[3 * j + k];
                    d -= a * Math.rint(d / a);
                    d2 += d * d;
                }
                ok = d2 >= minDist * minDist;
            }
            if (ok) {
                System.arraycopy(p, 0, xyz, 3 * placed, 3);
                placed++;
            }
        }
        int[] z = new int[atoms];
        java.util.Arrays.fill(z, 14);
        return Structure.of(Cell.cubic(a), z, xyz);
    }

    public static List<PoolEntry> pool(int n, int atoms, long seed) {
        List<PoolEntry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(PoolEntry.of(i, cell(atoms, 5.43, 2.0, Seeds.mix(seed, i)), "random-fixture seed=" + seed));
        return out;
    }
}
