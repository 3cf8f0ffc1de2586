package org.crucible.dft.qe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.core.units.Units;
import org.crucible.dft.DftResult;
import org.crucible.dft.DftStatus;
import org.crucible.dft.input.Settings;
import org.crucible.dft.run.LocalRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real pw.x (Debian quantum-espresso 6.7, Si.pz-vbc.UPF): single points on Si2 and a rattled Si8, and the
 * units and signs of forces and stress checked against finite differences of real energies.
 */
class QeRealPwTest {
    static Path pw;
    static final Path PSEUDO = Path.of("/usr/share/espresso/pseudo");

    @TempDir
    Path tmp;

    @BeforeAll
    static void requirePw() {
        pw = TestEnvironment.assumeExecutable("pw.x", "quantum-espresso");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(PSEUDO.resolve("Si.pz-vbc.UPF")),
                "Si.pz-vbc.UPF not in " + PSEUDO + ": install Debian package 'quantum-espresso-data' (CI does): skipping");
    }

    static QeInputGenerator generator(String kpoints, double ecut) {
        return QeInputGenerator.fromSettings(Settings.parse("pseudo_dir: " + PSEUDO + "\npseudopotentials: {Si: Si.pz-vbc.UPF}\n"
                + "ecutwfc: " + ecut + "\nconv_thr: 1.0e-11\n" + kpoints + "\n", "test settings"));
    }

    DftResult run(QeInputGenerator g, Structure s, String name) {
        LocalRunner runner = new LocalRunner(List.of(pw.toString()), Map.of("OMP_NUM_THREADS", "1"), Duration.ofMinutes(3));
        DftResult r = runner.run(g.inputSet(s), tmp.resolve(name));
        assertEquals(DftStatus.OK, r.status(), name + ": " + r.message());
        return r;
    }

    static Structure si2() {
        return QeInputGeneratorTest.si2();
    }

    static Structure si8Rattled() {
        double a = 5.431;
        double[][] frac = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}, {.25, .25, .25}, {.25, .75, .75}, {.75, .25, .75}, {.75, .75, .25}};
        Random rng = new Random(20261122L);
        double[][] xyz = new double[8][3];
        List<String> sym = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            for (int k = 0; k < 3; k++) xyz[i][k] = frac[i][k] * a + 0.08 * (rng.nextDouble() - 0.5);
            sym.add("Si");
        }
        return Structure.of(Cell.cubic(a), sym, xyz);
    }

    @Test
    void si2SinglePoint() {
        DftResult r = run(generator("kpoint_spacing: 0.3", 16), si2(), "si2");
        assertEquals(2, r.nAtoms());
        assertEquals("6.7MaX", r.codeVersion());
        // Ideal diamond: forces vanish by symmetry; LDA Si2 near -7.9 Ry per atom.
        assertEquals(0.0, r.maxForce(), 1e-4);
        assertEquals(-15.8 * Units.RY_TO_EV, r.energy(), 0.2 * Units.RY_TO_EV);
        assertNotNull(r.stress());
        assertNotNull(r.wallSeconds());
    }

    @Test
    void si8RattledForcesMatchEnergyDifferences() {
        QeInputGenerator g = generator("kpoints: [2, 2, 2]", 12);
        Structure s = si8Rattled();
        DftResult r = run(g, s, "si8");
        assertEquals(8, r.nAtoms());
        double[] f = r.forces();
        assertTrue(r.maxForce() > 0.1, "rattled Si8 must have sizeable forces, got " + r.maxForce());
        int best = 0;
        for (int i = 1; i < f.length; i++) if (Math.abs(f[i]) > Math.abs(f[best])) best = i;
        double h = 0.01;
        double[] plus = s.positions(), minus = s.positions();
        plus[best] += h;
        minus[best] -= h;
        double ep = run(g, s.withPositions(plus), "si8p").energy();
        double em = run(g, s.withPositions(minus), "si8m").energy();
        double fd = -(ep - em) / (2 * h);
        assertEquals(f[best], fd, 0.01 * Math.abs(f[best]), "E(x+h)-E(x-h) = -2hF for atom " + best / 3 + " component " + best % 3);
    }

    @Test
    void smearedMetalForcesBelongToTheFreeEnergy() {
        // Al with Marzari-Vanderbilt smearing: the '!' total energy includes -TS; it is the one whose
        // finite difference gives the printed forces (the internal energy E = F + TS would not).
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(PSEUDO.resolve("Al.pz-vbc.UPF")), "Al.pz-vbc.UPF absent");
        QeInputGenerator g = QeInputGenerator.fromSettings(Settings.parse("pseudo_dir: " + PSEUDO + "\npseudopotentials: {Al: Al.pz-vbc.UPF}\n"
                + "ecutwfc: 15\nconv_thr: 1.0e-11\nsmearing: mv\ndegauss: 0.05\nkpoints: [3, 3, 3]\n", "al settings"));
        double a = 4.05;
        double[][] frac = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}};
        double[][] xyz = new double[4][3];
        Random rng = new Random(4L);
        for (int i = 0; i < 4; i++) for (int k = 0; k < 3; k++) xyz[i][k] = frac[i][k] * a + 0.1 * (rng.nextDouble() - 0.5);
        Structure s = Structure.of(Cell.cubic(a), List.of("Al", "Al", "Al", "Al"), xyz);
        DftResult r = run(g, s, "al4");
        assertNotNull(r.energyTotal(), "internal energy E = F + TS printed with smearing");
        assertTrue(Math.abs(r.energyTotal() - r.energy()) > 1e-4, "smearing entropy term must be visible");
        double[] f = r.forces();
        int best = 0;
        for (int i = 1; i < f.length; i++) if (Math.abs(f[i]) > Math.abs(f[best])) best = i;
        double h = 0.01;
        double[] plus = s.positions(), minus = s.positions();
        plus[best] += h;
        minus[best] -= h;
        DftResult rp = run(g, s.withPositions(plus), "al4p");
        DftResult rm = run(g, s.withPositions(minus), "al4m");
        double fdFree = -(rp.energy() - rm.energy()) / (2 * h);
        assertEquals(f[best], fdFree, 0.01 * Math.abs(f[best]), "-dF/dx = F_printed");
    }

    /**
     * A Si dimer as a free molecule in a 9 Angstrom box (GAP-RSS's dimers on a plane-wave oracle): Gamma point, no
     * stress; the forces are equal and opposite along the bond and match a finite difference of the bond energy.
     */
    @Test
    void dimerInABoxHasForcesAlongTheBondAndNoStress() {
        QeInputGenerator g = generator("smearing: mv\ndegauss: 0.02", 12);
        Cell box = new Cell(Cell.cubic(9).matrix(), new boolean[] {false, false, false});
        java.util.function.DoubleFunction<Structure> dimer = r -> Structure.of(box, List.of("Si", "Si"),
                new double[][] {{4.5 - r / 2, 4.5, 4.5}, {4.5 + r / 2, 4.5, 4.5}});
        double r0 = 2.6, h = 0.01;
        DftResult r = run(g, dimer.apply(r0), "dimer");
        assertEquals(null, r.stress(), "no stress for a molecule in a box");
        double[] f = r.forces();
        assertEquals(0.0, f[0] + f[3], 1e-3, "equal and opposite");
        for (int k : new int[] {1, 2, 4, 5}) assertEquals(0.0, f[k], 1e-3, "along the bond only");
        double dEdr = (run(g, dimer.apply(r0 + h), "dimer+").energy() - run(g, dimer.apply(r0 - h), "dimer-").energy()) / (2 * h);
        // atom 1 sits at +r/2: F_1x = -dE/dx_1 = -dE/dr
        assertEquals(-dEdr, f[3], 0.02 * Math.abs(dEdr) + 2e-3, "F = -dE/dr");
        assertTrue(Math.abs(f[3]) > 0.05, "a bond away from its minimum has a sizeable force: " + f[3]);
    }

    @Test
    void missingPseudopotentialIsFailedWithPwxMessage() {
        QeInputGenerator g = QeInputGenerator.fromSettings(Settings.parse("pseudo_dir: " + tmp + "\npseudopotentials: {Si: Si.nothere.UPF}\n"
                + "ecutwfc: 12\nkpoints: [1, 1, 1]\ncheck_pseudo_files: false\n", "bad settings"));
        LocalRunner runner = new LocalRunner(List.of(pw.toString()), Map.of("OMP_NUM_THREADS", "1"), Duration.ofMinutes(1));
        DftResult r = runner.run(g.inputSet(si2()), tmp.resolve("nopp"));
        assertEquals(DftStatus.FAILED, r.status(), r.message());
        assertTrue(r.message().contains("Error in routine"), r.message());
    }

    @Test
    void realRelaxationAllSteps() {
        QeInputGenerator g = QeInputGenerator.fromSettings(Settings.parse("pseudo_dir: " + PSEUDO + "\npseudopotentials: {Si: Si.pz-vbc.UPF}\n"
                + "ecutwfc: 12\nkpoints: [2, 2, 2]\ncontrol: {calculation: relax, forc_conv_thr: 1.0e-3}\n", "relax settings"));
        Structure s = si2();
        double[] x = s.positions();
        x[3] += 0.08;
        LocalRunner runner = new LocalRunner(List.of(pw.toString()), Map.of("OMP_NUM_THREADS", "1"), Duration.ofMinutes(2));
        DftResult last = runner.run(g.inputSet(s.withPositions(x)), tmp.resolve("relax"));
        assertEquals(DftStatus.OK, last.status(), last.message());
        assertEquals(Boolean.TRUE, last.ionicConverged());
        DftResult all = new QeOutputParser().parse(tmp.resolve("relax/pw.out"), true);
        assertTrue(all.steps().size() >= 2, "several ionic steps, got " + all.steps().size());
        assertTrue(all.steps().get(0).maxForce() > all.maxForce(), "forces decrease during the relaxation");
        assertTrue(all.steps().get(0).energy() > all.energy(), "energy decreases");
        assertTrue(all.maxForce() < 1e-3 * org.crucible.core.units.Units.RY_PER_BOHR_TO_EV_PER_A * 1.01);
    }

    @Test
    void spinPolarisedSmearedVcRelaxEndsAtZeroPressure() {
        // Exercises the pw.x output variants of lsda + smearing + vc-relax (stress every step, "Final scf").
        QeInputGenerator g = QeInputGenerator.fromSettings(Settings.parse("pseudo_dir: " + PSEUDO + "\npseudopotentials: {Si: Si.pz-vbc.UPF}\n"
                + "ecutwfc: 12\nkpoints: [2, 2, 2]\nsmearing: mv\ndegauss: 0.02\nspin_polarized: true\n"
                + "system: {starting_magnetization(1): 0.5}\ncontrol: {calculation: vc-relax}\n", "vc-relax settings"));
        LocalRunner runner = new LocalRunner(List.of(pw.toString()), Map.of("OMP_NUM_THREADS", "1"), Duration.ofMinutes(2));
        DftResult r = runner.run(g.inputSet(si2()), tmp.resolve("vcrelax"));
        assertEquals(DftStatus.OK, r.status(), r.message());
        assertEquals(Boolean.TRUE, r.ionicConverged());
        DftResult all = new QeOutputParser().parse(tmp.resolve("vcrelax/pw.out"), true);
        assertTrue(all.steps().size() >= 3, "steps: " + all.steps().size());
        for (var st : all.steps()) assertNotNull(st.stress(), "vc-relax prints stress every step");
        assertTrue(Math.abs(Units.pressureGPa(all.steps().get(0).stress())) > 1.0, "starts away from equilibrium at 12 Ry");
        assertTrue(Math.abs(Units.pressureGPa(r.stress())) < 0.1, "relaxed cell: pressure " + Units.pressureGPa(r.stress()) + " GPa");
    }

    @Test
    void molecularDynamicsStepsAndNoIonicFlag() {
        QeInputGenerator g = QeInputGenerator.fromSettings(Settings.parse("pseudo_dir: " + PSEUDO + "\npseudopotentials: {Si: Si.pz-vbc.UPF}\n"
                + "ecutwfc: 12\nkpoints: [2, 2, 2]\ncontrol: {calculation: md, nstep: 3, dt: 20}\n", "md settings"));
        double[] x = si2().positions();
        x[3] += 0.09;
        LocalRunner runner = new LocalRunner(List.of(pw.toString()), Map.of("OMP_NUM_THREADS", "1"), Duration.ofMinutes(2));
        DftResult r = runner.run(g.inputSet(si2().withPositions(x)), tmp.resolve("md"));
        assertEquals(DftStatus.OK, r.status(), r.message());
        assertEquals(null, r.ionicConverged(), "MD has no ionic criterion");
        DftResult all = new QeOutputParser().parse(tmp.resolve("md"), true);
        assertEquals(3, all.steps().size(), "nstep = 3");
        for (var st : all.steps()) assertNotNull(st.forces());
    }

    @Test
    void shearStressMatchesStrainDerivative() {
        // Shear (not a diagonal component) because at fixed ecut a finite difference of E includes the Pulay stress,
        // which is isotropic; a volume-conserving shear does not change the plane-wave count to first order. At 16 Ry
        // the basis still jumps discretely with strain (2.4% off); 24 Ry brings it to 0.75%, hence 24 Ry and 2%.
        QeInputGenerator g = generator("kpoints: [3, 3, 3]", 24);
        Structure base = si2().withCell(si2().cell().strained(new double[] {0, 0, 0, 0.03, 0, 0}), true);
        DftResult r = run(g, base, "shear0");
        double sigmaYz = r.stress()[3];
        double t = 0.004;
        double ep = run(g, base.withCell(base.cell().strained(new double[] {0, 0, 0, t, 0, 0}), true), "shearp").energy();
        double em = run(g, base.withCell(base.cell().strained(new double[] {0, 0, 0, -t, 0, 0}), true), "shearm").energy();
        // Tensor shear eps_yz = eps_zy = t: dE/dt = V (sigma_yz + sigma_zy) = 2 V sigma_yz (ASE: sigma = (1/V) dE/deps).
        double fd = (ep - em) / (2 * t) / (2 * base.cell().volume());
        assertTrue(Math.abs(sigmaYz) > 1e-3, "sheared Si2 must carry shear stress, got " + sigmaYz + " eV/A^3");
        assertEquals(fd, sigmaYz, 0.02 * Math.abs(fd), "sigma_yz (eV/A^3) vs (1/V) dE/d(eps_yz)");
    }
}
