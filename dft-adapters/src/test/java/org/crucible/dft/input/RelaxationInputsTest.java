package org.crucible.dft.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crucible.core.Structure;
import org.crucible.dft.DftCode;
import org.crucible.dft.DftInputException;
import org.crucible.dft.castep.CastepInputGenerator;
import org.crucible.dft.hpc.DftTask;
import org.crucible.dft.orca.OrcaInputGenerator;
import org.crucible.dft.qe.QeInputGenerator;
import org.crucible.dft.vasp.VaspInputGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Golden strings for the relaxation writers of the four codes, their unit conversions and their refusals. */
class RelaxationInputsTest {
    static final RelaxationRequest VC = new RelaxationRequest(0.02, 1.5, 80, true);
    static final RelaxationRequest FIXED = new RelaxationRequest(0.02, 1.5, 80, false);

    static Structure sic() {
        return WritersGoldenTest.sic();
    }

    static QeInputGenerator qe(Path dir, String extra) throws Exception {
        Files.writeString(dir.resolve("Si.pz-vbc.UPF"), "fake");
        Files.writeString(dir.resolve("C.UPF"), "fake");
        return QeInputGenerator.fromSettings(Settings.parse("pseudo_dir: " + dir + "\npseudopotentials: {Si: Si.pz-vbc.UPF, C: C.UPF}\n"
                + "ecutwfc: 30\nkpoints: [2, 2, 2]\n" + extra, "q.yaml"));
    }

    static final String QE_TAIL = "ATOMIC_SPECIES\n"
            + "  Si  28.085000 Si.pz-vbc.UPF\n"
            + "  C   12.011000 C.UPF\n"
            + "CELL_PARAMETERS angstrom\n"
            + "  4.000000000000 0.000000000000 0.000000000000\n"
            + "  0.000000000000 4.000000000000 0.000000000000\n"
            + "  0.000000000000 0.000000000000 5.000000000000\n"
            + "ATOMIC_POSITIONS angstrom\n"
            + "  Si  0.000000000000 0.000000000000 0.000000000000\n"
            + "  C   1.000000000000 1.000000000000 1.000000000000\n"
            + "  Si  2.000000000000 2.000000000000 2.500000000000\n"
            + "K_POINTS automatic\n"
            + "  2 2 2 0 0 0\n";

    static String qeHead(Path dir, String calculation) {
        return "&control\n"
                + "  calculation = '" + calculation + "'\n"
                + "  prefix = 'crucible'\n"
                + "  outdir = './tmp'\n"
                + "  pseudo_dir = '" + dir + "'\n"
                + "  tprnfor = .true.\n"
                + "  tstress = .true.\n"
                + "  nstep = 80\n"
                // 0.02 eV/A / sqrt(3) / 25.711033738162943 (eV/A per Ry/bohr, CODATA 2018): a component bound that implies the norm bound
                + "  forc_conv_thr = 4.4910700601871447d-4\n"
                + "/\n"
                + "&system\n  ibrav = 0\n  nat = 3\n  ntyp = 2\n  ecutwfc = 30.0\n  ecutrho = 120.0\n  occupations = 'fixed'\n/\n"
                + "&electrons\n  conv_thr = 1.0d-8\n  mixing_beta = 0.7\n  electron_maxstep = 100\n/\n";
    }

    @Test
    void qeVcRelaxGolden(@TempDir Path dir) throws Exception {
        InputSet set = qe(dir, "").relaxationInputSet(sic(), VC);
        assertEquals(qeHead(dir, "vc-relax")
                + "&ions\n  ion_dynamics = 'bfgs'\n/\n"
                + "&cell\n  cell_dynamics = 'bfgs'\n  press = 15.0\n  press_conv_thr = 0.5\n/\n" // 1.5 GPa = 15 kbar
                + QE_TAIL, set.file("pw.in"));
        assertEquals(4.4910700601871447e-4, 0.02 / Math.sqrt(3) / (27.211386245988 / 2 / 0.529177210903), 1e-19);
        assertEquals(List.of("-in", "pw.in"), set.arguments());
        assertEquals("pw.out", set.mainOutput());
        assertEquals(List.of(), set.extraOutputs(), "pw.out holds every step and geometry");
    }

    @Test
    void qeFixedCellRelaxGolden(@TempDir Path dir) throws Exception {
        InputSet set = qe(dir, "").relaxationInputSet(sic(), FIXED);
        assertEquals(qeHead(dir, "relax") + "&ions\n  ion_dynamics = 'bfgs'\n/\n" + QE_TAIL, set.file("pw.in"),
                "no &cell: the pressure does not enter a fixed-cell relaxation");
    }

