package org.crucible.driver.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The append-only training store on the Hadoop FileSystem API ({@code file://} by default; {@code hdfs://} and the
 * other Hadoop filesystems work unchanged).
 *
 * <p>Layout under the store root:
 * <pre>
 *   shards/shard-000001.extxyz   immutable extxyz shards, one per append (ShardCodec), with provenance per frame
 *   manifest.json                index: task hash -> shard, frame, status, cycle, selector, code
 *   _tmp/                        files being written; removed on open
 * </pre>
 *
 * <p>Atomicity and idempotence: a shard is written under {@code _tmp/} and renamed into {@code shards/}; then the
 * manifest is rewritten the same way. The shards are the truth and the manifest is their index: on open, a shard the
 * manifest does not list (a crash between the two renames) is read and indexed, so no label is lost; a leftover temp
 * file (a crash during a write) is deleted. A task hash is stored at most once, whatever its status: {@link #append}
 * skips records whose task hash is already present, also after such a recovery. Only {@link LabelStatus#OK} records
 * are returned by {@link #trainingSet()}; failed and unconverged ones are kept for the record and never enter a fit.
 *
 * <p>One writer at a time (the campaign driver); readers may open the store concurrently.
 *
 * <pre>{@code
 * try (TrainingStore store = TrainingStore.open(URI.create("file:///scratch/si16/store"), new Configuration())) {
 *     store.append(List.of(LabelRecord.ok(hash, labelled, provenance)));
 *     List<LabelRecord> fitData = store.trainingSet();
 * }
 * }</pre>
 */
public final class TrainingStore implements AutoCloseable {
    private static final String FORMAT = "crucible-store-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FileSystem fs;
    private final Path root;
    private final Path shardDir;
    private final Path tmpDir;
    private final Path manifestPath;
    private final List<String> shards = new ArrayList<>();
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private int recoveredShards;
    private boolean readOnly;

    /** Where one task's record lives, with the fields status and stats need without reading shards. */
    public record Entry(String shard, int index, LabelStatus status, int cycle, String selector, String code) {
    }

    /** Result of an append: records written and records skipped because their task hash was already stored. */
    public record AppendResult(int added, int skipped, String shard) {
    }

    private TrainingStore(FileSystem fs, Path root) {
        this.fs = fs;
        this.root = root;
        this.shardDir = new Path(root, "shards");
        this.tmpDir = new Path(root, "_tmp");
        this.manifestPath = new Path(root, "manifest.json");
    }

    /** Opens (creating if needed) the store at {@code uri}, recovering from an interrupted append. */
    public static TrainingStore open(URI uri, Configuration conf) {
        try {
            FileSystem fs = FileSystem.newInstance(uri, conf);
            Path root = fs.makeQualified(new Path(uri));
            TrainingStore s = new TrainingStore(fs, root);
            s.load();
            return s;
        } catch (IOException e) {
            throw new StoreException("cannot open the training store at " + uri + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens the store at {@code uri} for reading only, safe beside a campaign that is appending to it: nothing is
     * created, deleted or rewritten (the writer's {@code _tmp/} is left alone), shards not yet in the manifest are
     * indexed in memory only, and {@link #append} is refused. A store that does not exist yet reads as empty.
     */
    public static TrainingStore openReadOnly(URI uri, Configuration conf) {
        try {
            FileSystem fs = FileSystem.newInstance(uri, conf);
            Path root = fs.makeQualified(new Path(uri));
            TrainingStore s = new TrainingStore(fs, root);
            s.readOnly = true;
            s.load();
            return s;
        } catch (IOException e) {
            throw new StoreException("cannot open the training store at " + uri + " for reading: " + e.getMessage(), e);
        }
    }

    /** Opens a store in a local directory. */
    public static TrainingStore open(java.nio.file.Path dir) {
        return open(dir.toAbsolutePath().toUri(), new Configuration());
    }

    /** The store root, fully qualified. */
    public URI uri() {
        return root.toUri();
    }

    /** Number of shards that were found on open without a manifest entry and indexed (crash recovery). */
    public int recoveredShards() {
        return recoveredShards;
    }

    private void load() throws IOException {
        if (readOnly && !fs.exists(shardDir)) return;
        if (!readOnly) {
            fs.mkdirs(shardDir);
            if (fs.exists(tmpDir)) fs.delete(tmpDir, true);
        }
        if (fs.exists(manifestPath)) {
            JsonNode m;
            try (var in = fs.open(manifestPath)) {
                m = JSON.readTree(in);
            }
            if (!FORMAT.equals(m.path("format").asText())) {
                throw new StoreException(manifestPath + ": not a Crucible store manifest (format '" + m.path("format").asText() + "', expected " + FORMAT + ")");
            }
            m.path("shards").forEach(n -> shards.add(n.asText()));
            m.path("entries").fields().forEachRemaining(e -> {
                JsonNode v = e.getValue();
                entries.put(e.getKey(), new Entry(v.path("shard").asText(), v.path("index").asInt(), LabelStatus.parse(v.path("status").asText()),
                        v.path("cycle").asInt(), v.path("selector").asText(), v.path("code").asText()));
            });
        }
        TreeSet<String> onDisk = new TreeSet<>();
        for (FileStatus st : fs.listStatus(shardDir)) {
            String name = st.getPath().getName();
            if (name.startsWith("shard-") && name.endsWith(".extxyz")) onDisk.add(name);
        }
        for (String name : shards) {
            if (!onDisk.contains(name)) throw new StoreException(manifestPath + " lists " + name + " but " + shardDir + " does not contain it");
        }
        List<String> missing = new ArrayList<>();
        for (String name : onDisk) if (!shards.contains(name)) missing.add(name);
        for (String name : missing) {
            List<LabelRecord> recs = readShard(name);
            for (int i = 0; i < recs.size(); i++) index(recs.get(i), name, i);
            shards.add(name);
            recoveredShards++;
        }
        if (!missing.isEmpty() && !readOnly) writeManifest();
    }

    private void index(LabelRecord r, String shard, int i) {
        Provenance p = r.provenance();
        entries.putIfAbsent(r.taskHash(), new Entry(shard, i, r.status(), p.cycle(), p.selector(), p.code()));
    }

    /** True when a record (of any status) for {@code taskHash} is stored. */
    public boolean contains(String taskHash) {
        return entries.containsKey(taskHash);
    }

    /** The manifest entry of a task. */
    public Optional<Entry> lookup(String taskHash) {
        return Optional.ofNullable(entries.get(taskHash));
    }

    /** All manifest entries in the order they were stored. */
    public Map<String, Entry> entries() {
        return Collections.unmodifiableMap(entries);
    }

    /**
     * Appends the records whose task hash is not stored yet (also de-duplicating within {@code records}) as one new
     * shard, atomically. Returns how many were added and skipped.
     */
    public synchronized AppendResult append(List<LabelRecord> records) {
        if (readOnly) throw new StoreException("the training store at " + root + " was opened read-only; cannot append");
        Map<String, LabelRecord> fresh = new LinkedHashMap<>();
        for (LabelRecord r : records) if (!entries.containsKey(r.taskHash())) fresh.putIfAbsent(r.taskHash(), r);
        int skipped = records.size() - fresh.size();
        if (fresh.isEmpty()) return new AppendResult(0, skipped, null);
        String name = String.format("shard-%06d.extxyz", nextShardNumber());
        Path tmp = new Path(tmpDir, name);
        try {
            fs.mkdirs(tmpDir);
            try (FSDataOutputStream out = fs.create(tmp, true);
                 Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
                for (LabelRecord r : fresh.values()) ShardCodec.write(w, r, true);
                w.flush();
                out.hsync();
            }
            renameInto(tmp, new Path(shardDir, name));
            int i = 0;
            for (LabelRecord r : fresh.values()) index(r, name, i++);
            shards.add(name);
            writeManifest();
        } catch (IOException e) {
            throw new StoreException("cannot append " + fresh.size() + " records to " + root + ": " + e.getMessage(), e);
        }
        return new AppendResult(fresh.size(), skipped, name);
    }

    private int nextShardNumber() {
        int max = 0;
        for (String s : shards) max = Math.max(max, Integer.parseInt(s.substring(6, 12)));
        return max + 1;
    }

    private void renameInto(Path tmp, Path dst) throws IOException {
        if (fs.exists(dst)) throw new StoreException("refusing to overwrite " + dst + " (the store is append-only)");
        if (!fs.rename(tmp, dst)) throw new StoreException("rename " + tmp + " -> " + dst + " failed");
    }

    private void writeManifest() throws IOException {
        ObjectNode m = JSON.createObjectNode();
        m.put("format", FORMAT);
        ArrayNode sh = m.putArray("shards");
        shards.forEach(sh::add);
        ObjectNode en = m.putObject("entries");
        entries.forEach((k, e) -> {
            ObjectNode o = en.putObject(k);
            o.put("shard", e.shard());
            o.put("index", e.index());
            o.put("status", e.status().label());
            o.put("cycle", e.cycle());
            o.put("selector", e.selector());
            o.put("code", e.code());
        });
        fs.mkdirs(tmpDir);
        Path tmp = new Path(tmpDir, "manifest.json");
        try (FSDataOutputStream out = fs.create(tmp, true)) {
            JSON.writerWithDefaultPrettyPrinter().writeValue((OutputStream) new NonClosing(out), m);
            out.hsync();
        }
        // Hadoop's rename does not replace an existing file; delete-then-rename leaves a window in which only the
        // shards exist, which load() recovers from (every shard is re-indexed when the manifest is missing).
        if (fs.exists(manifestPath)) fs.delete(manifestPath, false);
        if (!fs.rename(tmp, manifestPath)) throw new StoreException("rename " + tmp + " -> " + manifestPath + " failed");
    }

    private List<LabelRecord> readShard(String name) {
        Path p = new Path(shardDir, name);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(p), StandardCharsets.UTF_8))) {
            return ShardCodec.read(in, p.toString());
        } catch (IOException e) {
            throw new StoreException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /** Every stored record, in store order. */
    public List<LabelRecord> all() {
        List<LabelRecord> out = new ArrayList<>();
        for (String s : shards) out.addAll(readShard(s));
        return out;
    }

    /** The records that may enter a fit: status OK only. */
    public List<LabelRecord> trainingSet() {
        return all().stream().filter(r -> r.status() == LabelStatus.OK).toList();
    }

    /** The stored record of one task. */
    public Optional<LabelRecord> get(String taskHash) {
        Entry e = entries.get(taskHash);
        return e == null ? Optional.empty() : Optional.of(readShard(e.shard()).get(e.index()));
    }

    /**
     * Writes the OK records as plain extxyz (energy, forces, stress, config_type = selector), ready for GAP, ACE,
     * MACE and NequIP; returns the number of frames.
     */
    public int exportExtxyz(OutputStream out) {
        int n = 0;
        try {
            Writer w = new OutputStreamWriter(new NonClosing(out), StandardCharsets.UTF_8);
            for (LabelRecord r : trainingSet()) {
                ShardCodec.write(w, r, false);
                n++;
            }
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }

    /** Counts by status, cycle and code; number of shards; OK energies per atom. */
    public Stats stats() {
        Map<String, Integer> byStatus = new TreeMap<>();
        Map<Integer, Integer> byCycle = new TreeMap<>();
        Map<String, Integer> byCode = new TreeMap<>();
        for (Entry e : entries.values()) {
            byStatus.merge(e.status().label(), 1, Integer::sum);
            byCycle.merge(e.cycle(), 1, Integer::sum);
            byCode.merge(e.code(), 1, Integer::sum);
        }
        return new Stats(entries.size(), shards.size(), byStatus, byCycle, byCode);
    }

    /** Summary of a store. */
    public record Stats(int records, int shards, Map<String, Integer> byStatus, Map<Integer, Integer> byCycle, Map<String, Integer> byCode) {
        public int ok() {
            return byStatus.getOrDefault("ok", 0);
        }
    }

    @Override
    public void close() {
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
