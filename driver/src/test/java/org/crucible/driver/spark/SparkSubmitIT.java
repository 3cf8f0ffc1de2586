package org.crucible.driver.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.driver.cli.CampaignCliTest;
import org.crucible.driver.cli.CrucibleCommand;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The spark-submit path of docs/spark.md, run after {@code package} against the built artefacts: the thin application
 * jar {@code driver/target/crucible-spark.jar}, and a Spark 3.5 installation's library directory
 * {@code driver/target/spark-home/jars} (Spark, Scala, Hadoop client, Parquet, Jackson, SLF4J, Log4j; none of the
 * libraries the thin jar carries). A standalone master and two workers run from that installation
 * (deploy/spark-standalone/up.sh), and Spark's own {@code SparkSubmit} entry point (what {@code bin/spark-submit}
 * runs) submits {@code run campaign.yaml} in client mode. Executors get Crucible only through the jar spark-submit
 * ships, so a class missing from the thin jar fails the campaign. The campaign must equal the same file run in this
 * JVM with {@code local[2]}.
 */
class SparkSubmitIT {
    @TempDir
    Path tmp;

    private static final List<String> OPENS = List.of(SparkContexts.JAVA17_OPENS.split(" "));

    @Test
    void thinJarCarriesCrucibleAndNotSpark() throws Exception {
        Path jar = target().resolve("crucible-spark.jar");
        assertTrue(Files.isRegularFile(jar), "package builds " + jar);
        try (ZipFile z = new ZipFile(jar.toFile())) {
            assertTrue(z.getEntry("org/crucible/driver/cli/CrucibleCommand.class") != null);
            assertTrue(z.getEntry("org/crucible/executors/descriptors/AceBasis.class") != null);
            assertTrue(z.getEntry("picocli/CommandLine.class") != null);
            assertTrue(z.getEntry("org/crucible/shaded/jackson/yaml/YAMLFactory.class") != null, "the YAML reader is relocated");
            List<String> provided = z.stream().map(e -> e.getName())
                    .filter(n -> n.startsWith("org/apache/spark/") || n.startsWith("scala/") || n.startsWith("org/apache/hadoop/")
                            || n.startsWith("com/fasterxml/jackson/databind/") || n.startsWith("org/apache/parquet/")
                            || n.startsWith("org/apache/logging/") || n.startsWith("com/fasterxml/jackson/dataformat/yaml/"))
                    .limit(5).toList();
            assertEquals(List.of(), provided, "classes a Spark installation provides must not be in the thin jar");
        }
        assertTrue(Files.size(jar) < 40L << 20, "thin jar is " + Files.size(jar) + " bytes");
    }

