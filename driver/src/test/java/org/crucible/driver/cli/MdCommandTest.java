package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.executors.calculators.Eam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code crucible md} in-process: an EAM alloy with swaps, Si with SW in NVE, and bad input with exit code 2. */
class MdCommandTest {
    static final String CUNI = "/usr/share/lammps/potentials/CuNi.eam.alloy";

    @TempDir
    Path dir;

    static Structure fccCuNi() {
        double a = 3.56;
        double[][] basis = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
        double[] x = new double[3 * 32];
        int[] z = new int[32];
        int i = 0;
        for (int p = 0; p < 2; p++) for (int q = 0; q < 2; q++) for (int r = 0; r < 2; r++) for (double[] b : basis) {
            x[3 * i] = (p + b[0]) * a;
            x[3 * i + 1] = (q + b[1]) * a;
            x[3 * i + 2] = (r + b[2]) * a;
            z[i] = i % 2 == 0 ? 29 : 28;
            i++;
        }
        return Structure.of(Cell.cubic(2 * a), z, x);
    }

    @Test
    void eamAlloyNvtWithSwapsWritesTheTrajectory() throws Exception {
        TestEnvironment.assumeExecutable("lmp", "lammps");
        Path in = dir.resolve("cuni.extxyz"), out = dir.resolve("traj.extxyz");
        ExtendedXyz.write(in, List.of(fccCuNi()));
        var r = CalcRelaxCommandTest.run("md", in.toString(), out.toString(), "--calculator", "eam:" + CUNI, "--ensemble", "npt",
                "--temperature-k", "800", "--steps", "200", "--timestep-fs", "2", "--swap-every", "10", "--swaps", "2",
                "--sample-every", "20", "--seed", "3", "--bulk-modulus-gpa", "150", "--volume-every", "5", "--pressure-gpa", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("swaps accepted") && r.out().contains("<P> ="), r.out());
        assertTrue(r.err().contains("200/200 steps"), "progress bar: " + r.err());
        List<Structure> frames = ExtendedXyz.read(out);
        assertEquals(11, frames.size());
        Structure last = frames.get(10);
        assertEquals(200L, ((Number) last.info().get("step")).longValue());
        assertEquals(400.0, ((Number) last.info().get("time_fs")).doubleValue(), 1e-12);
        for (String k : List.of("temperature_K", "pressure_GPa", "kinetic_energy", "total_energy", "swaps_accepted")) {
            assertTrue(last.info().containsKey(k), k + " missing from " + last.info().keySet());
        }
        assertTrue(last.atomProperties().contains("velocities"));
        assertEquals(fccCuNi().composition(), last.composition());
        // the frame's labels are the EAM's for the frame's positions
        assertEquals(Eam.fromFile(Path.of(CUNI)).calculate(last).energy(), last.labels().energy(), 1e-9);
        // restarting from the last frame continues with its velocities
        Path out2 = dir.resolve("traj2.extxyz");
        var r2 = CalcRelaxCommandTest.run("md", out.toString(), out2.toString(), "--calculator", "eam:" + CUNI, "--ensemble", "nve",
                "--steps", "10", "--frame", "10", "--no-progress");
        assertEquals(0, r2.code(), r2.err());
        Structure first = ExtendedXyz.read(out2).get(0);
        assertEquals(((Number) last.info().get("kinetic_energy")).doubleValue(), ((Number) first.info().get("kinetic_energy")).doubleValue(), 1e-9);
    }

    @Test
    void badInputExitsTwoNamingTheOption() throws Exception {
        Path in = dir.resolve("si.extxyz");
        ExtendedXyz.write(in, List.of(CalcRelaxCommandTest.diamond(5.431, 0.05, 1)));
        var r = CalcRelaxCommandTest.run("md", in.toString(), dir.resolve("o.extxyz").toString(), "--calculator", "sw", "--steps", "10",
                "--ensemble", "nph");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--ensemble") && r.err().contains("nph"), r.err());
        r = CalcRelaxCommandTest.run("md", in.toString(), dir.resolve("o.extxyz").toString(), "--calculator", "sw", "--steps", "10",
                "--thermostat", "berendsen");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--thermostat") && r.err().contains("berendsen"), r.err());
        r = CalcRelaxCommandTest.run("md", in.toString(), dir.resolve("o.extxyz").toString(), "--calculator", "sw", "--steps", "10",
                "--ensemble", "npt", "--barostat", "mtk");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--barostat") && r.err().contains("mtk"), r.err());
        r = CalcRelaxCommandTest.run("md", in.toString(), dir.resolve("o.extxyz").toString(), "--calculator", "sw", "--steps", "10",
                "--thermostat", "berendsen");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--thermostat") && r.err().contains("berendsen"), r.err());
        r = CalcRelaxCommandTest.run("md", in.toString(), dir.resolve("o.extxyz").toString(), "--calculator", "eam:/nonexistent/X.eam.alloy", "--steps", "10");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--calculator") && r.err().contains("/nonexistent/X.eam.alloy"), r.err());
        r = CalcRelaxCommandTest.run("md", in.toString(), dir.resolve("o.extxyz").toString(), "--calculator", "sw", "--steps", "10",
                "--timestep-fs", "-1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("time step") && r.err().contains("-1"), r.err());
        assertTrue(!r.err().contains("Exception"), "no Java class names: " + r.err());
    }

    @Test
    void noseHooverRunReportsItsConservedEnergy() throws Exception {
        Path in = dir.resolve("si.extxyz"), out = dir.resolve("nh.extxyz");
        ExtendedXyz.write(in, List.of(CalcRelaxCommandTest.diamond(5.431, 0.0, 1)));
        var r = CalcRelaxCommandTest.run("md", in.toString(), out.toString(), "--calculator", "sw", "--thermostat", "nose-hoover",
                "--temperature-k", "600", "--steps", "400", "--damping-fs", "50", "--no-progress");
        assertEquals(0, r.code(), r.err());
        var scr = CalcRelaxCommandTest.run("md", in.toString(), dir.resolve("scr.extxyz").toString(), "--calculator", "sw", "--thermostat",
                "nose-hoover", "--ensemble", "npt", "--barostat", "scr", "--pressure-gpa", "1", "--bulk-modulus-gpa", "100",
                "--steps", "200", "--no-progress");
        assertEquals(0, scr.code(), scr.err());
        assertTrue(scr.out().contains("<P> ="), scr.out());
        List<Structure> frames = ExtendedXyz.read(out);
        double c0 = ((Number) frames.get(0).info().get("conserved_energy")).doubleValue();
        for (Structure f : frames) assertEquals(c0, ((Number) f.info().get("conserved_energy")).doubleValue(), 0.01, "step " + f.info().get("step"));
    }

    @Test
    void siliconNveConservesEnergy() throws Exception {
        Path in = dir.resolve("si.extxyz"), out = dir.resolve("t.extxyz");
        ExtendedXyz.write(in, List.of(CalcRelaxCommandTest.diamond(5.431, 0.0, 1)));
        var r = CalcRelaxCommandTest.run("md", in.toString(), out.toString(), "--calculator", "sw", "--ensemble", "nve",
                "--temperature-k", "1000", "--steps", "500", "--timestep-fs", "1", "--no-progress");
        assertEquals(0, r.code(), r.err());
        List<Structure> frames = ExtendedXyz.read(out);
        double e0 = ((Number) frames.get(0).info().get("total_energy")).doubleValue();
        for (Structure f : frames) {
            assertEquals(e0, ((Number) f.info().get("total_energy")).doubleValue(), 8 * 1e-3, "total energy at step " + f.info().get("step"));
        }
    }
}
