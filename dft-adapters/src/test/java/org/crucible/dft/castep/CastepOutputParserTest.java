package org.crucible.dft.castep;

import static org.crucible.dft.SampleAssertions.basics;
import static org.crucible.dft.SampleAssertions.energy;
import static org.crucible.dft.SampleAssertions.maxForce;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.core.units.Units;
import org.crucible.dft.DftParseException;
import org.crucible.dft.DftResult;
import org.crucible.dft.DftStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every shared CASTEP sample against its README. The README's "final energy" is CASTEP's {@code Final energy, E}
 * (reported here as {@link DftResult#energyTotal()}); the force-consistent energy is the free energy (E-TS),
 * which the README lists too and which is {@link DftResult#energy()}.
 */
class CastepOutputParserTest {
    private final CastepOutputParser parser = new CastepOutputParser();

    @Test
    void si2SinglePointV19FixedOccupation() {
        DftResult r = parser.parse(TestEnvironment.assumeShared("dft-samples/castep/Si2_singlepoint_v19/aiida.castep"));
        basics(r, 2, DftStatus.OK);
        energy(r, -337.9095600890);
        assertEquals(-337.9095600890, r.energyTotal(), 1e-9);
        assertNull(r.energyZeroSigma());
        maxForce(r, 0.0);
        assertNull(r.stress(), "stress not calculated");
        assertEquals("19.1", r.codeVersion());
        assertEquals(5.07, r.wallSeconds(), 1e-9);
        assertNull(r.ionicConverged());
    }

    @Test
    void si8MdNptV16() {
        Path p = TestEnvironment.assumeShared("dft-samples/castep/Si8_md_npt_v16/Si8-md-NPT.castep");
        DftResult r = parser.parse(p);
        basics(r, 8, DftStatus.OK);
        energy(r, -855.4802943941);
        assertEquals(-855.4784770973, r.energyTotal(), 1e-6 * 855.4784770973, "README final energy (Final energy, E)");
        assertEquals(-855.4793857457, r.energyZeroSigma(), 1e-9);
        maxForce(r, 1.5358);
        double[] f = r.forces();
        assertArrayEquals(new double[] {0.64409, -0.26783, -1.36820}, new double[] {f[21], f[22], f[23]}, 1e-12);
        assertEquals(1.8502, Units.pressureGPa(r.stress()), 1e-4);
        assertArrayEquals(new double[] {-7.046443, 0.192140, 1.303760},
                new double[] {r.stress()[0] * Units.EV_PER_A3_TO_GPA, r.stress()[1] * Units.EV_PER_A3_TO_GPA, r.stress()[2] * Units.EV_PER_A3_TO_GPA}, 1e-9);
        assertEquals("16.1", r.codeVersion());
        DftResult all = parser.parse(p, true);
        assertEquals(11, all.steps().size(), "initial step + 10 MD iterations, finite-basis extra SCFs excluded");
        for (var s : all.steps()) assertTrue(s.forces() != null && s.stress() != null);
    }

    @Test
    void si2GeomoptFailedV17() {
        DftResult r = parser.parse(TestEnvironment.assumeShared("dft-samples/castep/Si2_geomopt_failed_v17/aiida.castep"));
        basics(r, 2, DftStatus.OK);
        energy(r, -216.0333756337);
        assertEquals(-216.0333725622, r.energyTotal(), 1e-9);
        assertEquals(-216.0333740979, r.energyZeroSigma(), 1e-9);
        maxForce(r, 0.0);
        assertEquals(1.2146, Units.pressureGPa(r.stress()), 1e-4);
        assertEquals(-1.214642, r.stress()[0] * Units.EV_PER_A3_TO_GPA, 1e-9);
        assertEquals(Boolean.FALSE, r.ionicConverged(), "geometry optimisation failed to converge after 30 steps");
        assertTrue(r.message().contains("geometry"), r.message());
        assertEquals("17.2", r.codeVersion());
    }

    @Test
    void truncatedAndGarbage(@TempDir Path tmp) throws IOException {
        Path src = TestEnvironment.assumeShared("dft-samples/castep/Si8_md_npt_v16/Si8-md-NPT.castep");
        List<String> lines = Files.readAllLines(src);
        for (int cut = 1; cut < lines.size(); cut += 97) {
            Path f = tmp.resolve("cut.castep");
            Files.write(f, lines.subList(0, cut));
            try {
                DftResult r = parser.parse(f);
                assertEquals(DftStatus.INCOMPLETE, r.status());
            } catch (DftParseException e) {
                assertTrue(e.getMessage().contains("cut.castep"), e.getMessage());
            }
        }
        Path err = tmp.resolve("run");
        Files.createDirectories(err);
        Files.write(err.resolve("seed.castep"), lines.subList(0, 300));
        Files.writeString(err.resolve("seed.0001.err"), "Error in allocate: out of memory\n");
        DftResult failed = parser.parse(err);
        assertEquals(DftStatus.FAILED, failed.status());
        assertTrue(failed.message().contains("out of memory"));
        Path junk = Files.writeString(tmp.resolve("junk.castep"), "nothing here\n");
        assertTrue(assertThrows(DftParseException.class, () -> parser.parse(junk)).getMessage().contains("junk.castep"));
    }

    @Test
    void unconvergedScfWarningMarksTheStep(@TempDir Path tmp) throws IOException {
        Path f = Files.writeString(tmp.resolve("x.castep"), String.join("\n",
                " | Welcome to Academic Release CASTEP version 20.11 |",
                "                         Total number of ions in cell =    1",
                "*Warning* max. SCF cycles performed but system has not reached the groundstate.",
                "Final energy =  -100.5     eV",
                "Total time          =      5.07 s", ""));
        DftResult r = parser.parse(f);
        assertEquals(DftStatus.SCF_NOT_CONVERGED, r.status());
        assertEquals(-100.5, r.energy());
    }
}
