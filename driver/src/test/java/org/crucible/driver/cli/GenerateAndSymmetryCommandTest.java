package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;
import org.crucible.driver.pool.LocalPool;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.PoolFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenerateAndSymmetryCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = CrucibleCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void spaceGroupCandidatesAreWrittenAndTheirGroupIsFound() {
        Path f = dir.resolve("diamond.extxyz");
        assertEquals(0, run("generate", "--composition", "Si8", "--method", "spacegroup", "--spacegroup", "227", "--count", "3",
                "--seed", "5", "-o", f.toString()), err.toString());
        List<Structure> frames = ExtendedXyz.read(f);
        assertEquals(3, frames.size());
        assertEquals(8, frames.get(0).size());
        assertEquals(0, run("symmetry", f.toString()), err.toString());
        String[] lines = out.toString().strip().split("\n");
        assertTrue(lines[lines.length - 1].contains("\"number\":227") && lines[lines.length - 1].contains("\"symbol\":\"Fd-3m\""), out.toString());
        assertEquals(4, lines.length, "one summary line and one JSON line per frame");
    }

    @Test
    void randomCellsGoToAPoolAndPartitionsAgree() {
        Path all = dir.resolve("all"), part = dir.resolve("part");
        assertEquals(0, run("generate", "--composition", "Si16", "--count", "6", "--seed", "9", "--partitions", "4", "-o", all.toString()), err.toString());
        assertEquals(0, run("generate", "--composition", "Si16", "--count", "2", "--first", "4", "--seed", "9", "-o", part.toString()), err.toString());
        List<PoolEntry> a = LocalPool.load(all.toUri().toString()).entries();
        List<PoolEntry> p = LocalPool.load(part.toUri().toString()).entries();
        assertEquals(4, PoolFiles.partitions(all.toUri().toString()).size());
        assertEquals(List.of(4L, 5L), p.stream().map(PoolEntry::id).toList());
        assertEquals(a.get(4).structure().contentHash(), p.get(0).structure().contentHash());
        assertEquals(a.get(5).structure().contentHash(), p.get(1).structure().contentHash());
        assertTrue(p.get(0).origin().contains("seed=9 candidate=4"), p.get(0).origin());
    }

    /** -o decides the format by its name: extended XYZ, a pool, or a refusal naming -o before anything is written. */
    @Test
    void outputNameChoosesTheFormatAndAnUnknownExtensionIsRefused() throws Exception {
        assertEquals(0, run("generate", "--composition", "Si8", "--count", "2", "--seed", "3", "-o", dir.resolve("p.parquet").toString()), err.toString());
        assertEquals(2, LocalPool.load(dir.resolve("p.parquet").toUri().toString()).entries().size());
        assertEquals(0, run("generate", "--composition", "Si8", "--count", "2", "--seed", "3", "-o", dir.resolve("f.xyz").toString()), err.toString());
        List<Structure> frames = ExtendedXyz.read(dir.resolve("f.xyz"));
        assertEquals(LocalPool.load(dir.resolve("p.parquet").toUri().toString()).entries().get(1).structure().contentHash(),
                frames.get(1).contentHash(), "the same candidate whichever the format");
        for (String bad : List.of("x.crpool", "out.cif", "POSCAR.vasp", "x.json")) {
            err.getBuffer().setLength(0);
            assertEquals(2, run("generate", "--composition", "Si16", "--count", "2", "-o", dir.resolve(bad).toString()), bad);
            String m = err.toString();
            assertTrue(m.contains("-o " + dir.resolve(bad) + ": generate writes extended XYZ"), m);
            assertTrue(m.contains("not '" + bad.substring(bad.lastIndexOf('.')) + "'"), m);
            assertTrue(!m.contains("Exception") && !m.contains("\tat "), "no Java class names or stack trace: " + m);
            assertTrue(!java.nio.file.Files.exists(dir.resolve(bad)) && !java.nio.file.Files.exists(dir.resolve("." + bad + "._tmp")),
                    "nothing created for " + bad);
        }
        err.getBuffer().setLength(0);
        assertEquals(2, run("generate", "--composition", "Si16", "--count", "2", "-o", dir.resolve("y.crpool").toString()));
        assertTrue(err.toString().contains("the .crpool format of earlier versions is gone"), err.toString());
    }

    @Test
    void impossibleCompositionExitsWithCodeTwoAndSaysWhy() {
        int code = run("generate", "--composition", "Si7", "--method", "spacegroup", "--spacegroup", "227", "-o", dir.resolve("x.extxyz").toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains("composition") && err.toString().contains("227"), err.toString());
        assertEquals(2, run("generate", "--composition", "Xx3", "-o", dir.resolve("y.extxyz").toString()));
        assertTrue(err.toString().contains("unknown element 'Xx'"), err.toString());
    }

    @Test
    void symmetryPrintsOneExactJsonLinePerFrameAndNamesAMissingFile() throws Exception {
        double a = 5.43;
        double[] frac = {0, 0, 0, 0.25, 0.25, 0.25, 0, 0.5, 0.5, 0.25, 0.75, 0.75, 0.5, 0, 0.5, 0.75, 0.25, 0.75, 0.5, 0.5, 0, 0.75, 0.75, 0.25};
        Cell cubic = Cell.cubic(a);
        int[] z = new int[8];
        java.util.Arrays.fill(z, 14);
        Structure diamond = Structure.of(cubic, z, cubic.toCartesianAll(frac));
        Structure molecule = Structure.of(Cell.NONE, new int[] {14, 14}, new double[] {0, 0, 0, 2.3, 0, 0});
        Path f = dir.resolve("two.extxyz");
        ExtendedXyz.write(f, List.of(diamond, molecule));
        assertEquals(0, run("symmetry", f.toString()), err.toString());
        assertEquals(List.of("{\"frame\":0,\"formula\":\"Si8\",\"number\":227,\"symbol\":\"Fd-3m\",\"tolerance\":0.001,\"primitive_atoms\":2,\"operations\":48}",
                "{\"frame\":1,\"formula\":\"Si2\",\"error\":\"not periodic in three directions\"}"), List.of(out.toString().strip().split("\n")));
        assertEquals(2, run("symmetry", dir.resolve("missing.extxyz").toString()));
        assertTrue(err.toString().contains("missing.extxyz: no such file"), err.toString());
    }
}
