package org.crucible.dft.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.dft.DftCode;
import org.crucible.dft.DftInputException;
import org.crucible.dft.DftInputs;
import org.crucible.dft.castep.CastepInputGenerator;
import org.crucible.dft.orca.OrcaInputGenerator;
import org.crucible.dft.vasp.VaspInputGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Golden strings for the VASP, CASTEP and ORCA writers (QE has its own test beside its generator). */
class WritersGoldenTest {
    static Structure sic() {
        // Species interleaved on purpose: Si C Si -> VASP must keep the order with repeated species runs.
        Cell cell = Cell.periodic(new double[][] {{4.0, 0, 0}, {0, 4.0, 0}, {0, 0, 5.0}});
        return Structure.of(cell, List.of("Si", "C", "Si"), new double[][] {{0, 0, 0}, {1, 1, 1}, {2, 2, 2.5}});
    }

    static Structure water() {
        return Structure.of(Cell.NONE, List.of("O", "H", "H"), new double[][] {{0, 0, 0.1173}, {0, 0.7572, -0.4692}, {0, -0.7572, -0.4692}});
    }

    @Test
    void vaspGolden(@TempDir Path lib) throws Exception {
        Files.createDirectories(lib.resolve("Si"));
        Files.createDirectories(lib.resolve("C_s"));
        Files.writeString(lib.resolve("Si/POTCAR"), "PAW_PBE Si 05Jan2001\nEnd of Dataset\n");
        Files.writeString(lib.resolve("C_s/POTCAR"), "PAW_PBE C_s 06Sep2000\nEnd of Dataset\n");
        var g = DftInputs.generator(DftCode.VASP, Settings.parse("code: vasp\npotcar_dir: " + lib + "\npotcars: {C: C_s}\nencut: 400\n"
                + "kpoint_spacing: 0.25\nincar: {algo: Fast, lreal: false}\n", "v.yaml"));
        InputSet set = g.inputSet(sic());
        assertEquals("SYSTEM = CSi2\nPREC = Accurate\nENCUT = 400.0\nEDIFF = 1.0E-6\nISMEAR = 0\nSIGMA = 0.05\nISPIN = 1\nIBRION = -1\nNSW = 0\n"
                + "ISIF = 2\nNELM = 100\nLWAVE = .FALSE.\nLCHARG = .FALSE.\nALGO = Fast\nLREAL = .FALSE.\n", set.file("INCAR"));
        assertEquals("CSi2\n1.0\n"
                + "  4.000000000000 0.000000000000 0.000000000000\n"
                + "  0.000000000000 4.000000000000 0.000000000000\n"
                + "  0.000000000000 0.000000000000 5.000000000000\n"
                + "  Si C Si\n  1 1 1\nCartesian\n"
                + "  0.000000000000 0.000000000000 0.000000000000\n"
                + "  1.000000000000 1.000000000000 1.000000000000\n"
                + "  2.000000000000 2.000000000000 2.500000000000\n", set.file("POSCAR"));
        // |b| = 2 pi / 4 = 1.571 -> ceil(6.28) = 7; 2 pi / 5 = 1.257 -> ceil(5.03) = 6.
        assertEquals("Gamma-centred grid, spacing 0.25 1/A (2*pi included)\n0\nGamma\n  7 7 6\n  0 0 0\n", set.file("KPOINTS"));
        assertEquals("PAW_PBE Si 05Jan2001\nEnd of Dataset\nPAW_PBE C_s 06Sep2000\nEnd of Dataset\nPAW_PBE Si 05Jan2001\nEnd of Dataset\n", set.file("POTCAR"));
        assertEquals("OUTCAR", set.mainOutput());
        assertEquals(List.of(), set.arguments());
    }

    @Test
    void vaspMissingPotcarNamesSpecies(@TempDir Path lib) throws Exception {
        Files.createDirectories(lib.resolve("Si"));
        Files.writeString(lib.resolve("Si/POTCAR"), "x\n");
        var g = VaspInputGenerator.fromSettings(Settings.parse("potcar_dir: " + lib + "\nencut: 400\n", "v.yaml"));
        DftInputException e = assertThrows(DftInputException.class, () -> g.inputSet(sic()));
        assertTrue(e.getMessage().contains("species C") && e.getMessage().contains(lib.resolve("C/POTCAR").toString()), e.getMessage());
        e = assertThrows(DftInputException.class, () -> VaspInputGenerator.fromSettings(Settings.parse("potcar_dir: /x\nencut: 400\nisif: 4\n", "v.yaml")));
        assertTrue(e.getMessage().contains("isif"), e.getMessage());
        e = assertThrows(DftInputException.class, () -> VaspInputGenerator.fromSettings(Settings.parse("potcar_dir: /x\n", "v.yaml")));
        assertTrue(e.getMessage().contains("v.yaml") && e.getMessage().contains("'encut'"), e.getMessage());
    }

