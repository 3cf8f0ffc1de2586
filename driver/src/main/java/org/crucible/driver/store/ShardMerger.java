package org.crucible.driver.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.crucible.driver.store.TrainingStore.CompactionStep;

/**
 * One compaction merge of a {@link TrainingStore}: consecutive live shards into one shard named by the range of
 * appends it covers, crash-safe at every step. (1) The merged shard is written under {@code _tmp/} and renamed into
 * {@code shards/}; (2) its index is written and renamed into {@code index/}, the commit point; (3) the input shards
 * and their index files are deleted. {@link StoreLoader} classifies what a crash at any step left behind.
 */
final class ShardMerger {
    private final StoreFiles files;
    private final StoreIndex index;
    private final TrainingStore.CompactionHook hook;

    ShardMerger(StoreFiles files, StoreIndex index, TrainingStore.CompactionHook hook) {
        this.files = files;
        this.index = index;
        this.hook = hook;
    }

    /** Merges {@code inputs} (consecutive live shards) into one; returns the records written. */
    long merge(List<Shard> inputs) {
        Shard firstIn = inputs.get(0);
        Shard lastIn = inputs.get(inputs.size() - 1);
        String name = Shard.name(firstIn.first(), lastIn.last());
        Path tmp = new Path(files.tmpDir, name);
        Path dst = new Path(files.shardDir, name);
        String indexName = Shard.indexName(name);
        Path tmpIndex = new Path(files.tmpDir, indexName);
        Map<String, TrainingStore.Entry> moved = new LinkedHashMap<>();
        long expected = inputs.stream().mapToLong(s -> index.frames.getOrDefault(s.name(), 0)).sum();
        long bytes;
        try {
            files.fs.mkdirs(files.tmpDir);
            long[] offset = {0};
            try (FSDataOutputStream out = files.fs.create(tmp, true)) {
                for (Shard s : inputs) {
                    files.readShard(s.name(), (r, i) -> {
                        TrainingStore.Entry e = index.entries.get(r.taskHash());
                        if (e == null || !e.shard().equals(s.name()) || e.index() != i) return; // a stray copy: the index's copy is kept
                        byte[] b = ShardCodec.frame(r, true).getBytes(StandardCharsets.UTF_8);
                        out.write(b);
                        moved.put(r.taskHash(), new TrainingStore.Entry(name, moved.size(), offset[0], e.status(), e.cycle(), e.selector(), e.code(), e.attempt()));
                        offset[0] += b.length;
                    });
                }
                DurableFiles.sync(out);
            }
            DurableFiles.syncClosed(files.fs, tmp);
            bytes = offset[0];
            if (moved.size() != expected) {
                throw new StoreException("compaction of " + firstIn.name() + ".." + lastIn.name() + ": read " + moved.size() + " indexed frames, the index holds "
                        + expected + "; nothing changed");
            }
            hook.after(CompactionStep.SHARD_WRITTEN);
            if (files.fs.exists(dst)) {
                files.fence("replace " + dst);
                files.delete(dst); // an uncommitted output of an earlier attempt in this process
            }
            files.renameInto(tmp, dst, "publish the merged shard " + name);
            hook.after(CompactionStep.SHARD_RENAMED);
            ShardIndex.write(files.fs, tmpIndex, moved, bytes);
            hook.after(CompactionStep.INDEX_WRITTEN);
            files.renameInto(tmpIndex, new Path(files.indexDir, indexName), "commit the compaction " + indexName); // the commit point
        } catch (IOException e) {
            throw new StoreException("cannot compact " + firstIn.name() + ".." + lastIn.name() + " in " + files.root + ": " + e.getMessage(), e);
        }
        index.entries.putAll(moved);
        for (Shard s : inputs) {
            index.shards.remove(s.first());
            index.frames.remove(s.name());
        }
        index.frames.put(name, moved.size());
        index.shards.put(firstIn.first(), new Shard(name, firstIn.first(), lastIn.last(), bytes, true));
        index.legacyShards.removeAll(inputs.stream().map(Shard::name).toList());
        hook.after(CompactionStep.INDEX_COMMITTED);
        try {
            files.fence("delete the inputs of " + name);
            for (Shard s : inputs) {
                if (s.indexed()) files.delete(new Path(files.indexDir, s.indexName()));
                files.delete(new Path(files.shardDir, s.name()));
                hook.after(CompactionStep.INPUT_DELETED);
            }
            StoreLoader.dropLegacyManifestIfDone(files, index);
        } catch (IOException e) {
            throw new StoreException("compacted " + name + " but cannot delete its inputs in " + files.root + " (the next open will): " + e.getMessage(), e);
        }
        hook.after(CompactionStep.INPUTS_DELETED);
        return moved.size();
    }
}
