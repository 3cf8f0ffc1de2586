package org.crucible.driver.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Which live shards a {@link TrainingStore} compaction merges; pure functions of the shards in store order and their
 * sizes in bytes (the merging itself, crash-safe, is the store's).
 */
final class CompactionPlan {
    private CompactionPlan() {
    }

    /**
     * {@code crucible store compact}: every run of consecutive shards smaller than {@code targetBytes}, cut into
     * chunks of at most {@code targetBytes}; chunks of one shard are left alone.
     */
    static List<List<Shard>> manual(Collection<Shard> shards, long targetBytes) {
        List<List<Shard>> plan = new ArrayList<>();
        List<Shard> chunk = new ArrayList<>();
        long chunkBytes = 0;
        for (Shard s : shards) {
            if (s.bytes() >= targetBytes || chunkBytes + s.bytes() > targetBytes) {
                if (chunk.size() >= 2) plan.add(chunk);
                chunk = new ArrayList<>();
                chunkBytes = 0;
                if (s.bytes() >= targetBytes) continue;
            }
            chunk.add(s);
            chunkBytes += s.bytes();
        }
        if (chunk.size() >= 2) plan.add(chunk);
        return plan;
    }

    /**
     * The policy's next merge (see {@link TrainingStore.CompactionPolicy}): the first {@code fanIn} consecutive
     * non-full shards of one size class, cut so the merge stays within the target size; empty when none is due.
     */
    static List<Shard> nextAutomatic(Collection<Shard> shards, TrainingStore.CompactionPolicy policy) {
        List<Shard> run = new ArrayList<>();
        List<Shard> pick = null;
        for (Shard s : shards) {
            boolean full = s.bytes() >= policy.targetBytes() / 2;
            if (full || (!run.isEmpty() && sizeClass(run.get(0), policy) != sizeClass(s, policy))) run = new ArrayList<>();
            if (full) continue;
            run.add(s);
            if (run.size() == policy.fanIn()) {
                pick = run;
                break;
            }
        }
        if (pick == null) return List.of();
        List<Shard> inputs = new ArrayList<>();
        long bytes = 0;
        for (Shard s : pick) {
            if (inputs.size() >= 2 && bytes + s.bytes() > policy.targetBytes()) break;
            inputs.add(s);
            bytes += s.bytes();
        }
        return inputs;
    }

    /** {@code floor(log_fanIn k)} for a shard holding {@code k} appends. */
    private static int sizeClass(Shard s, TrainingStore.CompactionPolicy policy) {
        int c = 0;
        for (long k = s.span(); k >= policy.fanIn(); k /= policy.fanIn()) c++;
        return c;
    }
}