    @Test
    void castepGolden() {
        var g = CastepInputGenerator.fromSettings(Settings.parse("cut_off_energy: 300\nxc_functional: LDA\nsmearing_width: 0.1\n"
                + "pseudopotentials: {Si: Si_00.usp, C: C_00.usp}\nkpoints: [2, 3, 3]\n", "c.yaml"));
        InputSet set = g.inputSet(sic());
        assertEquals("%BLOCK LATTICE_CART\nang\n"
                + "  4.000000000000 0.000000000000 0.000000000000\n"
                + "  0.000000000000 4.000000000000 0.000000000000\n"
                + "  0.000000000000 0.000000000000 5.000000000000\n"
                + "%ENDBLOCK LATTICE_CART\n\n%BLOCK POSITIONS_ABS\nang\n"
                + "  Si  0.000000000000 0.000000000000 0.000000000000\n"
                + "  C   1.000000000000 1.000000000000 1.000000000000\n"
                + "  Si  2.000000000000 2.000000000000 2.500000000000\n"
                + "%ENDBLOCK POSITIONS_ABS\n\n"
                + "KPOINTS_MP_GRID : 2 3 3\n"
                + "KPOINTS_MP_OFFSET : 0.250000000000 0.000000000000 0.000000000000\n"
                + "\n%BLOCK SPECIES_POT\n  Si Si_00.usp\n  C C_00.usp\n%ENDBLOCK SPECIES_POT\n", set.file("castep.cell"));
        assertEquals("TASK : SinglePoint\nCUT_OFF_ENERGY : 300.0 eV\nXC_FUNCTIONAL : LDA\nCALCULATE_STRESS : true\nELEC_ENERGY_TOL : 1.0E-8 eV\n"
                + "FIX_OCCUPANCY : false\nSMEARING_WIDTH : 0.1 eV\nSPIN_POLARIZED : false\nWRITE_CHECKPOINT : none\n", set.file("castep.param"));
        assertEquals(List.of("castep"), set.arguments());
        assertEquals("castep.castep", set.mainOutput());
    }

    @Test
    void orcaGoldenAndRefusals() {
        var g = OrcaInputGenerator.fromSettings(Settings.parse("method: B3LYP\nbasis: def2-SVP\nkeywords: TightSCF D3BJ\n"
                + "blocks: |\n  %scf\n    maxiter 200\n  end\n", "o.yaml"));
        InputSet set = g.inputSet(water());
        assertEquals("! B3LYP def2-SVP EnGrad TightSCF D3BJ\n%scf\n  maxiter 200\nend\n* xyz 0 1\n"
                + "  O   0.000000000000 0.000000000000 0.117300000000\n"
                + "  H   0.000000000000 0.757200000000 -0.469200000000\n"
                + "  H   0.000000000000 -0.757200000000 -0.469200000000\n*\n", set.file("orca.inp"));
        assertEquals(List.of("orca.inp"), set.arguments());
        assertEquals("orca.out", set.stdoutFile());
        DftInputException e = assertThrows(DftInputException.class, () -> g.inputSet(sic()));
        assertTrue(e.getMessage().contains("periodic") && e.getMessage().contains("CSi2"), e.getMessage());
        e = assertThrows(DftInputException.class, () -> g.inputSet(water().withInfo("multiplicity", 2)));
        assertTrue(e.getMessage().contains("multiplicity 2") && e.getMessage().contains("10 electrons"), e.getMessage());
        String cation = g.inputSet(water().withInfo(Map.of("charge", 1, "multiplicity", 2))).file("orca.inp");
        assertTrue(cation.contains("* xyz 1 2\n"), cation);
        e = assertThrows(DftInputException.class, () -> OrcaInputGenerator.fromSettings(Settings.parse("method: HF\nbasis: STO-3G\nkpoint_spacing: 0.2\n", "o.yaml")));
        assertTrue(e.getMessage().contains("k-points"), e.getMessage());
    }
}
