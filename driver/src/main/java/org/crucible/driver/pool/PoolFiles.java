package org.crucible.driver.pool;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Pools on any Hadoop filesystem ({@code file:}, {@code hdfs:}, ...) as Parquet datasets ({@link PoolSchema}).
 *
 * <p>One pool is a directory of {@code part-00000.parquet}, {@code part-00001.parquet}, ... (one file per partition)
 * and a {@code _SUCCESS} marker. It is written into the hidden sibling {@code .NAME._tmp} and renamed into place
 * only when every partition is written, so a reader never sees a partial pool; an interrupted write leaves only the
 * hidden directory, which the next write replaces and which Spark, pandas and pyarrow skip. A campaign keeps its
 * pools under one root ({@code pools.uri}) as {@code cycle=N/stage=S}, so the root reads as one dataset with
 * partition columns {@code cycle} and {@code stage}:
 *
 * <pre>{@code
 * spark.read().parquet("hdfs://nn/campaigns/si16/pools").where("stage = 'relaxed'")
 * pandas.read_parquet("run/pools")          # pyarrow: cycle and stage from the directory names
 * }</pre>
 *
 * <p>Pools of earlier versions (Java-serialised {@code part-NNNNN.pool} files, readable by nothing but the classes
 * that wrote them) are refused with a message saying so, never deserialised.
 */
public final class PoolFiles {
    /** Name of the completion marker. */
    public static final String SUCCESS = "_SUCCESS";
    private static final Pattern LOCATION = Pattern.compile("cycle=(\\d+)/stage=([A-Za-z0-9_-]+)");

    private PoolFiles() {
    }

    /** A pool inside a pool root: its cycle, stage name, number of structures and partition files, total bytes and URI. */
    public record Listing(int cycle, String stage, long structures, int partitions, long bytes, String uri) {
    }

    /** The location of a campaign pool relative to the pool root: {@code cycle=N/stage=S}. */
    public static String location(int cycle, String stage) {
        if (cycle < 0) throw new IllegalArgumentException("cycle must be >= 0, got " + cycle);
        if (!stage.matches("[A-Za-z0-9_-]+")) throw new IllegalArgumentException("stage name '" + stage + "' must be letters, digits, - or _");
        return "cycle=" + cycle + "/stage=" + stage;
    }

