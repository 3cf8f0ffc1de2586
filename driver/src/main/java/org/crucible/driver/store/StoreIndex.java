package org.crucible.driver.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a {@link TrainingStore} knows about its files in memory (about 200 bytes per label): the live shards in store
 * order, where each task's record lives ({@link TrainingStore.Entry}), how many indexed frames each shard holds, the
 * byte counts the index files record, and what opening the store met (torn shards, shards read to index them,
 * leftovers removed). Built by {@link StoreLoader}, kept up to date by appends and by {@link ShardMerger}.
 */
final class StoreIndex {
    /** Live shards in store order (by the first append they hold). */
    final TreeMap<Long, Shard> shards = new TreeMap<>();
    final Map<String, TrainingStore.Entry> entries = new LinkedHashMap<>();
    /** Shards of the first store format still indexed by its manifest. */
    final List<String> legacyShards = new ArrayList<>();
    /** Indexed frames per live shard (frames the index places elsewhere are not counted). */
    final Map<String, Integer> frames = new HashMap<>();
    /** Shard bytes recorded by the index files (a shard shorter than that is torn). */
    final Map<String, Long> indexedBytes = new HashMap<>();
    /** Torn shards met on open: moved to {@code quarantine/} by a writer, skipped (after their readable frames) by a reader. */
    final List<String> torn = new ArrayList<>();
    final Set<String> tornNames = new HashSet<>();
    /** Highest append number of any shard file seen, live or not (a new append never reuses a number on disk). */
    long highestNumber;
    int recoveredShards;
    int removedLeftovers;

    /** Forgets everything read on open (a reader lists the store again). */
    void clear() {
        shards.clear();
        entries.clear();
        frames.clear();
        legacyShards.clear();
        torn.clear();
        tornNames.clear();
        indexedBytes.clear();
        recoveredShards = 0;
    }

    /** The number the next append takes. */
    long nextNumber() {
        return Math.max(highestNumber, shards.isEmpty() ? 0 : shards.lastEntry().getValue().last()) + 1;
    }

    /** Indexes frame {@code i} of {@code shard}, at byte {@code offset} (-1 when unknown). */
    void index(LabelRecord r, String shard, int i, long offset) {
        Provenance p = r.provenance();
        put(r.taskHash(), new TrainingStore.Entry(shard, i, offset, r.status(), p.cycle(), p.selector(), p.code(), p.attempt()));
    }

    /**
     * Indexes a frame unless its task is indexed already (the first copy in store order wins), or unless the indexed
     * record FAILED and this frame is a later attempt, which then takes its place.
     */
    void put(String taskHash, TrainingStore.Entry e) {
        TrainingStore.Entry old = entries.putIfAbsent(taskHash, e);
        if (old == null) {
            frames.merge(e.shard(), 1, Integer::sum);
        } else if (old.supersededBy(e.attempt(), e.status())) {
            entries.put(taskHash, e);
            frames.merge(old.shard(), -1, Integer::sum);
            frames.merge(e.shard(), 1, Integer::sum);
        }
    }
}
