package org.crucible.dft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.core.io.Poscar;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.core.units.Units;
import org.crucible.dft.input.InputSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DftParsers#relaxation} on the shared real outputs that are relaxations (QE relax, VASP ISIF=3 relaxation,
 * CASTEP geometry optimisation, ORCA Opt; see each sample README), final geometries compared with values read
 * by hand from the files; and the errors for truncated or missing outputs. Samples are read in place from
 * shared/ (copied only into temporary directories where a CONTCAR has to sit beside them).
 */
class RelaxationSamplesTest {
    static final double BOHR = Units.BOHR_TO_ANGSTROM;

    static InputSet qeSet() {
        return new InputSet(DftCode.QE, Map.of("pw.in", ""), List.of("-in", "pw.in"), "relax.out", "relax.out");
    }

    static InputSet vaspSet() {
        return new InputSet(DftCode.VASP, Map.of("INCAR", ""), List.of(), "vasp.out", "OUTCAR", List.of("CONTCAR"));
    }

    /** relax.in of co_relax_testsuite: C at 2.256 bohr from O in a 12-bohr cube (ibrav 1, celldm(1) 12). */
    static Structure coInitial() {
        return Structure.of(Cell.cubic(12 * BOHR), List.of("C", "O"), new double[][] {{2.256 * BOHR, 0, 0}, {0, 0, 0}});
    }

    @Test
    void qeRelaxOfCo() {
        Path dir = TestEnvironment.assumeShared("dft-samples/qe/co_relax_testsuite");
        RelaxationOutcome o = DftParsers.relaxation(DftCode.QE, dir, qeSet(), coInitial());
        // README: bfgs converged, 5 SCF loops, last '!' -43.10976799 Ry, max |F| 2.275e-05 Ry/bohr
        assertTrue(o.converged());
        assertEquals(DftStatus.OK, o.result().status());
        assertEquals(5, o.ionicSteps());
        assertEquals(-43.10976799 * Units.RY_TO_EV, o.relaxed().labels().energy(), 1e-6);
        assertEquals(0.00002275 * Units.RY_PER_BOHR_TO_EV_PER_A, o.relaxed().labels().forces()[0], 1e-9, "C (atom 1) force x");
        // ATOMIC_POSITIONS (bohr) before the 5th SCF and in 'Begin final coordinates': C 2.140043041, O 0 (fixed)
        assertArrayEquals(new double[] {2.140043041 * BOHR, 0, 0, 0, 0, 0}, o.relaxed().positions(), 1e-12);
        assertEquals(coInitial().cell(), o.relaxed().cell(), "relax keeps the cell");
        assertEquals(List.of("C", "O"), List.of(o.relaxed().symbol(0), o.relaxed().symbol(1)));
    }

    @Test
    void qeTruncatedRelaxationKeepsTheLastCompleteStepWithItsGeometry(@TempDir Path tmp) throws Exception {
        List<String> lines = Files.readAllLines(TestEnvironment.assumeShared("dft-samples/qe/co_relax_testsuite/relax.out"));
        // cut inside the ATOMIC_POSITIONS block printed after the 4th SCF (file line 638 = the C row)
        assertTrue(lines.get(636).startsWith("ATOMIC_POSITIONS (bohr)"), lines.get(636));
        Files.write(tmp.resolve("relax.out"), lines.subList(0, 638));
        RelaxationOutcome o = DftParsers.relaxation(DftCode.QE, tmp, qeSet(), coInitial());
        assertEquals(DftStatus.INCOMPLETE, o.result().status());
        assertTrue(o.result().message().contains("without 'JOB DONE'"), o.result().message());
        assertEquals(tmp.resolve("relax.out").toString(), o.result().source());
        assertFalse(o.converged());
        assertEquals(4, o.ionicSteps());
        assertEquals(-43.10976531 * Units.RY_TO_EV, o.relaxed().labels().energy(), 1e-6);
        // the 4th SCF ran at the positions printed after the 3rd (line 522): C 2.14..., read by hand
        String c = lines.get(521).strip();
        assertTrue(c.startsWith("C "), c);
        assertEquals(Double.parseDouble(c.split("\\s+")[1]) * BOHR, o.relaxed().coordinate(0, 0), 1e-12);
    }