    @Test
    void qeUserOverridesAreKeptAndConflictsRefused(@TempDir Path dir) throws Exception {
        String in = qe(dir, "smearing: mv\ncontrol: {etot_conv_thr: 1.0e-5, nstep: 80}\nions: {ion_dynamics: damp}\n"
                + "cell: {press_conv_thr: 0.1, cell_dofree: ibrav}\n").relaxationInputSet(sic(), VC).file("pw.in");
        assertTrue(in.contains("  nstep = 80\n  forc_conv_thr = 4.4910700601871447d-4\n  etot_conv_thr = 1.0d-5\n/\n"), in);
        assertTrue(in.contains("&ions\n  ion_dynamics = 'damp'\n/\n"), in);
        assertTrue(in.contains("&cell\n  cell_dynamics = 'bfgs'\n  press = 15.0\n  press_conv_thr = 0.1\n  cell_dofree = 'ibrav'\n/\n"), in);
        assertTrue(in.contains("  occupations = 'smearing'\n  smearing = 'mv'\n"), "smearing as in the single point: " + in);
        DftInputException e = assertThrows(DftInputException.class,
                () -> qe(dir, "control: {NSTEP: 50}\n").relaxationInputSet(sic(), VC));
        assertTrue(e.getMessage().contains("control.NSTEP = 50") && e.getMessage().contains("nstep = 80"), e.getMessage());
        e = assertThrows(DftInputException.class, () -> qe(dir, "control: {calculation: scf}\n").relaxationInputSet(sic(), VC));
        assertTrue(e.getMessage().contains("calculation") && e.getMessage().contains("vc-relax"), e.getMessage());
        e = assertThrows(DftInputException.class, () -> qe(dir, "cell: {press: 0.0}\n").relaxationInputSet(sic(), VC));
        assertTrue(e.getMessage().contains("cell.press"), e.getMessage());
        // the single point of the same settings is untouched by the relaxation machinery
        assertTrue(qe(dir, "control: {nstep: 50}\n").inputSet(sic()).file("pw.in").contains("  calculation = 'scf'\n"));
    }

    @Test
    void vaspGolden(@TempDir Path lib) throws Exception {
        Files.createDirectories(lib.resolve("Si"));
        Files.createDirectories(lib.resolve("C_s"));
        Files.writeString(lib.resolve("Si/POTCAR"), "PAW_PBE Si 05Jan2001\nEnd of Dataset\n");
        Files.writeString(lib.resolve("C_s/POTCAR"), "PAW_PBE C_s 06Sep2000\nEnd of Dataset\n");
        String settings = "potcar_dir: " + lib + "\npotcars: {C: C_s}\nencut: 400\nkpoints: [2, 2, 2]\n";
        VaspInputGenerator g = VaspInputGenerator.fromSettings(Settings.parse(settings, "v.yaml"));
        InputSet set = g.relaxationInputSet(sic(), VC);
        String common = "SYSTEM = CSi2\nPREC = Accurate\nENCUT = 400.0\nEDIFF = 1.0E-6\nISMEAR = 0\nSIGMA = 0.05\nISPIN = 1\nIBRION = 2\nNSW = 80\n";
        assertEquals(common + "ISIF = 3\nNELM = 100\nLWAVE = .FALSE.\nLCHARG = .FALSE.\nEDIFFG = -0.02\nPSTRESS = 15.0\n", set.file("INCAR"));
        assertEquals(g.inputSet(sic()).file("POSCAR"), set.file("POSCAR"));
        assertEquals(g.inputSet(sic()).file("KPOINTS"), set.file("KPOINTS"));
        assertEquals(List.of("CONTCAR"), set.extraOutputs(), "the final geometry must come back from the cluster");
        assertEquals("OUTCAR", set.mainOutput());
        assertEquals(common + "ISIF = 2\nNELM = 100\nLWAVE = .FALSE.\nLCHARG = .FALSE.\nEDIFFG = -0.02\n", g.relaxationInputSet(sic(), FIXED).file("INCAR"));

        String quasiNewton = VaspInputGenerator.fromSettings(Settings.parse(settings + "incar: {ibrion: 1, nsw: 80, potim: 0.3}\n", "v.yaml"))
                .relaxationInputSet(sic(), VC).file("INCAR");
        assertTrue(quasiNewton.contains("IBRION = 1\nNSW = 80\n") && quasiNewton.contains("POTIM = 0.3\n"), quasiNewton);
        DftInputException e = assertThrows(DftInputException.class, () -> VaspInputGenerator.fromSettings(
                Settings.parse(settings + "incar: {EDIFFG: -0.05}\n", "v.yaml")).relaxationInputSet(sic(), VC));
        assertTrue(e.getMessage().contains("incar.EDIFFG = -0.05") && e.getMessage().contains("EDIFFG = -0.02"), e.getMessage());
        e = assertThrows(DftInputException.class, () -> VaspInputGenerator.fromSettings(
                Settings.parse(settings + "incar: {IBRION: -1}\n", "v.yaml")).relaxationInputSet(sic(), VC));
        assertTrue(e.getMessage().contains("IBRION = -1"), e.getMessage());
    }

