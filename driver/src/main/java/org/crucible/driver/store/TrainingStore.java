package org.crucible.driver.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The append-only training store on the Hadoop FileSystem API ({@code file://} by default; {@code hdfs://} and the
 * other Hadoop filesystems work unchanged). Only file creation, rename and delete are used: no append, no
 * overwrite-in-place, so the guarantees hold on every Hadoop filesystem whose rename is atomic.
 *
 * <p>Layout under the store root (format {@code crucible-store-2}):
 * <pre>
 *   store.json                        {"format": "crucible-store-2"}
 *   shards/shard-000042.extxyz        one append: immutable extxyz frames (ShardCodec) with provenance per frame
 *   shards/shard-000001-000016.extxyz a compacted shard: the frames of appends 1..16, in order
 *   index/shard-000001-000016.idx     its index: task hash, byte offset, status, cycle, code, selector per frame
 *   _tmp/                             files being written; removed when a writer opens the store
 * </pre>
 *
 * <p><b>Appends</b> cost one file and one rename whatever the size of the store: a shard is written under
 * {@code _tmp/}, flushed ({@code hsync}) and renamed into {@code shards/}. An appended shard is its own index record:
 * opening the store reads the index files of the compacted shards and the few appended shards not compacted yet.
 *
 * <p><b>Compaction</b> merges runs of consecutive shards into one shard named by the range of appends it covers:
 * (1) the merged shard is written under {@code _tmp/} and renamed into {@code shards/}; (2) its index is written and
 * renamed into {@code index/}, which is the commit point; (3) the input shards and their index files are deleted.
 * Opening the store classifies what a crash at any point left behind: a shard whose range lies inside a committed
 * (indexed) compacted shard is a leftover input of step 3 and is deleted; a compacted shard without its index is an
 * uncommitted output of step 1 and is deleted (its inputs are all still there); everything else is live. So every
 * label is in exactly one live shard after any crash. {@link CompactionPolicy} says when compaction runs on its own
 * (after an append and at close); {@link #compact(long)} merges everything small at once.
 *
 * <p>A task hash has one record, whatever its status: {@link #append} skips records whose task hash is already
 * present, with one exception: a {@link LabelStatus#FAILED} record gives way to a later attempt at the same task (a
 * record whose {@link Provenance#attempt()} is higher, carrying the earlier attempts' failures). An OK or UNCONVERGED
 * record is never replaced. The superseded frame stays in its shard until compaction drops it; whoever reads the store
 * (this writer, a reader in another process, {@code verify}) takes the highest attempt of a task, and a record never
 * gives way to a lower or equal attempt, so the outcome does not depend on the order shards are read. Only {@link LabelStatus#OK} records are returned by {@link #trainingSet()}; failed and
 * unconverged ones are kept for the record and never enter a fit. {@link #stats()} and {@link #contains} come from
 * the index in memory (about 200 bytes per label); {@link #all()}, {@link #trainingSet()} and
 * {@link #exportExtxyz} stream the shards one frame at a time.
 *
 * <p>Stores of the first format ({@code crucible-store-1}: {@code manifest.json} plus one shard per append) open
 * unchanged: the manifest serves as the index of the shards it lists until compaction has merged them all, and is
 * then deleted.
 *
 * <p>One writer at a time (the campaign driver); readers ({@link #openReadOnly}) may open the store concurrently
 * and retry their listing if a compaction moves shards under them.
 *
 * <pre>{@code
 * try (TrainingStore store = TrainingStore.open(URI.create("file:///scratch/si16/store"), new Configuration())) {
 *     store.append(List.of(LabelRecord.ok(hash, labelled, provenance)));
 *     List<LabelRecord> fitData = store.trainingSet();
 * }
 * }</pre>
 */
public final class TrainingStore implements AutoCloseable {
    static final String FORMAT = "crucible-store-2";
    private static final String LEGACY_FORMAT = "crucible-store-1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SHARD = Pattern.compile("shard-(\\d+)(?:-(\\d+))?\\.extxyz");
    private static final Pattern INDEX = Pattern.compile("shard-(\\d+)(?:-(\\d+))?\\.idx");
    private static final int READER_ATTEMPTS = 5;

    private final FileSystem fs;
    private final Path root;
    private final Path shardDir;
    private final Path indexDir;
    private final Path tmpDir;
    private final Path manifestPath;
    private final CompactionPolicy policy;
    private final boolean readOnly;
    /** Live shards in store order (by the first append they hold). */
    private final TreeMap<Long, Shard> shards = new TreeMap<>();
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final List<String> legacyShards = new ArrayList<>();
    /** Indexed frames per live shard (frames the index places elsewhere are not counted). */
    private final Map<String, Integer> frames = new HashMap<>();
    private int recoveredShards;
    private int removedLeftovers;
    /** Torn shards met on open: moved to {@code quarantine/} by a writer, skipped (after their readable frames) by a reader. */
    private final List<String> torn = new ArrayList<>();
    private final java.util.Set<String> tornNames = new java.util.HashSet<>();
    /** Shard bytes recorded by the index files (a shard shorter than that is torn). */
    private final Map<String, Long> indexedBytes = new HashMap<>();
    /** Highest append number of any shard file seen, live or not (a new append never reuses a number on disk). */
    private long highestNumber;
    /** The writer lease (null for a reader). */
    private StoreLease lease;

    /** A shard that cannot be read to its end: the frames before the tear, and why. */
    private record Torn(List<LabelRecord> frames, String why) {
    }
    private CompactionHook hook = step -> { };

    /**
     * Where one task's record lives, with the fields status and stats need without reading shards: the shard, the
     * frame's index in it, its byte offset (-1 when not indexed yet: an appended shard read on open, or a shard of the
     * first format), status, cycle, selector, code and attempt number ({@link Provenance#attempt()}).
     */
    public record Entry(String shard, int index, long offset, LabelStatus status, int cycle, String selector, String code, int attempt) {
        /** True when a frame with this entry gives way to {@code later}: this one FAILED and {@code later} is a later attempt. */
        boolean supersededBy(int laterAttempt) {
            return status == LabelStatus.FAILED && laterAttempt > attempt;
        }
    }

    /** Result of an append: records written and records skipped because their task hash was already stored. */
    public record AppendResult(int added, int skipped, String shard) {
    }

    /** Result of a compaction: shards before and after, shards merged into how many, records rewritten. */
    public record CompactionResult(int shardsBefore, int shardsAfter, int merged, int written, long recordsRewritten) {
    }

    /**
     * When the store compacts on its own, after an append and at close: as soon as {@code fanIn} consecutive shards of
     * the same size class exist (a shard holding {@code k} appends is in class {@code floor(log_fanIn k)}), they are
     * merged into one, so every label is rewritten about {@code log_fanIn(N)} times over a store's life and at most
     * {@code fanIn - 1} shards per class stay small. A shard of at least {@code targetBytes / 2} is full and never
     * merged again; a merge never makes a shard larger than {@code targetBytes}.
     */
    public record CompactionPolicy(boolean automatic, int fanIn, long targetBytes) {
        /** 16 shards per merge, 128 MiB shards (one HDFS block). */
        public static final CompactionPolicy DEFAULT = new CompactionPolicy(true, 16, 128L << 20);
        /** Never compacts on its own ({@link #compact(long)} still does). */
        public static final CompactionPolicy MANUAL = new CompactionPolicy(false, 16, 128L << 20);

        public CompactionPolicy {
            if (fanIn < 2) throw new IllegalArgumentException("compaction fan-in must be >= 2, got " + fanIn);
            if (targetBytes < 1024) throw new IllegalArgumentException("compaction target must be >= 1024 bytes, got " + targetBytes);
        }
    }

    /** The steps of a compaction, for tests that interrupt one (package-private hook). */
    enum CompactionStep { SHARD_WRITTEN, SHARD_RENAMED, INDEX_WRITTEN, INDEX_COMMITTED, INPUT_DELETED, INPUTS_DELETED }

    /** Called after each compaction step; a test throws from it to simulate a crash at that point. */
    @FunctionalInterface
    interface CompactionHook {
        void after(CompactionStep step);
    }

    private TrainingStore(FileSystem fs, Path root, CompactionPolicy policy, boolean readOnly) {
        this.fs = fs;
        this.root = root;
        this.shardDir = new Path(root, "shards");
        this.indexDir = new Path(root, "index");
        this.tmpDir = new Path(root, "_tmp");
        this.manifestPath = new Path(root, "manifest.json");
        this.policy = policy;
        this.readOnly = readOnly;
    }

    /** Opens (creating if needed) the store at {@code uri} with the default compaction policy, recovering from a crash. */
    public static TrainingStore open(URI uri, Configuration conf) {
        return open(uri, conf, CompactionPolicy.DEFAULT);
    }

    /** Opens (creating if needed) the store at {@code uri}, recovering from an interrupted append or compaction. */
    public static TrainingStore open(URI uri, Configuration conf, CompactionPolicy policy) {
        return open(uri, conf, policy, StoreLease.Settings.DEFAULT);
    }

    /**
     * Opens (creating if needed) the store at {@code uri} as its only writer: takes the writer lease ({@link StoreLease},
     * refused with the holder's name while another writer holds it), then recovers from an interrupted append or
     * compaction and quarantines torn shards.
     */
    public static TrainingStore open(URI uri, Configuration conf, CompactionPolicy policy, StoreLease.Settings lease) {
        FileSystem fs = null;
        TrainingStore s = null;
        try {
            fs = FileSystem.newInstance(uri, conf);
            s = new TrainingStore(fs, fs.makeQualified(new Path(uri)), policy, false);
            fs.mkdirs(s.root);
            s.lease = StoreLease.acquire(fs, s.root, lease);
            s.load();
            return s;
        } catch (IOException | RuntimeException e) {
            if (s != null && s.lease != null) {
                try {
                    s.lease.close();
                } catch (RuntimeException r) {
                    e.addSuppressed(r);
                }
            }
            closeQuietly(fs, e);
            if (e instanceof StoreException se) throw se;
            throw new StoreException("cannot open the training store at " + uri + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens the store at {@code uri} for reading only, safe beside a campaign that is appending to it: nothing is
     * created, deleted or rewritten (the writer's {@code _tmp/} and a compaction's leftovers are left alone and
     * ignored), and {@link #append} and {@link #compact} are refused. A store that does not exist yet reads as empty.
     */
    public static TrainingStore openReadOnly(URI uri, Configuration conf) {
        FileSystem fs = null;
        try {
            fs = FileSystem.newInstance(uri, conf);
            Path root = fs.makeQualified(new Path(uri));
            for (int attempt = 1; ; attempt++) {
                TrainingStore s = new TrainingStore(fs, root, CompactionPolicy.MANUAL, true);
                try {
                    s.load();
                    return s;
                } catch (FileNotFoundException | StoreException e) {
                    // A compaction of the writer deleted a file between our listing and our read: list again.
                    if (attempt >= READER_ATTEMPTS) throw e;
                }
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(fs, e);
            if (e instanceof StoreException se) throw se;
            throw new StoreException("cannot open the training store at " + uri + " for reading: " + e.getMessage(), e);
        }
    }

    /** Opens a store in a local directory. */
    public static TrainingStore open(java.nio.file.Path dir) {
        return open(dir.toAbsolutePath().toUri(), new Configuration());
    }

    private static void closeQuietly(FileSystem fs, Exception primary) {
        if (fs == null) return;
        try {
            fs.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }

    /** The store root, fully qualified. */
    public URI uri() {
        return root.toUri();
    }

    /** Appended shards that no index covered on open and that were read to index them (appends since the last compaction). */
    public int recoveredShards() {
        return recoveredShards;
    }

    /** Files an interrupted compaction left behind that open removed (uncommitted merged shards, superseded inputs). */
    public int removedLeftovers() {
        return removedLeftovers;
    }

    /** Installs the test hook called after each compaction step. */
    void onCompactionStep(CompactionHook h) {
        this.hook = h;
    }

    // ---------------------------------------------------------------------------------------------------- opening

    private void load() throws IOException {
        if (readOnly && !fs.exists(shardDir)) return;
        if (!readOnly) {
            fs.mkdirs(shardDir);
            fs.mkdirs(indexDir);
            if (fs.exists(tmpDir)) fs.delete(tmpDir, true);
        }
        checkFormat();
        // Shards are listed before index files, so a compaction committed between the two listings shows up as an index
        // without its shard, which a reader answers by listing again (openReadOnly) and a writer never sees.
        Map<String, FileStatus> shardFiles = list(shardDir, SHARD);
        Map<String, FileStatus> indexFiles = fs.exists(indexDir) ? list(indexDir, INDEX) : Map.of();
        List<Shard> present = new ArrayList<>();
        for (FileStatus st : shardFiles.values()) {
            String name = st.getPath().getName();
            Matcher m = SHARD.matcher(name);
            if (!m.matches()) continue;
            long first = Long.parseLong(m.group(1));
            long last = m.group(2) == null ? first : Long.parseLong(m.group(2));
            if (last < first) throw new StoreException(st.getPath() + ": a shard's range must be increasing");
            Shard s = new Shard(name, first, last, st.getLen(), false);
            highestNumber = Math.max(highestNumber, last);
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
            if (shards.put(s.first(), s) != null) throw new StoreException(shardDir + " holds two shards starting at append " + s.first());
        }
        java.util.Set<String> live = new java.util.HashSet<>();
        for (Shard s : shards.values()) live.add(s.name());
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
                throw new StoreException(new Path(indexDir, idx) + " indexes " + shardName + " but " + shardDir + " does not contain it");
            }
        }
        Map<String, Map<String, Entry>> legacy = readLegacyManifest();
        Map<Shard, Torn> tornShards = new LinkedHashMap<>();
        for (Shard s : shards.values()) {
            if (s.indexed()) {
                readIndex(s);
            } else if (legacy.containsKey(s.name())) {
                legacy.get(s.name()).forEach(this::put);
                legacyShards.add(s.name());
            } else {
                List<LabelRecord> frames = new ArrayList<>();
                try {
                    readShard(s.name(), (r, i) -> frames.add(r));
                } catch (StoreException e) {
                    tornShards.put(s, new Torn(frames, e.getMessage()));
                    continue;
                }
                for (int i = 0; i < frames.size(); i++) index(frames.get(i), s.name(), i, -1);
                recoveredShards++;
            }
        }
        for (Shard s : shards.values()) {
            if (s.indexed() && s.bytes() < indexedBytes.getOrDefault(s.name(), 0L)) {
                tornShards.put(s, new Torn(List.of(), new Path(shardDir, s.name()) + " is shorter (" + s.bytes() + " bytes) than its index says ("
                        + indexedBytes.get(s.name()) + " bytes)"));
            }
        }
        if (!tornShards.isEmpty()) handleTorn(tornShards);
        for (String name : legacy.keySet()) {
            if (!name.isEmpty() && !live.contains(name) && committed.stream().noneMatch(s -> legacyWithin(name, s))) {
                throw new StoreException(manifestPath + " lists " + name + " but " + shardDir + " does not contain it");
            }
        }
        if (!readOnly) dropLegacyManifestIfDone();
    }

    /**
     * Torn shards (a power loss before an fsync, a disk fault): never silently dropped. A writer first appends the
     * frames readable before the tear that no other shard holds as a new shard (committed like any append), then moves
     * the torn file (and its index) to {@code quarantine/}, keeping its bytes; a crash between the two steps leaves the
     * torn shard in place and the next open does the same again without storing a frame twice. A reader counts the
     * readable frames and reports the tear ({@link #torn()}). Either way {@code crucible store verify} reports it.
     */
    private void handleTorn(Map<Shard, Torn> tornShards) throws IOException {
        for (Map.Entry<Shard, Torn> t : tornShards.entrySet()) {
            Shard s = t.getKey();
            List<LabelRecord> readable = new ArrayList<>(t.getValue().frames());
            if (s.indexed()) {
                // Forget what the index promised; keep what can actually be read.
                entries.values().removeIf(e -> e.shard().equals(s.name()));
                frames.remove(s.name());
                try {
                    readShard(s.name(), (r, i) -> readable.add(r));
                } catch (StoreException e) {
                    // the tear: frames before it are in 'readable'
                }
            }
            tornNames.add(s.name());
            torn.add(s.name() + ": " + t.getValue().why() + " (" + readable.size() + " frames readable before the tear"
                    + (readOnly ? ")" : ", kept in a new shard; the file moved to quarantine/)"));
            if (readOnly) {
                for (int i = 0; i < readable.size(); i++) index(readable.get(i), s.name(), i, -1);
                continue;
            }
            shards.remove(s.first());
            Map<String, LabelRecord> fresh = new LinkedHashMap<>();
            for (LabelRecord r : readable) if (!entries.containsKey(r.taskHash())) fresh.putIfAbsent(r.taskHash(), r);
            if (!fresh.isEmpty()) writeShard(fresh.values());
            Path q = new Path(root, "quarantine");
            fs.mkdirs(q);
            fence("quarantine " + s.name());
            if (s.indexed()) quarantine(new Path(indexDir, s.indexName()), q);
            quarantine(new Path(shardDir, s.name()), q);
            DurableFiles.syncDirectory(fs, q);
            DurableFiles.syncDirectory(fs, shardDir);
        }
    }

    private void quarantine(Path file, Path q) throws IOException {
        Path dst = new Path(q, file.getName());
        for (int k = 1; fs.exists(dst); k++) dst = new Path(q, file.getName() + "." + k);
        if (!fs.rename(file, dst)) throw new StoreException("cannot move the torn " + file + " to " + dst);
    }

    /** Torn shards met on open, with what was readable and where the file went. */
    public List<String> torn() {
        return Collections.unmodifiableList(torn);
    }

    /** Files in {@code quarantine/} (torn shards moved aside by a writer, now or earlier), by name. */
    public List<String> quarantined() {
        Path q = new Path(root, "quarantine");
        try {
            if (!fs.exists(q)) return List.of();
            List<String> out = new ArrayList<>();
            for (FileStatus st : fs.listStatus(q)) if (!st.getPath().getName().endsWith(".crc")) out.add(st.getPath().getName());
            Collections.sort(out);
            return out;
        } catch (IOException e) {
            throw new StoreException("cannot list " + q + ": " + e.getMessage(), e);
        }
    }

    private static boolean legacyWithin(String name, Shard s) {
        Matcher m = SHARD.matcher(name);
        if (!m.matches() || m.group(2) != null) return false;
        long n = Long.parseLong(m.group(1));
        return s.first() <= n && n <= s.last();
    }

    private void checkFormat() throws IOException {
        Path marker = new Path(root, "store.json");
        if (fs.exists(marker)) {
            JsonNode m;
            try (var in = fs.open(marker)) {
                m = JSON.readTree(in);
            }
            if (!FORMAT.equals(m.path("format").asText())) {
                throw new StoreException(marker + ": not a Crucible store of this version (format '" + m.path("format").asText() + "', expected " + FORMAT + ")");
            }
        } else if (!readOnly) {
            Path tmp = new Path(tmpDir, "store.json");
            fs.mkdirs(tmpDir);
            try (FSDataOutputStream out = fs.create(tmp, true)) {
                out.write(("{\"format\": \"" + FORMAT + "\"}\n").getBytes(StandardCharsets.UTF_8));
                DurableFiles.sync(out);
            }
            DurableFiles.syncClosed(fs, tmp);
            if (!fs.rename(tmp, marker) && !fs.exists(marker)) throw new StoreException("rename " + tmp + " -> " + marker + " failed");
            DurableFiles.syncDirectory(fs, root);
            DurableFiles.syncDirectory(fs, root.getParent());
        }
    }

    private Map<String, FileStatus> list(Path dir, Pattern p) throws IOException {
        Map<String, FileStatus> out = new TreeMap<>();
        for (FileStatus st : fs.listStatus(dir)) {
            if (st.isFile() && p.matcher(st.getPath().getName()).matches()) out.put(st.getPath().getName(), st);
        }
        return out;
    }

    private void removeLeftover(String shardName, String indexName) throws IOException {
        if (readOnly) return;
        // The index goes first: a shard left without it is recognised as a leftover again after another crash.
        if (indexName != null) delete(new Path(indexDir, indexName));
        if (shardName != null) delete(new Path(shardDir, shardName));
        removedLeftovers++;
    }

    private void delete(Path p) throws IOException {
        if (fs.exists(p) && !fs.delete(p, false)) throw new StoreException("cannot delete " + p);
    }

    /** Entries (task hash -> entry) of a first-format manifest by shard name (empty when there is none). */
    private Map<String, Map<String, Entry>> readLegacyManifest() throws IOException {
        if (!fs.exists(manifestPath)) return Map.of();
        JsonNode m;
        try (var in = fs.open(manifestPath)) {
            m = JSON.readTree(in);
        }
        if (!LEGACY_FORMAT.equals(m.path("format").asText())) {
            throw new StoreException(manifestPath + ": not a Crucible store manifest (format '" + m.path("format").asText() + "', expected " + LEGACY_FORMAT + ")");
        }
        Map<String, Map<String, Entry>> out = new LinkedHashMap<>();
        m.path("shards").forEach(n -> out.put(n.asText(), new LinkedHashMap<>()));
        m.path("entries").fields().forEachRemaining(f -> {
            JsonNode v = f.getValue();
            Entry e = new Entry(v.path("shard").asText(), v.path("index").asInt(), -1, LabelStatus.parse(v.path("status").asText()),
                    v.path("cycle").asInt(), v.path("selector").asText(), v.path("code").asText(), 1);
            out.computeIfAbsent(e.shard(), k -> new LinkedHashMap<>()).put(f.getKey(), e);
        });
        return out;
    }

    private void dropLegacyManifestIfDone() throws IOException {
        if (legacyShards.isEmpty() && fs.exists(manifestPath)) delete(manifestPath);
    }

    private void readIndex(Shard s) throws IOException {
        ShardIndex.read(fs, new Path(indexDir, s.indexName()), s.name(), this::put, b -> indexedBytes.put(s.name(), b));
    }

    private void index(LabelRecord r, String shard, int i, long offset) {
        Provenance p = r.provenance();
        put(r.taskHash(), new Entry(shard, i, offset, r.status(), p.cycle(), p.selector(), p.code(), p.attempt()));
    }

    /**
     * Indexes a frame unless its task is indexed already (the first copy in store order wins), or unless the indexed
     * record FAILED and this frame is a later attempt, which then takes its place.
     */
    private void put(String taskHash, Entry e) {
        Entry old = entries.putIfAbsent(taskHash, e);
        if (old == null) {
            frames.merge(e.shard(), 1, Integer::sum);
        } else if (old.supersededBy(e.attempt())) {
            entries.put(taskHash, e);
            frames.merge(old.shard(), -1, Integer::sum);
            frames.merge(e.shard(), 1, Integer::sum);
        }
    }

    // ---------------------------------------------------------------------------------------------------- queries

    /** True when a record (of any status) for {@code taskHash} is stored. */
    public boolean contains(String taskHash) {
        return entries.containsKey(taskHash);
    }

    /** The index entry of a task. */
    public Optional<Entry> lookup(String taskHash) {
        return Optional.ofNullable(entries.get(taskHash));
    }

    /** All index entries in the order they were stored. */
    public Map<String, Entry> entries() {
        return Collections.unmodifiableMap(entries);
    }

    /** Every stored record, in store order. */
    public List<LabelRecord> all() {
        return collect(false);
    }

    /** The records that may enter a fit: status OK only, in store order (failed records are never held). */
    public List<LabelRecord> trainingSet() {
        return collect(true);
    }

    private List<LabelRecord> collect(boolean okOnly) {
        for (int attempt = 1; ; attempt++) {
            List<LabelRecord> out = new ArrayList<>();
            try {
                forEach(r -> {
                    if (!okOnly || r.status() == LabelStatus.OK) out.add(r);
                });
                return out;
            } catch (StoreException e) {
                // A reader beside a writer whose compaction deleted a shard we were about to read: list again.
                if (!readOnly || !(e.getCause() instanceof FileNotFoundException) || attempt >= READER_ATTEMPTS) throw e;
                reload();
            }
        }
    }

    private void reload() {
        shards.clear();
        entries.clear();
        frames.clear();
        legacyShards.clear();
        torn.clear();
        tornNames.clear();
        indexedBytes.clear();
        recoveredShards = 0;
        try {
            load();
        } catch (IOException e) {
            throw new StoreException("cannot list the training store at " + root + " again: " + e.getMessage(), e);
        }
    }

    /**
     * Streams every stored record in store order to {@code sink}, one frame in memory at a time. A frame whose task
     * hash the index places elsewhere (a copy a crash left in a first-format store) is skipped, so each task is seen once.
     */
    public void forEach(Consumer<LabelRecord> sink) {
        for (Shard s : shards.values()) {
            try {
                readShard(s.name(), (r, i) -> {
                    Entry e = entries.get(r.taskHash());
                    if (e != null && e.shard().equals(s.name()) && e.index() == i) sink.accept(r);
                });
            } catch (StoreException e) {
                if (!tornNames.contains(s.name())) throw e; // a reader beside a torn shard: its readable frames were delivered
            }
        }
    }

    private void readShard(String name, ShardCodec.FrameSink sink) {
        Path p = new Path(shardDir, name);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(p), StandardCharsets.UTF_8), 1 << 16)) {
            ShardCodec.forEach(in, p.toString(), sink);
        } catch (IOException e) {
            throw new StoreException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /** The stored record of one task, read by seeking to its frame when the index knows the offset. */
    public Optional<LabelRecord> get(String taskHash) {
        Entry e = entries.get(taskHash);
        if (e == null) return Optional.empty();
        Path p = new Path(shardDir, e.shard());
        try (FSDataInputStream raw = fs.open(p)) {
            if (e.offset() >= 0) {
                raw.seek(e.offset());
                BufferedReader in = new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8));
                LabelRecord r = ShardCodec.next(in, p + " at byte " + e.offset(), new int[1]);
                if (r == null || !r.taskHash().equals(taskHash)) throw new StoreException(p + ": the frame at byte " + e.offset() + " is not task " + taskHash);
                return Optional.of(r);
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8));
            int[] lineNo = new int[1];
            for (int i = 0; i <= e.index(); i++) {
                LabelRecord r = ShardCodec.next(in, p.toString(), lineNo);
                if (r == null) throw new StoreException(p + ": has " + i + " frames, the index places task " + taskHash + " at frame " + e.index());
                if (i == e.index()) return Optional.of(r);
            }
            throw new IllegalStateException("unreachable");
        } catch (IOException ex) {
            throw new StoreException("cannot read " + p + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Writes the OK records as plain extxyz (energy, forces, stress, config_type = selector), ready for GAP, ACE,
     * MACE and NequIP, one frame in memory at a time; returns the number of frames.
     */
    public int exportExtxyz(OutputStream out) {
        int[] n = {0};
        Writer w = new OutputStreamWriter(new NonClosing(out), StandardCharsets.UTF_8);
        forEach(r -> {
            if (r.status() != LabelStatus.OK) return;
            try {
                ShardCodec.write(w, r, false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            n[0]++;
        });
        try {
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n[0];
    }

    /**
     * What {@code crucible store verify} reports: index entries, frames read from live shards, the task hashes found in
     * more than one live frame, torn shards (met on open), files in {@code quarantine/}, and every inconsistency
     * between the index and the shards (a frame at another byte offset than indexed, an indexed task missing from its
     * shard, a frame count that differs).
     */
    public record Verification(int records, long frames, int shards, int ok, Map<String, Integer> duplicates, List<String> torn,
                               List<String> quarantined, List<String> problems) {
        /** True when nothing is duplicated, torn, quarantined or inconsistent. */
        public boolean clean() {
            return duplicates.isEmpty() && torn.isEmpty() && quarantined.isEmpty() && problems.isEmpty();
        }
    }

    /**
     * Reads every live shard to its end and checks it against the index (see {@link Verification}); changes nothing.
     * Its cost is one pass over the store's bytes.
     */
    public Verification verify() {
        for (int attempt = 1; ; attempt++) {
            try {
                return verifyOnce();
            } catch (ListingChanged e) {
                // A reader beside a writer whose compaction deleted a shard we were reading: list again.
                if (attempt >= READER_ATTEMPTS) throw new StoreException("the store kept changing under verify: " + e.getMessage(), e.getCause());
                reload();
            }
        }
    }

    /** A shard vanished under a reader (a writer's compaction): the listing must be read again. */
    private static final class ListingChanged extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ListingChanged(StoreException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private Verification verifyOnce() {
        Map<String, Integer> seen = new HashMap<>();
        List<String> problems = new ArrayList<>();
        long[] total = {0};
        Map<String, List<Map.Entry<String, Entry>>> byShard = new HashMap<>();
        for (Map.Entry<String, Entry> me : entries.entrySet()) byShard.computeIfAbsent(me.getValue().shard(), k -> new ArrayList<>()).add(me);
        for (Shard s : shards.values()) {
            Map<String, Integer> inShard = new HashMap<>();
            long[] offset = {0};
            try {
                readShard(s.name(), (r, i) -> {
                    total[0]++;
                    Entry e = entries.get(r.taskHash());
                    boolean superseded = e != null && r.status() == LabelStatus.FAILED && r.provenance().attempt() < e.attempt();
                    if (superseded) {
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
                if (!tornNames.contains(s.name())) problems.add(e.getMessage());
            }
            if (s.indexed() && indexedBytes.containsKey(s.name()) && indexedBytes.get(s.name()) != s.bytes()) {
                problems.add(s.name() + ": " + s.bytes() + " bytes, its index says " + indexedBytes.get(s.name()));
            }
            for (Map.Entry<String, Entry> me : byShard.getOrDefault(s.name(), List.of())) {
                Entry e = me.getValue();
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
        int ok = stats().ok();
        return new Verification(entries.size(), total[0], shards.size(), ok, dups, List.copyOf(torn), quarantined(), problems);
    }

    /**
     * A FAILED frame that a later attempt replaced (compaction has not dropped it yet) is no duplicate, provided the
     * later record carries its failure: the frame's attempt must appear among the indexed record's earlier failures.
     */
    private void superseded(String shard, int i, LabelRecord r, Entry e, List<String> problems) {
        LabelRecord winner = get(r.taskHash()).orElseThrow();
        List<Provenance.Failure> f = winner.provenance().earlierFailures();
        int k = r.provenance().attempt() - 1;
        if (k >= f.size() || !f.get(k).created().equals(r.provenance().created())) {
            problems.add(shard + ": frame " + i + " (task " + r.taskHash() + ", failed attempt " + r.provenance().attempt() + ") is superseded by attempt "
                    + e.attempt() + ", whose provenance does not record it");
        }
    }

    /** Counts by status, cycle and code, number of shards and their bytes: from the index, no shard is read. */
    public Stats stats() {
        Map<String, Integer> byStatus = new TreeMap<>();
        Map<Integer, Integer> byCycle = new TreeMap<>();
        Map<String, Integer> byCode = new TreeMap<>();
        for (Entry e : entries.values()) {
            byStatus.merge(e.status().label(), 1, Integer::sum);
            byCycle.merge(e.cycle(), 1, Integer::sum);
            byCode.merge(e.code(), 1, Integer::sum);
        }
        long bytes = shards.values().stream().mapToLong(Shard::bytes).sum();
        return new Stats(entries.size(), shards.size(), bytes, byStatus, byCycle, byCode);
    }

    /** Summary of a store; {@code bytes} is the size of its live shards. */
    public record Stats(int records, int shards, long bytes, Map<String, Integer> byStatus, Map<Integer, Integer> byCycle,
                        Map<String, Integer> byCode) {
        public int ok() {
            return byStatus.getOrDefault("ok", 0);
        }
    }

    // ---------------------------------------------------------------------------------------------------- writing

    /**
     * Appends the records whose task hash is not stored yet, or stored as FAILED by an earlier attempt than the
     * record's (a retry, see the class Javadoc), as one new shard, atomically, then compacts if the policy says so.
     * Within {@code records} the first record of a task counts. Returns how many were added and skipped.
     */
    public synchronized AppendResult append(List<LabelRecord> records) {
        if (readOnly) throw new StoreException("the training store at " + root + " was opened read-only; cannot append");
        Map<String, LabelRecord> fresh = new LinkedHashMap<>();
        for (LabelRecord r : records) {
            Entry e = entries.get(r.taskHash());
            if (e == null || e.supersededBy(r.provenance().attempt())) fresh.putIfAbsent(r.taskHash(), r);
        }
        int skipped = records.size() - fresh.size();
        if (fresh.isEmpty()) return new AppendResult(0, skipped, null);
        String name = writeShard(fresh.values());
        if (policy.automatic()) compactAutomatically();
        return new AppendResult(fresh.size(), skipped, name);
    }

    /**
     * Writes one appended shard: temporary file, fsync, fencing check, rename into {@code shards/}, fsync of the
     * directory (the commit point), then indexes it in memory.
     */
    private String writeShard(java.util.Collection<LabelRecord> fresh) {
        long number = Math.max(highestNumber, shards.isEmpty() ? 0 : shards.lastEntry().getValue().last()) + 1;
        String name = Shard.name(number, number);
        Path tmp = new Path(tmpDir, name);
        long[] offsets = new long[fresh.size()];
        long bytes = 0;
        try {
            fs.mkdirs(tmpDir);
            try (FSDataOutputStream out = fs.create(tmp, true)) {
                int i = 0;
                for (LabelRecord r : fresh) {
                    byte[] b = ShardCodec.frame(r, true).getBytes(StandardCharsets.UTF_8);
                    offsets[i++] = bytes;
                    out.write(b);
                    bytes += b.length;
                }
                DurableFiles.sync(out);
            }
            DurableFiles.syncClosed(fs, tmp);
            renameInto(tmp, new Path(shardDir, name), "append " + name);
        } catch (IOException e) {
            throw new StoreException("cannot append " + fresh.size() + " records to " + root + ": " + e.getMessage(), e);
        }
        int i = 0;
        for (LabelRecord r : fresh) {
            index(r, name, i, offsets[i]);
            i++;
        }
        highestNumber = Math.max(highestNumber, number);
        shards.put(number, new Shard(name, number, number, bytes, false));
        return name;
    }

    /** A commit: the fencing check, then the rename, then fsync of both directories. */
    private void renameInto(Path tmp, Path dst, String action) throws IOException {
        fence(action);
        if (fs.exists(dst)) throw new StoreException("refusing to overwrite " + dst + " (the store is append-only; was another writer here?)");
        if (!fs.rename(tmp, dst)) throw new StoreException("rename " + tmp + " -> " + dst + " failed");
        DurableFiles.syncDirectory(fs, dst.getParent());
        DurableFiles.syncDirectory(fs, tmp.getParent());
    }

    /** Refuses to go on when this writer lost its lease (see {@link StoreLease#check}). */
    private void fence(String action) {
        if (lease != null) lease.check(action);
    }

    /** The fencing number of this writer's lease, or -1 for a reader. */
    public long leaseEpoch() {
        return lease == null ? -1 : lease.epoch();
    }

    /**
     * Merges every run of consecutive shards smaller than {@code targetBytes} into as few shards of at most
     * {@code targetBytes} as the sizes allow ({@code crucible store compact}); crash-safe at every step (class
     * Javadoc). Shards already at least {@code targetBytes} are left alone.
     */
    public synchronized CompactionResult compact(long targetBytes) {
        if (readOnly) throw new StoreException("the training store at " + root + " was opened read-only; cannot compact");
        if (targetBytes < 1024) throw new IllegalArgumentException("compaction target must be >= 1024 bytes, got " + targetBytes);
        fence("compact");
        int before = shards.size();
        int merged = 0;
        int written = 0;
        long rewritten = 0;
        List<List<Shard>> plan = CompactionPlan.manual(shards.values(), targetBytes);
        for (List<Shard> inputs : plan) {
            rewritten += merge(inputs);
            merged += inputs.size();
            written++;
        }
        return new CompactionResult(before, shards.size(), merged, written, rewritten);
    }

    /** The policy's merges, repeated until no class holds {@code fanIn} consecutive mergeable shards. */
    private void compactAutomatically() {
        for (List<Shard> inputs = CompactionPlan.nextAutomatic(shards.values(), policy); !inputs.isEmpty();
                inputs = CompactionPlan.nextAutomatic(shards.values(), policy)) {
            merge(inputs);
        }
    }

    /** Merges consecutive live shards into one (steps in the class Javadoc); returns the records written. */
    private long merge(List<Shard> inputs) {
        Shard firstIn = inputs.get(0);
        Shard lastIn = inputs.get(inputs.size() - 1);
        String name = Shard.name(firstIn.first(), lastIn.last());
        Path tmp = new Path(tmpDir, name);
        Path dst = new Path(shardDir, name);
        String indexName = Shard.indexName(name);
        Path tmpIndex = new Path(tmpDir, indexName);
        Map<String, Entry> moved = new LinkedHashMap<>();
        long expected = inputs.stream().mapToLong(s -> frames.getOrDefault(s.name(), 0)).sum();
        long bytes;
        try {
            fs.mkdirs(tmpDir);
            long[] offset = {0};
            try (FSDataOutputStream out = fs.create(tmp, true)) {
                for (Shard s : inputs) {
                    readShard(s.name(), (r, i) -> {
                        Entry e = entries.get(r.taskHash());
                        if (e == null || !e.shard().equals(s.name()) || e.index() != i) return; // a stray copy: the index's copy is kept
                        byte[] b = ShardCodec.frame(r, true).getBytes(StandardCharsets.UTF_8);
                        out.write(b);
                        moved.put(r.taskHash(), new Entry(name, moved.size(), offset[0], e.status(), e.cycle(), e.selector(), e.code(), e.attempt()));
                        offset[0] += b.length;
                    });
                }
                DurableFiles.sync(out);
            }
            DurableFiles.syncClosed(fs, tmp);
            bytes = offset[0];
            if (moved.size() != expected) {
                throw new StoreException("compaction of " + firstIn.name() + ".." + lastIn.name() + ": read " + moved.size() + " indexed frames, the index holds "
                        + expected + "; nothing changed");
            }
            hook.after(CompactionStep.SHARD_WRITTEN);
            if (fs.exists(dst)) {
                fence("replace " + dst);
                delete(dst); // an uncommitted output of an earlier attempt in this process
            }
            renameInto(tmp, dst, "publish the merged shard " + name);
            hook.after(CompactionStep.SHARD_RENAMED);
            ShardIndex.write(fs, tmpIndex, moved, bytes);
            hook.after(CompactionStep.INDEX_WRITTEN);
            renameInto(tmpIndex, new Path(indexDir, indexName), "commit the compaction " + indexName); // the commit point
        } catch (IOException e) {
            throw new StoreException("cannot compact " + firstIn.name() + ".." + lastIn.name() + " in " + root + ": " + e.getMessage(), e);
        }
        entries.putAll(moved);
        for (Shard s : inputs) {
            shards.remove(s.first());
            frames.remove(s.name());
        }
        frames.put(name, moved.size());
        shards.put(firstIn.first(), new Shard(name, firstIn.first(), lastIn.last(), bytes, true));
        legacyShards.removeAll(inputs.stream().map(Shard::name).toList());
        hook.after(CompactionStep.INDEX_COMMITTED);
        try {
            fence("delete the inputs of " + name);
            for (Shard s : inputs) {
                if (s.indexed()) delete(new Path(indexDir, s.indexName()));
                delete(new Path(shardDir, s.name()));
                hook.after(CompactionStep.INPUT_DELETED);
            }
            dropLegacyManifestIfDone();
        } catch (IOException e) {
            throw new StoreException("compacted " + name + " but cannot delete its inputs in " + root + " (the next open will): " + e.getMessage(), e);
        }
        hook.after(CompactionStep.INPUTS_DELETED);
        return moved.size();
    }

    /** Compacts per the policy (a writer), then closes the filesystem. */
    @Override
    public void close() {
        try {
            if (!readOnly && policy.automatic()) compactAutomatically();
        } finally {
            try {
                if (lease != null) lease.close();
            } finally {
                closeFs();
            }
        }
    }

    private void closeFs() {
        try {
            fs.close();
        } catch (IOException e) {
            throw new StoreException("cannot close the filesystem of " + root + ": " + e.getMessage(), e);
        }
    }

    /** Keeps the Jackson/Writer close from closing the underlying stream the caller owns. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
