package org.crucible.driver.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaSparkContext;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.driver.pool.EvaluateStage;
import org.crucible.driver.pool.LocalPool;
import org.crucible.driver.pool.PerturbStage;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.PoolSummary;
import org.crucible.driver.pool.SparkPool;
import org.crucible.driver.testing.LennardJones;
import org.crucible.driver.testing.RandomCells;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/spark-standalone/up.sh starts a real master and two workers on 127.0.0.1 (from the jars on this test's
 * class path); a pool job run there with --master spark://127.0.0.1:PORT gives the same result as the single-threaded
 * reference, which local[*] runs equal (SparkPoolTest).
 */
class StandaloneClusterTest {
    @TempDir
    Path tmp;

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static List<PoolSummary> job(JavaSparkContext sc) {
        List<PoolEntry> start = RandomCells.pool(24, 8, 42);
        return SparkPool.of(sc, start, 4)
                .map(new PerturbStage(0.15), PerturbStage.NoModel.INSTANCE, 5, "perturb")
                .map(new EvaluateStage(), new EvaluateStage.Model(new LennardJones(0.1, 2.1, 5.0)), 6, "evaluate")
                .summaries();
    }

    private int script(String name, Map<String, String> env, Path log) throws Exception {
        Path script = TestEnvironment.repositoryRoot().resolve("deploy/spark-standalone").resolve(name);
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), name + " did not finish");
        return p.exitValue();
    }

    @Test
    void standaloneClusterGivesTheLocalResult() throws Exception {
        Assumptions.assumeTrue(TestEnvironment.which("bash").isPresent(), "bash is needed to run deploy/spark-standalone/up.sh");
        // Jars of this test's class path, as the cluster's library directory (driver/target/lib is not built during `verify`'s test phase).
        Path jars = Files.createDirectories(tmp.resolve("jars"));
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e);
            if (e.endsWith(".jar") && Files.isRegularFile(p)) Files.createSymbolicLink(jars.resolve(p.getFileName()), p);
        }
        int port = freePort();
        int ui = freePort();
        Map<String, String> env = Map.of("SPARK_MASTER_PORT", Integer.toString(port), "SPARK_MASTER_WEBUI_PORT", Integer.toString(ui),
                "CRUCIBLE_SPARK_RUN", tmp.resolve("run").toString(), "CRUCIBLE_SPARK_JARS", jars.toString(), "CRUCIBLE_WORKER_MEMORY", "1g");
        Path upLog = tmp.resolve("up.log");
        int up = script("up.sh", env, upLog);
        try {
            String out = Files.readString(upLog, StandardCharsets.UTF_8);
            assertEquals(0, up, "deploy/spark-standalone/up.sh failed: " + out);
            assertTrue(out.contains("spark://127.0.0.1:" + port), out);
            List<PoolSummary> cluster;
            Map<String, String> conf = Map.of("spark.executor.extraClassPath", System.getProperty("java.class.path"),
                    "spark.executor.memory", "512m", "spark.cores.max", "2");
            try (JavaSparkContext sc = SparkContexts.create("spark://127.0.0.1:" + port, "crucible-standalone-test", false, freePort(), conf)) {
                cluster = job(sc);
                assertEquals(2, sc.sc().getExecutorMemoryStatus().size() - 1, "two executors (one per worker) besides the driver");
            }
            // The single-threaded pool is the reference every local[N] run equals (SparkPoolTest).
            List<PoolSummary> local = LocalPool.of(RandomCells.pool(24, 8, 42), 1)
                    .map(new PerturbStage(0.15), PerturbStage.NoModel.INSTANCE, 5, "perturb")
                    .map(new EvaluateStage(), new EvaluateStage.Model(new LennardJones(0.1, 2.1, 5.0)), 6, "evaluate")
                    .summaries();
            assertEquals(24, cluster.size());
            for (int i = 0; i < local.size(); i++) {
                assertEquals(local.get(i).id(), cluster.get(i).id());
                assertEquals(local.get(i).energy(), cluster.get(i).energy(), "bit-identical energy of entry " + i);
                assertEquals(local.get(i).maxForce(), cluster.get(i).maxForce());
            }
        } finally {
            assertEquals(0, script("down.sh", env, tmp.resolve("down.log")), Files.readString(tmp.resolve("down.log")));
        }
        assertTrue(Files.notExists(tmp.resolve("run/master.pid")), "down.sh removed its pid files");
    }
}
