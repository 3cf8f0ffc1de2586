package org.crucible.core.neighbors;

import java.util.Arrays;
import org.crucible.core.Cell;
import org.crucible.core.Structure;

/**
 * A full periodic neighbour list: for every atom i, every atom j (including periodic images of i itself) with
 * |r_j + n L - r_i| &lt; cutoff, where n is an integer image offset along the periodic axes.
 *
 * <p>Built by linked cells in fractional coordinates, O(N) for a fixed density: the cell is cut into
 * nb_a = floor(h_a / r_c) bins along each axis (h_a the perpendicular height of the cell), and atoms in bin b
 * are compared with bins b + d, |d_a| &lt;= ceil(r_c nb_a / h_a), across as many periodic images as the cutoff
 * reaches. This is exact for any triclinic cell, including cutoffs larger than the cell (many images) and
 * molecules or slabs (non-periodic axes get a bounding box and no images).
 *
 * <p>Storage is compressed rows: neighbours of atom i are entries {@code start(i) .. start(i+1)-1}; for entry k
 * {@link #neighbor(int)} is j, {@link #dx(int)} etc. the displacement r_j + n L - r_i in Angstrom (computed
 * from the structure's own, unwrapped positions) and {@link #image(int, int)} the offset n. Each pair appears
 * twice (i -> j and j -> i with opposite displacement). Immutable and safe to share between threads.
 *
 * <pre>{@code
 * NeighborList nl = NeighborList.build(structure, 5.0);
 * for (int k = nl.start(i); k < nl.start(i + 1); k++) { int j = nl.neighbor(k); double r = nl.distance(k); }
 * }</pre>
 */
public final class NeighborList {
    private final double cutoff;
    private final int[] start;
    private final int[] neighbor;
    private final double[] disp; // 3 per entry
    private final int[] image; // 3 per entry

    private NeighborList(double cutoff, int[] start, int[] neighbor, double[] disp, int[] image) {
        this.cutoff = cutoff;
        this.start = start;
        this.neighbor = neighbor;
        this.disp = disp;
        this.image = image;
    }

    /** Builds the full list for a structure at a cutoff (Angstrom, &gt; 0). */
    public static NeighborList build(Structure s, double cutoff) {
        return build(s.cell(), s.positions(), cutoff);
    }

    /**
     * Builds the full list for flat Cartesian positions (3n, Angstrom) in a cell.
     *
     * @throws IllegalArgumentException for a non-positive or non-finite cutoff
     */
    public static NeighborList build(Cell cell, double[] xyz, double cutoff) {
        return build(cell, xyz, cutoff, false);
    }

    /**
     * The half list: every pair once, as the entry i -&gt; j with j &gt; i, or j == i (a periodic image of atom i
     * itself) with the first non-zero image component positive. Its entries are exactly those of the full list that
     * pass this test, in the same order, so a sum over the half list is bit for bit the sum over the filtered full
     * list; it costs about half as much, since candidates j &lt; i are skipped before any arithmetic.
     */
    public static NeighborList buildHalf(Structure s, double cutoff) {
        return build(s.cell(), s.positions(), cutoff, true);
    }