    @Test
    void sparkSubmitRunsACampaignOnAStandaloneClusterOfTheInstallation() throws Exception {
        Assumptions.assumeTrue(TestEnvironment.which("bash").isPresent(), "bash is needed to run deploy/spark-standalone/up.sh");
        Path jar = target().resolve("crucible-spark.jar");
        Path sparkJars = target().resolve("spark-home/jars");
        assertTrue(Files.isDirectory(sparkJars), "pre-integration-test assembles " + sparkJars);
        String scala;
        try (var s = Files.list(sparkJars)) {
            List<String> names = s.map(p -> p.getFileName().toString()).toList();
            String core = names.stream().filter(n -> n.startsWith("spark-core_")).findFirst().orElseThrow(() -> new AssertionError(names.toString()));
            scala = core.substring("spark-core_".length(), core.indexOf('-', "spark-core_".length())); // 2.13, or 2.12 with -Pscala-2.12
            assertFalse(names.stream().anyMatch(n -> n.startsWith("crucible-") || n.startsWith("picocli")), names.toString());
        }
        Path config = tmp.resolve("si8-cli.yaml");
        Files.writeString(config, CampaignCliTest.YAML);

        // Reference: the same campaign file in this JVM on local[2] (its spark.master).
        Path reference = tmp.resolve("reference");
        CommandLine cl = CrucibleCommand.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        assertEquals(0, cl.execute("run", config.toString(), "--dir", reference.toString()), err.toString());

        int port = StandaloneClusterTest.freePort();
        Map<String, String> env = Map.of("SPARK_MASTER_PORT", Integer.toString(port), "SPARK_MASTER_WEBUI_PORT",
                Integer.toString(StandaloneClusterTest.freePort()), "CRUCIBLE_SPARK_RUN", tmp.resolve("cluster").toString(),
                "CRUCIBLE_SPARK_JARS", sparkJars.toString(), "CRUCIBLE_WORKER_MEMORY", "1g", "SPARK_SCALA_VERSION", scala);
        assertEquals(0, script("up.sh", env, tmp.resolve("up.log")), Files.readString(tmp.resolve("up.log")));
        try {
            Path submitted = tmp.resolve("submitted");
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(OPENS);
            cmd.addAll(List.of("-cp", sparkJars + File.separator + "*", "org.apache.spark.deploy.SparkSubmit",
                    "--master", "spark://127.0.0.1:" + port, "--deploy-mode", "client", "--executor-memory", "512m",
                    "--total-executor-cores", "2", "--conf", "spark.driver.host=127.0.0.1",
                    "--class", "org.crucible.driver.cli.CrucibleCommand", jar.toString(),
                    "run", config.toString(), "--dir", submitted.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("submit.log").toFile());
            pb.environment().put("SPARK_HOME", tmp.resolve("cluster/home").toString());
            pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
            pb.environment().put("SPARK_SCALA_VERSION", scala);
            Process p = pb.start();
            boolean done = p.waitFor(600, TimeUnit.SECONDS);
            if (!done) p.destroyForcibly();
            String log = Files.readString(tmp.resolve("submit.log"), StandardCharsets.UTF_8);
            assertTrue(done, "spark-submit did not finish in 600 s: " + tail(log));
            assertEquals(0, p.exitValue(), tail(log));
            assertTrue(log.contains("campaign si8-cli"), tail(log));

            // The master was spark-submit's, recorded for a resume; the executors were the two workers.
            assertEquals("spark://127.0.0.1:" + port, Files.readString(submitted.resolve("spark-master.txt")).trim());
            String campaignLog = Files.readString(submitted.resolve("campaign.log"), StandardCharsets.UTF_8);
            assertTrue(campaignLog.contains("spark://127.0.0.1:" + port), "campaign.log names the submitted master");

            JsonNode a = status(reference);
            JsonNode b = status(submitted);
            assertEquals("max-cycles", b.get("state").asText());
            for (String f : List.of("cycles", "oracle_single_points", "oracle_failures", "validation_single_points")) {
                assertEquals(a.get(f), b.get(f), f);
            }
            assertEquals(a.get("best").get(0).get("energy_eV_per_atom").asDouble(), b.get("best").get(0).get("energy_eV_per_atom").asDouble(),
                    1e-9, "the best validated structure equals the local[2] run's");
        } finally {
            assertEquals(0, script("down.sh", env, tmp.resolve("down.log")), Files.readString(tmp.resolve("down.log")));
        }
    }

    private static JsonNode status(Path dir) throws Exception {
        CommandLine cl = CrucibleCommand.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        assertEquals(0, cl.execute("status", dir.toString(), "--json"));
        return new ObjectMapper().readTree(out.toString());
    }

    private static Path target() {
        return TestEnvironment.repositoryRoot().resolve("driver/target");
    }

    private static String tail(String log) {
        return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
    }

    private int script(String name, Map<String, String> env, Path log) throws Exception {
        Path script = TestEnvironment.repositoryRoot().resolve("deploy/spark-standalone").resolve(name);
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), name + " did not finish");
        return p.exitValue();
    }
}
