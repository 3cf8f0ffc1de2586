package org.crucible.executors.calculators;

import java.util.Arrays;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.core.neighbors.NeighborList;

/**
 * A Verlet neighbour list with a skin, reused between calls on the same thread while it stays provably complete
 * (the inner loop of a relaxation or MD calls the calculator on slowly moving structures; LAMMPS does the same
 * with its neighbour skin).
 *
 * <p>The list is built by {@link NeighborList} at r_c + skin and stores, per directed entry, the neighbour j and
 * the image offset n; displacements d = r_j + n L - r_i are recomputed from the current positions and cell on
 * every call. It is reused when every pair within r_c now was within r_c + skin at build time, guaranteed by
 * <pre>
 *   2 max_i |(s_i - s_i^0) L_0| + r_c ||I - L^-1 L_0||_F &lt; skin
 * </pre>
 * with s fractional (unwrapped) coordinates and L_0, s^0 the cell and coordinates at build time (for
 * d_now - d_0 = (u - u_0) L_0 + d_now L^-1 (L - L_0), u = s_j - s_i + n). In a variable-cell relaxation
 * fractional coordinates only change with atomic moves, so the list survives cell steps too. For a molecule
 * (no cell volume) the Cartesian displacement is used. Entries are in the neighbour list's order, so results
 * are identical whether a list was rebuilt or reused, up to round-off of d.
 *
 * <p>One cache per thread ({@link ThreadLocal}), so calculators remain safe to share between threads.
 */
final class PairList {
    /** Skin (Angstrom) added to the cutoff. */
    static final double SKIN = 1.0;

    private static final ThreadLocal<PairList> CACHE = new ThreadLocal<>();

    // build-time state
    private double cutoff;
    private boolean[] pbc;
    private double[] cell0; // row-major, or null for a molecule
    private double[] ref; // fractional (or Cartesian for a molecule) coordinates at build time, 3n
    private int n;

    // the list
    int[] start;
    int[] nbr;
    int[] img; // 3 per entry
    double[] d; // 3 per entry, current displacements
    int size;

    private PairList() {
    }

    /** A complete list at {@code cutoff} for the structure, from this thread's cache when still valid. */
    static PairList obtain(Structure s, double cutoff) {
        PairList pl = CACHE.get();
        if (pl == null) {
            pl = new PairList();
            CACHE.set(pl);
        }
        if (!pl.update(s, cutoff)) pl.rebuild(s, cutoff);
        return pl;
    }

    private boolean update(Structure s, double rc) {
        if (start == null || rc != cutoff || s.size() != n || !Arrays.equals(pbc, s.cell().pbc())) return false;
        Cell cell = s.cell();
        double[] x = s.positions();
        if (cell0 == null) {
            if (cell.hasVolume()) return false;
            double worst = 0;
            for (int i = 0; i < n; i++) {
                double dx = x[3 * i] - ref[3 * i], dy = x[3 * i + 1] - ref[3 * i + 1], dz = x[3 * i + 2] - ref[3 * i + 2];
                worst = Math.max(worst, dx * dx + dy * dy + dz * dz);
            }
            if (!(2 * Math.sqrt(worst) < SKIN)) return false;
            fillDisplacements(x, null);
            return true;
        }
        if (!cell.hasVolume()) return false;
        double[] inv = cell.inverse();
        double[] l0 = cell0;
        // ||I - L^-1 L0||_F
        double frob = 0;
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                double v = inv[3 * r] * l0[c] + inv[3 * r + 1] * l0[3 + c] + inv[3 * r + 2] * l0[6 + c];
                double e = (r == c ? 1.0 : 0.0) - v;
                frob += e * e;
            }
        }
        double cellTerm = cutoff * Math.sqrt(frob);
        if (!(cellTerm < SKIN)) return false;
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double px = x[3 * i], py = x[3 * i + 1], pz = x[3 * i + 2];
            double ds0 = px * inv[0] + py * inv[3] + pz * inv[6] - ref[3 * i];
            double ds1 = px * inv[1] + py * inv[4] + pz * inv[7] - ref[3 * i + 1];
            double ds2 = px * inv[2] + py * inv[5] + pz * inv[8] - ref[3 * i + 2];
            double mx = ds0 * l0[0] + ds1 * l0[3] + ds2 * l0[6];
            double my = ds0 * l0[1] + ds1 * l0[4] + ds2 * l0[7];
            double mz = ds0 * l0[2] + ds1 * l0[5] + ds2 * l0[8];
            worst = Math.max(worst, mx * mx + my * my + mz * mz);
        }
        if (!(2 * Math.sqrt(worst) + cellTerm < SKIN)) return false;
        fillDisplacements(x, cell.matrix());
        return true;
    }

    private void fillDisplacements(double[] x, double[] l) {
        for (int i = 0; i < n; i++) {
            double xi = x[3 * i], yi = x[3 * i + 1], zi = x[3 * i + 2];
            for (int k = start[i], end = start[i + 1]; k < end; k++) {
                int j = nbr[k];
                double dx = x[3 * j] - xi, dy = x[3 * j + 1] - yi, dz = x[3 * j + 2] - zi;
                if (l != null) {
                    int a = img[3 * k], b = img[3 * k + 1], c = img[3 * k + 2];
                    if ((a | b | c) != 0) {
                        dx += a * l[0] + b * l[3] + c * l[6];
                        dy += a * l[1] + b * l[4] + c * l[7];
                        dz += a * l[2] + b * l[5] + c * l[8];
                    }
                }
                d[3 * k] = dx;
                d[3 * k + 1] = dy;
                d[3 * k + 2] = dz;
            }
        }
    }

    private void rebuild(Structure s, double rc) {
        NeighborList nl = NeighborList.build(s, rc + SKIN);
        cutoff = rc;
        n = s.size();
        pbc = s.cell().pbc();
        start = nl.startArray();
        nbr = nl.neighborArray();
        d = nl.displacementArray();
        size = nl.size();
        img = new int[3 * size];
        for (int k = 0; k < size; k++) {
            img[3 * k] = nl.image(k, 0);
            img[3 * k + 1] = nl.image(k, 1);
            img[3 * k + 2] = nl.image(k, 2);
        }
        double[] x = s.positions();
        if (s.cell().hasVolume()) {
            cell0 = s.cell().matrix();
            ref = s.cell().toFractionalAll(x);
        } else {
            cell0 = null;
            ref = x;
        }
    }

    /** True for the one of the two opposite periodic self-images (i, i, n) and (i, i, -n) that is counted. */
    boolean positiveImage(int k) {
        int a = img[3 * k];
        if (a != 0) return a > 0;
        int b = img[3 * k + 1];
        if (b != 0) return b > 0;
        return img[3 * k + 2] > 0;
    }

    int atoms() {
        return n;
    }

    /** Largest number of neighbours of one atom. */
    int maxCount() {
        int m = 0;
        for (int i = 0; i < n; i++) m = Math.max(m, start[i + 1] - start[i]);
        return m;
    }
}
