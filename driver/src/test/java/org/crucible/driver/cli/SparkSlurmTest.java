package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.dft.hpc.testing.LocalSlurm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/spark-slurm/crucible-spark.sbatch on the real local SLURM (deploy/local-slurm): one sbatch starts a Spark
 * master and two workers inside the allocation, runs the campaign driver against them and stops them at the end; the
 * campaign's decisions equal those of the same campaign on local[2].
 */
class SparkSlurmTest {
    @TempDir
    Path tmp;

    /** This test's class path as a jar directory: jars linked, class directories packed (workers need Crucible's classes). */
    static Path jarDirectory(Path into) throws IOException {
        Path jars = Files.createDirectories(into);
        int packed = 0;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e);
            if (e.endsWith(".jar") && Files.isRegularFile(p)) {
                Path link = jars.resolve(p.getFileName());
                if (!Files.exists(link)) Files.createSymbolicLink(link, p);
            } else if (Files.isDirectory(p)) {
                Path jar = jars.resolve("crucible-classes-" + (packed++) + ".jar");
                try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os); Stream<Path> files = Files.walk(p)) {
                    for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                        out.putNextEntry(new JarEntry(p.relativize(f).toString().replace(File.separatorChar, '/')));
                        Files.copy(f, out);
                        out.closeEntry();
                    }
                }
            }
        }
        return jars;
    }

    @Test
    void oneSbatchRunsTheCampaignOnSparkWorkersInsideTheAllocation() throws Exception {
        LocalSlurm.assumeUp();
        Path root = TestEnvironment.repositoryRoot();
        Path jars = jarDirectory(tmp.resolve("jars"));
        Path config = tmp.resolve("si8.yaml");
        Files.writeString(config, CampaignCliTest.YAML);
        Path dir = tmp.resolve("campaign");
        Path out = tmp.resolve("job.out");
        String cp;
        try (Stream<Path> s = Files.list(jars)) {
            cp = String.join(File.pathSeparator, s.map(Path::toString).sorted().toList());
        }
        ProcessBuilder pb = new ProcessBuilder("sbatch", "--wait", "--parsable", "--nodes=1", "--ntasks=1", "--time=10",
                "--output=" + out, "--chdir=" + tmp, root.resolve("deploy/spark-slurm/crucible-spark.sbatch").toString(), config.toString(), dir.toString())
                .redirectErrorStream(true);
        pb.environment().put("CRUCIBLE_HOME", root.toString());
        pb.environment().put("CRUCIBLE_SPARK_JARS", jars.toString());
        pb.environment().put("CRUCIBLE_CLASSPATH", cp);
        pb.environment().put("CRUCIBLE_WORKERS_PER_NODE", "2");
        pb.environment().put("CRUCIBLE_WORKER_CORES", "1");
        pb.environment().put("CRUCIBLE_WORKER_MEMORY", "1g");
        pb.environment().put("CRUCIBLE_SRUN_OPTS", "--overcommit"); // the local node has one CPU; two one-core workers share it
        Process p = pb.start();
        String sbatch = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "the job did not end in 10 minutes");
        String job = Files.exists(out) ? Files.readString(out) : "(no job output)";
        assertEquals(0, p.exitValue(), "sbatch --wait: " + sbatch + "\njob output:\n" + job);
        assertTrue(job.contains("2 worker(s) registered"), job);
        assertTrue(job.contains("the campaign driver exited with 0"), job);
        assertTrue(job.contains("stopped the Spark master and workers"), job);
        String log = Files.readString(dir.resolve("campaign.log"));
        assertTrue(log.contains("on spark://127.0.0.1:"), "the driver ran against the allocation's master: " + log);

        ObjectMapper json = new ObjectMapper();
        JsonNode state = json.readTree(dir.resolve("state.json").toFile());
        assertEquals("done", state.get("next").asText().toLowerCase(), state.toString());

        Path local = tmp.resolve("local");
        CampaignCliTest.Result r = CampaignCliTest.cli("run", config.toString(), "--dir", local.toString(), "--master", "local[2]");
        assertEquals(0, r.code(), r.err());
        for (String f : List.of("cycles/000/selection.json", "cycles/001/selection.json", "cycles/002/selection.json")) {
            assertEquals(json.readTree(local.resolve(f).toFile()), json.readTree(dir.resolve(f).toFile()), f + ": same decisions as local[2]");
        }
    }
}
