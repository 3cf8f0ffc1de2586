package org.crucible.driver.selection;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * DBSCAN with a vantage-point tree (Yianilos, SODA 1993) as neighbour index: the same labels as the brute-force
 * {@link Dbscan} (same clusters, same numbering by first core point in row order, same border-point assignment), bit for
 * bit, in a fraction of the n^2 distance evaluations when the rows have a low intrinsic dimension (relaxed structures
 * fall into basins, so their descriptor rows do): about 11 % on the synthetic pools of docs/benchmarks.md, a constant
 * factor rather than a change of order at the campaign's default eps.
 *
 * <p>Why a VP-tree: standardised ACE rows have hundreds of columns, where a k-d tree splits on one coordinate at a time
 * and prunes almost nothing. A VP-tree splits by the distance to a vantage point and prunes with the triangle
 * inequality, |d(q, v) - d(x, v)| <= d(q, x), so its cost follows the intrinsic dimension of the data rather than the
 * column count. Every candidate the tree does not prune is decided by the same {@code dist2(a, b) <= eps^2} as the
 * brute force (same summation order; Java floating point is strict), so ties at exactly eps go the same way. Pruning
 * is conservative: a subtree is skipped only when its lower bound exceeds eps by a relative margin of 1e-9, far above
 * the rounding error of a distance over up to 10^6 columns (about (d + 2) 2^-53 relative).
 *
 * <p>Algorithm. (1) Build the tree (subtrees in parallel) and a table of every row's distances to 8 farthest-first
 * pivot rows (LAESA, Mico, Oncina and Vidal 1994): in a leaf, a candidate x is skipped without its full distance when
 * |d(q, p) - d(x, p)| > eps for some pivot p, which costs 8 subtractions instead of d multiply-adds. (2) Core flags: for each row count neighbours within eps
 * (itself included), stopping at {@code minSamples}; rows are independent, so this runs on {@code threads} threads.
 * (3) Expansion exactly as in {@link Dbscan}: rows in index order, each new cluster grown completely from its first
 * core row with a stack, a popped core row labelling every still-unlabelled row within eps in ascending row order. The
 * tree keeps per subtree the number of unlabelled rows and skips subtrees with none, so the expansion of a dense
 * cluster does not revisit its labelled members (the brute force pays n per core row there). The result depends on the
 * data only, never on the thread count.
 *
 * <p>Cost: O(n log n) distances to build; per query the visited nodes plus the candidates within reach. Isotropic noise
 * filling all d dimensions defeats every metric index (all distances concentrate near the same value); then the cost
 * tends to the brute force's n^2 plus the tree overhead, never a different answer. Memory: the index is O(n) ints and
 * nodes (no n x n matrix, no neighbour lists). Usage:
 *
 * <pre>{@code
 * int[] labels = new IndexedDbscan(0.5, 2, 4).fit(rows); // == new Dbscan(0.5, 2).fit(rows)
 * }</pre>
 */
public final class IndexedDbscan {
    /** Rows per leaf, scanned directly. */
    private static final int LEAF = 12;
    /** Subtrees at least this large are built as separate fork-join tasks. */
    private static final int PARALLEL_BUILD = 4096;
    /** Fixed pivot rows whose distances pre-filter leaf candidates. */
    private static final int PIVOTS = 8;
    /** Relative safety margin of the triangle-inequality bounds (see the class comment). */
    private static final double SLACK = 1e-9;

    private final double eps;
    private final int minSamples;
    private final int threads;

    /**
     * @param eps        radius (inclusive), in the units of the rows
     * @param minSamples core-point threshold, the point itself included
     * @param threads    threads for the tree build and the core flags (1: the calling thread only); results do not depend on it
     */
    public IndexedDbscan(double eps, int minSamples, int threads) {
        Dbscan.validate(eps, minSamples);
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.eps = eps;
        this.minSamples = minSamples;
        this.threads = threads;
    }

    /** Labels and the work done. {@code distanceEvaluations} counts full and early-stopped row distances alike. */
    public record Result(int[] labels, long distanceEvaluations) {
    }

    /** Cluster labels 0, 1, ... per row, or {@link Dbscan#NOISE}: the same array {@link Dbscan#fit} returns. */
    public int[] fit(double[][] rows) {
        return fitCounted(rows).labels();
    }

