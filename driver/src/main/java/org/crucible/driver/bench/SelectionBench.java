package org.crucible.driver.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import org.crucible.driver.pool.PoolSummary;
import org.crucible.driver.selection.ClusterSelector;
import org.crucible.driver.selection.Dbscan;
import org.crucible.driver.selection.IndexedDbscan;
import org.crucible.driver.selection.Standardizer;

/**
 * {@code crucible bench selection}: the driver-side SELECT stage on synthetic pools of relaxed-structure summaries.
 * Times brute-force {@link Dbscan} against {@link IndexedDbscan} (and checks they return the same labels), the whole
 * {@link ClusterSelector#select}, and measures the driver heap the summaries and the selection take.
 *
 * <p>Synthetic features. Relaxed cells fall into basins of a low-dimensional energy landscape and their mean-pooled
 * descriptors inherit that: rows are {@code clusters} Gaussian basins in a {@code latent}-dimensional space (centres
 * N(0, 3^2), spread {@code spread}), a fraction {@code noise} of rows scattered over the whole latent space (cells in
 * basins of their own), embedded linearly in {@code dim} columns with a small independent jitter per column (2 % of
 * the spread). After standardisation unrelated rows are about sqrt(2) apart in the RMS metric and members of a basin
 * about sqrt(2) spread / 3, the picture of docs/campaign.md ("DBSCAN distance"). Energies: a level per basin in
 * [-4.34, -3.9] eV/atom plus 5 meV/atom jitter; max force in [0, 0.05] eV/Angstrom.
 */
