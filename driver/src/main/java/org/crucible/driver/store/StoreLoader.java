package org.crucible.driver.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * Opening a {@link TrainingStore}: lists its shards and index files, classifies what an interrupted compaction left
 * behind (see the class Javadoc of {@link TrainingStore}), reads the index files, the appended shards not compacted
 * yet and a first-format manifest into the {@link StoreIndex}, and handles torn shards. A writer removes the
 * leftovers and quarantines torn shards; a reader changes nothing.
 */
final class StoreLoader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LEGACY_FORMAT = "crucible-store-1";
    private static final Pattern SHARD = Pattern.compile("shard-(\\d+)(?:-(\\d+))?\\.extxyz");
    private static final Pattern INDEX = Pattern.compile("shard-(\\d+)(?:-(\\d+))?\\.idx");

    private final StoreFiles files;
    private final StoreIndex index;
    private final boolean readOnly;
    /** Appends records as a new shard and returns its name (the store's own append, for the frames of a torn shard). */
    private final Function<Collection<LabelRecord>, String> appendShard;

    /** A shard that cannot be read to its end: the frames before the tear, and why. */
    private record Torn(List<LabelRecord> frames, String why) {
    }

    StoreLoader(StoreFiles files, StoreIndex index, boolean readOnly, Function<Collection<LabelRecord>, String> appendShard) {
        this.files = files;
        this.index = index;
        this.readOnly = readOnly;
        this.appendShard = appendShard;
    }

    void load() throws IOException {
        var fs = files.fs;
        if (readOnly && !fs.exists(files.shardDir)) return;
        if (!readOnly) {
            fs.mkdirs(files.shardDir);
            fs.mkdirs(files.indexDir);
            if (fs.exists(files.tmpDir)) fs.delete(files.tmpDir, true);
        }
        files.checkFormat(readOnly);
        // Shards are listed before index files, so a compaction committed between the two listings shows up as an index
        // without its shard, which a reader answers by listing again (openReadOnly) and a writer never sees.
        Map<String, FileStatus> shardFiles = files.list(files.shardDir, SHARD);
        Map<String, FileStatus> indexFiles = fs.exists(files.indexDir) ? files.list(files.indexDir, INDEX) : Map.of();
        List<Shard> present = new ArrayList<>();
        for (FileStatus st : shardFiles.values()) {
            String name = st.getPath().getName();
            Matcher m = SHARD.matcher(name);
            if (!m.matches()) continue;
            long first = Long.parseLong(m.group(1));
            long last = m.group(2) == null ? first : Long.parseLong(m.group(2));
            if (last < first) throw new StoreException(st.getPath() + ": a shard's range must be increasing");
            Shard s = new Shard(name, first, last, st.getLen(), false);
            index.highestNumber = Math.max(index.highestNumber, last);
            present.add(indexFiles.containsKey(s.indexName()) ? new Shard(name, first, last, st.getLen(), true) : s);
        }
        List<Shard> committed = present.stream().filter(s -> s.merged() && s.indexed()).toList();
        for (Shard s : present) {
            boolean superseded = committed.stream().anyMatch(s::within);
            if (superseded || (s.merged() && !s.indexed())) {
                // A crash during compaction: an input already merged into a committed shard, or a merged shard whose
                // index was never committed (its inputs are all still present).
                removeLeftover(s.name(), s.indexed() || indexFiles.containsKey(s.indexName()) ? s.indexName() : null);
                continue;
            }
            if (index.shards.put(s.first(), s) != null) throw new StoreException(files.shardDir + " holds two shards starting at append " + s.first());
        }
        Set<String> live = new HashSet<>();
        for (Shard s : index.shards.values()) live.add(s.name());
        for (String idx : indexFiles.keySet()) {
            String shardName = idx.substring(0, idx.length() - ".idx".length()) + ".extxyz";
            if (live.contains(shardName) || shardFiles.containsKey(shardName)) continue; // live, or removed with its shard above
            Matcher m = INDEX.matcher(idx);
            if (!m.matches()) continue;
            long first = Long.parseLong(m.group(1));
            long last = m.group(2) == null ? first : Long.parseLong(m.group(2));
            Shard ghost = new Shard(shardName, first, last, 0, true);
            if (committed.stream().anyMatch(ghost::within)) {
                removeLeftover(null, idx);
            } else {
                throw new StoreException(new Path(files.indexDir, idx) + " indexes " + shardName + " but " + files.shardDir + " does not contain it");
            }
        }
        Map<String, Map<String, TrainingStore.Entry>> legacy = readLegacyManifest();
        Map<Shard, Torn> tornShards = new LinkedHashMap<>();
        for (Shard s : index.shards.values()) {
            if (s.indexed()) {
                ShardIndex.read(fs, new Path(files.indexDir, s.indexName()), s.name(), index::put, b -> index.indexedBytes.put(s.name(), b));
            } else if (legacy.containsKey(s.name())) {
                legacy.get(s.name()).forEach(index::put);
                index.legacyShards.add(s.name());
            } else {
                List<LabelRecord> frames = new ArrayList<>();
                try {
                    files.readShard(s.name(), (r, i) -> frames.add(r));
                } catch (StoreException e) {
                    tornShards.put(s, new Torn(frames, e.getMessage()));
                    continue;
                }
                for (int i = 0; i < frames.size(); i++) index.index(frames.get(i), s.name(), i, -1);
                index.recoveredShards++;
            }
        }
        for (Shard s : index.shards.values()) {
            if (s.indexed() && s.bytes() < index.indexedBytes.getOrDefault(s.name(), 0L)) {
                tornShards.put(s, new Torn(List.of(), new Path(files.shardDir, s.name()) + " is shorter (" + s.bytes() + " bytes) than its index says ("
                        + index.indexedBytes.get(s.name()) + " bytes)"));
            }
        }
        if (!tornShards.isEmpty()) handleTorn(tornShards);
        for (String name : legacy.keySet()) {
            if (!name.isEmpty() && !live.contains(name) && committed.stream().noneMatch(s -> legacyWithin(name, s))) {
                throw new StoreException(files.manifestPath + " lists " + name + " but " + files.shardDir + " does not contain it");
            }
        }
        if (!readOnly) dropLegacyManifestIfDone(files, index);
    }

    /**
     * Torn shards (a power loss before an fsync, a disk fault): never silently dropped. A writer first appends the
     * frames readable before the tear that no other shard holds as a new shard (committed like any append), then moves
     * the torn file (and its index) to {@code quarantine/}, keeping its bytes; a crash between the two steps leaves the
     * torn shard in place and the next open does the same again without storing a frame twice. A reader counts the
     * readable frames and reports the tear ({@link TrainingStore#torn()}). Either way {@code crucible store verify}
     * reports it.
     */
    private void handleTorn(Map<Shard, Torn> tornShards) throws IOException {
        for (Map.Entry<Shard, Torn> t : tornShards.entrySet()) {
            Shard s = t.getKey();
            List<LabelRecord> readable = new ArrayList<>(t.getValue().frames());
            if (s.indexed()) {
                // Forget what the index promised; keep what can actually be read.
                index.entries.values().removeIf(e -> e.shard().equals(s.name()));
                index.frames.remove(s.name());
                try {
                    files.readShard(s.name(), (r, i) -> readable.add(r));
                } catch (StoreException e) {
                    // the tear: frames before it are in 'readable'
                }
            }
            index.tornNames.add(s.name());
            index.torn.add(s.name() + ": " + t.getValue().why() + " (" + readable.size() + " frames readable before the tear"
                    + (readOnly ? ")" : ", kept in a new shard; the file moved to quarantine/)"));
            if (readOnly) {
                for (int i = 0; i < readable.size(); i++) index.index(readable.get(i), s.name(), i, -1);
                continue;
            }
            index.shards.remove(s.first());
            Map<String, LabelRecord> fresh = new LinkedHashMap<>();
            for (LabelRecord r : readable) if (!index.entries.containsKey(r.taskHash())) fresh.putIfAbsent(r.taskHash(), r);
            if (!fresh.isEmpty()) appendShard.apply(fresh.values());
            files.fs.mkdirs(files.quarantineDir);
            files.fence("quarantine " + s.name());
            if (s.indexed()) files.quarantine(new Path(files.indexDir, s.indexName()));
            files.quarantine(new Path(files.shardDir, s.name()));
            DurableFiles.syncDirectory(files.fs, files.quarantineDir);
            DurableFiles.syncDirectory(files.fs, files.shardDir);
        }
    }

    private static boolean legacyWithin(String name, Shard s) {
        Matcher m = SHARD.matcher(name);
        if (!m.matches() || m.group(2) != null) return false;
        long n = Long.parseLong(m.group(1));
        return s.first() <= n && n <= s.last();
    }

    private void removeLeftover(String shardName, String indexName) throws IOException {
        if (readOnly) return;
        // The index goes first: a shard left without it is recognised as a leftover again after another crash.
        if (indexName != null) files.delete(new Path(files.indexDir, indexName));
        if (shardName != null) files.delete(new Path(files.shardDir, shardName));
        index.removedLeftovers++;
    }

    /** Entries (task hash -> entry) of a first-format manifest by shard name (empty when there is none). */
    private Map<String, Map<String, TrainingStore.Entry>> readLegacyManifest() throws IOException {
        if (!files.fs.exists(files.manifestPath)) return Map.of();
        JsonNode m;
        try (var in = files.fs.open(files.manifestPath)) {
            m = JSON.readTree(in);
        }
        if (!LEGACY_FORMAT.equals(m.path("format").asText())) {
            throw new StoreException(files.manifestPath + ": not a Crucible store manifest (format '" + m.path("format").asText() + "', expected "
                    + LEGACY_FORMAT + ")");
        }
        Map<String, Map<String, TrainingStore.Entry>> out = new LinkedHashMap<>();
        m.path("shards").forEach(n -> out.put(n.asText(), new LinkedHashMap<>()));
        m.path("entries").fields().forEachRemaining(f -> {
            JsonNode v = f.getValue();
            TrainingStore.Entry e = new TrainingStore.Entry(v.path("shard").asText(), v.path("index").asInt(), -1, LabelStatus.parse(v.path("status").asText()),
                    v.path("cycle").asInt(), v.path("selector").asText(), v.path("code").asText(), 1);
            out.computeIfAbsent(e.shard(), k -> new LinkedHashMap<>()).put(f.getKey(), e);
        });
        return out;
    }

    /** Deletes a first-format manifest once compaction has merged every shard it lists. */
    static void dropLegacyManifestIfDone(StoreFiles files, StoreIndex index) throws IOException {
        if (index.legacyShards.isEmpty() && files.fs.exists(files.manifestPath)) files.delete(files.manifestPath);
    }
}
