package org.crucible.dft.orca;

import static org.crucible.dft.SampleAssertions.basics;
import static org.crucible.dft.SampleAssertions.energy;
import static org.crucible.dft.SampleAssertions.maxForce;
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

/** Every shared ORCA sample (.out and .engrad) against its README, plus damaged files. */
class OrcaOutputParserTest {
    private final OrcaOutputParser parser = new OrcaOutputParser();

    static double eh(double v) {
        return v * Units.HARTREE_TO_EV;
    }

    @Test
    void dvbSinglePoint500() {
        DftResult r = parser.parse(TestEnvironment.assumeShared("dft-samples/orca/dvb_singlepoint_orca500/dvb_sp.out"));
        basics(r, 20, DftStatus.OK);
        energy(r, eh(-382.055108614123));
        assertEquals(-10396.249128, r.energy(), 5e-3);
        maxForce(r, null);
        assertEquals("5.0.0", r.codeVersion());
        assertEquals(7.008, r.wallSeconds(), 1e-9);
    }

    @Test
    void coEngrad504() {
        DftResult r = parser.parse(TestEnvironment.assumeShared("dft-samples/orca/CO_engrad_orca504/orca.out"));
        basics(r, 2, DftStatus.OK);
        energy(r, eh(-107.788993249745));
        maxForce(r, 1004.4346);
        assertEquals(-19.533143589 * Units.HARTREE_PER_BOHR_TO_EV_PER_A, r.forces()[0], 1e-9, "force = -gradient");
        assertEquals("5.0.4", r.codeVersion());
        assertNull(r.stress());
    }

    @Test
    void ch3oScfUnconverged421() {
        DftResult r = parser.parse(TestEnvironment.assumeShared("dft-samples/orca/CH3O_am1_scf_unconverged_orca421/orca_scf_unconverged.out"));
        basics(r, 5, DftStatus.SCF_NOT_CONVERGED);
        assertFalse(r.isOk());
        energy(r, eh(-17.921010492632));
        maxForce(r, 5.7261);
        assertFalse(r.lastStep().scfConverged());
        assertEquals("4.2.1", r.codeVersion());
    }

    @Test
    void dvbGeomopt501() {
        Path p = TestEnvironment.assumeShared("dft-samples/orca/dvb_geomopt_orca501/dvb_gopt.out");
        DftResult r = parser.parse(p);
        basics(r, 20, DftStatus.OK);
        // The stationary-point re-evaluation (-382.055133372796 Eh, the README value) has no gradient; the last
        // complete step is cycle 3 (-382.055133003097 Eh), 1e-5 eV away, well inside 1e-6 relative.
        energy(r, eh(-382.055133372796));
        assertEquals(eh(-382.055133003097), r.energy(), 1e-9);
        maxForce(r, 0.009399);
        assertEquals(Boolean.TRUE, r.ionicConverged());
        List<Double> energies = parser.parse(p, true).steps().stream().map(s -> s.energy()).toList();
        assertEquals(3, energies.size());
        assertEquals(eh(-382.055108639488), energies.get(0), 1e-9);
        assertEquals(eh(-382.055126334294), energies.get(1), 1e-9);
    }

    @Test
    void hclWaterEngrad() {
        DftResult r = parser.parse(TestEnvironment.assumeShared("dft-samples/orca/HCl_H2O_engrad/ORCA-opt.engrad"));
        basics(r, 5, DftStatus.OK);
        energy(r, eh(-537.077545839841));
        assertEquals(-14614.624544, r.energy(), 5e-3);
        maxForce(r, 0.013214);
        assertEquals(0.000187844372 * Units.HARTREE_PER_BOHR_TO_EV_PER_A, r.forces()[0], 1e-12);
        assertNull(r.codeVersion());
    }

    @Test
    void truncatedAndGarbage(@TempDir Path tmp) throws IOException {
        Path src = TestEnvironment.assumeShared("dft-samples/orca/CO_engrad_orca504/orca.out");
        List<String> lines = Files.readAllLines(src);
        for (int cut = 1; cut < lines.size(); cut += 53) {
            Path f = tmp.resolve("cut.out");
            Files.write(f, lines.subList(0, cut));
            try {
                assertEquals(DftStatus.INCOMPLETE, parser.parse(f).status(), "cut at " + cut);
            } catch (DftParseException e) {
                assertTrue(e.getMessage().contains("cut.out"), e.getMessage());
            }
        }
        List<String> eg = Files.readAllLines(TestEnvironment.assumeShared("dft-samples/orca/HCl_H2O_engrad/ORCA-opt.engrad"));
        Path short1 = tmp.resolve("short.engrad");
        Files.write(short1, eg.subList(0, 15));
        assertEquals(DftStatus.INCOMPLETE, parser.parse(short1).status());
        Path bad = tmp.resolve("bad.engrad");
        Files.writeString(bad, "#\n# Number of atoms\n#\n x5\n");
        assertTrue(assertThrows(DftParseException.class, () -> parser.parse(bad)).getMessage().contains("bad.engrad:4"));
        Path junk = Files.writeString(tmp.resolve("junk.out"), "hello\n");
        assertTrue(assertThrows(DftParseException.class, () -> parser.parse(junk)).getMessage().contains("junk.out"));
    }
}