public final class SelectionBench {
    /** What to generate and run. */
    public record Settings(int n, int dim, int latent, int clusters, double spread, double noise, double eps, int minSamples, int threads,
                           int bruteForceMax, long seed) {
        public Settings {
            if (n < 1) throw new IllegalArgumentException("--n must be >= 1, got " + n);
            if (dim < 1) throw new IllegalArgumentException("--dim must be >= 1, got " + dim);
            if (latent < 1 || latent > dim) throw new IllegalArgumentException("--latent must be in 1..dim, got " + latent);
            if (clusters < 1) throw new IllegalArgumentException("--clusters must be >= 1, got " + clusters);
            if (!(spread > 0)) throw new IllegalArgumentException("--spread must be > 0, got " + spread);
            if (!(noise >= 0 && noise <= 1)) throw new IllegalArgumentException("--noise must be in [0, 1], got " + noise);
            if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
    }

    /**
     * Figures of one run. Times in seconds (wall clock), heap in MiB; brute-force fields are NaN / -1 when skipped.
     * {@code float32Changed} is the number of rows whose label changes when the raw features are rounded to float.
     */
    public record Figures(int n, int dim, int threads, int clusters, long noiseRows, double standardiseSeconds, double indexedSeconds,
                          long indexedDistances, double bruteSeconds, boolean identical, double selectSeconds, int picks, double summariesMiB,
                          double selectPeakMiB, long float32Changed) {
    }

    private final LongSupplier nanoTime;

    public SelectionBench(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Synthetic summaries (see the class comment), ids 0..n-1. */
    public static List<PoolSummary> pool(Settings s) {
        SplittableRandom r = new SplittableRandom(s.seed());
        double[][] w = new double[s.latent()][s.dim()];
        for (double[] row : w) for (int j = 0; j < s.dim(); j++) row[j] = gauss(r) / Math.sqrt(s.dim());
        double[][] centres = new double[s.clusters()][s.latent()];
        double[] level = new double[s.clusters()];
        for (int c = 0; c < s.clusters(); c++) {
            for (int j = 0; j < s.latent(); j++) centres[c][j] = 3 * gauss(r);
            level[c] = -4.34 + 0.44 * r.nextDouble();
        }
        List<PoolSummary> rows = new ArrayList<>(s.n());
        double[] z = new double[s.latent()];
        for (int i = 0; i < s.n(); i++) {
            boolean noise = r.nextDouble() < s.noise();
            int c = r.nextInt(s.clusters());
            for (int j = 0; j < s.latent(); j++) z[j] = noise ? 3 * gauss(r) : centres[c][j] + s.spread() * gauss(r);
            double[] f = new double[s.dim()];
            for (int k = 0; k < s.latent(); k++) for (int j = 0; j < s.dim(); j++) f[j] += z[k] * w[k][j];
            for (int j = 0; j < s.dim(); j++) f[j] += 0.02 * s.spread() * gauss(r) / Math.sqrt(s.dim());
            double e = (noise ? -4.34 + 0.44 * r.nextDouble() : level[c]) + 0.005 * gauss(r);
            rows.add(new PoolSummary(i, 16, 16 * e, 0.01, 0.05 * r.nextDouble(), 100, "relaxed", f));
        }
        return rows;
    }

    private static double gauss(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** Generates the pool, then times each step; {@code log} receives progress lines. */
    public Figures run(Settings s, java.io.PrintStream log) {
        long before = usedHeapAfterGc();
        List<PoolSummary> pool = pool(s);
        double summariesMiB = (usedHeapAfterGc() - before) / 1048576.0;
        log.printf("generated %d summaries x %d features: %.1f MiB of driver heap%n", s.n(), s.dim(), summariesMiB);
        double[][] raw = new double[pool.size()][];
        for (int i = 0; i < raw.length; i++) raw[i] = pool.get(i).features();
        long t0 = nanoTime.getAsLong();
        double[][] std = Standardizer.standardize(raw);
        double standardise = seconds(t0);
        double eps = s.eps() * Math.sqrt(s.dim()); // the RMS metric: every synthetic column varies
        t0 = nanoTime.getAsLong();
        IndexedDbscan.Result indexed = new IndexedDbscan(eps, s.minSamples(), s.threads()).fitCounted(std);
        double indexedSeconds = seconds(t0);
        int clusters = 0;
        long noise = 0;
        for (int l : indexed.labels()) {
            clusters = Math.max(clusters, l + 1);
            if (l == Dbscan.NOISE) noise++;
        }
        log.printf("indexed DBSCAN (%d threads): %.2f s, %d distance evaluations (n^2 = %.3g), %d clusters, %d noise rows%n", s.threads(), indexedSeconds,
                indexed.distanceEvaluations(), (double) s.n() * s.n(), clusters, noise);
        double bruteSeconds = Double.NaN;
        boolean identical = true;
        if (s.n() <= s.bruteForceMax()) {
            t0 = nanoTime.getAsLong();
            int[] brute = new Dbscan(eps, s.minSamples()).fit(std);
            bruteSeconds = seconds(t0);
            identical = java.util.Arrays.equals(brute, indexed.labels());
            log.printf("brute-force DBSCAN: %.2f s, labels identical: %s%n", bruteSeconds, identical);
        }
        // float32 features: the same pipeline on features rounded to float before standardisation.
        double[][] rounded = new double[raw.length][];
        for (int i = 0; i < raw.length; i++) {
            rounded[i] = new double[raw[i].length];
            for (int j = 0; j < raw[i].length; j++) rounded[i][j] = (float) raw[i][j];
        }
        int[] f32 = new IndexedDbscan(eps, s.minSamples(), s.threads()).fit(Standardizer.standardize(rounded));
        long changed = 0;
        for (int i = 0; i < f32.length; i++) if (f32[i] != indexed.labels()[i]) changed++;
        log.printf("float32 features: %d of %d labels differ%n", changed, s.n());
        std = null;
        rounded = null;
        raw = null;
        ClusterSelector selector = new ClusterSelector(s.eps(), s.minSamples(), ClusterSelector.Metric.RMS, 0.5, 100, "singletons", s.threads());
        long base = usedHeapAfterGc();
        HeapPeak.reset();
        t0 = nanoTime.getAsLong();
        ClusterSelector.Result result = selector.select(pool);
        double selectSeconds = seconds(t0);
        double peakMiB = Math.max(0, HeapPeak.peakBytes() - base) / 1048576.0;
        log.printf("ClusterSelector.select: %.2f s, %d picks, %d clusters, heap peak above the summaries %.1f MiB%n", selectSeconds, result.picks().size(),
                result.clusters().size(), peakMiB);
        return new Figures(s.n(), s.dim(), s.threads(), clusters, noise, standardise, indexedSeconds, indexed.distanceEvaluations(), bruteSeconds, identical,
                selectSeconds, result.picks().size(), summariesMiB, peakMiB, changed);
    }

    private double seconds(long t0) {
        return (nanoTime.getAsLong() - t0) / 1e9;
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
