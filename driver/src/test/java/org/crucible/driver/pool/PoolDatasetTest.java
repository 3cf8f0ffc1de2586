package org.crucible.driver.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crucible.core.units.Units;
import org.crucible.driver.spark.SparkContexts;
import org.crucible.driver.testing.LennardJones;
import org.crucible.driver.testing.RandomCells;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pools as Parquet datasets: written by both backends, read back field for field, read by Spark SQL as users would
 * (the pool root as one dataset with cycle and stage columns), on the local filesystem and on a real HDFS
 * (MiniDFSCluster), and refused with the file and column named when malformed.
 */
class PoolDatasetTest {
    static SparkSession spark;
    static JavaSparkContext sc;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().config(SparkContexts.conf("local[2]", "crucible-pool-dataset-test", false, 4040, Map.of())).getOrCreate();
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    static final EvaluateStage.Model LJ = new EvaluateStage.Model(new LennardJones(0.1, 2.1, 5.0));

    /** Every field set, including forces, stress, a descriptor row, a cluster id and a trajectory tail; one entry left unevaluated. */
    static List<PoolEntry> richPool(int n) {
        List<PoolEntry> out = new ArrayList<>();
        for (PoolEntry e : RandomCells.pool(n, 6, 3)) {
            if (e.id() == 2) {
                out.add(e);
                continue;
            }
            PoolEntry x = new EvaluateStage().apply(e, LJ, 1);
            double[] f = new double[18];
            for (int i = 0; i < f.length; i++) f[i] = 0.01 * i - e.id();
            double[] tail0 = e.structure().positions();
            x = x.withExploration(x.energy(), 0.003 * e.id(), 0.5, 7, "converged", new double[][] {tail0, tail0})
                    .withModelForces(f, new double[] {0.01, 0.02, 0.03, -0.001, 0.0, 0.002})
                    .withFeatures(new double[] {e.id(), 1.5}).withCluster((int) e.id() % 3);
            out.add(x);
        }
        return out;
    }

    @Test
    void everyFieldSurvivesTheRoundTripInBothBackends() throws Exception {
        List<PoolEntry> pool = richPool(9);
        String local = dir.resolve("a").toUri().toString();
        LocalPool.of(pool, 3).save(local);
        assertEquals(pool, LocalPool.load(local).entries());
        assertEquals(3, PoolFiles.partitions(local).size());
        assertTrue(PoolFiles.partitions(local).get(0).endsWith("part-00000.parquet"));
        assertEquals(9, PoolFiles.count(local));

        String viaSpark = dir.resolve("b").toUri().toString();
        SparkPool.of(sc, pool, 4).save(viaSpark);
        assertEquals(pool, LocalPool.load(viaSpark).entries());
        assertEquals(pool, SparkPool.load(sc, viaSpark).fetch(pool.stream().map(PoolEntry::id).toList()));
        assertTrue(Double.isNaN(LocalPool.load(viaSpark).fetch(List.of(2L)).get(0).energy()), "unevaluated energy stays NaN");
        // No temp directory is left behind.
        assertEquals(List.of("a", "b"), list(dir));
    }

    @Test
    void sparkSqlReadsThePoolRootAsOneDatasetWithUnitsAsDocumented() {
        List<PoolEntry> pool = richPool(6);
        String root = PoolFiles.root(dir, "pools");
        LocalPool.of(pool, 2).save(root + "/" + PoolFiles.location(0, "generated"));
        SparkPool.of(sc, pool.subList(0, 4), 2).save(root + "/" + PoolFiles.location(1, "relaxed"));
        // An interrupted write leaves a hidden temp directory, which readers skip.
        PoolFiles.begin(root + "/" + PoolFiles.location(1, "described"));

        Dataset<Row> all = spark.read().parquet(root);
        assertEquals(10, all.count());
        assertEquals(4, all.where("cycle = 1 AND stage = 'relaxed'").count());
        Row r = all.where("cycle = 0 AND id = 1").collectAsList().get(0);
        PoolEntry e = pool.get(1);
        assertEquals(e.energy(), r.getDouble(r.fieldIndex("energy")));
        assertEquals(6, r.getInt(r.fieldIndex("natoms")));
        assertEquals(e.structure().element(0).symbol(), r.getList(r.fieldIndex("species")).get(0));
        List<Double> pos = r.getList(r.fieldIndex("positions"));
        assertEquals(e.structure().positions()[4], pos.get(4), 0.0);
        List<Double> stress = r.getList(r.fieldIndex("stress"));
        assertEquals(0.02 * Units.EV_PER_A3_TO_GPA, stress.get(1), 1e-12, "stress is stored in GPa");
        assertEquals("converged", r.getString(r.fieldIndex("status")));
        Row unevaluated = all.where("cycle = 0 AND id = 2").collectAsList().get(0);
        assertTrue(unevaluated.isNullAt(unevaluated.fieldIndex("energy")), "NaN is written as null");
        assertTrue(unevaluated.isNullAt(unevaluated.fieldIndex("forces")));

        List<PoolFiles.Listing> ls = PoolFiles.list(root);
        assertEquals(2, ls.size(), "the unfinished pool is not listed");
        assertEquals(new PoolFiles.Listing(0, "generated", 6, 2, ls.get(0).bytes(), root + "/cycle=0/stage=generated"), ls.get(0));
        assertEquals(4, ls.get(1).structures());
        assertTrue(ls.get(0).bytes() > 0);
    }

