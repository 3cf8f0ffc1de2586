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
 * <p>The list is built at r_c + skin -- by linked cells for periodic cells at least 2.5 (r_c + skin) high, by
 * visiting every pair and the few images the cutoff allows for small periodic cells (at most 64 atoms), by the
 * general {@link NeighborList} otherwise -- and stores, per directed entry, the neighbour j and
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
 * <p>A <em>half</em> list ({@link #obtainHalf}, for pair terms: EAM, Lennard-Jones) holds every pair once, as the entry
 * i -&gt; j with j &gt; i, or j == i (a periodic image of i) with the first non-zero image component positive: exactly
 * the entries of the full list that pass this test, in the same order, so a pair sum over it is bit for bit the
 * filtered sum over the full list, with half the entries to build, refresh on every reuse and walk (LAMMPS's
 * {@code newton on} half list for the same reason).
 *
 * <p>Cached per thread ({@link ThreadLocal}; one list per cutoff and kind, up to four), so calculators remain safe to
 * share between threads.
 */
final class PairList {
    /** Skin (Angstrom) added to the cutoff. */
    static final double SKIN = 1.0;

    /** Lists kept per thread, one per cutoff (a thread alternating SW and Tersoff keeps both). */
    private static final int SLOTS = 4;
    private static final ThreadLocal<PairList[]> CACHE = ThreadLocal.withInitial(() -> new PairList[SLOTS]);
    private static final ThreadLocal<int[]> NEXT_SLOT = ThreadLocal.withInitial(() -> new int[1]);

    /** Every pair once (j &gt; i, or a positive self-image) instead of both directions. */
    final boolean half;

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

    private PairList(boolean half) {
        this.half = half;
    }

    /**
     * A complete list at {@code cutoff} for the structure, from this thread's cache when still valid. The list
     * belongs to the calling thread until its next call to this method with the same cutoff.
     */
    static PairList obtain(Structure s, double cutoff) {
        return obtain(s, cutoff, false);
    }

    /** As {@link #obtain}, but the half list: every pair once (see the class comment). */
    static PairList obtainHalf(Structure s, double cutoff) {
        return obtain(s, cutoff, true);
    }

    private static PairList obtain(Structure s, double cutoff, boolean half) {
        PairList[] slots = CACHE.get();
        PairList pl = null;
        for (PairList c : slots) {
            if (c != null && c.cutoff == cutoff && c.half == half) pl = c;
        }
        if (pl == null) {
            int[] next = NEXT_SLOT.get();
            pl = new PairList(half);
            slots[next[0]] = pl;
            next[0] = (next[0] + 1) % SLOTS;
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
        cutoff = rc;
        n = s.size();
        pbc = s.cell().pbc();
        double[] x = s.positions();
        boolean periodic = s.cell().isFullyPeriodic();
        if (!(periodic && (binned(s.cell(), x, rc + SKIN) || smallCell(s.cell(), x, rc + SKIN)))) {
            NeighborList nl = half ? NeighborList.buildHalf(s, rc + SKIN) : NeighborList.build(s, rc + SKIN);
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
        }
        if (s.cell().hasVolume()) {
            cell0 = s.cell().matrix();
            ref = s.cell().toFractionalAll(x);
        } else {
            cell0 = null;
            ref = x;
        }
    }

    /**
     * Linked-cell build for a periodic cell large enough that every bin within reach of a bin is a distinct
     * (bin, image) pair: bins of at least half the cutoff (reach 2) and at least 5 per axis. Writes into this
     * list's arrays, reusing them when large enough. Returns false (nothing written) for smaller cells, which
     * need several images of the same atom and go to the general {@link NeighborList}.
     */
    private boolean binned(Cell cell, double[] x, double rcut) {
        double[] h = cell.heights();
        int[] nb = new int[3];
        for (int a = 0; a < 3; a++) {
            nb[a] = (int) Math.floor(2 * h[a] / rcut);
            if (nb[a] < 5) return false;
        }
        long total = (long) nb[0] * nb[1] * nb[2];
        if (total > 8L * n + 1000) return false; // very dilute: the general list bounds its bins
        int bins = (int) total;
        double[] l = cell.matrix();
        double[] inv = cell.inverse();
        double[] w = new double[3 * n]; // wrapped Cartesian positions
        int[] shift = new int[3 * n];
        int[] binOf = new int[n];
        int[] count = new int[bins + 1];
        double[] f = new double[3];
        for (int i = 0; i < n; i++) {
            double px = x[3 * i], py = x[3 * i + 1], pz = x[3 * i + 2];
            int b = 0;
            for (int a = 0; a < 3; a++) {
                double sa = px * inv[a] + py * inv[3 + a] + pz * inv[6 + a];
                double fl = Math.floor(sa);
                double wa = sa - fl;
                if (wa >= 1.0) {
                    wa = 0.0;
                    fl += 1;
                }
                shift[3 * i + a] = (int) fl;
                f[a] = wa;
                int idx = Math.min(nb[a] - 1, (int) (wa * nb[a]));
                b = b * nb[a] + idx;
            }
            w[3 * i] = f[0] * l[0] + f[1] * l[3] + f[2] * l[6];
            w[3 * i + 1] = f[0] * l[1] + f[1] * l[4] + f[2] * l[7];
            w[3 * i + 2] = f[0] * l[2] + f[1] * l[5] + f[2] * l[8];
            binOf[i] = b;
            count[b + 1]++;
        }
        for (int b = 0; b < bins; b++) count[b + 1] += count[b];
        int[] atoms = new int[n];
        int[] fill = java.util.Arrays.copyOf(count, bins);
        for (int i = 0; i < n; i++) atoms[fill[binOf[i]]++] = i;
        double rc2 = rcut * rcut;
        if (start == null || start.length != n + 1) start = new int[n + 1];
        int cap = Math.max(64, nbr == null ? 32 * n : nbr.length);
        if (nbr == null || nbr.length < cap || img.length < 3 * cap || d.length < 3 * cap) {
            nbr = new int[cap];
            img = new int[3 * cap];
            d = new double[3 * cap];
        }
        int k = 0;
        start[0] = 0;
        for (int i = 0; i < n; i++) {
            int bi = binOf[i];
            int b2 = bi % nb[2], b1 = (bi / nb[2]) % nb[1], b0 = bi / (nb[2] * nb[1]);
            double xi = w[3 * i], yi = w[3 * i + 1], zi = w[3 * i + 2];
            for (int d0 = -2; d0 <= 2; d0++) {
                int c0 = b0 + d0;
                int o0 = c0 < 0 ? -1 : (c0 >= nb[0] ? 1 : 0);
                c0 -= o0 * nb[0];
                for (int d1 = -2; d1 <= 2; d1++) {
                    int c1 = b1 + d1;
                    int o1 = c1 < 0 ? -1 : (c1 >= nb[1] ? 1 : 0);
                    c1 -= o1 * nb[1];
                    double ox1 = o0 * l[0] + o1 * l[3], oy1 = o0 * l[1] + o1 * l[4], oz1 = o0 * l[2] + o1 * l[5];
                    for (int d2 = -2; d2 <= 2; d2++) {
                        int c2 = b2 + d2;
                        int o2 = c2 < 0 ? -1 : (c2 >= nb[2] ? 1 : 0);
                        c2 -= o2 * nb[2];
                        int bin = (c0 * nb[1] + c1) * nb[2] + c2;
                        double ox = ox1 + o2 * l[6] - xi, oy = oy1 + o2 * l[7] - yi, oz = oz1 + o2 * l[8] - zi;
                        for (int p = count[bin], end = count[bin + 1]; p < end; p++) {
                            int j = atoms[p];
                            if (half && j < i) continue;
                            double dx = w[3 * j] + ox, dy = w[3 * j + 1] + oy, dz = w[3 * j + 2] + oz;
                            if (dx * dx + dy * dy + dz * dz >= rc2) continue;
                            if (j == i && o0 == 0 && o1 == 0 && o2 == 0) continue;
                            int n0 = o0 + shift[3 * i] - shift[3 * j];
                            int n1 = o1 + shift[3 * i + 1] - shift[3 * j + 1];
                            int n2 = o2 + shift[3 * i + 2] - shift[3 * j + 2];
                            if (half && j == i && !positive(n0, n1, n2)) continue;
                            if (k == nbr.length) grow();
                            nbr[k] = j;
                            img[3 * k] = n0;
                            img[3 * k + 1] = n1;
                            img[3 * k + 2] = n2;
                            // from the original positions, exactly as a reused list recomputes it
                            d[3 * k] = x[3 * j] - x[3 * i] + n0 * l[0] + n1 * l[3] + n2 * l[6];
                            d[3 * k + 1] = x[3 * j + 1] - x[3 * i + 1] + n0 * l[1] + n1 * l[4] + n2 * l[7];
                            d[3 * k + 2] = x[3 * j + 2] - x[3 * i + 2] + n0 * l[2] + n1 * l[5] + n2 * l[8];
                            k++;
                        }
                    }
                }
            }
            start[i + 1] = k;
        }
        size = k;
        return true;
    }

    /** Small cells: every pair i &lt;= j, with the few images n per axis the cutoff allows. */
    static final int SMALL = 64;

    /**
     * Builds the list of a small periodic cell (at most {@link #SMALL} atoms) by visiting every pair i &lt;= j and,
     * per axis a, only the images with |u_a + n_a| &lt; r_cut / h_a (u = s_j - s_i, unwrapped fractional
     * coordinates; the a-th fractional component of a vector d is d . b_a with |b_a| = 1/h_a, so no image
     * outside that range can be within r_cut). Returns false for larger cells.
     */
    private boolean smallCell(Cell cell, double[] x, double rcut) {
        if (n > SMALL) return false;
        double[] l = cell.matrix();
        double[] h = cell.heights();
        double[] sf = cell.toFractionalAll(x);
        double rc2 = rcut * rcut;
        double r0 = rcut / h[0], r1 = rcut / h[1], r2 = rcut / h[2];
        // pairs found: (i, j, n) with i <= j, stored once, then laid out in both directions
        int cap = Math.max(64, nbr == null ? 16 * n * n : nbr.length);
        int[] pi = new int[cap], pj = new int[cap], pn = new int[3 * cap];
        int found = 0;
        int[] count = new int[n];
        for (int i = 0; i < n; i++) {
            double si0 = sf[3 * i], si1 = sf[3 * i + 1], si2 = sf[3 * i + 2];
            for (int j = i; j < n; j++) {
                double u0 = sf[3 * j] - si0, u1 = sf[3 * j + 1] - si1, u2 = sf[3 * j + 2] - si2;
                int lo0 = (int) Math.ceil(-r0 - u0), hi0 = (int) Math.floor(r0 - u0);
                int lo1 = (int) Math.ceil(-r1 - u1), hi1 = (int) Math.floor(r1 - u1);
                int lo2 = (int) Math.ceil(-r2 - u2), hi2 = (int) Math.floor(r2 - u2);
                double bx = x[3 * j] - x[3 * i], by = x[3 * j + 1] - x[3 * i + 1], bz = x[3 * j + 2] - x[3 * i + 2];
                for (int a = lo0; a <= hi0; a++) {
                    for (int b = lo1; b <= hi1; b++) {
                        double cx = bx + a * l[0] + b * l[3], cy = by + a * l[1] + b * l[4], cz = bz + a * l[2] + b * l[5];
                        for (int c = lo2; c <= hi2; c++) {
                            if (i == j && (a == 0 && b == 0 && c == 0)) continue;
                            double dx = cx + c * l[6], dy = cy + c * l[7], dz = cz + c * l[8];
                            if (dx * dx + dy * dy + dz * dz >= rc2) continue;
                            if (half && i == j && !positive(a, b, c)) continue; // (i, i, n) kept only for the positive n
                            if (found == pi.length) {
                                pi = java.util.Arrays.copyOf(pi, 2 * found);
                                pj = java.util.Arrays.copyOf(pj, 2 * found);
                                pn = java.util.Arrays.copyOf(pn, 6 * found);
                            }
                            pi[found] = i;
                            pj[found] = j;
                            pn[3 * found] = a;
                            pn[3 * found + 1] = b;
                            pn[3 * found + 2] = c;
                            found++;
                            count[i]++;
                            // a self-image (i, i, n) is met again as (i, i, -n); other pairs give j its entry here
                            if (i != j && !half) count[j]++;
                        }
                    }
                }
            }
        }
        if (start == null || start.length != n + 1) start = new int[n + 1];
        start[0] = 0;
        for (int i = 0; i < n; i++) start[i + 1] = start[i] + count[i];
        int total = start[n];
        if (nbr == null || nbr.length < total || img.length < 3 * total || d.length < 3 * total) {
            int c = Math.max(64, total);
            nbr = new int[c];
            img = new int[3 * c];
            d = new double[3 * c];
        }
        int[] fill = java.util.Arrays.copyOf(start, n);
        for (int p = 0; p < found; p++) {
            int i = pi[p], j = pj[p], a = pn[3 * p], b = pn[3 * p + 1], c = pn[3 * p + 2];
            put(fill[i]++, x, l, i, j, a, b, c);
            if (i != j && !half) put(fill[j]++, x, l, j, i, -a, -b, -c);
        }
        size = total;
        return true;
    }

    private void put(int k, double[] x, double[] l, int i, int j, int a, int b, int c) {
        nbr[k] = j;
        img[3 * k] = a;
        img[3 * k + 1] = b;
        img[3 * k + 2] = c;
        d[3 * k] = x[3 * j] - x[3 * i] + a * l[0] + b * l[3] + c * l[6];
        d[3 * k + 1] = x[3 * j + 1] - x[3 * i + 1] + a * l[1] + b * l[4] + c * l[7];
        d[3 * k + 2] = x[3 * j + 2] - x[3 * i + 2] + a * l[2] + b * l[5] + c * l[8];
    }

    private void grow() {
        int cap = nbr.length * 2;
        nbr = java.util.Arrays.copyOf(nbr, cap);
        img = java.util.Arrays.copyOf(img, 3 * cap);
        d = java.util.Arrays.copyOf(d, 3 * cap);
    }

    /** True for the one of the two opposite periodic self-images (i, i, n) and (i, i, -n) that is counted. */
    boolean positiveImage(int k) {
        return positive(img[3 * k], img[3 * k + 1], img[3 * k + 2]);
    }

    private static boolean positive(int a, int b, int c) {
        return a != 0 ? a > 0 : b != 0 ? b > 0 : c > 0;
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
