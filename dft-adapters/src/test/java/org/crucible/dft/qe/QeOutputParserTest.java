package org.crucible.dft.qe;

import static org.crucible.dft.SampleAssertions.basics;
import static org.crucible.dft.SampleAssertions.energy;
import static org.crucible.dft.SampleAssertions.maxForce;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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

/** Every shared pw.x sample against its README, plus damaged files. */
class QeOutputParserTest {
    private final QeOutputParser parser = new QeOutputParser();

    private static double ry(double v) {
        return v * Units.RY_TO_EV;
    }

    @Test
    void siScfStressTestsuite() {
        DftResult r = parser.parse(TestEnvironment.assumeShared("dft-samples/qe/si_scf_stress_testsuite/scf.out"));
        basics(r, 2, DftStatus.OK);
        energy(r, ry(-15.79449593));
        maxForce(r, null);
        assertEquals("6.1", r.codeVersion());
        // P = -30.30 kbar printed by pw.x; ASE pressure = -trace(sigma_ASE)/3 must give the same number.
        assertEquals(-30.30, Units.pressureGPa(r.stress()) * 10, 0.01);
        assertNotNull(r.wallSeconds());
        assertEquals(0.15, r.wallSeconds(), 1e-9);
    }

    @Test
    void graphiteForcesStress() {
        DftResult r = parser.parse(TestEnvironment.assumeShared("dft-samples/qe/graphite_scf_forces_stress_testsuite/vdw-d2.out"));
        basics(r, 4, DftStatus.OK);
        energy(r, ry(-44.19783207));
        maxForce(r, 0.0);
        assertEquals("6.7GPU", r.codeVersion());
        assertEquals(-383.14, Units.pressureGPa(r.stress()) * 10, 0.01);
    }

    @Test
    void naclForcesStressQe67() {
        DftResult r = parser.parse(TestEnvironment.assumeShared("dft-samples/qe/nacl_scf_forces_stress_qe67/nacl_scf_forces_stress.out"));
        basics(r, 2, DftStatus.OK);
        energy(r, ry(-121.66517403));
        maxForce(r, 0.095083);
        assertEquals("6.7MaX", r.codeVersion());
        double[] f = r.forces();
        assertEquals(-0.00303532 * Units.RY_PER_BOHR_TO_EV_PER_A, f[0], 1e-12);
        assertEquals(-0.00149384 * Units.RY_PER_BOHR_TO_EV_PER_A, f[5], 1e-12, "atom 2 z (sign kept)");
        assertEquals(8.33, Units.pressureGPa(r.stress()) * 10, 0.01);
        // xx printed 0.00006095 Ry/bohr^3 (8.97 kbar, compressive); ASE sign is the opposite.
        assertEquals(-0.00006095 * Units.RY_PER_BOHR3_TO_EV_PER_A3, r.stress()[0], 1e-12);
        assertEquals(10.68, r.wallSeconds(), 1e-9);
        assertNull(r.ionicConverged());
    }

    @Test
    void naclScfNotConverged() {
        DftResult r = parser.parse(TestEnvironment.assumeShared("dft-samples/qe/nacl_scf_not_converged_qe67/nacl_scf_not_converged.out"));
        basics(r, 2, DftStatus.SCF_NOT_CONVERGED);
        energy(r, null);
        maxForce(r, null);
        assertTrue(r.message().contains("NOT achieved"), r.message());
    }

    @Test
    void coRelaxLastAndAllSteps() {
        Path p = TestEnvironment.assumeShared("dft-samples/qe/co_relax_testsuite/relax.out");
        DftResult r = parser.parse(p);
        basics(r, 2, DftStatus.OK);
        energy(r, ry(-43.10976799));
        maxForce(r, 0.000585);
        assertEquals(1, r.steps().size());
        assertEquals(Boolean.TRUE, r.ionicConverged());
        DftResult all = parser.parse(p, true);
        assertEquals(5, all.steps().size());
        assertEquals(ry(-43.09625738), all.steps().get(0).energy(), 1e-9);
        assertEquals(0.21576369 * Units.RY_PER_BOHR_TO_EV_PER_A, all.steps().get(0).maxForce(), 1e-9);
        assertEquals(r.energy(), all.energy());
    }

    @Test
    void runDirectoryIsSearchedForTheOutput() {
        Path dir = TestEnvironment.assumeShared("dft-samples/qe/nacl_scf_forces_stress_qe67");
        assertEquals(DftStatus.OK, parser.parse(dir).status());
    }

    @Test
    void truncatedOutputsAreIncompleteNeverOk(@TempDir Path tmp) throws IOException {
        Path src = TestEnvironment.assumeShared("dft-samples/qe/nacl_scf_forces_stress_qe67/nacl_scf_forces_stress.out");
        List<String> lines = Files.readAllLines(src);
        for (int cut = 1; cut < lines.size(); cut += 7) {
            Path f = tmp.resolve("cut" + cut + ".out");
            Files.write(f, lines.subList(0, cut));
            DftResult r;
            try {
                r = parser.parse(f);
            } catch (DftParseException e) {
                assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
                continue;
            }
            assertFalse(r.isOk(), "truncated at line " + cut + " must not be ok");
            if (r.energy() != null) assertTrue(Double.isFinite(r.energy()));
        }
        // Cut inside the force block: energy read but the step has no complete forces, so no step is reported.
        int forceLine = lines.indexOf(lines.stream().filter(l -> l.contains("atom    1 type  1   force")).findFirst().orElseThrow());
        Path f = tmp.resolve("inforces.out");
        Files.write(f, lines.subList(0, forceLine + 1));
        DftResult r = parser.parse(f);
        assertEquals(DftStatus.INCOMPLETE, r.status());
        assertTrue(r.message().contains("JOB DONE"));
    }