    @Test
    void qeMalformedGeometryOrOtherStructureIsAnErrorNamingFileAndLine(@TempDir Path tmp) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(TestEnvironment.assumeShared("dft-samples/qe/co_relax_testsuite/relax.out")));
        lines.set(637, "C        2.14x0043041   0.000000000   0.000000000");
        Files.write(tmp.resolve("relax.out"), lines);
        DftParseException e = assertThrows(DftParseException.class, () -> DftParsers.relaxation(DftCode.QE, tmp, qeSet(), coInitial()));
        assertEquals(tmp.resolve("relax.out").toString(), e.file());
        assertEquals(638, e.line(), e.getMessage());

        Path dir = TestEnvironment.assumeShared("dft-samples/qe/co_relax_testsuite");
        Structure swapped = Structure.of(Cell.cubic(12 * BOHR), List.of("O", "C"), new double[][] {{0, 0, 0}, {2.256 * BOHR, 0, 0}});
        e = assertThrows(DftParseException.class, () -> DftParsers.relaxation(DftCode.QE, dir, qeSet(), swapped));
        assertTrue(e.getMessage().contains("relax.out:") && e.getMessage().contains("'C'") && e.getMessage().contains("has O"), e.getMessage());
        Structure three = Structure.of(Cell.cubic(12 * BOHR), List.of("C", "O", "O"), new double[][] {{1, 0, 0}, {0, 0, 0}, {3, 0, 0}});
        e = assertThrows(DftParseException.class, () -> DftParsers.relaxation(DftCode.QE, dir, qeSet(), three));
        assertTrue(e.getMessage().contains("relax.out") && e.getMessage().contains("2 atoms"), e.getMessage());
        e = assertThrows(DftParseException.class, () -> DftParsers.relaxation(DftCode.QE, tmp.resolve("nothing-here"), qeSet(), coInitial()));
        assertTrue(e.getMessage().contains("nothing-here/relax.out") && e.getMessage().contains("not found"), e.getMessage());
    }

    static final String FEO_CONTCAR = FeoSample.CONTCAR;

    @Test
    void vaspFeoRelaxationWithItsFinalGeometry(@TempDir Path tmp) throws Exception {
        Path sample = TestEnvironment.assumeShared("dft-samples/vasp/FeO_relax_converged_v535");
        Structure initial = Poscar.read(sample.resolve("POSCAR"), w -> { });
        Files.copy(sample.resolve("OUTCAR"), tmp.resolve("OUTCAR"));
        Files.writeString(tmp.resolve("CONTCAR"), FEO_CONTCAR);
        RelaxationOutcome o = DftParsers.relaxation(DftCode.VASP, tmp, vaspSet(), initial);
        // README: 28 ionic steps, "reached required accuracy", last TOTEN -28.21851457 eV, max |F| 0.0107
        assertTrue(o.converged());
        assertEquals(28, o.ionicSteps());
        assertEquals(-28.21851457, o.relaxed().labels().energy(), 1e-8);
        assertEquals(0.0107, o.relaxed().labels().maxForce(), 1e-4);
        assertArrayEquals(new double[] {-2.00559199, 0.00000010, -1.15325983, 0.69662020, 2.99996462, 1.10908915,
                3.09594491, 0.67547474, -5.38404708}, o.relaxed().cell().matrix(), 1e-12, "CONTCAR lattice");
        // last POSITION block of OUTCAR (Cartesian, 5 decimals) = CONTCAR within print precision
        assertArrayEquals(new double[] {0, 0, 0, 0.54518, 0.33774, -3.26865, 2.15851, 0.51228, -3.75379, -0.37154, 3.16316, -1.67443},
                o.relaxed().positions(), 1e-5);
        assertEquals(List.of("Fe", "Fe", "O", "O"), List.of(o.relaxed().symbol(0), o.relaxed().symbol(1), o.relaxed().symbol(2), o.relaxed().symbol(3)));
        // stress of the last step: in kB -1.98922 -0.31734 -0.03548 (XX YY ZZ), ASE sign
        assertEquals(1.98922 * Units.KBAR_TO_EV_PER_A3, o.relaxed().labels().stress()[0], 1e-9);
    }

    @Test
    void vaspContcarThatIsNotTheLastComputedGeometryFallsBackToOutcar(@TempDir Path tmp) throws Exception {
        Path sample = TestEnvironment.assumeShared("dft-samples/vasp/FeO_relax_converged_v535");
        Structure initial = Poscar.read(sample.resolve("POSCAR"), w -> { });
        Files.copy(sample.resolve("OUTCAR"), tmp.resolve("OUTCAR"));
        Files.copy(sample.resolve("POSCAR"), tmp.resolve("CONTCAR")); // a geometry no step was computed at
        RelaxationOutcome o = DftParsers.relaxation(DftCode.VASP, tmp, vaspSet(), initial);
        // OUTCAR's 'direct lattice vectors' before the last POSITION block, and that block
        assertArrayEquals(new double[] {-2.005591988, 0.000000105, -1.153259832, 0.696620201, 2.999964623, 1.109089146,
                3.095944910, 0.675474738, -5.384047075}, o.relaxed().cell().matrix(), 1e-12);
        assertArrayEquals(new double[] {0, 0, 0, 0.54518, 0.33774, -3.26865, 2.15851, 0.51228, -3.75379, -0.37154, 3.16316, -1.67443},
                o.relaxed().positions(), 1e-12);
        assertEquals(-28.21851457, o.relaxed().labels().energy(), 1e-8);
    }

    @Test
    void vaspMissingOrBrokenContcarIsAnErrorNamingIt(@TempDir Path tmp) throws Exception {
        Path sample = TestEnvironment.assumeShared("dft-samples/vasp/FeO_relax_converged_v535");
        Structure initial = Poscar.read(sample.resolve("POSCAR"), w -> { });
        DftParseException e = assertThrows(DftParseException.class, () -> DftParsers.relaxation(DftCode.VASP, sample, vaspSet(), initial));
        assertEquals(sample.resolve("CONTCAR").toString(), e.file());
        assertTrue(e.getMessage().contains("not found") && e.getMessage().contains("28 complete ionic step"), e.getMessage());

        Files.copy(sample.resolve("OUTCAR"), tmp.resolve("OUTCAR"));
        Files.writeString(tmp.resolve("CONTCAR"), FEO_CONTCAR.substring(0, FEO_CONTCAR.indexOf("Direct")));
        e = assertThrows(DftParseException.class, () -> DftParsers.relaxation(DftCode.VASP, tmp, vaspSet(), initial));
        assertEquals(tmp.resolve("CONTCAR").toString(), e.file());
        assertTrue(e.line() >= 7 && e.getMessage().startsWith(tmp.resolve("CONTCAR") + ":" + e.line() + ": "), "file and line: " + e.getMessage());

        Files.writeString(tmp.resolve("CONTCAR"), FEO_CONTCAR.replace("   Fe   O\n", "   O   Fe\n"));
        e = assertThrows(DftParseException.class, () -> DftParsers.relaxation(DftCode.VASP, tmp, vaspSet(), initial));
        assertTrue(e.getMessage().contains("CONTCAR") && e.getMessage().contains("atom 1 is O"), e.getMessage());
    }

    /** aiida.cell of the CASTEP sample: primitive diamond Si2. */
    static Structure castepSi2() {
        Cell cell = Cell.periodic(new double[][] {{2.6954645, 2.6954645, 0}, {2.6954645, 0, 2.6954645}, {0, 2.6954645, 2.6954645}});
        return Structure.of(cell, new int[] {14, 14}, cell.toCartesianAll(new double[] {0, 0, 0, 0.25, 0.25, 0.25}));
    }

    static InputSet castepSet() {
        return new InputSet(DftCode.CASTEP, Map.of("aiida.cell", ""), List.of("aiida"), "aiida.stdout", "aiida.castep");
    }

    @Test
    void castepCellOptimisationThatDidNotConverge() {
        Path dir = TestEnvironment.assumeShared("dft-samples/castep/Si2_geomopt_failed_v17");
        RelaxationOutcome o = DftParsers.relaxation(DftCode.CASTEP, dir, castepSet(), castepSi2());
        // README: failed to converge after 30 BFGS iterations, run ended normally; last free energy -216.0333756337
        assertFalse(o.converged());
        assertEquals(DftStatus.OK, o.result().status());
        assertEquals(-216.0333756337, o.relaxed().labels().energy(), 1e-9);
        // 93 'Final energy' SCFs, of which the first 2 are the finite-basis-set correction (no stress): 91 steps
        assertEquals(91, o.ionicSteps());
        // last Unit Cell before the last SCF (= BFGS: Final Configuration): 2.7118462 ... rows
        double a = 2.7118462;
        assertArrayEquals(new double[] {a, a, 0, a, 0, a, 0, a, a}, o.relaxed().cell().matrix(), 1e-12);
        // ions fixed by symmetry: fractional 0 and 1/4 carried into the new cell
        assertArrayEquals(new double[] {0, 0, 0, a / 2, a / 2, a / 2}, o.relaxed().positions(), 1e-12);
        assertEquals(-1.214642 * Units.GPA_TO_EV_PER_A3, o.relaxed().labels().stress()[0], 1e-12);
    }

    @Test
    void castepTruncatedMidRunKeepsTheLastCompleteStep(@TempDir Path tmp) throws Exception {
        List<String> lines = Files.readAllLines(TestEnvironment.assumeShared("dft-samples/castep/Si2_geomopt_failed_v17/aiida.castep"));
        // cut right after the SCF of line 1258 (iteration 5 trial), before its stress box
        Files.write(tmp.resolve("aiida.castep"), lines.subList(0, 1262));
        RelaxationOutcome o = DftParsers.relaxation(DftCode.CASTEP, tmp, castepSet(), castepSi2());
        assertEquals(DftStatus.INCOMPLETE, o.result().status());
        assertFalse(o.converged());
        // the last complete step is the SCF of line 1176 (iteration 4, quad step), at the cell printed at 1150:
        // E = -216.0334175668, free energy (the label) -216.0334206415 eV
        assertEquals(-216.0334206415, o.relaxed().labels().energy(), 1e-9);
        assertEquals(-216.0334175668, o.result().lastStep().energyTotal(), 1e-9);
        String row = lines.get(1152).strip();
        assertEquals(Double.parseDouble(row.split("\\s+")[0]), o.relaxed().cell().matrix()[0], 1e-12, row);
    }

    /** The optimisation's input geometry (dvb_gopt.inp). */
    static Structure dvbInitial(Path inp) throws Exception {
        List<String> symbols = new ArrayList<>();
        List<double[]> xyz = new ArrayList<>();
        boolean in = false;
        for (String l : Files.readAllLines(inp)) {
            String s = l.strip();
            if (s.startsWith("* xyz")) {
                in = true;
            } else if (in && s.equals("*")) {
                break;
            } else if (in) {
                String[] f = s.split("\\s+");
                symbols.add(f[0]);
                xyz.add(new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3])});
            }
        }
        return Structure.of(Cell.NONE, symbols, xyz.toArray(new double[0][]));
    }

    static InputSet orcaSet() {
        return new InputSet(DftCode.ORCA, Map.of("dvb_gopt.inp", ""), List.of("dvb_gopt.inp"), "dvb_gopt.out", "dvb_gopt.out", List.of("dvb_gopt.xyz"));
    }

    @Test
    void orcaOptimisationOfDivinylbenzene() throws Exception {
        Path dir = TestEnvironment.assumeShared("dft-samples/orca/dvb_geomopt_orca501");
        Structure initial = dvbInitial(dir.resolve("dvb_gopt.inp"));
        assertEquals(20, initial.size());
        RelaxationOutcome o = DftParsers.relaxation(DftCode.ORCA, dir, orcaSet(), initial);
        // README: converged after 3 cycles; cycle 3 energy -382.055133003097 Eh, max |F| 0.009399 eV/A
        assertTrue(o.converged());
        assertEquals(3, o.ionicSteps());
        assertEquals(-382.055133003097 * Units.HARTREE_TO_EV, o.relaxed().labels().energy(), 1e-6);
        assertEquals(0.009399, o.relaxed().labels().maxForce(), 1e-5);
        // coordinates of cycle 3 (the block after 'GEOMETRY OPTIMIZATION CYCLE   3'), read by hand
        assertArrayEquals(new double[] {-1.417624, 0.228661, 0.0}, o.relaxed().position(0), 1e-12);
        assertArrayEquals(new double[] {-4.934362, -0.068000, 0.0}, o.relaxed().position(19), 1e-12);
        assertEquals("H", o.relaxed().symbol(19));
        // not the stationary point ORCA evaluated afterwards without a gradient (C 1 at -1.417672 0.228782)
        assertTrue(Math.abs(o.relaxed().position(0)[0] - -1.417672) > 4e-5);
        assertFalse(o.relaxed().cell().isPeriodic(0));
    }

    @Test
    void orcaTruncatedAfterTheSecondCycle(@TempDir Path tmp) throws Exception {
        Path dir = TestEnvironment.assumeShared("dft-samples/orca/dvb_geomopt_orca501");
        List<String> lines = Files.readAllLines(dir.resolve("dvb_gopt.out"));
        Files.write(tmp.resolve("dvb_gopt.out"), lines.subList(0, 4870)); // inside the coordinates of cycle 3
        RelaxationOutcome o = DftParsers.relaxation(DftCode.ORCA, tmp, orcaSet(), dvbInitial(dir.resolve("dvb_gopt.inp")));
        assertEquals(DftStatus.INCOMPLETE, o.result().status());
        assertEquals(2, o.ionicSteps());
        assertEquals(-382.055126334294 * Units.HARTREE_TO_EV, o.relaxed().labels().energy(), 1e-6);
        assertArrayEquals(new double[] {-1.416511, 0.229309, 0.0}, o.relaxed().position(0), 1e-12, "cycle 2 coordinates");
    }
}