    @Test
    void castepGolden() {
        CastepInputGenerator g = CastepInputGenerator.fromSettings(Settings.parse("cut_off_energy: 300\nxc_functional: LDA\nkpoints: [2, 2, 2]\n", "c.yaml"));
        InputSet vc = g.relaxationInputSet(sic(), VC);
        String cellHead = g.inputSet(sic()).file("castep.cell");
        assertEquals(cellHead + "\n%BLOCK EXTERNAL_PRESSURE\nGPa\n  1.5 0.0 0.0\n  1.5 0.0\n  1.5\n%ENDBLOCK EXTERNAL_PRESSURE\n", vc.file("castep.cell"));
        String param = "TASK : GeometryOptimization\nCUT_OFF_ENERGY : 300.0 eV\nXC_FUNCTIONAL : LDA\nCALCULATE_STRESS : true\n"
                + "ELEC_ENERGY_TOL : 1.0E-8 eV\nFIX_OCCUPANCY : true\nSPIN_POLARIZED : false\nWRITE_CHECKPOINT : none\n"
                + "GEOM_FORCE_TOL : 0.02 eV/ang\nGEOM_MAX_ITER : 80\n";
        assertEquals(param, vc.file("castep.param"));
        InputSet fixed = g.relaxationInputSet(sic(), FIXED);
        assertEquals(cellHead + "FIX_ALL_CELL : true\n", fixed.file("castep.cell"));
        assertEquals(param, fixed.file("castep.param"));
        assertEquals("castep.castep", vc.mainOutput());
        assertEquals(List.of("castep.cell"), vc.extraOutputs(), "the .castep holds every cell and position; the .cell gives the input atom order");
        DftInputException e = assertThrows(DftInputException.class, () -> CastepInputGenerator.fromSettings(
                Settings.parse("cut_off_energy: 300\nparam: {geom_max_iter: 10}\n", "c.yaml")).relaxationInputSet(sic(), VC));
        assertTrue(e.getMessage().contains("param.geom_max_iter = 10") && e.getMessage().contains("GEOM_MAX_ITER : 80"), e.getMessage());
        e = assertThrows(DftInputException.class, () -> CastepInputGenerator.fromSettings(
                Settings.parse("cut_off_energy: 300\ncell: {fix_all_cell: true}\n", "c.yaml")).relaxationInputSet(sic(), VC));
        assertTrue(e.getMessage().contains("fix_all_cell"), e.getMessage());
        String kept = CastepInputGenerator.fromSettings(Settings.parse("cut_off_energy: 300\nparam: {geom_method: LBFGS}\n", "c.yaml"))
                .relaxationInputSet(sic(), VC).file("castep.param");
        assertTrue(kept.endsWith("GEOM_MAX_ITER : 80\nGEOM_METHOD : LBFGS\n"), kept);
    }