    /** {@link #fit} with the number of distance evaluations (for benchmarks). */
    public Result fitCounted(double[][] rows) {
        Dbscan.checkRows(rows);
        int n = rows.length;
        if (n == 0) return new Result(new int[0], 0);
        ForkJoinPool pool = threads > 1 ? new ForkJoinPool(threads) : null;
        try {
            Tree tree = new Tree(rows, eps, pool);
            boolean[] core = new boolean[n];
            if (pool == null) {
                for (int i = 0; i < n; i++) core[i] = tree.countWithin(i, minSamples) >= minSamples;
            } else {
                pool.submit(() -> IntStream.range(0, n).parallel().forEach(i -> core[i] = tree.countWithin(i, minSamples) >= minSamples)).join();
            }
            int[] labels = new int[n];
            Arrays.fill(labels, Dbscan.NOISE);
            tree.startExpansion();
            int next = 0;
            ArrayDeque<Integer> stack = new ArrayDeque<>();
            IntList found = new IntList();
            for (int i = 0; i < n; i++) {
                if (labels[i] != Dbscan.NOISE || !core[i]) continue;
                int c = next++;
                labels[i] = c;
                tree.markLabelled(i);
                stack.push(i);
                while (!stack.isEmpty()) {
                    int p = stack.pop();
                    if (!core[p]) continue;
                    found.clear();
                    tree.unlabelledWithin(p, found);
                    // The brute force scans j = 0..n-1 and pushes in that order; the tree finds the same set in tree order.
                    found.sort();
                    for (int k = 0; k < found.size; k++) {
                        int j = found.data[k];
                        labels[j] = c;
                        tree.markLabelled(j);
                        stack.push(j);
                    }
                }
            }
            return new Result(labels, tree.distances.get());
        } finally {
            if (pool != null) pool.shutdown();
        }
    }

    /** A growable int array. */
    private static final class IntList {
        int[] data = new int[16];
        int size;

        void add(int v) {
            if (size == data.length) data = Arrays.copyOf(data, 2 * size);
            data[size++] = v;
        }

        void clear() {
            size = 0;
        }

        void sort() {
            Arrays.sort(data, 0, size);
        }
    }

    /**
     * The vantage-point tree. Each node owns a contiguous range of {@code order}; an inner node's vantage row sits at
     * the start of its range, followed by the inner child (distance to the vantage row at most {@code innerMax}) and
     * the outer child (distances in [{@code outerMin}, {@code outerMax}]).
     */
    private static final class Tree {
        final double[][] rows;
        final double eps;
        final double eps2;
        final int[] order;
        final Node root;
        /** The node whose range starts with (inner node) or contains (leaf) each row; set by {@link #startExpansion}. */
        Node[] holder;
        /** Rows that have a label (the expansion's own record, so the tree needs no access to the label array). */
        boolean[] labelled;
        final AtomicLong distances = new AtomicLong();
        /** Distances of every row to {@code PIVOTS} fixed rows, row-major: a leaf test costs PIVOTS subtractions first. */
        final double[] pivot;
        final int pivots;

        Tree(double[][] rows, double eps, ForkJoinPool pool) {
            this.rows = rows;
            this.eps = eps;
            this.eps2 = eps * eps;
            int n = rows.length;
            pivots = Math.min(PIVOTS, n);
            pivot = pivotTable(rows, pivots, pool);
            distances.addAndGet((long) pivots * n);
            order = new int[n];
            for (int i = 0; i < n; i++) order[i] = i;
            double[] scratch = new double[n];
            Build b = new Build(this, 0, n, scratch);
            if (pool == null) b.compute();
            else pool.invoke(b);
            root = b.node;
        }

