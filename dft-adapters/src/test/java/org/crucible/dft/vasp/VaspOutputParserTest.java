package org.crucible.dft.vasp;

import static org.crucible.dft.SampleAssertions.basics;
import static org.crucible.dft.SampleAssertions.energy;
import static org.crucible.dft.SampleAssertions.maxForce;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** Every shared VASP sample (OUTCAR and vasprun.xml) against its README, plus damaged files. */
class VaspOutputParserTest {
    private final VaspOutputParser parser = new VaspOutputParser();

    static double[] kbToAse(double xx, double yy, double zz, double xy, double yz, double zx) {
        double k = -Units.KBAR_TO_EV_PER_A3;
        return new double[] {k * xx, k * yy, k * zz, k * yz, k * zx, k * xy};
    }

    @Test
    void hcnoalOutcar() {
        DftResult r = parser.parse(TestEnvironment.assumeShared("dft-samples/vasp/HCNOAl_175at_singlepoint_v544/OUTCAR"));
        basics(r, 175, DftStatus.OK);
        energy(r, -1048.73893371);
        assertEquals(-1048.73893371, r.energyZeroSigma(), 1e-8);
        maxForce(r, 6.3862);
        assertEquals("5.4.4.18Apr17-6-g9f103f2a35", r.codeVersion());
        assertArrayEquals(kbToAse(-2.81535, -1.51999, -3.22121, -0.74804, -0.17687, -0.64848), r.stress(), 1e-12);
        assertEquals(48884.727, r.wallSeconds(), 1e-9);
        assertNull(r.ionicConverged());
    }

    @Test
    void hcnoalVasprunAgreesWithOutcar() {
        DftResult x = parser.parse(TestEnvironment.assumeShared("dft-samples/vasp/HCNOAl_175at_singlepoint_v544/vasprun.xml"));
        DftResult o = parser.parse(TestEnvironment.assumeShared("dft-samples/vasp/HCNOAl_175at_singlepoint_v544/OUTCAR"));
        basics(x, 175, DftStatus.OK);
        energy(x, -1048.73893371);
        assertEquals(-1048.73893371, x.energyZeroSigma(), 1e-8, "sigma->0 from the last scstep: calculation-level e_0_energy is the VASP 5 0.0 bug");
        maxForce(x, 6.3862);
        assertEquals("5.4.4.18Apr17-6-g9f103f2a35", x.codeVersion());
        assertArrayEquals(o.forces(), x.forces(), 1e-6);
        assertArrayEquals(o.stress(), x.stress(), 1e-5 * Units.KBAR_TO_EV_PER_A3);
        assertEquals(-2.81534748 * -Units.KBAR_TO_EV_PER_A3, x.stress()[0], 1e-15);
    }

    @Test
    void y2o3ScfNotConverged() {
        DftResult r = parser.parse(TestEnvironment.assumeShared("dft-samples/vasp/Y2O3_scf_unconverged_v641/vasprun.xml"));
        basics(r, 10, DftStatus.SCF_NOT_CONVERGED);
        energy(r, -86.29128496);
        maxForce(r, 0.0);
        assertEquals("6.4.1", r.codeVersion());
        assertEquals(-48.03920445 * Units.KBAR_TO_EV_PER_A3, r.stress()[0], 1e-12);
        assertTrue(r.message().contains("NELM"), r.message());
    }

    @Test
    void feoRelaxOutcarAndVasprun() {
        Path dir = TestEnvironment.assumeShared("dft-samples/vasp/FeO_relax_converged_v535");
        for (String f : List.of("OUTCAR", "vasprun.xml")) {
            DftResult r = parser.parse(dir.resolve(f));
            basics(r, 4, DftStatus.OK);
            energy(r, -28.21851457);
            maxForce(r, 0.0107);
            assertEquals(-28.21851457, r.energyZeroSigma(), 1e-8);
            assertEquals(Boolean.TRUE, r.ionicConverged(), f);
            assertEquals(1, r.steps().size());
            assertEquals(28, parser.parse(dir.resolve(f), true).steps().size(), f + ": 28 ionic steps");
            assertEquals(-1.98922 * -Units.KBAR_TO_EV_PER_A3, r.stress()[0], 1e-5 * Units.KBAR_TO_EV_PER_A3);
            assertTrue(r.codeVersion().startsWith("5.3.5"), r.codeVersion());
        }
        assertEquals(DftStatus.OK, parser.parse(dir).status(), "run directory");
    }

