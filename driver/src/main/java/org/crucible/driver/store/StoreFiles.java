package org.crucible.driver.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The files of one {@link TrainingStore} on its Hadoop filesystem: where each kind lives under the root, and the few
 * operations every part of the store does on them (read a shard, commit by rename behind the writer's fencing check,
 * delete, list, move to quarantine). Holds the writer lease once taken, so that every commit point checks it.
 */
final class StoreFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    final FileSystem fs;
    final Path root;
    final Path shardDir;
    final Path indexDir;
    final Path tmpDir;
    final Path manifestPath;
    final Path quarantineDir;
    /** The writer lease (null for a reader). */
    private StoreLease lease;

    StoreFiles(FileSystem fs, Path root) {
        this.fs = fs;
        this.root = root;
        this.shardDir = new Path(root, "shards");
        this.indexDir = new Path(root, "index");
        this.tmpDir = new Path(root, "_tmp");
        this.manifestPath = new Path(root, "manifest.json");
        this.quarantineDir = new Path(root, "quarantine");
    }

    void lease(StoreLease l) {
        this.lease = l;
    }

    StoreLease lease() {
        return lease;
    }

    /** Refuses to go on when this writer lost its lease (see {@link StoreLease#check}). */
    void fence(String action) {
        if (lease != null) lease.check(action);
    }

    /** A commit: the fencing check, then the rename, then fsync of both directories. */
    void renameInto(Path tmp, Path dst, String action) throws IOException {
        fence(action);
        if (fs.exists(dst)) throw new StoreException("refusing to overwrite " + dst + " (the store is append-only; was another writer here?)");
        if (!fs.rename(tmp, dst)) throw new StoreException("rename " + tmp + " -> " + dst + " failed");
        DurableFiles.syncDirectory(fs, dst.getParent());
        DurableFiles.syncDirectory(fs, tmp.getParent());
    }

    /** Streams the frames of shard {@code name} to {@code sink}; a frame that cannot be read ends in a {@link StoreException}. */
    void readShard(String name, ShardCodec.FrameSink sink) {
        Path p = new Path(shardDir, name);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(p), StandardCharsets.UTF_8), 1 << 16)) {
            ShardCodec.forEach(in, p.toString(), sink);
        } catch (IOException e) {
            throw new StoreException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    void delete(Path p) throws IOException {
        if (fs.exists(p) && !fs.delete(p, false)) throw new StoreException("cannot delete " + p);
    }

    /** The files of {@code dir} whose name matches {@code p}, by name. */
    Map<String, FileStatus> list(Path dir, Pattern p) throws IOException {
        Map<String, FileStatus> out = new TreeMap<>();
        for (FileStatus st : fs.listStatus(dir)) {
            if (st.isFile() && p.matcher(st.getPath().getName()).matches()) out.put(st.getPath().getName(), st);
        }
        return out;
    }

    /** Moves {@code file} into {@code quarantine/} under its name (numbered when the name is taken). */
    void quarantine(Path file) throws IOException {
        fs.mkdirs(quarantineDir);
        Path dst = new Path(quarantineDir, file.getName());
        for (int k = 1; fs.exists(dst); k++) dst = new Path(quarantineDir, file.getName() + "." + k);
        if (!fs.rename(file, dst)) throw new StoreException("cannot move the torn " + file + " to " + dst);
    }

    /** Files in {@code quarantine/}, by name. */
    List<String> quarantined() {
        try {
            if (!fs.exists(quarantineDir)) return List.of();
            List<String> out = new ArrayList<>();
            for (FileStatus st : fs.listStatus(quarantineDir)) if (!st.getPath().getName().endsWith(".crc")) out.add(st.getPath().getName());
            Collections.sort(out);
            return out;
        } catch (IOException e) {
            throw new StoreException("cannot list " + quarantineDir + ": " + e.getMessage(), e);
        }
    }

    /** Checks {@code store.json} names this format; a writer creates it (durably) in a new store. */
    void checkFormat(boolean readOnly) throws IOException {
        Path marker = new Path(root, "store.json");
        if (fs.exists(marker)) {
            JsonNode m;
            try (var in = fs.open(marker)) {
                m = JSON.readTree(in);
            }
            if (!TrainingStore.FORMAT.equals(m.path("format").asText())) {
                throw new StoreException(marker + ": not a Crucible store of this version (format '" + m.path("format").asText() + "', expected "
                        + TrainingStore.FORMAT + ")");
            }
        } else if (!readOnly) {
            Path tmp = new Path(tmpDir, "store.json");
            fs.mkdirs(tmpDir);
            try (FSDataOutputStream out = fs.create(tmp, true)) {
                out.write(("{\"format\": \"" + TrainingStore.FORMAT + "\"}\n").getBytes(StandardCharsets.UTF_8));
                DurableFiles.sync(out);
            }
            DurableFiles.syncClosed(fs, tmp);
            if (!fs.rename(tmp, marker) && !fs.exists(marker)) throw new StoreException("rename " + tmp + " -> " + marker + " failed");
            DurableFiles.syncDirectory(fs, root);
            DurableFiles.syncDirectory(fs, root.getParent());
        }
    }
}