    private static NeighborList build(Cell cell, double[] xyz, double cutoff, boolean half) {
        if (!(cutoff > 0) || !Double.isFinite(cutoff)) throw new IllegalArgumentException("neighbour cutoff must be > 0 Angstrom, got " + cutoff);
        int n = xyz.length / 3;
        boolean[] pbc = cell.pbc();
        // Frame for binning: the cell itself, or the identity (Cartesian coordinates) for a molecule without a box.
        Cell frame = cell.hasVolume() ? cell : new Cell(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, new boolean[] {false, false, false});
        double[] lat = frame.matrix();
        double[] h = frame.heights();
        double[] s = frame.toFractionalAll(xyz);
        int[] wrapShift = new int[3 * n];
        double[] origin = new double[3];
        double[] span = new double[3];
        for (int a = 0; a < 3; a++) {
            if (pbc[a]) {
                origin[a] = 0;
                span[a] = 1;
                for (int i = 0; i < n; i++) {
                    double f = Math.floor(s[3 * i + a]);
                    double w = s[3 * i + a] - f;
                    if (w >= 1.0) {
                        w = 0.0;
                        f += 1;
                    }
                    s[3 * i + a] = w;
                    wrapShift[3 * i + a] = (int) f;
                }
            } else {
                double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    lo = Math.min(lo, s[3 * i + a]);
                    hi = Math.max(hi, s[3 * i + a]);
                }
                if (n == 0) {
                    lo = 0;
                    hi = 0;
                }
                origin[a] = lo;
                span[a] = Math.max(hi - lo, 1e-12) * (1 + 1e-12) + 1e-12;
            }
        }
        // Bins: width along axis a (in fractional units) at least cutoff/h_a where possible, bounded in number.
        int[] nb = new int[3];
        int[] reach = new int[3];
        double[] width = new double[3];
        long maxBins = Math.max(27L, 4L * n);
        for (int a = 0; a < 3; a++) {
            double fracCut = cutoff / h[a];
            nb[a] = (int) Math.max(1, Math.min(1 << 20, Math.floor(span[a] / fracCut)));
        }
        while ((long) nb[0] * nb[1] * nb[2] > maxBins) {
            int a = nb[0] >= nb[1] && nb[0] >= nb[2] ? 0 : (nb[1] >= nb[2] ? 1 : 2);
            nb[a] = Math.max(1, nb[a] / 2);
        }
        for (int a = 0; a < 3; a++) {
            width[a] = span[a] / nb[a];
            reach[a] = (int) Math.ceil((cutoff / h[a]) / width[a] - 1e-12);
            if (!pbc[a]) reach[a] = Math.min(reach[a], nb[a] - 1);
        }
        int totalBins = nb[0] * nb[1] * nb[2];
        int[] binOf = new int[n];
        int[] binCount = new int[totalBins + 1];
        for (int i = 0; i < n; i++) {
            int b = 0;
            for (int a = 0; a < 3; a++) {
                int idx = (int) Math.floor((s[3 * i + a] - origin[a]) / width[a]);
                idx = Math.max(0, Math.min(nb[a] - 1, idx));
                b = b * nb[a] + idx;
            }
            binOf[i] = b;
            binCount[b + 1]++;
        }
        for (int b = 0; b < totalBins; b++) binCount[b + 1] += binCount[b];
        int[] binAtoms = new int[n];
        int[] fill = Arrays.copyOf(binCount, totalBins);
        for (int i = 0; i < n; i++) binAtoms[fill[binOf[i]]++] = i;
        // Wrapped Cartesian positions.
        double[] w = frame.toCartesianAll(s);

