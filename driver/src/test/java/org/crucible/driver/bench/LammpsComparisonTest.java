package org.crucible.driver.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.crucible.core.Structure;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.driver.cli.CrucibleCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code crucible bench lammps} with the real LAMMPS at a small size (what {@code bench/compare-lammps.sh} runs in CI):
 * the same boxes reach both programs (first-frame energies agree to 1e-9 eV/atom), every figure is a positive time,
 * and bad options or a missing {@code lmp} are reported by name.
 */
class LammpsComparisonTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    static Result cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = CrucibleCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void sameBoxesInBothProgramsAndEveryFigureATime() throws Exception {
        TestEnvironment.assumeExecutable("lmp", "lammps");
        Path json = tmp.resolve("rows.json");
        Result r = cli("bench", "lammps", "--atoms", "64", "--steps", "50", "--seconds", "0.05", "--dir", tmp.resolve("lmp").toString(),
                "--json", json.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        JsonNode rows = new ObjectMapper().readTree(json.toFile());
        assertEquals(3, rows.size(), r.out());
        for (JsonNode row : rows) {
            String k = row.get("kernel").asText();
            assertTrue(row.get("energyDifference").asDouble() < 1e-9, k + ": " + row);
            assertEquals(k.equals("eam") ? 108 : 64, row.get("atoms").asInt(), k);
            for (String f : List.of("crucibleReused", "lammpsPair", "crucibleRebuilt", "lammpsPairNeigh", "crucibleMd", "lammpsMd")) {
                double v = row.get(f).asDouble();
                assertTrue(v > 0 && v < 1e4, k + " " + f + " = " + v);
            }
            assertTrue(r.out().contains("| " + k + " | "), r.out());
        }
        // the files LAMMPS read are kept: the EAM box is a two-element alloy
        String data = Files.readString(tmp.resolve("lmp/eam/box.data"));
        assertTrue(data.contains("2 atom types") && data.contains("108 atoms"), data);
    }

    @Test
    void badOptionsAndAMissingLammpsAreNamed() {
        Result bad = cli("bench", "lammps", "--kernels", "sw,snap", "--dir", tmp.toString());
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("--kernels") && bad.err().contains("snap"), bad.err());
        Result small = cli("bench", "lammps", "--atoms", "2", "--dir", tmp.toString());
        assertEquals(2, small.code(), small.err());
        assertTrue(small.err().contains("--atoms"), small.err());
        Result noLmp = cli("bench", "lammps", "--kernels", "sw", "--atoms", "64", "--steps", "10", "--seconds", "0.01", "--lmp",
                tmp.resolve("no-such-lmp").toString(), "--dir", tmp.resolve("x").toString());
        assertEquals(1, noLmp.code(), noLmp.err());
        assertTrue(noLmp.err().contains("--lmp"), noLmp.err());
        assertFalse(noLmp.err().contains("Exception"), noLmp.err());
    }

    @Test
    void boxesAreWrappedAlloysOfTheRequestedFraction() {
        Structure s = LammpsComparison.crystal(LammpsComparison.FCC, 6, 4.05, new int[] {13, 29}, 0.25, 7);
        assertEquals(864, s.size());
        long cu = java.util.stream.IntStream.range(0, s.size()).filter(i -> s.atomicNumber(i) == 29).count();
        assertTrue(cu > 864 * 0.2 && cu < 864 * 0.3, "Cu atoms " + cu);
        double[] p = s.positions();
        for (double x : p) assertTrue(x >= 0 && x < 6 * 4.05, "wrapped: " + x);
    }
}
