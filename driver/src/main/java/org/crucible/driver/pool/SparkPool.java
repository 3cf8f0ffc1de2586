package org.crucible.driver.pool;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * A pool as a Spark RDD. {@link #map} runs the stage in {@code mapPartitions} with the model broadcast once per
 * executor; the result is persisted (memory and disk) so summaries, fetches and saves do not recompute it. Per-entry
 * seeds come from the entry id ({@link Seeds}), so the result equals {@link LocalPool}'s for the same inputs, whatever
 * the partitioning or task retries.
 */
public final class SparkPool implements Pool {
    private final JavaSparkContext sc;
    private final JavaRDD<PoolEntry> rdd;
    /** What the next Spark job on this pool computes (jobs run at actions, so the label travels with the pool). */
    private final String label;

    private SparkPool(JavaSparkContext sc, JavaRDD<PoolEntry> rdd, String label) {
        this.sc = sc;
        this.rdd = rdd;
        this.label = label;
    }

    private void describe(String action) {
        sc.setJobDescription(label + ": " + action);
    }

    /** A pool of {@code entries} in {@code nPartitions} partitions (for pools built on the driver, e.g. in tests). */
    public static SparkPool of(JavaSparkContext sc, List<PoolEntry> entries, int nPartitions) {
        return new SparkPool(sc, sc.parallelize(entries, nPartitions), "pool");
    }

    /** A pool over an existing RDD. */
    public static SparkPool wrap(JavaSparkContext sc, JavaRDD<PoolEntry> rdd, String label) {
        return new SparkPool(sc, rdd, label);
    }

    /** Loads saved pool files; each partition file becomes one RDD partition, read on an executor. */
    public static SparkPool load(JavaSparkContext sc, String uri) {
        List<String> parts = PoolFiles.partitions(uri);
        JavaRDD<PoolEntry> rdd = sc.parallelize(parts, Math.max(1, parts.size()))
                .flatMap(f -> PoolFiles.readPartition(f).iterator());
        return new SparkPool(sc, rdd, "pool " + shortName(uri));
    }

    /** The last two path segments of a pool URI ("cycle-003/relaxed"), for job descriptions. */
    static String shortName(String uri) {
        String[] parts = uri.replaceAll("/+$", "").split("/");
        return parts.length >= 2 ? parts[parts.length - 2] + "/" + parts[parts.length - 1] : parts[parts.length - 1];
    }

    /** The underlying RDD. */
    public JavaRDD<PoolEntry> rdd() {
        return rdd;
    }

    @Override
    public long size() {
        describe("count");
        return rdd.count();
    }

    @Override
    public <M extends Serializable> Pool flatMap(PoolFlatStage<M> stage, M model, long seed, int stride, String description) {
        Broadcast<M> b = sc.broadcast(model);
        JavaRDD<PoolEntry> out = rdd.mapPartitions((Iterator<PoolEntry> it) -> {
            M m = b.value();
            List<PoolEntry> res = new ArrayList<>();
            while (it.hasNext()) {
                PoolEntry e = it.next();
                res.addAll(PoolFlatStage.renumber(e, stage.apply(e, m, Seeds.mix(seed, e.id())), stride));
            }
            return res.iterator();
        }, true).persist(StorageLevel.MEMORY_AND_DISK());
        out.setName(description);
        return new SparkPool(sc, out, description);
    }

    @Override
    public <M extends Serializable> Pool map(PoolStage<M> stage, M model, long seed, String description) {
        Broadcast<M> b = sc.broadcast(model);
        JavaRDD<PoolEntry> out = rdd.mapPartitions((Iterator<PoolEntry> it) -> {
            M m = b.value();
            List<PoolEntry> res = new ArrayList<>();
            while (it.hasNext()) {
                PoolEntry e = it.next();
                res.add(stage.apply(e, m, Seeds.mix(seed, e.id())));
            }
            return res.iterator();
        }, true).persist(StorageLevel.MEMORY_AND_DISK());
        out.setName(description);
        return new SparkPool(sc, out, description);
    }

    @Override
    public <M extends Serializable, A extends Serializable> A aggregate(PoolFold<M, A> fold, M model, String description) {
        describe(description);
        Broadcast<M> b = sc.broadcast(model);
        try {
            A zero = fold.zero(model);
            // treeAggregate: partitions merge in a tree on the executors, so the driver receives a few accumulators.
            return rdd.treeAggregate(zero, (acc, e) -> fold.add(acc, e.summary(), b.value()), fold::merge);
        } finally {
            b.destroy();
        }
    }

    @Override
    public List<PoolSummary> summaries() {
        describe("summaries");
        List<PoolSummary> rows = new ArrayList<>(rdd.map(PoolEntry::summary).collect());
        rows.sort(Comparator.comparingLong(PoolSummary::id));
        return rows;
    }

    @Override
    public List<PoolSummary> summaries(Preselection preselection) {
        describe("preselect " + preselection.count() + " summaries");
        // takeOrdered keeps a bounded queue per partition and merges on the driver: O(count) rows there, not the pool.
        List<PoolSummary> rows = new ArrayList<>(rdd.map(PoolEntry::summary).filter(preselection::keeps)
                .takeOrdered(preselection.count(), preselection.order()));
        rows.sort(Comparator.comparingLong(PoolSummary::id));
        return rows;
    }

    @Override
    public List<PoolSummary> summariesWithoutFeatures() {
        describe("summaries without descriptors");
        List<PoolSummary> rows = new ArrayList<>(rdd.map(e -> e.summary().withoutFeatures()).collect());
        rows.sort(Comparator.comparingLong(PoolSummary::id));
        return rows;
    }

    @Override
    public List<PoolSummary> summaries(Collection<Long> ids) {
        List<PoolSummary> rows = new ArrayList<>(only(ids, "summaries of").map(PoolEntry::summary).collect());
        rows.sort(Comparator.comparingLong(PoolSummary::id));
        return rows;
    }

    @Override
    public List<PoolEntry> fetch(Collection<Long> ids) {
        List<PoolEntry> rows = new ArrayList<>(only(ids, "fetch").collect());
        rows.sort(Comparator.comparingLong(PoolEntry::id));
        return rows;
    }

    /** The entries with the given ids, filtered where they live (the id set broadcast once); {@code what} names the job. */
    private JavaRDD<PoolEntry> only(Collection<Long> ids, String what) {
        Broadcast<Set<Long>> b = sc.broadcast(new HashSet<>(ids));
        describe(what + " " + b.value().size());
        return rdd.filter(e -> b.value().contains(e.id()));
    }

    @Override
    public void save(String uri) {
        PoolFiles.begin(uri);
        String tmp = PoolFiles.tempOf(uri);
        describe("save");
        long n = rdd.mapPartitionsWithIndex((Integer i, Iterator<PoolEntry> it) -> {
            List<Long> c = new ArrayList<>();
            c.add(PoolFiles.writePartition(tmp, i, it));
            return c.iterator();
        }, true).reduce(Long::sum);
        PoolFiles.commit(uri, n);
    }
}