        // Candidates are read from copies of the wrapped positions in bin order, one array per coordinate (contiguous per
        // bin, no indirection), so that the distances of a whole run of bins are one loop the JIT turns into vector
        // instructions; the per-axis wrap of a neighbouring bin and its image are tabulated once. The visiting order
        // (atom i, then bins d0, d1, d2, then atoms of a bin in index order) and the arithmetic of every distance and
        // displacement are unchanged, so the list is identical entry for entry.
        double[] bx = new double[n], by = new double[n], bz = new double[n];
        for (int p = 0; p < n; p++) {
            int j = binAtoms[p];
            bx[p] = w[3 * j];
            by[p] = w[3 * j + 1];
            bz[p] = w[3 * j + 2];
        }
        int[][] wrapBin = new int[3][], wrapImage = new int[3][];
        for (int a = 0; a < 3; a++) {
            int span2 = 2 * reach[a] + 1;
            wrapBin[a] = new int[nb[a] * span2];
            wrapImage[a] = new int[nb[a] * span2];
            for (int b = 0; b < nb[a]; b++) {
                for (int d = -reach[a]; d <= reach[a]; d++) {
                    int c = b + d;
                    int img = Math.floorDiv(c, nb[a]);
                    int q = b * span2 + d + reach[a];
                    wrapImage[a][q] = img;
                    wrapBin[a][q] = !pbc[a] && img != 0 ? -1 : c - img * nb[a];
                }
            }
        }
        int span0 = 2 * reach[0] + 1, span1 = 2 * reach[1] + 1, span2 = 2 * reach[2] + 1;
        // Along the third axis, neighbouring bins with consecutive indices and one image are consecutive in bin order:
        // each such run is one range of candidates (runFirst/runLast bins, runImage), at most span2 runs per bin.
        int[] runCount = new int[nb[2]], runFirst = new int[nb[2] * span2], runLast = new int[nb[2] * span2], runImage = new int[nb[2] * span2];
        for (int b = 0; b < nb[2]; b++) {
            int r = -1;
            for (int q = b * span2; q < (b + 1) * span2; q++) {
                int w2 = wrapBin[2][q];
                if (w2 < 0) continue;
                if (r >= 0 && runImage[b * span2 + r] == wrapImage[2][q] && runLast[b * span2 + r] == w2 - 1) {
                    runLast[b * span2 + r] = w2;
                } else {
                    r++;
                    runFirst[b * span2 + r] = w2;
                    runLast[b * span2 + r] = w2;
                    runImage[b * span2 + r] = wrapImage[2][q];
                }
            }
            runCount[b] = r + 1;
        }
        int longest = 0;
        for (int b = 0; b < totalBins; b++) longest = Math.max(longest, binCount[b + 1] - binCount[b]);
        double[] r2run = new double[Math.min(n, longest * span2)];

