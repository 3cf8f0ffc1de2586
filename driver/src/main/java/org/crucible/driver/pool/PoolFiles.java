package org.crucible.driver.pool;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Partitioned pool files on any Hadoop filesystem: a directory with {@code part-00000.pool}, {@code part-00001.pool},
 * ... (each a Java-serialized count followed by the entries) and a {@code _SUCCESS} marker. A pool directory is
 * written under {@code <dir>._tmp} and renamed into place only when every partition is written, so a reader never
 * sees a partial pool; an interrupted write leaves only the temp directory, which the next write replaces.
 */
public final class PoolFiles {
    private PoolFiles() {
    }

    /** The temp directory a pool is written to before the rename. */
    public static String tempOf(String uri) {
        return uri.replaceAll("/+$", "") + "._tmp";
    }

    /** Writes one partition file into {@code dir} (used by executors and by the local pool). */
    public static long writePartition(String dir, int index, Iterator<PoolEntry> entries) {
        List<PoolEntry> list = new ArrayList<>();
        entries.forEachRemaining(list::add);
        Path p = new Path(URI.create(dir).toString(), String.format("part-%05d.pool", index));
        try {
            FileSystem fs = p.getFileSystem(new Configuration());
            try (ObjectOutputStream out = new ObjectOutputStream(new BufferedOutputStream(fs.create(p, true)))) {
                out.writeInt(list.size());
                for (PoolEntry e : list) out.writeObject(e);
            }
        } catch (IOException e) {
            throw new PoolException("cannot write pool partition " + p + ": " + e.getMessage(), e);
        }
        return list.size();
    }

    /** Prepares the temp directory of a pool write (removes what an interrupted write left). */
    public static void begin(String uri) {
        try {
            Path tmp = new Path(tempOf(uri));
            FileSystem fs = tmp.getFileSystem(new Configuration());
            if (fs.exists(tmp)) fs.delete(tmp, true);
            fs.mkdirs(tmp);
        } catch (IOException e) {
            throw new PoolException("cannot prepare " + tempOf(uri) + ": " + e.getMessage(), e);
        }
    }

    /** Publishes the temp directory as {@code uri}, replacing an older pool there. */
    public static void commit(String uri, long expectedEntries) {
        try {
            Path tmp = new Path(tempOf(uri));
            Path dst = new Path(uri);
            FileSystem fs = dst.getFileSystem(new Configuration());
            fs.create(new Path(tmp, "_SUCCESS"), true).close();
            if (fs.exists(dst)) fs.delete(dst, true);
            fs.mkdirs(dst.getParent());
            if (!fs.rename(tmp, dst)) throw new PoolException("rename " + tmp + " -> " + dst + " failed");
        } catch (IOException e) {
            throw new PoolException("cannot publish pool " + uri + ": " + e.getMessage(), e);
        }
    }

    /** The partition files of a complete pool, in order; fails when the pool is missing or incomplete. */
    public static List<String> partitions(String uri) {
        Path dir = new Path(uri);
        try {
            FileSystem fs = dir.getFileSystem(new Configuration());
            if (!fs.exists(new Path(dir, "_SUCCESS"))) throw new PoolException("pool " + uri + " is missing or incomplete (no _SUCCESS marker)");
            FileStatus[] st = fs.listStatus(dir, p -> p.getName().startsWith("part-") && p.getName().endsWith(".pool"));
            return Arrays.stream(st).map(s -> s.getPath().toString()).sorted().toList();
        } catch (IOException e) {
            throw new PoolException("cannot list pool " + uri + ": " + e.getMessage(), e);
        }
    }

    /** Reads one partition file. */
    public static List<PoolEntry> readPartition(String file) {
        Path p = new Path(file);
        try {
            FileSystem fs = p.getFileSystem(new Configuration());
            try (ObjectInputStream in = new ObjectInputStream(new BufferedInputStream(fs.open(p)))) {
                int n = in.readInt();
                List<PoolEntry> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) out.add((PoolEntry) in.readObject());
                return out;
            }
        } catch (IOException | ClassNotFoundException e) {
            throw new PoolException("cannot read pool partition " + p + ": " + e.getMessage(), e);
        }
    }
}