    @Test
    void orcaGolden() {
        OrcaInputGenerator g = OrcaInputGenerator.fromSettings(Settings.parse("method: B3LYP\nbasis: def2-SVP\nkeywords: TightSCF\n", "o.yaml"));
        InputSet set = g.relaxationInputSet(WritersGoldenTest.water(), new RelaxationRequest(0.02, 0.0, 80, false));
        // TolMaxG = 0.02 / 51.422067476325886 (eV/A per Eh/bohr) = 3.8893807...e-4 Eh/bohr, rounded down to 6 digits
        assertEquals("! B3LYP def2-SVP Opt TightSCF\n%geom\n  MaxIter 80\n  TolMaxG 0.000388938\nend\n* xyz 0 1\n"
                + "  O   0.000000000000 0.000000000000 0.117300000000\n"
                + "  H   0.000000000000 0.757200000000 -0.469200000000\n"
                + "  H   0.000000000000 -0.757200000000 -0.469200000000\n*\n", set.file("orca.inp"));
        assertEquals(List.of("orca.xyz"), set.extraOutputs());
        assertEquals("orca.out", set.mainOutput());
        assertEquals(set.file("orca.inp"), g.relaxationInputSet(WritersGoldenTest.water(), new RelaxationRequest(0.02, 0.0, 80, true)).file("orca.inp"),
                "a molecule has no cell: variableCell changes nothing");
        DftInputException e = assertThrows(DftInputException.class, () -> g.relaxationInputSet(WritersGoldenTest.water(), VC));
        assertTrue(e.getMessage().contains("pressure 1.5 GPa"), e.getMessage());
        e = assertThrows(DftInputException.class, () -> g.relaxationInputSet(sic(), new RelaxationRequest(0.02, 0.0, 80, false)));
        assertTrue(e.getMessage().contains("periodic"), e.getMessage());
        OrcaInputGenerator withGeom = OrcaInputGenerator.fromSettings(Settings.parse("method: HF\nbasis: STO-3G\nblocks: \"%GEOM Constraints {B 0 1 C} end end\"\n", "o.yaml"));
        e = assertThrows(DftInputException.class, () -> withGeom.relaxationInputSet(WritersGoldenTest.water(), new RelaxationRequest(0.02, 0.0, 80, false)));
        assertTrue(e.getMessage().contains("%geom"), e.getMessage());
    }

    @Test
    void requestIsValidated() {
        assertThrows(DftInputException.class, () -> new RelaxationRequest(0.0, 0.0, 10, true));
        assertThrows(DftInputException.class, () -> new RelaxationRequest(-0.01, 0.0, 10, true));
        assertThrows(DftInputException.class, () -> new RelaxationRequest(Double.NaN, 0.0, 10, true));
        assertThrows(DftInputException.class, () -> new RelaxationRequest(0.01, Double.POSITIVE_INFINITY, 10, true));
        DftInputException e = assertThrows(DftInputException.class, () -> new RelaxationRequest(0.01, 0.0, 0, true));
        assertTrue(e.getMessage().contains("maxSteps") && e.getMessage().contains("0"), e.getMessage());
        RelaxationRequest r = new RelaxationRequest(0.05, -2.0, 1, false);
        assertEquals(-2.0, r.pressureGPa(), "negative (tensile) pressure is allowed");
    }

    /**
     * A single-point task keeps the identity it had before input sets could carry extra outputs: this hash was
     * computed by the DftTask of commit 4cbcc0e on the same set.
     */
    @Test
    void singlePointTaskHashIsUnchangedAndRelaxationsAreDistinct(@TempDir Path dir) throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("pw.in", "&control\n  calculation = 'scf'\n/\n");
        files.put("extra.txt", "x\n");
        InputSet sp = new InputSet(DftCode.QE, files, List.of("-in", "pw.in"), "pw.out", "pw.out");
        assertEquals("49216addcd281ea30d07d53d5f860f99", new DftTask("name", sp).hash());
        assertEquals(new DftTask("other name", sp).hash(), new DftTask("name", sp.withExtraOutputs(List.of())).hash());
        assertNotEquals(new DftTask("t", sp).hash(), new DftTask("t", sp.withExtraOutputs(List.of("CONTCAR"))).hash(),
                "the files to bring back are part of a task");

        QeInputGenerator g = qe(dir, "");
        assertNotEquals(new DftTask("t", g.inputSet(sic())).hash(), new DftTask("t", g.relaxationInputSet(sic(), VC)).hash());
        assertNotEquals(new DftTask("t", g.relaxationInputSet(sic(), VC)).hash(), new DftTask("t", g.relaxationInputSet(sic(), FIXED)).hash());
        assertEquals(new DftTask("a", g.relaxationInputSet(sic(), VC)).hash(), new DftTask("b", g.relaxationInputSet(sic(), VC)).hash());
    }

    @Test
    void extraOutputNamesArePlainFileNames() {
        InputSet sp = new InputSet(DftCode.VASP, Map.of("INCAR", ""), List.of(), "vasp.out", "OUTCAR");
        assertEquals(List.of(), sp.extraOutputs());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sp.withExtraOutputs(List.of("../CONTCAR")));
        assertTrue(e.getMessage().contains("output file name") && e.getMessage().contains("../CONTCAR"), e.getMessage());
    }
}
