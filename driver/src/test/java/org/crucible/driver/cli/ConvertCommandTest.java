package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.crucible.core.Cell;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.core.io.Cif;
import org.crucible.core.io.ExtendedXyz;
import org.crucible.core.io.Poscar;
import org.crucible.core.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConvertCommandTest {
    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = CrucibleCommand.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static List<Structure> frames(int n) {
        List<Structure> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            out.add(Structure.of(Cell.cubic(5 + k), new int[] {14, 6}, new double[] {0, 0, 0, 1 + 0.1 * k, 1, 1})
                    .withLabels(new Labels(-10.0 - k, new double[6], null)).withInfo("index", k));
        }
        return out;
    }

    private static List<String> filesIn(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void convertsTheReadmeExampleToCif(@TempDir Path dir) {
        Path example = TestEnvironment.repositoryRoot().resolve("examples/si8-diamond.extxyz");
        Path cif = dir.resolve("si8.cif");
        Run r = run("convert", example.toString(), cif.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("wrote 1 structure to " + cif + " (cif)\n", r.out());
        Structure s = Cif.read(cif).get(0);
        assertEquals("Si8", s.formula());
        assertArrayEquals(new double[] {5.431, 5.431, 5.431}, s.cell().lengths(), 1e-12);
        Structure original = ExtendedXyz.read(example).get(0);
        assertArrayEquals(original.positions(), s.positions(), 1e-10);
    }

    @Test
    void selectsFramesWithPythonSlices(@TempDir Path dir) {
        Path in = dir.resolve("traj.extxyz");
        ExtendedXyz.write(in, frames(6));
        Path out = dir.resolve("sel.xyz");
        assertEquals(0, run("convert", in.toString(), out.toString(), "--frames", "1:5:2").exit());
        List<Structure> got = ExtendedXyz.read(out);
        assertEquals(List.of(1, 3), got.stream().map(s -> s.info().get("index")).toList());
        assertEquals(frames(6).get(3), got.get(1));

        assertEquals(0, run("convert", in.toString(), out.toString(), "--frames", "-2:").exit());
        assertEquals(List.of(4, 5), ExtendedXyz.read(out).stream().map(s -> s.info().get("index")).toList());
        assertEquals(0, run("convert", in.toString(), out.toString(), "--frames", "::-3").exit());
        assertEquals(List.of(5, 2), ExtendedXyz.read(out).stream().map(s -> s.info().get("index")).toList());

        Path poscar = dir.resolve("CONTCAR.last");
        Run r = run("convert", in.toString(), "--to", "vasp", poscar.toString(), "--frames", "-1");
        assertEquals(0, r.exit(), r.err());
        assertEquals(1000.0, Poscar.read(poscar).cell().volume(), 1e-9); // the last frame is the 10 Angstrom cube
    }

    @Test
    void badInputExitsTwoNamingFileAndLineAndLeavesNoOutput(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("bad.extxyz");
        String good = ExtendedXyz.toString(frames(2));
        String[] lines = good.split("\n", -1);
        lines[6] = lines[6].replaceFirst("Si", "Si 0.5"); // one column too many on line 7 (atom 1 of frame 2)
        Files.writeString(in, String.join("\n", lines));
        Path out = dir.resolve("out.cif");
        Run r = run("convert", in.toString(), out.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains(in + ", line 7: atom 1 of 2: expected 7 columns"), r.err());
        assertFalse(Files.exists(out));
        assertEquals(List.of("bad.extxyz"), filesIn(dir));
        // Extended XYZ out streams frame by frame: the good first frame was already written when line 7 failed.
        r = run("convert", in.toString(), dir.resolve("out.extxyz").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("line 7"), r.err());
        assertEquals(List.of("bad.extxyz"), filesIn(dir));

        // An existing output is left untouched when the conversion fails while writing (several frames as POSCAR).
        Path ok = dir.resolve("two.extxyz");
        ExtendedXyz.write(ok, frames(2));
        Path poscar = dir.resolve("POSCAR");
        Files.writeString(poscar, "keep me\n");
        r = run("convert", ok.toString(), poscar.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("POSCAR holds exactly one structure, got 2"), r.err());
        assertEquals("keep me\n", Files.readString(poscar));
        assertEquals(List.of("POSCAR", "bad.extxyz", "two.extxyz"), filesIn(dir));
    }

    @Test
    void usageErrorsExitTwo(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("a.extxyz");
        ExtendedXyz.write(in, frames(1));
        Run r = run("convert", in.toString(), dir.resolve("a.pdb").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("cannot tell the format of"), r.err());
        r = run("convert", in.toString(), dir.resolve("b.cif").toString(), "--frames", "1:x");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--frames"), r.err());
        r = run("convert", in.toString(), dir.resolve("b.cif").toString(), "--frames", "7");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("no frame selected"), r.err());
        r = run("convert", dir.resolve("missing.extxyz").toString(), dir.resolve("b.cif").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("missing.extxyz: no such file"), r.err());
        r = run("convert", "--from", "pdb", in.toString(), dir.resolve("b.cif").toString());
        assertEquals(2, r.exit());
        assertFalse(Files.exists(dir.resolve("b.cif")));
    }
}
