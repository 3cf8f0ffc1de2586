package org.crucible.driver.store;

import java.io.FileNotFoundException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code crucible store verify}: reads every live shard of a {@link TrainingStore} to its end and checks it against
 * the index in memory, changing nothing. It re-derives each frame's byte offset and compares it with the index, checks
 * that every indexed task is in its shard at its position and that each compacted shard has the length its index
 * records, and counts task hashes across all live frames; a FAILED frame that a later attempt replaced is no duplicate
 * when the later record carries its failure. Cost: one pass over the store's bytes.
 */
final class StoreVerifier {
    private final TrainingStore store;
    private final StoreFiles files;
    private final StoreIndex index;
    private final boolean readOnly;

    /** A shard vanished under a reader (a writer's compaction): the listing must be read again. */
    static final class ListingChanged extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ListingChanged(StoreException cause) {
            super(cause.getMessage(), cause);
        }
    }

    StoreVerifier(TrainingStore store, StoreFiles files, StoreIndex index, boolean readOnly) {
        this.store = store;
        this.files = files;
        this.index = index;
        this.readOnly = readOnly;
    }

    /** One pass; a reader whose listing went stale throws {@link ListingChanged}. */
    TrainingStore.Verification verify() {
        Map<String, TrainingStore.Entry> entries = index.entries;
        Map<String, Integer> seen = new HashMap<>();
        List<String> problems = new ArrayList<>();
        long[] total = {0};
        long[] supersededFrames = {0};
        Map<String, List<Map.Entry<String, TrainingStore.Entry>>> byShard = new HashMap<>();
        for (Map.Entry<String, TrainingStore.Entry> me : entries.entrySet()) byShard.computeIfAbsent(me.getValue().shard(), k -> new ArrayList<>()).add(me);
        for (Shard s : index.shards.values()) {
            Map<String, Integer> inShard = new HashMap<>();
            long[] offset = {0};
            try {
                files.readShard(s.name(), (r, i) -> {
                    total[0]++;
                    TrainingStore.Entry e = entries.get(r.taskHash());
                    boolean superseded = e != null && r.status() == LabelStatus.FAILED
                            && (r.provenance().attempt() < e.attempt() || (r.provenance().attempt() == e.attempt() && e.status() != LabelStatus.FAILED));
                    if (superseded) {
                        supersededFrames[0]++;
                        superseded(s.name(), i, r, e, problems);
                    } else {
                        seen.merge(r.taskHash(), 1, Integer::sum);
                        inShard.put(r.taskHash(), i);
                    }
                    if (e != null && e.shard().equals(s.name()) && e.index() == i && e.offset() >= 0 && e.offset() != offset[0]) {
                        problems.add(s.name() + ": frame " + i + " (task " + r.taskHash() + ") starts at byte " + offset[0] + ", the index says " + e.offset());
                    }
                    offset[0] += ShardCodec.frame(r, true).getBytes(StandardCharsets.UTF_8).length;
                });
            } catch (StoreException e) {
                if (readOnly && e.getCause() instanceof FileNotFoundException) throw new ListingChanged(e);
                if (!index.tornNames.contains(s.name())) problems.add(e.getMessage());
            }
            if (s.indexed() && index.indexedBytes.containsKey(s.name()) && index.indexedBytes.get(s.name()) != s.bytes()) {
                problems.add(s.name() + ": " + s.bytes() + " bytes, its index says " + index.indexedBytes.get(s.name()));
            }
            for (Map.Entry<String, TrainingStore.Entry> me : byShard.getOrDefault(s.name(), List.of())) {
                TrainingStore.Entry e = me.getValue();
                if (!Integer.valueOf(e.index()).equals(inShard.get(me.getKey()))) {
                    problems.add(s.name() + ": the index places task " + me.getKey() + " at frame " + e.index() + ", the shard "
                            + (inShard.containsKey(me.getKey()) ? "holds it at frame " + inShard.get(me.getKey()) : "does not hold it"));
                }
            }
        }
        Map<String, Integer> dups = new TreeMap<>();
        seen.forEach((h, n) -> {
            if (n > 1) dups.put(h, n);
        });
        int ok = store.stats().ok();
        return new TrainingStore.Verification(entries.size(), total[0], index.shards.size(), ok, dups, List.copyOf(index.torn), files.quarantined(), problems, supersededFrames[0]);
    }

    /**
     * A FAILED frame that a later attempt replaced (compaction has not dropped it yet) is no duplicate, provided the
     * later record carries its failure: the frame's attempt must appear among the indexed record's earlier failures.
     */
    private void superseded(String shard, int i, LabelRecord r, TrainingStore.Entry e, List<String> problems) {
        if (r.provenance().attempt() == e.attempt()) return; // a label that replaced a failure after a torn shard (Entry#supersededBy)
        LabelRecord winner = store.get(r.taskHash()).orElseThrow();
        List<Provenance.Failure> f = winner.provenance().earlierFailures();
        int k = r.provenance().attempt() - 1;
        if (k >= f.size() || !f.get(k).created().equals(r.provenance().created())) {
            problems.add(shard + ": frame " + i + " (task " + r.taskHash() + ", failed attempt " + r.provenance().attempt() + ") is superseded by attempt "
                    + e.attempt() + ", whose provenance does not record it");
        }
    }
}