    /**
     * The pool root of a campaign: {@code poolsUri} when it has a scheme ({@code hdfs://nn/x}), else a path relative
     * to the campaign directory.
     */
    public static String root(Path campaignDir, String poolsUri) {
        if (poolsUri.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*")) return poolsUri.replaceAll("/+$", "");
        return campaignDir.resolve(poolsUri).toAbsolutePath().normalize().toUri().toString().replaceAll("/+$", "");
    }

    /**
     * The URI of a pool a campaign state names: a location under the pool root ({@link #location}), or, for
     * states of earlier versions, a path relative to the campaign directory ({@code pools/cycle-003/relaxed}).
     */
    public static String resolve(Path campaignDir, String poolsUri, String stored) {
        if (stored.startsWith("pools/cycle-")) return campaignDir.resolve(stored).toAbsolutePath().normalize().toUri().toString();
        return root(campaignDir, poolsUri) + "/" + stored;
    }

    /** The hidden temp directory a pool is written to before the rename. */
    public static String tempOf(String uri) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri.replaceAll("/+$", ""));
        return new org.apache.hadoop.fs.Path(p.getParent(), "." + p.getName() + "._tmp").toString();
    }

    private static FileSystem fs(org.apache.hadoop.fs.Path p) throws IOException {
        try {
            return p.getFileSystem(new Configuration());
        } catch (RuntimeException e) {
            // A misconfigured filesystem (e.g. an fs.*.impl class in HADOOP_CONF_DIR that is not there) surfaces unchecked.
            throw new IOException("cannot open the filesystem of " + p + ": " + e.getMessage(), e);
        }
    }

    /** Writes one partition file into {@code dir} (used by executors and by the local pool); returns the rows written. */
    public static long writePartition(String dir, int index, Iterator<PoolEntry> entries) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(URI.create(dir).toString(), String.format("part-%05d.parquet", index));
        Configuration conf = new Configuration();
        long n = 0;
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(p, conf)).withConf(conf)
                .withType(PoolSchema.SCHEMA).withCompressionCodec(CompressionCodecName.SNAPPY)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withExtraMetaData(Map.of(PoolSchema.FORMAT_KEY, PoolSchema.FORMAT, "crucible.version", version())).build()) {
            while (entries.hasNext()) {
                w.write(PoolSchema.toRow(entries.next()));
                n++;
            }
        } catch (IOException e) {
            throw new PoolException("cannot write pool partition " + p + ": " + e.getMessage(), e);
        }
        return n;
    }

    private static String version() {
        String v = PoolFiles.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Prepares the temp directory of a pool write (removes what an interrupted write left). */
    public static void begin(String uri) {
        try {
            org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(tempOf(uri));
            FileSystem fs = fs(tmp);
            if (fs.exists(tmp)) fs.delete(tmp, true);
            fs.mkdirs(tmp);
        } catch (IOException e) {
            throw new PoolException("cannot prepare " + tempOf(uri) + ": " + e.getMessage(), e);
        }
    }

    /** Publishes the temp directory as {@code uri}, replacing an older pool there. */
    public static void commit(String uri, long expectedEntries) {
        try {
            org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(tempOf(uri));
            org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path(uri);
            FileSystem fs = fs(dst);
            fs.create(new org.apache.hadoop.fs.Path(tmp, SUCCESS), true).close();
            if (fs.exists(dst)) fs.delete(dst, true);
            fs.mkdirs(dst.getParent());
            if (!fs.rename(tmp, dst)) throw new PoolException("rename " + tmp + " -> " + dst + " failed");
        } catch (IOException e) {
            throw new PoolException("cannot publish pool " + uri + ": " + e.getMessage(), e);
        }
    }

    /**
     * Fails unless a pool may be written at {@code uri}: nothing is there, an empty directory, or a complete pool
     * (which the write replaces). Guards user-given locations against replacing an unrelated directory.
     */
    public static void requireReplaceable(String uri) {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
            FileSystem fs = fs(p);
            if (!fs.exists(p) || isPool(uri)) return;
            if (!fs.getFileStatus(p).isDirectory()) throw new PoolException("is a file, not a pool directory (name it .extxyz for extended XYZ)");
            if (fs.listStatus(p).length > 0) throw new PoolException("exists and is not a pool (no " + SUCCESS + "); refusing to replace it");
        } catch (IOException e) {
            throw new PoolException("cannot inspect " + uri + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code uri} is a complete pool (has the {@code _SUCCESS} marker). */
    public static boolean isPool(String uri) {
        try {
            org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(uri);
            return fs(dir).exists(new org.apache.hadoop.fs.Path(dir, SUCCESS));
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The partition files of a complete pool, in order; fails when the pool is missing or incomplete. */
    public static List<String> partitions(String uri) {
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(uri);
        try {
            FileSystem fs = fs(dir);
            if (!fs.exists(dir)) {
                org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(tempOf(uri));
                if (fs.exists(tmp)) throw new PoolException(uri + ": not a complete pool (no " + SUCCESS + " marker: an interrupted write left " + tmp + ")");
                throw new PoolException(uri + ": no such pool");
            }
            if (!fs.exists(new org.apache.hadoop.fs.Path(dir, SUCCESS))) {
                throw new PoolException(uri + ": not a complete pool (no " + SUCCESS + " marker; see 'crucible pool ls' for the pools there)");
            }
            FileStatus[] st = fs.listStatus(dir, p -> p.getName().startsWith("part-") && (p.getName().endsWith(".parquet") || p.getName().endsWith(".pool")));
            for (FileStatus s : st) {
                if (s.getPath().getName().endsWith(".pool")) {
                    throw new PoolException(uri + ": a pool in the Java-serialised format of earlier Crucible versions (" + s.getPath().getName()
                            + "), which is no longer read; generate it again (crucible generate -o DIR) or rerun the campaign that wrote it");
                }
            }
            return Arrays.stream(st).map(s -> s.getPath().toString()).sorted().toList();
        } catch (IOException e) {
            throw new PoolException("cannot list pool " + uri + ": " + e.getMessage(), e);
        }
    }

    /** Reads one Parquet partition file. */
    public static List<PoolEntry> readPartition(String file) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(file);
        Configuration conf = new Configuration();
        try {
            HadoopInputFile in = HadoopInputFile.fromPath(p, conf);
            try (ParquetFileReader r = ParquetFileReader.open(in)) {
                checkSchema(file, r.getFileMetaData().getSchema());
            }
            List<PoolEntry> out = new ArrayList<>();
            try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), p).withConf(conf).build()) {
                for (Group g = r.read(); g != null; g = r.read()) out.add(PoolSchema.fromRow(g, file + " row " + out.size()));
            }
            return out;
        } catch (FileNotFoundException e) {
            throw new PoolException(file + ": no such pool file", e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof PoolException) throw (PoolException) e;
            throw new PoolException(file + ": not a readable Parquet pool file (" + e.getMessage() + ")", e);
        }
    }

    /** Every column of {@link PoolSchema#SCHEMA} that must be present is, with the right shape. */
    private static void checkSchema(String file, MessageType found) {
        for (Type want : PoolSchema.SCHEMA.getFields()) {
            if (!found.containsField(want.getName())) {
                if (want.isRepetition(Type.Repetition.OPTIONAL)) continue;
                throw new PoolException(file + ": column '" + want.getName() + "' is missing (a pool file needs the columns of docs/pools.md)");
            }
            Type got = found.getType(want.getName());
            if (got.isPrimitive() != want.isPrimitive()) {
                throw new PoolException(file + ": column '" + want.getName() + "' should be " + (want.isPrimitive() ? "a value" : "a list"));
            }
            if (got.isPrimitive() && got.asPrimitiveType().getPrimitiveTypeName() != want.asPrimitiveType().getPrimitiveTypeName()) {
                throw new PoolException(file + ": column '" + want.getName() + "' is " + got.asPrimitiveType().getPrimitiveTypeName()
                        + ", expected " + want.asPrimitiveType().getPrimitiveTypeName());
            }
        }
    }

    /** Number of structures of a complete pool, from the Parquet footers (no row is read). */
    public static long count(String uri) {
        long n = 0;
        Configuration conf = new Configuration();
        for (String f : partitions(uri)) {
            try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(f), conf))) {
                n += r.getRecordCount();
            } catch (IOException | RuntimeException e) {
                throw new PoolException(f + ": not a readable Parquet pool file (" + e.getMessage() + ")", e);
            }
        }
        return n;
    }

    /**
     * The complete pools under {@code rootUri}: the root itself when it is one pool (cycle -1, stage "-"), else every
     * {@code cycle=N/stage=S} below it, by cycle then stage.
     */
    public static List<Listing> list(String rootUri) {
        String root = rootUri.replaceAll("/+$", "");
        List<Listing> out = new ArrayList<>();
        try {
            org.apache.hadoop.fs.Path r = new org.apache.hadoop.fs.Path(root);
            FileSystem fs = fs(r);
            if (!fs.exists(r)) throw new PoolException(rootUri + ": no such directory");
            if (isPool(root)) {
                out.add(listing(fs, -1, "-", root));
                return out;
            }
            for (FileStatus c : fs.listStatus(r, x -> x.getName().startsWith("cycle="))) {
                for (FileStatus s : fs.listStatus(c.getPath(), x -> x.getName().startsWith("stage="))) {
                    String loc = c.getPath().getName() + "/" + s.getPath().getName();
                    String uri = root + "/" + loc;
                    Matcher m = LOCATION.matcher(loc);
                    if (!m.matches() || !isPool(uri)) continue;
                    out.add(listing(fs, Integer.parseInt(m.group(1)), m.group(2), uri));
                }
            }
        } catch (IOException e) {
            throw new PoolException("cannot list pools under " + rootUri + ": " + e.getMessage(), e);
        }
        out.sort(java.util.Comparator.comparingInt(Listing::cycle).thenComparing(l -> stageOrder(l.stage())).thenComparing(Listing::stage));
        return out;
    }

    /** Campaign stages in the order a cycle runs them; other names after. */
    private static int stageOrder(String stage) {
        int i = List.of("generated", "perturbed", "relaxed", "described").indexOf(stage);
        return i < 0 ? 99 : i;
    }

    private static Listing listing(FileSystem fs, int cycle, String stage, String uri) throws IOException {
        List<String> parts = partitions(uri);
        long bytes = 0;
        for (String f : parts) bytes += fs.getFileStatus(new org.apache.hadoop.fs.Path(f)).getLen();
        return new Listing(cycle, stage, count(uri), parts.size(), bytes, uri);
    }
}