        /**
         * Farthest-first pivots (row 0, then each next row the farthest from those chosen) and every row's distances to
         * them, so |d(q, p) - d(x, p)| > eps rules x out before its full distance is computed.
         */
        private static double[] pivotTable(double[][] rows, int k, ForkJoinPool pool) {
            int n = rows.length;
            double[] table = new double[n * k];
            double[] nearest = new double[n];
            Arrays.fill(nearest, Double.POSITIVE_INFINITY);
            int next = 0;
            for (int j = 0; j < k; j++) {
                final int col = j;
                final double[] p = rows[next];
                Runnable fill = () -> IntStream.range(0, n).parallel().forEach(i -> table[i * k + col] = Math.sqrt(Dbscan.dist2(rows[i], p)));
                if (pool == null) {
                    for (int i = 0; i < n; i++) table[i * k + col] = Math.sqrt(Dbscan.dist2(rows[i], p));
                } else {
                    pool.submit(fill).join();
                }
                double far = -1;
                for (int i = 0; i < n; i++) {
                    nearest[i] = Math.min(nearest[i], table[i * k + col]);
                    if (nearest[i] > far) {
                        far = nearest[i];
                        next = i;
                    }
                }
            }
            return table;
        }

        /** Whether the pivot table proves rows a and b more than eps apart (conservatively, as the tree bounds). */
        private boolean pivotsExclude(int a, int b) {
            int oa = a * pivots;
            int ob = b * pivots;
            for (int j = 0; j < pivots; j++) {
                double x = pivot[oa + j];
                double y = pivot[ob + j];
                if (Math.abs(x - y) > eps + SLACK * (x + y + eps)) return true;
            }
            return false;
        }

        /** Rows within eps of row q (q included), counting up to {@code limit}. */
        int countWithin(int q, int limit) {
            long[] work = new long[1];
            int c = count(root, q, limit, 0, work);
            distances.addAndGet(work[0]);
            return c;
        }

        private int count(Node node, int qi, int limit, int found, long[] work) {
            double[] q = rows[qi];
            if (node.vantage < 0) {
                for (int k = node.start; k < node.end && found < limit; k++) {
                    int j = order[k];
                    if (pivotsExclude(qi, j)) continue;
                    work[0]++;
                    if (within(q, rows[j])) found++;
                }
                return found;
            }
            work[0]++;
            double d2 = Dbscan.dist2(q, rows[node.vantage]);
            if (d2 <= eps2) found++;
            if (found >= limit) return found;
            double t = Math.sqrt(d2);
            if (node.inner != null && visitInner(node, t)) found = count(node.inner, qi, limit, found, work);
            if (found >= limit) return found;
            if (node.outer != null && visitOuter(node, t)) found = count(node.outer, qi, limit, found, work);
            return found;
        }

        void startExpansion() {
            holder = new Node[rows.length];
            labelled = new boolean[rows.length];
            assign(root, null);
        }

        private void assign(Node node, Node parent) {
            node.parent = parent;
            node.unlabelled = node.end - node.start;
            if (node.vantage < 0) {
                for (int k = node.start; k < node.end; k++) holder[order[k]] = node;
                return;
            }
            holder[node.vantage] = node;
            if (node.inner != null) assign(node.inner, node);
            if (node.outer != null) assign(node.outer, node);
        }

        void markLabelled(int row) {
            labelled[row] = true;
            for (Node x = holder[row]; x != null; x = x.parent) x.unlabelled--;
        }

        /** Adds to {@code out} every unlabelled row within eps of row p (in tree order). */
        void unlabelledWithin(int p, IntList out) {
            long[] work = new long[1];
            collect(root, p, out, work);
            distances.addAndGet(work[0]);
        }

        private void collect(Node node, int qi, IntList out, long[] work) {
            if (node.unlabelled == 0) return;
            double[] q = rows[qi];
            if (node.vantage < 0) {
                for (int k = node.start; k < node.end; k++) {
                    int j = order[k];
                    if (!labelled[j] && !pivotsExclude(qi, j)) {
                        work[0]++;
                        if (within(q, rows[j])) out.add(j);
                    }
                }
                return;
            }
            work[0]++;
            double d2 = Dbscan.dist2(q, rows[node.vantage]);
            if (d2 <= eps2 && !labelled[node.vantage]) out.add(node.vantage);
            double t = Math.sqrt(d2);
            if (node.inner != null && visitInner(node, t)) collect(node.inner, qi, out, work);
            if (node.outer != null && visitOuter(node, t)) collect(node.outer, qi, out, work);
        }

        private boolean visitInner(Node node, double t) {
            return t - eps <= node.innerMax + SLACK * (t + node.innerMax + eps);
        }

