package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real campaign (Spark local[2], SW oracle) whose pools live on a real HDFS ({@code pools.uri: hdfs://...}):
 * nothing of them lands in the campaign directory, {@code pool ls DIR} finds them through the campaign file,
 * the relaxed pool exports with the model's energy and forces and reads in ASE, and the report still plots it.
 */
class CampaignPoolsOnHdfsTest {
    @TempDir
    Path dir;

    @Test
    void campaignPoolsOnHdfsAreListedExportedAndReported() throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        try {
            cluster.waitActive();
            String root = "hdfs://localhost:" + cluster.getNameNodePort() + "/campaigns/si8/pools";
            Path config = dir.resolve("si8.yaml");
            Files.writeString(config, CampaignCliTest.YAML.replace("  search: {per_group: 2, space_groups: [227, 194, 12]}\n",
                    "  search: {per_group: 2, space_groups: [227, 194, 12]}\n  uri: " + root + "\n"));
            Path run = dir.resolve("run");
            PoolCommandTest.Result r = PoolCommandTest.cli("run", config.toString(), "--dir", run.toString());
            assertEquals(0, r.code(), r.err());
            assertFalse(Files.exists(run.resolve("pools")), "pools.uri moves the pools out of the campaign directory");
            String state = Files.readString(run.resolve("state.json"));
            assertTrue(state.matches("(?s).*\"pool_uri\" ?: ?\"cycle=\\d+/stage=[a-z]+\".*"), state);

            PoolCommandTest.Result ls = PoolCommandTest.cli("pool", "ls", run.toString());
            assertEquals(0, ls.code(), ls.err());
            List<String> rows = ls.out().lines().skip(1).toList();
            assertEquals(5, rows.size(), ls.out());
            assertTrue(rows.get(0).matches("\\s+0\\s+generated\\s+22\\s+.*"), ls.out());
            assertTrue(rows.get(1).matches("\\s+1\\s+relaxed\\s+22\\s+.*" + java.util.regex.Pattern.quote(root + "/cycle=1/stage=relaxed")), ls.out());
            assertTrue(rows.get(2).matches("\\s+1\\s+described\\s+22\\s+.*"), ls.out());
            assertTrue(rows.get(4).matches("\\s+2\\s+described\\s+22\\s+.*"), ls.out());

            Path out = dir.resolve("relaxed.extxyz");
            PoolCommandTest.Result ex = PoolCommandTest.cli("pool", "export", run.toString(), "--cycle", "1", "--stage", "relaxed", "-o", out.toString());
            assertEquals(0, ex.code(), ex.err());
            List<Structure> relaxed = ExtendedXyz.read(out);
            assertEquals(22, relaxed.size());
            Structure ok = relaxed.stream().filter(s -> s.labels().hasForces()).findFirst().orElseThrow();
            assertTrue(ok.labels().hasEnergy() && ok.labels().hasStress(), "relaxed structures carry the model's energy, forces and stress");
            assertTrue(ok.info().containsKey("uncertainty") && ok.info().containsKey("steps"), ok.info().toString());

            Process py = new ProcessBuilder("/usr/bin/python3", "-c", String.join("\n",
                    "import ase.io, sys",
                    "a = [x for x in ase.io.read(sys.argv[1], index=':') if 'forces' in x.arrays or x.calc is not None]",
                    "f = a[0].get_forces()",
                    "print(len(a) > 0, f.shape, a[0].info['status'])"), out.toString()).redirectErrorStream(true).start();
            String said = new String(py.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertTrue(py.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, py.exitValue(), said);
            assertTrue(said.startsWith("True (8, 3) "), said);

            Path html = dir.resolve("report.html");
            PoolCommandTest.Result rep = PoolCommandTest.cli("report", run.toString(), "-o", html.toString());
            assertEquals(0, rep.code(), rep.err());
            String page = Files.readString(html);
            assertTrue(page.contains("pool-energy-volume"));
            assertFalse(page.contains("no pool has been written yet"), "the report reads the pool from HDFS");
        } finally {
            cluster.shutdown();
        }
    }
}
