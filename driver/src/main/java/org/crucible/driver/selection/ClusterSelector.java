package org.crucible.driver.selection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crucible.driver.pool.PoolSummary;

/**
 * The NN-ensemble selection rule: cluster the relaxed pool with DBSCAN over standardised mean-pooled descriptors,
 * score each structure s = E/atom - omega_f * max|F| (eV/atom; omega_f in Angstrom), keep the lowest-scoring structure
 * of each cluster, and take the {@code batch} clusters with the lowest best scores. Noise points are each their own
 * cluster ({@code singletons}) or left out ({@code drop}). Structures without a finite energy (failed exploration) are
 * never selected. Ties break by id, so the selection is a pure function of the summaries.
 *
 * <p>Distance metric. The paper runs scikit-learn's DBSCAN (eps 0.5, min samples 2) on the standardised features
 * with the plain Euclidean distance ({@link Metric#EUCLIDEAN}). Two unrelated standardised rows are on average
 * sqrt(2 d) apart (E|x - y|^2 = 2 d for d unit-variance columns), so with a few hundred ACE features eps 0.5 is far
 * below any real spread and every relaxed cell becomes noise. {@link Metric#RMS} divides the distance by sqrt(d), d
 * the number of columns that vary in this pool (constant columns standardise to 0 and carry no information), making
 * eps a root-mean-square difference per standardised feature: unrelated rows are about sqrt(2) = 1.41 apart whatever
 * the basis size, symmetry-equivalent or near-identical relaxed cells about 0, and eps 0.5 keeps the paper's meaning
 * ("half a standard deviation") on a basis of any size. It is exactly DBSCAN with eps * sqrt(d) in the Euclidean metric.
 *
 * <p>Scale. DBSCAN runs on a neighbour index ({@link IndexedDbscan}, the brute-force {@link Dbscan}'s labels exactly),
 * about 11 times faster than the brute force on 10^4 synthetic rows (docs/benchmarks.md, "Selection at pool scale"). Memory
 * is the rows plus one standardised copy, 2 x 8 n d bytes; for larger pools the caller passes a preselected subset
 * ({@code Pool.summaries(Preselection)}).
 */
public final class ClusterSelector {
    /** How distances between standardised feature rows are measured (see the class comment). */
    public enum Metric {
        RMS, EUCLIDEAN;

        /** {@code rms} or {@code euclidean}. */
        public static Metric parse(String s) {
            return switch (s) {
                case "rms" -> RMS;
                case "euclidean" -> EUCLIDEAN;
                default -> throw new IllegalArgumentException("DBSCAN metric must be rms or euclidean, got " + s);
            };
        }
    }

    private final double eps;
    private final int minSamples;
    private final Metric metric;
    private final double omegaF;
    private final int batch;
    private final boolean noiseAsSingletons;
    private final int threads;

    /** A selector with the plain Euclidean metric. */
    public ClusterSelector(double eps, int minSamples, double omegaF, int batch, String noise) {
        this(eps, minSamples, Metric.EUCLIDEAN, omegaF, batch, noise);
    }

    /** A selector whose DBSCAN runs on the calling thread. */
    public ClusterSelector(double eps, int minSamples, Metric metric, double omegaF, int batch, String noise) {
        this(eps, minSamples, metric, omegaF, batch, noise, 1);
    }

    /**
     * @param threads threads of the indexed DBSCAN ({@link IndexedDbscan}); the result does not depend on it
     */
    public ClusterSelector(double eps, int minSamples, Metric metric, double omegaF, int batch, String noise, int threads) {
        Dbscan.validate(eps, minSamples);
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.eps = eps;
        this.minSamples = minSamples;
        this.metric = java.util.Objects.requireNonNull(metric, "metric");
        if (!(omegaF >= 0)) throw new IllegalArgumentException("omega_f must be >= 0, got " + omegaF);
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        if (!noise.equals("singletons") && !noise.equals("drop")) throw new IllegalArgumentException("noise must be singletons or drop, got " + noise);
        this.omegaF = omegaF;
        this.batch = batch;
        this.noiseAsSingletons = noise.equals("singletons");
    }