    @Test
    void truncatedOutcarAndVasprunAreIncomplete(@TempDir Path tmp) throws IOException {
        Path dir = TestEnvironment.assumeShared("dft-samples/vasp/FeO_relax_converged_v535");
        for (String f : List.of("OUTCAR", "vasprun.xml")) {
            List<String> lines = Files.readAllLines(dir.resolve(f), java.nio.charset.StandardCharsets.ISO_8859_1);
            for (double frac : new double[] {0.001, 0.3, 0.7, 0.999}) {
                Path cut = tmp.resolve(f + frac);
                Files.write(cut, lines.subList(0, (int) (lines.size() * frac)), java.nio.charset.StandardCharsets.ISO_8859_1);
                DftResult r;
                try {
                    r = parser.parse(cut);
                } catch (DftParseException e) {
                    assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
                    continue;
                }
                assertEquals(DftStatus.INCOMPLETE, r.status(), cut + " " + r.message());
                assertFalse(r.isOk());
                if (frac > 0.5) assertTrue(parser.parse(cut, true).steps().size() >= 10, "completed steps kept in " + cut);
            }
        }
    }

    @Test
    void outcarWithoutEdiffVerdictFallsBackToNelm(@TempDir Path tmp) throws IOException {
        Path src = TestEnvironment.assumeShared("dft-samples/vasp/FeO_relax_converged_v535/OUTCAR");
        List<String> lines = Files.readAllLines(src, java.nio.charset.StandardCharsets.ISO_8859_1);
        List<String> noVerdict = lines.stream().filter(l -> !l.contains("aborting loop because EDIFF is reached")).toList();
        Path f = tmp.resolve("OUTCAR.noverdict");
        Files.write(f, noVerdict, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals(DftStatus.OK, parser.parse(f).status(), "stopped before NELM: converged (VASP 4 style)");
        // The last ionic step used fewer than 100 iterations; pretend NELM was exactly that many.
        int lastIter = 0;
        for (String l : noVerdict) {
            if (l.contains("Iteration") && l.contains("(")) lastIter = Integer.parseInt(l.substring(l.indexOf('(') + 1, l.indexOf(')')).trim());
        }
        final int nelm = lastIter;
        Path g = tmp.resolve("OUTCAR.nelm");
        Files.write(g, noVerdict.stream().map(l -> l.contains("NELM   =") ? "   NELM   =    " + nelm + ";   NELMIN=  6; NELMDL=  0     # of ELM steps" : l).toList(),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals(DftStatus.SCF_NOT_CONVERGED, parser.parse(g).status());
    }

    @Test
    void fatalMessageOnStandardOutputMarksACutRunFailed(@TempDir Path tmp) throws IOException {
        Path src = TestEnvironment.assumeShared("dft-samples/vasp/FeO_relax_converged_v535/OUTCAR");
        List<String> lines = Files.readAllLines(src, java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.write(tmp.resolve("OUTCAR"), lines.subList(0, lines.size() / 2), java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.writeString(tmp.resolve("vasp.out"), " running on    4 total cores\n ZBRENT: fatal error in bracketing\n     please rerun with smaller EDIFF\n");
        DftResult r = parser.parse(tmp);
        assertEquals(DftStatus.FAILED, r.status());
        assertTrue(r.message().startsWith("vasp.out:2: ZBRENT: fatal error"), r.message());
        assertTrue(parser.parse(tmp, true).steps().size() >= 10, "completed steps are kept");
        Files.write(tmp.resolve("OUTCAR"), lines, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals(DftStatus.OK, parser.parse(tmp).status(), "a finished run stays ok");
    }

    @Test
    void garbage(@TempDir Path tmp) throws IOException {
        Path empty = Files.writeString(tmp.resolve("OUTCAR"), "");
        assertTrue(assertThrows(DftParseException.class, () -> parser.parse(empty)).getMessage().contains("OUTCAR"));
        Path xml = Files.writeString(tmp.resolve("vasprun.xml"), "<?xml version=\"1.0\"?>\n<html><body/></html>\n");
        assertTrue(assertThrows(DftParseException.class, () -> parser.parse(xml)).getMessage().contains("vasprun.xml"));
        Path notXml = Files.writeString(tmp.resolve("x.xml"), "this is not xml at all");
        assertTrue(assertThrows(DftParseException.class, () -> parser.parse(notXml)).getMessage().contains("x.xml"));
        Path badForce = Files.writeString(tmp.resolve("OUTCAR2"), " vasp.5.4.4 (build)\n   number of ions     NIONS =      1\n"
                + " POSITION                                       TOTAL-FORCE (eV/Angst)\n ------\n  0.0 0.0 0.0  1.0 abc 2.0\n");
        DftParseException e = assertThrows(DftParseException.class, () -> parser.parse(badForce));
        assertTrue(e.getMessage().contains("OUTCAR2:5"), e.getMessage());
    }
}
