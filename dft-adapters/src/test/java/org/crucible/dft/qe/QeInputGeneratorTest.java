package org.crucible.dft.qe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.dft.DftInputException;
import org.crucible.dft.input.InputSet;
import org.crucible.dft.input.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QeInputGeneratorTest {
    static Structure si2() {
        double a = 5.431;
        Cell cell = Cell.periodic(new double[][] {{0, a / 2, a / 2}, {a / 2, 0, a / 2}, {a / 2, a / 2, 0}});
        return Structure.of(cell, List.of("Si", "Si"), new double[][] {{0, 0, 0}, {a / 4, a / 4, a / 4}});
    }

    static QeSettings settings(Path pseudoDir, String extra) {
        return settings(pseudoDir, "kpoint_spacing: 0.3\n", extra);
    }

    /** The test recipe with its k-point rule ({@code kpoint_spacing} or {@code kpoints}) given once. */
    static QeSettings settings(Path pseudoDir, String kpointRule, String extra) {
        return QeSettings.from(Settings.parse("pseudo_dir: " + pseudoDir + "\npseudopotentials: {Si: Si.pz-vbc.UPF}\necutwfc: 16\n"
                + kpointRule + extra, "test.yaml"));
    }

    @Test
    void goldenSi2(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("Si.pz-vbc.UPF"), "fake");
        InputSet set = new QeInputGenerator(settings(tmp, "")).inputSet(si2());
        String expected = "&control\n"
                + "  calculation = 'scf'\n"
                + "  prefix = 'crucible'\n"
                + "  outdir = './tmp'\n"
                + "  pseudo_dir = '" + tmp + "'\n"
                + "  tprnfor = .true.\n"
                + "  tstress = .true.\n"
                + "/\n"
                + "&system\n"
                + "  ibrav = 0\n"
                + "  nat = 2\n"
                + "  ntyp = 1\n"
                + "  ecutwfc = 16.0\n"
                + "  ecutrho = 64.0\n"
                + "  occupations = 'fixed'\n"
                + "/\n"
                + "&electrons\n"
                + "  conv_thr = 1.0d-8\n"
                + "  mixing_beta = 0.7\n"
                + "  electron_maxstep = 100\n"
                + "/\n"
                + "ATOMIC_SPECIES\n"
                + "  Si  28.085000 Si.pz-vbc.UPF\n"
                + "CELL_PARAMETERS angstrom\n"
                + "  0.000000000000 2.715500000000 2.715500000000\n"
                + "  2.715500000000 0.000000000000 2.715500000000\n"
                + "  2.715500000000 2.715500000000 0.000000000000\n"
                + "ATOMIC_POSITIONS angstrom\n"
                + "  Si  0.000000000000 0.000000000000 0.000000000000\n"
                + "  Si  1.357750000000 1.357750000000 1.357750000000\n"
                + "K_POINTS automatic\n"
                + "  7 7 7 0 0 0\n";
        assertEquals(expected, set.file("pw.in"));
        assertEquals(List.of("-in", "pw.in"), set.arguments());
        assertEquals("pw.out", set.stdoutFile());
        set.writeInput(tmp.resolve("run"));
        assertEquals(expected, Files.readString(tmp.resolve("run/pw.in")));
    }

    @Test
    void smearingSpinAndExtraNamelistEntries(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("Si.pz-vbc.UPF"), "fake");
        QeSettings s = settings(tmp, "kpoints: [2, 3, 4]\n", "smearing: mv\ndegauss: 0.02\nspin_polarized: true\n"
                + "electrons: {diagonalization: cg}\ncontrol: {disk_io: none}\n");
        String in = new QeInputGenerator(s).inputSet(si2()).file("pw.in");
        assertTrue(in.contains("  occupations = 'smearing'\n  smearing = 'mv'\n  degauss = 0.02\n  nspin = 2\n"), in);
        assertTrue(in.contains("  diagonalization = 'cg'\n"), in);
        assertTrue(in.contains("  disk_io = 'none'\n"), in);
        assertTrue(in.endsWith("K_POINTS automatic\n  2 3 4 0 0 0\n"), in);
    }

    @Test
    void badSettingsNameTheField(@TempDir Path tmp) {
        DftInputException e = assertThrows(DftInputException.class, () -> settings(tmp, "ecutwfcc: 20\n"));
        assertTrue(e.getMessage().contains("test.yaml") && e.getMessage().contains("ecutwfcc"), e.getMessage());
        e = assertThrows(DftInputException.class, () -> QeSettings.from(Settings.parse("pseudo_dir: /x\npseudopotentials: {Si: a}\necutwfc: abc\n", "s.yaml")));
        assertTrue(e.getMessage().contains("field 'ecutwfc'") && e.getMessage().contains("abc"), e.getMessage());
        e = assertThrows(DftInputException.class, () -> QeSettings.from(Settings.parse("pseudo_dir: /x\necutwfc: 10\n", "s.yaml")));
        assertTrue(e.getMessage().contains("pseudopotentials"), e.getMessage());
        e = assertThrows(DftInputException.class, () -> settings(tmp, "kpoints: [2, 2]\n"));
        assertTrue(e.getMessage().contains("kpoints"), e.getMessage());
        e = assertThrows(DftInputException.class, () -> Settings.parse("a: [1,\n", "broken.yaml"));
        assertTrue(e.getMessage().startsWith("broken.yaml:"), e.getMessage());
        // the shared strict reader: a key given twice is refused with its line, a misspelt key gets line and did-you-mean
        e = assertThrows(DftInputException.class, () -> settings(tmp, "kpoint_spacing: 0.2\n"));
        assertEquals("test.yaml:5: key 'kpoint_spacing' is given twice in the same mapping", e.getMessage());
        e = assertThrows(DftInputException.class, () -> settings(tmp, "ecutwfcc: 20\n"));
        assertTrue(e.getMessage().startsWith("test.yaml line 5: unknown field [ecutwfcc]; did you mean 'ecutwfc'?"), e.getMessage());
        e = assertThrows(DftInputException.class, () -> QeSettings.from(Settings.parse("pseudo_dir: /x\npseudopotentials: {Si: a}\necutwfc: abc\n", "s.yaml")));
        assertTrue(e.getMessage().startsWith("s.yaml line 3: field 'ecutwfc'"), e.getMessage());
    }

    @Test
    void missingSpeciesOrFileIsAnInputError(@TempDir Path tmp) {
        QeSettings s = settings(tmp, "");
        DftInputException e = assertThrows(DftInputException.class, () -> new QeInputGenerator(s).inputSet(si2()));
        assertTrue(e.getMessage().contains("Si") && e.getMessage().contains("Si.pz-vbc.UPF"), e.getMessage());
        Structure sic = Structure.of(si2().cell(), List.of("Si", "C"), new double[][] {{0, 0, 0}, {1, 1, 1}});
        QeSettings noCheck = settings(tmp, "check_pseudo_files: false\n");
        e = assertThrows(DftInputException.class, () -> new QeInputGenerator(noCheck).inputSet(sic));
        assertTrue(e.getMessage().contains("species C"), e.getMessage());
        Structure molecule = Structure.of(Cell.NONE, List.of("Si"), new double[][] {{0, 0, 0}});
        e = assertThrows(DftInputException.class, () -> new QeInputGenerator(noCheck).inputSet(molecule));
        assertTrue(e.getMessage().contains("has no box"), e.getMessage());
    }

    /**
     * A free molecule in a box (no periodic direction, a cell of positive volume: GAP-RSS's dimers) is written as the
     * periodic box at the Gamma point without stress; a slab is refused, and so is a vc-relax of the box.
     */
    @Test
    void moleculeInABoxIsTheBoxAtGammaWithoutStress(@TempDir Path tmp) {
        QeSettings noCheck = settings(tmp, "check_pseudo_files: false\n");
        double[][] box = {{9, 0, 0}, {0, 9, 0}, {0, 0, 9}};
        Structure dimer = Structure.of(new Cell(Cell.cubic(9).matrix(), new boolean[] {false, false, false}), List.of("Si", "Si"),
                new double[][] {{3.5, 4.5, 4.5}, {5.5, 4.5, 4.5}});
        String in = new QeInputGenerator(noCheck).inputSet(dimer).file("pw.in");
        assertTrue(in.contains("tstress = .false.\n") && in.contains("tprnfor = .true.\n"), in);
        assertTrue(in.endsWith("K_POINTS gamma\n"), in);
        assertTrue(in.contains("  9.000000000000 0.000000000000 0.000000000000\n"), in);
        String bulk = new QeInputGenerator(noCheck).inputSet(si2()).file("pw.in");
        assertTrue(bulk.contains("tstress = .true.\n") && bulk.contains("K_POINTS automatic\n"), bulk);
        Structure slab = Structure.of(new Cell(Cell.cubic(9).matrix(), new boolean[] {true, true, false}), List.of("Si"), new double[][] {{0, 0, 0}});
        DftInputException e = assertThrows(DftInputException.class, () -> new QeInputGenerator(noCheck).inputSet(slab));
        assertTrue(e.getMessage().contains("periodic") && e.getMessage().contains("slab"), e.getMessage());
        e = assertThrows(DftInputException.class, () -> new QeInputGenerator(noCheck).relaxationInputSet(dimer,
                new org.crucible.dft.input.RelaxationRequest(0.05, 0.0, 50, true)));
        assertTrue(e.getMessage().contains("vc-relax"), e.getMessage());
        String relax = new QeInputGenerator(noCheck).relaxationInputSet(dimer, new org.crucible.dft.input.RelaxationRequest(0.05, 0.0, 50, false))
                .file("pw.in");
        assertTrue(relax.contains("calculation = 'relax'") && relax.endsWith("K_POINTS gamma\n"), relax);
    }

    @Test
    void jsonSettingsWorkToo(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("Si.pz-vbc.UPF"), "fake");
        Path json = Files.writeString(tmp.resolve("qe.json"), "{\"pseudo_dir\": \"" + tmp + "\", \"pseudopotentials\": {\"Si\": \"Si.pz-vbc.UPF\"},"
                + " \"ecutwfc\": 20, \"kpoints\": [3, 3, 3]}");
        String in = QeInputGenerator.fromSettings(Settings.read(json)).inputSet(si2()).file("pw.in");
        assertTrue(in.contains("ecutwfc = 20.0\n") && in.contains("  3 3 3 0 0 0\n"), in);
        Path bad = Files.writeString(tmp.resolve("bad.json"), "{\"pseudo_dir\": \"" + tmp + "\", \"pseudopotentials\": {\"Si\": \"x\"}, \"ecutwfc\": \"high\"}");
        DftInputException e = assertThrows(DftInputException.class, () -> QeSettings.from(Settings.read(bad)));
        assertTrue(e.getMessage().contains("bad.json") && e.getMessage().contains("'ecutwfc'") && e.getMessage().contains("high"), e.getMessage());
    }

    @Test
    void exampleSettingsFileLoads() {
        Path yaml = TestEnvironment.repositoryRoot().resolve("examples/qe-si.yaml");
        QeSettings s = QeSettings.from(Settings.read(yaml));
        assertEquals(16.0, s.ecutwfc());
        assertEquals(Map.of("Si", "Si.pz-vbc.UPF"), s.pseudopotentials());
    }
}
