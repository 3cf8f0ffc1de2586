package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
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
import picocli.CommandLine;

/**
 * {@code generate -o POOL}, {@code pool ls}, {@code pool export} and other commands reading pools, on the local
 * filesystem and on a real HDFS (MiniDFSCluster); the export read back by ASE; bad input exits 2 naming what is wrong.
 */
class PoolCommandTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = CrucibleCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Result(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void generatedPoolIsListedExportedAndReadByAseAndByOtherCommands() throws Exception {
        Path pool = dir.resolve("si16");
        Path ref = dir.resolve("si16.extxyz");
        assertEquals(0, cli("generate", "--composition", "Si16", "--count", "7", "--seed", "4", "--partitions", "3", "-o", pool.toString()).code());
        assertEquals(0, cli("generate", "--composition", "Si16", "--count", "7", "--seed", "4", "-o", ref.toString()).code());

        Result ls = cli("pool", "ls", pool.toString());
        assertEquals(0, ls.code(), ls.err());
        String row = ls.out().lines().toList().get(1);
        assertTrue(row.matches("\\s+-\\s+-\\s+7\\s+3\\s+\\d+\\s+file:///.*si16"), ls.out());

        Path out = dir.resolve("export.extxyz");
        Result ex = cli("pool", "export", pool.toString(), "--format", "extxyz", "-o", out.toString());
        assertEquals(0, ex.code(), ex.err());
        assertTrue(ex.out().startsWith("wrote 7 structures of "), ex.out());
        List<Structure> exported = ExtendedXyz.read(out);
        List<Structure> direct = ExtendedXyz.read(ref);
        assertEquals(7, exported.size());
        for (int i = 0; i < 7; i++) {
            assertEquals(direct.get(i).withInfo(java.util.Map.of()).contentHash(), exported.get(i).withInfo(java.util.Map.of()).contentHash(), "frame " + i);
            assertEquals((long) i, ((Number) exported.get(i).info().get("pool_id")).longValue());
        }

        // ASE reads the export: same number of frames, atoms, positions and the per-structure state in info.
        Process py = new ProcessBuilder("/usr/bin/python3", "-c", String.join("\n",
                "import ase.io, sys",
                "a = ase.io.read(sys.argv[1], index=':')",
                "print(len(a), len(a[3]), a[3].info['pool_id'], a[3].info['status'], '%.10f' % a[3].positions[5][1])"), out.toString())
                .redirectErrorStream(true).start();
        String said = new String(py.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(py.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, py.exitValue(), said);
        assertEquals(String.format("7 16 3 generated %.10f", direct.get(3).positions()[16]), said);

        // Any command reading structure files reads a pool.
        Path cif = dir.resolve("from-pool.cif");
        Result conv = cli("convert", pool.toString(), cif.toString(), "--frames", "2:4");
        assertEquals(0, conv.code(), conv.err());
        assertTrue(conv.out().startsWith("wrote 2 structures"), conv.out());
        Result calc = cli("calc", pool.toString(), "--calculator", "sw");
        assertEquals(0, calc.code(), calc.err());
        assertEquals(7, calc.out().lines().filter(l -> l.matches("frame \\d+ Si16: E = .*")).count(), calc.out());
    }

    @Test
    void poolsOnHdfs() throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        try {
            cluster.waitActive();
            String root = "hdfs://localhost:" + cluster.getNameNodePort() + "/pools";
            Result g = cli("generate", "--composition", "Si8", "--count", "5", "--seed", "2", "--partitions", "2", "-o", root + "/cycle=0/stage=generated");
            assertEquals(0, g.code(), g.err());
            Result ls = cli("pool", "ls", root);
            assertEquals(0, ls.code(), ls.err());
            assertTrue(ls.out().lines().toList().get(1).matches("\\s+0\\s+generated\\s+5\\s+2\\s+\\d+\\s+" + java.util.regex.Pattern.quote(root)
                    + "/cycle=0/stage=generated"), ls.out());
            Path out = dir.resolve("hdfs.extxyz");
            Result ex = cli("pool", "export", root, "-o", out.toString());
            assertEquals(0, ex.code(), ex.err());
            assertEquals(5, ExtendedXyz.read(out).size());
            Result conv = cli("convert", root + "/cycle=0/stage=generated", dir.resolve("h.extxyz").toString());
            assertEquals(0, conv.code(), conv.err());
            assertEquals(5, ExtendedXyz.read(dir.resolve("h.extxyz")).size());
        } finally {
            cluster.shutdown();
        }
    }

    @Test
    void badInputExitsTwoNamingTheFileOrOption() throws Exception {
        Path pool = dir.resolve("p");
        assertEquals(0, cli("generate", "--composition", "Si8", "--count", "3", "-o", pool.toString()).code());
        Path out = dir.resolve("o.extxyz");

        Result r = cli("pool", "export", dir.resolve("missing").toString(), "-o", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("missing: no such directory"), r.err());

        r = cli("pool", "export", pool.toString(), "--stage", "relaxed", "-o", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("is a single pool: --cycle and --stage do not apply"), r.err());

        r = cli("pool", "export", dir.toString(), "-o", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no pools there"), r.err());

        r = cli("pool", "export", pool.toString(), "--format", "cif", "-o", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--format: 'cif' is not supported"), r.err());

        // A damaged partition file: named, no Java class names, no stack trace, nothing written.
        Path part = pool.resolve("part-00000.parquet");
        Files.writeString(part, "garbage");
        Files.deleteIfExists(pool.resolve(".part-00000.parquet.crc"));
        r = cli("pool", "export", pool.toString(), "-o", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(part.toString() + ": not a readable Parquet pool file"), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        assertFalse(Files.exists(out));
        r = cli("convert", pool.toString(), dir.resolve("c.extxyz").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("part-00000.parquet: not a readable Parquet pool file"), r.err());

        Path notPool = Files.createDirectories(dir.resolve("notes"));
        Files.writeString(notPool.resolve("keep.txt"), "mine");
        r = cli("generate", "--composition", "Si8", "--count", "3", "-o", notPool.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("notes: exists and is not a pool"), r.err());
        assertTrue(Files.exists(notPool.resolve("keep.txt")));

        for (String[] help : new String[][] {{"pool", "--help"}, {"pool", "ls", "--help"}, {"pool", "export", "--help"}, {"generate", "--help"}}) {
            Result h = cli(help);
            assertEquals(0, h.code(), String.join(" ", help));
            assertTrue(h.out().startsWith("Usage: crucible " + help[0]), h.out());
        }
    }
}