    /** One chosen structure: pool id, cluster (noise singletons get ids after the DBSCAN clusters), score and E/atom. */
    public record Pick(long id, int cluster, double score, double energyPerAtom) {
    }

    /** Per cluster: its members' lowest E/atom (eV/atom) and size. */
    public record ClusterEnergy(int cluster, double lowestEnergyPerAtom, long bestId, int size) {
    }

    /** Clusters of the pool and the picks of this cycle. */
    public record Result(List<Pick> picks, List<ClusterEnergy> clusters, int[] labels, long[] ids) {
        /** The {@code k} lowest cluster energies, ascending (fewer when there are fewer clusters). */
        public List<Double> lowestClusterEnergies(int k) {
            return clusters.stream().map(ClusterEnergy::lowestEnergyPerAtom).sorted().limit(k).toList();
        }
    }

    /** The score s = E/atom - omega_f * max|F|. */
    public double score(PoolSummary s) {
        return s.energyPerAtom() - omegaF * s.maxForce();
    }

    /** eps in the Euclidean metric over {@code standardised}: eps itself, or eps * sqrt(varying columns) for RMS. */
    double effectiveEps(double[][] standardised) {
        if (metric == Metric.EUCLIDEAN || standardised.length == 0) return eps;
        int varying = 0;
        for (int j = 0; j < standardised[0].length; j++) {
            for (double[] r : standardised) {
                if (r[j] != 0.0) {
                    varying++;
                    break;
                }
            }
        }
        return eps * Math.sqrt(Math.max(1, varying));
    }

    public Result select(List<PoolSummary> pool) {
        List<PoolSummary> usable = pool.stream().filter(PoolSummary::selectable)
                .sorted(Comparator.comparingLong(PoolSummary::id)).toList();
        double[][] rows = new double[usable.size()][];
        for (int i = 0; i < rows.length; i++) rows[i] = usable.get(i).features();
        double[][] standardised = Standardizer.standardize(rows);
        int[] labels = new IndexedDbscan(effectiveEps(standardised), minSamples, threads).fit(standardised);
        int nClusters = 0;
        for (int l : labels) nClusters = Math.max(nClusters, l + 1);
        int[] assigned = labels.clone();
        int next = nClusters;
        for (int i = 0; i < assigned.length; i++) {
            if (assigned[i] == Dbscan.NOISE && noiseAsSingletons) assigned[i] = next++;
        }
        Map<Integer, List<Integer>> members = new LinkedHashMap<>();
        for (int i = 0; i < assigned.length; i++) if (assigned[i] >= 0) members.computeIfAbsent(assigned[i], c -> new ArrayList<>()).add(i);
        List<Pick> best = new ArrayList<>();
        List<ClusterEnergy> energies = new ArrayList<>();
        for (Map.Entry<Integer, List<Integer>> e : members.entrySet()) {
            PoolSummary b = null;
            PoolSummary lowest = null;
            for (int i : e.getValue()) {
                PoolSummary s = usable.get(i);
                if (b == null || score(s) < score(b) || (score(s) == score(b) && s.id() < b.id())) b = s;
                if (lowest == null || s.energyPerAtom() < lowest.energyPerAtom()) lowest = s;
            }
            best.add(new Pick(b.id(), e.getKey(), score(b), b.energyPerAtom()));
            energies.add(new ClusterEnergy(e.getKey(), lowest.energyPerAtom(), lowest.id(), e.getValue().size()));
        }
        best.sort(Comparator.comparingDouble(Pick::score).thenComparingLong(Pick::id));
        long[] ids = usable.stream().mapToLong(PoolSummary::id).toArray();
        return new Result(List.copyOf(best.subList(0, Math.min(batch, best.size()))), List.copyOf(energies), assigned, ids);
    }
}