        private boolean visitOuter(Node node, double t) {
            double margin = SLACK * (t + node.outerMax + eps);
            return node.outerMin - t <= eps + margin && t - node.outerMax <= eps + margin;
        }

        /** The reference decision: dist2 <= eps^2, summed in {@link Dbscan#dist2}'s order, stopping once above eps^2. */
        private boolean within(double[] a, double[] b) {
            double s = 0;
            for (int k = 0; k < a.length; k++) {
                double d = a[k] - b[k];
                s += d * d;
                // Partial sums of non-negative terms never decrease, so the full sum would be above eps^2 too.
                if (s > eps2) return false;
            }
            return true;
        }
    }

    private static final class Node {
        int start;
        int end;
        /** Row index of the vantage point, or -1 for a leaf. */
        int vantage = -1;
        double innerMax;
        double outerMin;
        double outerMax;
        Node inner;
        Node outer;
        Node parent;
        int unlabelled;
    }

    /** Builds the node for {@code order[start, end)}; {@code scratch} holds distances at the same positions. */
    private static final class Build extends RecursiveAction {
        final Tree tree;
        final int start;
        final int end;
        final double[] scratch;
        Node node;

        Build(Tree tree, int start, int end, double[] scratch) {
            this.tree = tree;
            this.start = start;
            this.end = end;
            this.scratch = scratch;
        }

        @Override
        protected void compute() {
            node = new Node();
            node.start = start;
            node.end = end;
            if (end - start <= LEAF) return;
            int[] order = tree.order;
            double[][] rows = tree.rows;
            // Vantage row: the row of the range farthest from its first row (a cheap stand-in for a corner of the
            // data; deterministic, so the tree is a function of the rows alone).
            double[] first = rows[order[start]];
            int far = start;
            double best = -1;
            for (int k = start; k < end; k++) {
                double d = Dbscan.dist2(first, rows[order[k]]);
                if (d > best) {
                    best = d;
                    far = k;
                }
            }
            swap(order, start, far);
            int v = order[start];
            node.vantage = v;
            double[] vr = rows[v];
            for (int k = start + 1; k < end; k++) scratch[k] = Math.sqrt(Dbscan.dist2(vr, rows[order[k]]));
            tree.distances.addAndGet(2L * (end - start));
            int lo = start + 1;
            int mid = lo + (end - lo) / 2;
            select(order, scratch, lo, end - 1, mid);
            // inner = [lo, mid), outer = [mid, end): every inner distance <= every outer distance.
            double innerMax = 0;
            for (int k = lo; k < mid; k++) innerMax = Math.max(innerMax, scratch[k]);
            double outerMin = Double.POSITIVE_INFINITY;
            double outerMax = 0;
            for (int k = mid; k < end; k++) {
                outerMin = Math.min(outerMin, scratch[k]);
                outerMax = Math.max(outerMax, scratch[k]);
            }
            node.innerMax = innerMax;
            node.outerMin = outerMin;
            node.outerMax = outerMax;
            Build in = lo < mid ? new Build(tree, lo, mid, scratch) : null;
            Build out = mid < end ? new Build(tree, mid, end, scratch) : null;
            if (end - start >= PARALLEL_BUILD && in != null && out != null && getPool() != null && inForkJoinPool()) {
                invokeAll(in, out);
            } else {
                if (in != null) in.compute();
                if (out != null) out.compute();
            }
            node.inner = in == null ? null : in.node;
            node.outer = out == null ? null : out.node;
        }

        /** Hoare quickselect on (order, dist) over [lo, hi] so that position k holds the k-th smallest distance. */
        private static void select(int[] order, double[] dist, int lo, int hi, int k) {
            while (lo < hi) {
                double pivot = dist[lo + (hi - lo) / 2];
                int i = lo;
                int j = hi;
                while (i <= j) {
                    while (dist[i] < pivot) i++;
                    while (dist[j] > pivot) j--;
                    if (i <= j) {
                        swap(order, i, j);
                        double t = dist[i];
                        dist[i] = dist[j];
                        dist[j] = t;
                        i++;
                        j--;
                    }
                }
                if (k <= j) hi = j;
                else if (k >= i) lo = i;
                else return;
            }
        }

        private static void swap(int[] a, int i, int j) {
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