    @Test
    void poolsLiveOnHdfs() throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        try {
            cluster.waitActive();
            String root = "hdfs://localhost:" + cluster.getNameNodePort() + "/campaigns/si/pools";
            assertEquals(root, PoolFiles.root(dir, root + "/"));
            List<PoolEntry> pool = richPool(7);
            String uri = PoolFiles.resolve(dir, root, PoolFiles.location(3, "relaxed"));
            SparkPool.of(sc, pool, 3).save(uri);
            assertTrue(cluster.getFileSystem().exists(new org.apache.hadoop.fs.Path("/campaigns/si/pools/cycle=3/stage=relaxed/_SUCCESS")));
            assertEquals(pool, LocalPool.load(uri).entries());
            assertEquals(pool, SparkPool.load(sc, uri).fetch(pool.stream().map(PoolEntry::id).toList()));
            assertEquals(List.of(new PoolFiles.Listing(3, "relaxed", 7, 3, PoolFiles.list(root).get(0).bytes(), uri)), PoolFiles.list(root));
            assertEquals(7, spark.read().parquet(root).where("stage = 'relaxed' AND cycle = 3").count());
        } finally {
            cluster.shutdown();
        }
    }

    @Test
    void malformedFilesAreRefusedNamingFileAndColumn() throws Exception {
        String uri = dir.resolve("bad").toUri().toString();
        LocalPool.of(richPool(3), 1).save(uri);
        String part = PoolFiles.partitions(uri).get(0);
        // Not Parquet at all.
        Files.writeString(Path.of(java.net.URI.create(part)), "not parquet");
        PoolException e = assertThrows(PoolException.class, () -> LocalPool.load(uri));
        assertTrue(e.getMessage().startsWith(part + ": not a readable Parquet pool file"), e.getMessage());

        // Parquet, but without positions.
        MessageType partial = Types.buildMessage().required(PrimitiveTypeName.INT64).named("id").named("other");
        Files.delete(Path.of(java.net.URI.create(part)));
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(part)).withType(partial).build()) {
            w.write(new SimpleGroupFactory(partial).newGroup().append("id", 1L));
        }
        e = assertThrows(PoolException.class, () -> LocalPool.load(uri));
        assertEquals(part + ": column 'natoms' is missing (a pool file needs the columns of docs/pools.md)", e.getMessage());

        e = assertThrows(PoolException.class, () -> LocalPool.load(dir.resolve("nothing").toUri().toString()));
        assertTrue(e.getMessage().endsWith("nothing: no such pool"), e.getMessage());
    }

    /** Java-serialised pools of earlier versions are refused with a message, never deserialised. */
    @Test
    void poolsOfEarlierVersionsAreRefusedNotDeserialised() throws Exception {
        List<PoolEntry> pool = RandomCells.pool(4, 6, 8);
        Path old = dir.resolve("pools/cycle-002/relaxed");
        Files.createDirectories(old);
        try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(old.resolve("part-00000.pool")))) {
            out.writeInt(pool.size());
            for (PoolEntry p : pool) out.writeObject(p);
        }
        Files.createFile(old.resolve("_SUCCESS"));
        String uri = PoolFiles.resolve(dir, "elsewhere", "pools/cycle-002/relaxed");
        assertEquals(old.toUri().toString().replaceAll("/$", ""), uri.replaceAll("/$", ""), "state paths of earlier versions still resolve");
        for (org.junit.jupiter.api.function.Executable read : List.<org.junit.jupiter.api.function.Executable>of(
                () -> LocalPool.load(uri), () -> PoolFiles.count(uri), () -> PoolFiles.partitions(uri))) {
            PoolException e = assertThrows(PoolException.class, read);
            assertTrue(e.getMessage().contains("a pool in the Java-serialised format of earlier Crucible versions (part-00000.pool), "
                    + "which is no longer read"), e.getMessage());
        }
    }

    private static List<String> list(Path d) throws java.io.IOException {
        try (var s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