        double cut2 = cutoff * cutoff;
        int[] start = new int[n + 1];
        // Capacity from the mean density (pairs in the cutoff sphere) plus 25 %, so the arrays rarely grow.
        double volume = cell.hasVolume() && cell.isFullyPeriodic() ? Math.abs(cell.volume()) : 0;
        long expected = volume > 0 ? (long) ((half ? 0.65 : 1.25) * n * (n * 4.0 / 3.0 * Math.PI * cutoff * cutoff * cutoff / volume)) + 16 : 16L * n;
        Growable g = new Growable((int) Math.max(16, Math.min(expected, 1 << 26)));
        for (int i = 0; i < n; i++) {
            int bi = binOf[i];
            int b2 = bi % nb[2], b1 = (bi / nb[2]) % nb[1], b0 = bi / (nb[2] * nb[1]);
            double xi = w[3 * i], yi = w[3 * i + 1], zi = w[3 * i + 2];
            for (int q0 = b0 * span0, e0 = q0 + span0; q0 < e0; q0++) {
                int w0 = wrapBin[0][q0];
                if (w0 < 0) continue;
                int i0 = wrapImage[0][q0];
                for (int q1 = b1 * span1, e1 = q1 + span1; q1 < e1; q1++) {
                    int w1 = wrapBin[1][q1];
                    if (w1 < 0) continue;
                    int i1 = wrapImage[1][q1];
                    for (int r = b2 * span2, er = r + runCount[b2]; r < er; r++) {
                        int i2 = runImage[r];
                        int rowBin = (w0 * nb[1] + w1) * nb[2];
                        int from = binCount[rowBin + runFirst[r]], to = binCount[rowBin + runLast[r] + 1];
                        double ox = i0 * lat[0] + i1 * lat[3] + i2 * lat[6];
                        double oy = i0 * lat[1] + i1 * lat[4] + i2 * lat[7];
                        double oz = i0 * lat[2] + i1 * lat[5] + i2 * lat[8];
                        boolean home = i0 == 0 && i1 == 0 && i2 == 0;
                        int len = to - from;
                        // distances of the whole run first (a loop the JIT vectorises), then the accepted ones in order
                        for (int k = 0; k < len; k++) {
                            double dx = bx[from + k] + ox - xi, dy = by[from + k] + oy - yi, dz = bz[from + k] + oz - zi;
                            r2run[k] = dx * dx + dy * dy + dz * dz;
                        }
                        for (int k = 0; k < len; k++) {
                            if (r2run[k] < cut2) {
                                int p = from + k;
                                int j = binAtoms[p];
                                if (half && j < i) continue;
                                if (j == i && home) continue;
                                int n0 = i0 + wrapShift[3 * i] - wrapShift[3 * j];
                                int n1 = i1 + wrapShift[3 * i + 1] - wrapShift[3 * j + 1];
                                int n2 = i2 + wrapShift[3 * i + 2] - wrapShift[3 * j + 2];
                                if (half && j == i && !(n0 > 0 || (n0 == 0 && (n1 > 0 || (n1 == 0 && n2 > 0))))) continue;
                                // displacement from the original positions: r_j + n L - r_i
                                double ex = xyz[3 * j] - xyz[3 * i] + n0 * lat[0] + n1 * lat[3] + n2 * lat[6];
                                double ey = xyz[3 * j + 1] - xyz[3 * i + 1] + n0 * lat[1] + n1 * lat[4] + n2 * lat[7];
                                double ez = xyz[3 * j + 2] - xyz[3 * i + 2] + n0 * lat[2] + n1 * lat[5] + n2 * lat[8];
                                g.add(j, ex, ey, ez, n0, n1, n2);
                            }
                        }
                    }
                }
            }
            start[i + 1] = g.size;
        }
        // The arrays keep their spare capacity (entries past start[n] are never read): trimming would copy them all.
        return new NeighborList(cutoff, start, g.j, g.d, g.img);
    }

    private static final class Growable {
        int size;
        int[] j;
        double[] d;
        int[] img;

        Growable(int cap) {
            j = new int[cap];
            d = new double[3 * cap];
            img = new int[3 * cap];
        }

        void add(int jj, double dx, double dy, double dz, int n0, int n1, int n2) {
            if (size == j.length) {
                int cap = j.length * 2;
                j = Arrays.copyOf(j, cap);
                d = Arrays.copyOf(d, 3 * cap);
                img = Arrays.copyOf(img, 3 * cap);
            }
            j[size] = jj;
            d[3 * size] = dx;
            d[3 * size + 1] = dy;
            d[3 * size + 2] = dz;
            img[3 * size] = n0;
            img[3 * size + 1] = n1;
            img[3 * size + 2] = n2;
            size++;
        }
    }

    /** The cutoff this list was built with (Angstrom). */
    public double cutoff() {
        return cutoff;
    }

    /** Number of atoms. */
    public int atoms() {
        return start.length - 1;
    }

    /** Total number of (directed) entries. */
    public int size() {
        return start[start.length - 1];
    }

    /** First entry of atom i; entries of i are start(i) .. start(i+1)-1. */
    public int start(int i) {
        return start[i];
    }

    /** Number of neighbours of atom i. */
    public int count(int i) {
        return start[i + 1] - start[i];
    }

    /** Neighbour atom index of entry k. */
    public int neighbor(int k) {
        return neighbor[k];
    }

    public double dx(int k) {
        return disp[3 * k];
    }

    public double dy(int k) {
        return disp[3 * k + 1];
    }

    public double dz(int k) {
        return disp[3 * k + 2];
    }

    /** |r_j + n L - r_i| of entry k, Angstrom. */
    public double distance(int k) {
        double x = disp[3 * k], y = disp[3 * k + 1], z = disp[3 * k + 2];
        return Math.sqrt(x * x + y * y + z * z);
    }

    /** Image offset component a (0..2) of entry k. */
    public int image(int k, int a) {
        return image[3 * k + a];
    }

    /** Copy of the CSR row pointer (n + 1 values). */
    public int[] startArray() {
        return start.clone();
    }

    /** Direct read-only views for hot loops are not offered; these copies are for bulk consumers. */
    public int[] neighborArray() {
        return Arrays.copyOf(neighbor, size());
    }

    /** Copy of all displacement vectors, 3 per entry, Angstrom. */
    public double[] displacementArray() {
        return Arrays.copyOf(disp, 3 * size());
    }
}
