package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;
import org.crucible.core.units.Units;
import org.crucible.executors.calculators.StillingerWeber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code crucible calc} and {@code crucible relax} in-process on small real inputs. */
class CalcRelaxCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = CrucibleCommand.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static Structure diamond(double a, double rattle, long seed) {
        double[][] frac = {{0, 0, 0}, {0.25, 0.25, 0.25}, {0, 0.5, 0.5}, {0.25, 0.75, 0.75}, {0.5, 0, 0.5}, {0.75, 0.25, 0.75},
            {0.5, 0.5, 0}, {0.75, 0.75, 0.25}};
        Random rng = new Random(seed);
        double[] xyz = new double[24];
        for (int i = 0; i < 8; i++) for (int k = 0; k < 3; k++) xyz[3 * i + k] = frac[i][k] * a + rattle * (rng.nextDouble() - 0.5);
        return Structure.of(Cell.cubic(a), new int[] {14, 14, 14, 14, 14, 14, 14, 14}, xyz);
    }

    @Test
    void calcPrintsOneJsonLinePerFrame() throws Exception {
        Path in = dir.resolve("in.extxyz");
        List<Structure> frames = List.of(diamond(5.431, 0, 1), diamond(5.5, 0.2, 2));
        ExtendedXyz.write(in, frames);
        Run r = run("calc", in.toString(), "--calculator", "sw", "--json");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().trim().split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].startsWith("{\"frame\":0,\"energy_eV\":-34.69"), lines[0]);
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines[1]);
        var ref = StillingerWeber.silicon().calculate(frames.get(1));
        assertEquals(ref.energy(), json.get("energy_eV").asDouble(), 0.0);
        assertEquals(8, json.get("forces_eV_per_A").size());
        assertEquals(ref.forces()[4], json.get("forces_eV_per_A").get(1).get(1).asDouble(), 0.0);
        assertEquals(Units.stressToGPa(ref.stress())[3], json.get("stress_GPa").get(3).asDouble(), 0.0);

        Run human = run("calc", in.toString(), "--calculator", "tersoff:/usr/share/lammps/potentials/Si.tersoff");
        if (Files.exists(Path.of("/usr/share/lammps/potentials/Si.tersoff"))) {
            assertEquals(0, human.code(), human.err());
            assertTrue(human.out().startsWith("frame 0 Si8: E = "), human.out());
        }
    }

    @Test
    void badInputIsExitCodeTwoWithTheReason() throws Exception {
        Path in = dir.resolve("in.extxyz");
        ExtendedXyz.write(in, List.of(diamond(5.431, 0, 1)));
        Run r = run("calc", in.toString(), "--calculator", "nosuch:Cu");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown kind 'nosuch'"), r.err());
        r = run("calc", dir.resolve("missing.extxyz").toString(), "--calculator", "sw");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("missing.extxyz"), r.err());
        Path broken = dir.resolve("broken.extxyz");
        Files.writeString(broken, "2\nLattice=\"5 0 0 0 5 0 0 0 5\" Properties=species:S:1:pos:R:3\nSi 0 0 0\nSi 1 1 x\n");
        r = run("calc", broken.toString(), "--calculator", "sw");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("broken.extxyz") && r.err().contains("line"), r.err());
        // serve's model is a parameter, and the message says so (not --potential, which serve has not)
        Path notAModel = dir.resolve("not-a-model.json");
        Files.writeString(notAModel, "{\"format\": \"nope\"}");
        r = run("serve", notAModel.toString(), "--structure", in.toString(), "--unix", "crucible-audit-" + ProcessHandle.current().pid());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("MODEL.json: ") && r.err().contains("not-a-model.json") && !r.err().contains("--potential"), r.err());
        // a good first frame and a broken second one: exit 2 and no output file, not half of one
        Path goodThenBroken = dir.resolve("good-then-broken.extxyz");
        Files.writeString(goodThenBroken, Files.readString(in) + "2\nLattice=\"5 0 0 0 5 0 0 0 5\" Properties=species:S:1:pos:R:3\nSi 0 0 0\n");
        r = run("relax", goodThenBroken.toString(), dir.resolve("half.extxyz").toString(), "--calculator", "sw", "--max-steps", "3");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("good-then-broken.extxyz") && r.err().contains("line"), r.err());
        assertFalse(Files.exists(dir.resolve("half.extxyz")) || Files.exists(dir.resolve("half.extxyz.partial")), "nothing created");
        r = run("relax", in.toString(), dir.resolve("o.extxyz").toString(), "--calculator", "sw", "--optimizer", "bfgs");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--optimizer"), r.err());
        r = run("relax", in.toString(), dir.resolve("o.extxyz").toString(), "--calculator", "sw", "--fmax", "-1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("fmax"), r.err());
        // an element the potential does not cover: reported per frame, exit code 1
        Structure ge = Structure.of(Cell.cubic(5.6), new int[] {32, 32}, new double[] {0, 0, 0, 1.4, 1.4, 1.4});
        ExtendedXyz.write(in, List.of(ge));
        r = run("calc", in.toString(), "--calculator", "sw");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("element Ge"), r.err());
    }

    @Test
    void relaxWritesRelaxedFramesWithLabelsAndSummaries() throws Exception {
        Path in = dir.resolve("in.extxyz");
        Path out = dir.resolve("out.extxyz");
        List<Structure> frames = new ArrayList<>();
        frames.add(diamond(5.6, 0.15, 3));
        frames.add(diamond(5.3, 0.15, 4));
        ExtendedXyz.write(in, frames);
        for (String opt : new String[] {"fire", "lbfgs", "precon-lbfgs"}) {
            Run r = run("relax", in.toString(), out.toString(), "--calculator", "sw", "--pressure-gpa", "1.5", "--fmax", "0.001",
                    "--smax-gpa", "0.001", "--max-steps", "2000", "--optimizer", opt);
            assertEquals(0, r.code(), r.err());
            String[] lines = r.out().trim().split("\n");
            assertEquals(2, lines.length, r.out());
            assertTrue(lines[0].startsWith("frame 0 Si8: CONVERGED after "), lines[0]);
            List<Structure> relaxed = ExtendedXyz.read(out);
            assertEquals(2, relaxed.size());
            for (Structure s : relaxed) {
                assertEquals("CONVERGED", s.info().get("relax_reason"));
                assertEquals(Boolean.TRUE, s.info().get("relax_converged"));
                assertTrue(s.labels().maxForce() < 0.001);
                assertEquals(1.5, Units.pressureGPa(s.labels().stress()), 1e-3);
                double h = ((Number) s.info().get("enthalpy_eV")).doubleValue();
                assertEquals(s.labels().energy() + 1.5 * Units.GPA_TO_EV_PER_A3 * s.cell().volume(), h, 1e-9);
                // the labels in the file are the calculator's for the written geometry
                assertEquals(StillingerWeber.silicon().calculate(s).energy(), s.labels().energy(), 1e-9);
            }
        }
    }

    @Test
    void poscarInputIsReadByItsName() throws Exception {
        Path poscar = dir.resolve("POSCAR");
        Files.writeString(poscar, String.join("\n", "Si8 diamond", "1.0", "5.431 0 0", "0 5.431 0", "0 0 5.431", "Si", "8", "Direct",
                "0 0 0", "0.25 0.25 0.25", "0 0.5 0.5", "0.25 0.75 0.75", "0.5 0 0.5", "0.75 0.25 0.75", "0.5 0.5 0", "0.75 0.75 0.25", ""));
        Run r = run("calc", poscar.toString(), "--calculator", "sw", "--json");
        assertEquals(0, r.code(), r.err());
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out().trim());
        assertEquals(-4.3366, json.get("energy_eV").asDouble() / 8, 5e-5);
    }
}
