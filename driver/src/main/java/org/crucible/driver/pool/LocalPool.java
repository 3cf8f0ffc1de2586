package org.crucible.driver.pool;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A pool processed in the calling thread: the single-threaded reference for {@link SparkPool} (same seeds, same
 * results) and the backend for tiny pools. Keeps its partition layout so files it saves match a Spark pool's.
 */
public final class LocalPool implements Pool {
    private final List<List<PoolEntry>> partitions;

    private LocalPool(List<List<PoolEntry>> partitions) {
        this.partitions = partitions;
    }

    /** A pool of {@code entries} split into {@code nPartitions} contiguous partitions. */
    public static LocalPool of(List<PoolEntry> entries, int nPartitions) {
        if (nPartitions < 1) throw new IllegalArgumentException("partitions must be >= 1, got " + nPartitions);
        List<List<PoolEntry>> parts = new ArrayList<>();
        int n = entries.size();
        for (int p = 0; p < nPartitions; p++) {
            parts.add(List.copyOf(entries.subList((int) ((long) p * n / nPartitions), (int) ((long) (p + 1) * n / nPartitions))));
        }
        return new LocalPool(parts);
    }

    /** Loads a pool saved by either backend. */
    public static LocalPool load(String uri) {
        List<List<PoolEntry>> parts = new ArrayList<>();
        for (String f : PoolFiles.partitions(uri)) parts.add(PoolFiles.readPartition(f));
        return new LocalPool(parts);
    }

    @Override
    public long size() {
        return partitions.stream().mapToLong(List::size).sum();
    }

    @Override
    public <M extends Serializable> Pool flatMap(PoolFlatStage<M> stage, M model, long seed, int stride, String description) {
        List<List<PoolEntry>> out = new ArrayList<>();
        for (List<PoolEntry> part : partitions) {
            List<PoolEntry> mapped = new ArrayList<>();
            for (PoolEntry e : part) mapped.addAll(PoolFlatStage.renumber(e, stage.apply(e, model, Seeds.mix(seed, e.id())), stride));
            out.add(List.copyOf(mapped));
        }
        return new LocalPool(out);
    }

    @Override
    public <M extends Serializable> Pool map(PoolStage<M> stage, M model, long seed, String description) {
        List<List<PoolEntry>> out = new ArrayList<>();
        for (List<PoolEntry> part : partitions) {
            List<PoolEntry> mapped = new ArrayList<>(part.size());
            for (PoolEntry e : part) mapped.add(stage.apply(e, model, Seeds.mix(seed, e.id())));
            out.add(List.copyOf(mapped));
        }
        return new LocalPool(out);
    }

    @Override
    public <M extends Serializable, A extends Serializable> A aggregate(PoolFold<M, A> fold, M model, String description) {
        A total = fold.zero(model);
        for (List<PoolEntry> part : partitions) {
            A acc = fold.zero(model);
            for (PoolEntry e : part) acc = fold.add(acc, e.summary(), model);
            total = fold.merge(total, acc);
        }
        return total;
    }

    @Override
    public List<PoolSummary> summaries() {
        return partitions.stream().flatMap(List::stream).map(PoolEntry::summary).sorted(Comparator.comparingLong(PoolSummary::id)).toList();
    }

    @Override
    public List<PoolSummary> summaries(Preselection preselection) {
        return preselection.apply(partitions.stream().flatMap(List::stream).map(PoolEntry::summary));
    }

    @Override
    public List<PoolEntry> fetch(Collection<Long> ids) {
        Set<Long> want = new HashSet<>(ids);
        return partitions.stream().flatMap(List::stream).filter(e -> want.contains(e.id())).sorted(Comparator.comparingLong(PoolEntry::id)).toList();
    }

    /** Every entry, sorted by id. */
    public List<PoolEntry> entries() {
        return partitions.stream().flatMap(List::stream).sorted(Comparator.comparingLong(PoolEntry::id)).toList();
    }

    @Override
    public void save(String uri) {
        PoolFiles.begin(uri);
        long n = 0;
        for (int i = 0; i < partitions.size(); i++) n += PoolFiles.writePartition(PoolFiles.tempOf(uri), i, partitions.get(i).iterator());
        PoolFiles.commit(uri, n);
    }
}
