package org.crucible.driver.store;

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
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
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
    private static final int READER_ATTEMPTS = 5;

    private final StoreFiles files;
    private final StoreIndex index = new StoreIndex();
    private final CompactionPolicy policy;
    private final boolean readOnly;
    private CompactionHook hook = step -> { };

    /**
     * Where one task's record lives, with the fields status and stats need without reading shards: the shard, the
     * frame's index in it, its byte offset (-1 when not indexed yet: an appended shard read on open, or a shard of the
     * first format), status, cycle, selector, code and attempt number ({@link Provenance#attempt()}).
     */
    public record Entry(String shard, int index, long offset, LabelStatus status, int cycle, String selector, String code, int attempt) {
        /**
         * True when a frame with this entry gives way to {@code later}: this one FAILED and {@code later} is a later
         * attempt, or the same attempt that did not fail. The second case arises only after a torn shard (a power loss)
         * took a retry's record away and the task was labelled again as a first attempt: a paid label then wins over the
         * older failure, whichever shard is read first.
         */
        boolean supersededBy(int laterAttempt, LabelStatus laterStatus) {
            return status == LabelStatus.FAILED && (laterAttempt > attempt || (laterAttempt == attempt && laterStatus != LabelStatus.FAILED));
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
        this.files = new StoreFiles(fs, root);
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
            fs.mkdirs(s.files.root);
            s.files.lease(StoreLease.acquire(fs, s.files.root, lease));
            s.load();
            return s;
        } catch (IOException | RuntimeException e) {
            if (s != null && s.files.lease() != null) {
                try {
                    s.files.lease().close();
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
        return files.root.toUri();
    }

    /** Appended shards that no index covered on open and that were read to index them (appends since the last compaction). */
    public int recoveredShards() {
        return index.recoveredShards;
    }

    /** Files an interrupted compaction left behind that open removed (uncommitted merged shards, superseded inputs). */
    public int removedLeftovers() {
        return index.removedLeftovers;
    }

    /** Installs the test hook called after each compaction step. */
    void onCompactionStep(CompactionHook h) {
        this.hook = h;
    }

    // ---------------------------------------------------------------------------------------------------- opening

    private void load() throws IOException {
        new StoreLoader(files, index, readOnly, this::writeShard).load();
    }

    /** Torn shards met on open, with what was readable and where the file went (see {@link StoreLoader}). */
    public List<String> torn() {
        return Collections.unmodifiableList(index.torn);
    }

    /** Files in {@code quarantine/} (torn shards moved aside by a writer, now or earlier), by name. */
    public List<String> quarantined() {
        return files.quarantined();
    }

    // ---------------------------------------------------------------------------------------------------- queries

    /** True when a record (of any status) for {@code taskHash} is stored. */
    public boolean contains(String taskHash) {
        return index.entries.containsKey(taskHash);
    }

    /** The index entry of a task. */
    public Optional<Entry> lookup(String taskHash) {
        return Optional.ofNullable(index.entries.get(taskHash));
    }

    /** All index entries in the order they were stored. */
    public Map<String, Entry> entries() {
        return Collections.unmodifiableMap(index.entries);
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
        index.clear();
        try {
            load();
        } catch (IOException e) {
            throw new StoreException("cannot list the training store at " + files.root + " again: " + e.getMessage(), e);
        }
    }

    /**
     * Streams every stored record in store order to {@code sink}, one frame in memory at a time. A frame whose task
     * hash the index places elsewhere (a copy a crash left in a first-format store) is skipped, so each task is seen once.
     */
    public void forEach(Consumer<LabelRecord> sink) {
        for (Shard s : index.shards.values()) {
            try {
                files.readShard(s.name(), (r, i) -> {
                    Entry e = index.entries.get(r.taskHash());
                    if (e != null && e.shard().equals(s.name()) && e.index() == i) sink.accept(r);
                });
            } catch (StoreException e) {
                if (!index.tornNames.contains(s.name())) throw e; // a reader beside a torn shard: its readable frames were delivered
            }
        }
    }

    /** The stored record of one task, read by seeking to its frame when the index knows the offset. */
    public Optional<LabelRecord> get(String taskHash) {
        Entry e = index.entries.get(taskHash);
        if (e == null) return Optional.empty();
        Path p = new Path(files.shardDir, e.shard());
        try (FSDataInputStream raw = files.fs.open(p)) {
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
     * What {@code crucible store verify} reports: index entries, frames read from live shards (of which {@code superseded}
     * are FAILED frames a later attempt replaced, kept until the next compaction), the task hashes found in
     * more than one live frame, torn shards (met on open), files in {@code quarantine/}, and every inconsistency
     * between the index and the shards (a frame at another byte offset than indexed, an indexed task missing from its
     * shard, a frame count that differs).
     */
    public record Verification(int records, long frames, int shards, int ok, Map<String, Integer> duplicates, List<String> torn,
                               List<String> quarantined, List<String> problems, long superseded) {
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
                return new StoreVerifier(this, files, index, readOnly).verify();
            } catch (StoreVerifier.ListingChanged e) {
                // A reader beside a writer whose compaction deleted a shard we were reading: list again.
                if (attempt >= READER_ATTEMPTS) throw new StoreException("the store kept changing under verify: " + e.getMessage(), e.getCause());
                reload();
            }
        }
    }

    /** Counts by status, cycle and code, number of shards and their bytes: from the index, no shard is read. */
    public Stats stats() {
        Map<String, Integer> byStatus = new TreeMap<>();
        Map<Integer, Integer> byCycle = new TreeMap<>();
        Map<String, Integer> byCode = new TreeMap<>();
        for (Entry e : index.entries.values()) {
            byStatus.merge(e.status().label(), 1, Integer::sum);
            byCycle.merge(e.cycle(), 1, Integer::sum);
            byCode.merge(e.code(), 1, Integer::sum);
        }
        long bytes = index.shards.values().stream().mapToLong(Shard::bytes).sum();
        return new Stats(index.entries.size(), index.shards.size(), bytes, byStatus, byCycle, byCode);
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
     * record's (a retry, see the class Javadoc) or by the same attempt when the record did not fail ({@link Entry#supersededBy}), as one new shard, atomically, then compacts if the policy says so.
     * Within {@code records} the first record of a task counts. Returns how many were added and skipped.
     */
    public synchronized AppendResult append(List<LabelRecord> records) {
        if (readOnly) throw new StoreException("the training store at " + files.root + " was opened read-only; cannot append");
        Map<String, LabelRecord> fresh = new LinkedHashMap<>();
        for (LabelRecord r : records) {
            Entry e = index.entries.get(r.taskHash());
            if (e == null || e.supersededBy(r.provenance().attempt(), r.status())) fresh.putIfAbsent(r.taskHash(), r);
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
    private String writeShard(Collection<LabelRecord> fresh) {
        long number = index.nextNumber();
        String name = Shard.name(number, number);
        Path tmp = new Path(files.tmpDir, name);
        long[] offsets = new long[fresh.size()];
        long bytes = 0;
        try {
            FileSystem fs = files.fs;
            fs.mkdirs(files.tmpDir);
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
            files.renameInto(tmp, new Path(files.shardDir, name), "append " + name);
        } catch (IOException e) {
            throw new StoreException("cannot append " + fresh.size() + " records to " + files.root + ": " + e.getMessage(), e);
        }
        int i = 0;
        for (LabelRecord r : fresh) {
            index.index(r, name, i, offsets[i]);
            i++;
        }
        index.highestNumber = Math.max(index.highestNumber, number);
        index.shards.put(number, new Shard(name, number, number, bytes, false));
        return name;
    }

    /** The fencing number of this writer's lease, or -1 for a reader. */
    public long leaseEpoch() {
        return files.lease() == null ? -1 : files.lease().epoch();
    }

    /**
     * Merges every run of consecutive shards smaller than {@code targetBytes} into as few shards of at most
     * {@code targetBytes} as the sizes allow ({@code crucible store compact}); crash-safe at every step (class
     * Javadoc). Shards already at least {@code targetBytes} are left alone.
     */
    public synchronized CompactionResult compact(long targetBytes) {
        if (readOnly) throw new StoreException("the training store at " + files.root + " was opened read-only; cannot compact");
        if (targetBytes < 1024) throw new IllegalArgumentException("compaction target must be >= 1024 bytes, got " + targetBytes);
        files.fence("compact");
        int before = index.shards.size();
        int merged = 0;
        int written = 0;
        long rewritten = 0;
        List<List<Shard>> plan = CompactionPlan.manual(index.shards.values(), targetBytes);
        ShardMerger merger = new ShardMerger(files, index, hook);
        for (List<Shard> inputs : plan) {
            rewritten += merger.merge(inputs);
            merged += inputs.size();
            written++;
        }
        return new CompactionResult(before, index.shards.size(), merged, written, rewritten);
    }

    /** The policy's merges, repeated until no class holds {@code fanIn} consecutive mergeable shards. */
    private void compactAutomatically() {
        ShardMerger merger = new ShardMerger(files, index, hook);
        for (List<Shard> inputs = CompactionPlan.nextAutomatic(index.shards.values(), policy); !inputs.isEmpty();
                inputs = CompactionPlan.nextAutomatic(index.shards.values(), policy)) {
            merger.merge(inputs);
        }
    }

    /** Compacts per the policy (a writer), then closes the filesystem. */
    @Override
    public void close() {
        try {
            if (!readOnly && policy.automatic()) compactAutomatically();
        } finally {
            try {
                if (files.lease() != null) files.lease().close();
            } finally {
                closeFs();
            }
        }
    }

    private void closeFs() {
        try {
            files.fs.close();
        } catch (IOException e) {
            throw new StoreException("cannot close the filesystem of " + files.root + ": " + e.getMessage(), e);
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