    @Test
    void garbageAndEmptyFilesNameTheFile(@TempDir Path tmp) throws IOException {
        Path empty = Files.writeString(tmp.resolve("empty.out"), "");
        DftParseException e = assertThrows(DftParseException.class, () -> parser.parse(empty));
        assertTrue(e.getMessage().contains("empty.out"));
        Path junk = Files.writeString(tmp.resolve("junk.out"), "hello\nworld\n");
        e = assertThrows(DftParseException.class, () -> parser.parse(junk));
        assertTrue(e.getMessage().contains("junk.out") && e.getMessage().contains("not a pw.x output"), e.getMessage());
        Path bad = Files.writeString(tmp.resolve("bad.out"), "     Program PWSCF v.6.7MaX starts\n     number of atoms/cell      =            2\n"
                + "     Self-consistent Calculation\n!    total energy              =     -12.3x Ry\n");
        e = assertThrows(DftParseException.class, () -> parser.parse(bad));
        assertTrue(e.getMessage().contains("bad.out:4"), e.getMessage());
        Path overflow = Files.writeString(tmp.resolve("ovf.out"), "     Program PWSCF v.6.7MaX starts\n     number of atoms/cell      =            1\n"
                + "     Self-consistent Calculation\n!    total energy              =     -12.3 Ry\n     convergence has been achieved in   8 iterations\n"
                + "     Forces acting on atoms (cartesian axes, Ry/au):\n\n     atom    1 type  1   force =    ************   0.0  0.0\n");
        e = assertThrows(DftParseException.class, () -> parser.parse(overflow));
        assertTrue(e.getMessage().contains("ovf.out:8") && e.getMessage().contains("asterisks"), e.getMessage());
    }

    @Test
    void nanEnergyIsAParseErrorNotAnOkResult(@TempDir Path tmp) throws IOException {
        Path f = Files.writeString(tmp.resolve("nan.out"), "     Program PWSCF v.6.7MaX starts\n     number of atoms/cell      =            1\n"
                + "     Self-consistent Calculation\n!    total energy              =     NaN Ry\n");
        DftParseException e = assertThrows(DftParseException.class, () -> parser.parse(f));
        assertTrue(e.getMessage().contains("nan.out:4") && e.getMessage().contains("not finite"), e.getMessage());
    }

    @Test
    void errorBlockIsFailedWithMessage(@TempDir Path tmp) throws IOException {
        Path f = Files.writeString(tmp.resolve("err.out"), String.join("\n",
                "     Program PWSCF v.6.7MaX starts on 22Nov2026 at 10:50:10",
                "     number of atoms/cell      =            2",
                " %%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%",
                "     Error in routine readpp (2):",
                "     file /nope/Si.UPF not found",
                " %%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%",
                "     stopping ...", ""));
        DftResult r = parser.parse(f);
        assertEquals(DftStatus.FAILED, r.status());
        assertTrue(r.message().contains("readpp") && r.message().contains("not found"), r.message());
        assertNull(r.energy());
    }

    @Test
    void crashFileTurnsACutOutputIntoFailed(@TempDir Path tmp) throws IOException {
        List<String> lines = Files.readAllLines(TestEnvironment.assumeShared("dft-samples/qe/nacl_scf_forces_stress_qe67/nacl_scf_forces_stress.out"));
        Path out = tmp.resolve("pw.out");
        Files.write(out, lines.subList(0, 150));
        assertEquals(DftStatus.INCOMPLETE, parser.parse(out).status());
        Files.writeString(tmp.resolve("CRASH"), " %%%%%%%%%%%%%%\n     task #         0\n     from cdiaghg : error #       1\n"
                + "     Error in routine cdiaghg (1):\n     problems computing cholesky\n %%%%%%%%%%%%%%\n");
        DftResult r = parser.parse(tmp);
        assertEquals(DftStatus.FAILED, r.status());
        assertTrue(r.message().startsWith("CRASH: Error in routine cdiaghg") && r.message().contains("cholesky"), r.message());
    }

    @Test
    void durations() {
        assertEquals(10.68, org.crucible.dft.io.TextLines.durationSeconds(" 10.68s "), 1e-12);
        assertEquals(155.12, org.crucible.dft.io.TextLines.durationSeconds("2m35.12s"), 1e-12);
        assertEquals(3780, org.crucible.dft.io.TextLines.durationSeconds("1h 3m"), 1e-12);
        assertArrayEquals(new double[] {0.25, -0.25, 1e-9}, new org.crucible.dft.io.TextLines("x", List.of()).numbers(0, "0.2500-0.2500 1.0D-09"));
    }
}
