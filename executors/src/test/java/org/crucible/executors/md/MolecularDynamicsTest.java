package org.crucible.executors.md;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import org.crucible.core.Cell;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.executors.calculators.Calculator;
import org.crucible.executors.calculators.Eam;
import org.crucible.executors.calculators.StillingerWeber;
import org.junit.jupiter.api.Test;

/**
 * Numbers, not smoke: NVE energy conservation on Si64 with Stillinger-Weber at 1,000 K over 10 ps and its dt^2
 * scaling; the Langevin kinetic-energy distribution against the canonical one; the Berendsen barostat's mean
 * pressure; detailed balance of element swaps on a model with a known answer; same seed, same trajectory.
 */
class MolecularDynamicsTest {
    static final String POT = "/usr/share/lammps/potentials/";

    static Structure diamondSi(int k, double a) {
        double[][] basis = {{0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0}, {0.25, 0.25, 0.25}, {0.25, 0.75, 0.75},
            {0.75, 0.25, 0.75}, {0.75, 0.75, 0.25}};
        int n = 8 * k * k * k;
        double[] x = new double[3 * n];
        int[] z = new int[n];
        int i = 0;
        for (int p = 0; p < k; p++) {
            for (int q = 0; q < k; q++) {
                for (int r = 0; r < k; r++) {
                    for (double[] b : basis) {
                        x[3 * i] = (p + b[0]) * a;
                        x[3 * i + 1] = (q + b[1]) * a;
                        x[3 * i + 2] = (r + b[2]) * a;
                        z[i++] = 14;
                    }
                }
            }
        }
        return Structure.of(Cell.cubic(k * a), z, x);
    }

    /** RMS deviation of the total energy from its mean, and the drift (last - first), eV/atom. */
    private static double[] nveSi(double dt, double totalFs) {
        Structure s = diamondSi(2, 5.431);
        MdSettings set = MdSettings.nve(dt, (int) Math.round(totalFs / dt)).withSampleEvery((int) Math.round(10 / dt));
        double[] v0 = Velocities.maxwellBoltzmann(MolecularDynamics.masses(s, set), 2000, new SplittableRandom(1), true);
        List<Double> e = new ArrayList<>();
        List<Double> t = new ArrayList<>();
        new MolecularDynamics(StillingerWeber.silicon(), set).run(s, v0, null, f -> {
            e.add(f.totalEnergy());
            t.add(f.temperatureK());
        });
        double mean = e.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double rms = Math.sqrt(e.stream().mapToDouble(x -> (x - mean) * (x - mean)).average().orElseThrow()) / s.size();
        // drift: mean of the last ps minus mean of the third ps (after the crystal's 2,000 K start has equipartitioned)
        int m = e.size() / 10;
        double late = e.subList(e.size() - m, e.size()).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double early = e.subList(2 * m, 3 * m).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double drift = (late - early) / s.size();
        double meanT = t.stream().mapToDouble(Double::doubleValue).skip(t.size() / 5).average().orElseThrow();
        return new double[] {rms, drift, meanT};
    }

    @Test
    void nveConservesEnergyOnSi64At1000KWithErrorsShrinkingAsDtSquared() {
        double[] coarse = nveSi(2.0, 10_000);
        double[] fine = nveSi(1.0, 10_000);
        System.out.printf(Locale.ROOT, "NVE Si64 SW 10 ps at ~1000 K: dt 2 fs rms %.3g eV/atom drift (ps 3 to 10) %.3g; dt 1 fs rms %.3g drift %.3g; mean T %.0f K%n",
                coarse[0], coarse[1], fine[0], fine[1], fine[2]);
        // 2,000 K of initial kinetic energy equipartitions to about 1,000 K
        assertTrue(fine[2] > 850 && fine[2] < 1150, "mean temperature " + fine[2] + " K");
        assertTrue(fine[0] < 2e-4, "energy fluctuation at dt = 1 fs: " + fine[0] + " eV/atom");
        assertTrue(Math.abs(fine[1]) < 1e-4, "energy drift over 7 ps at dt = 1 fs: " + fine[1] + " eV/atom");
        double ratio = coarse[0] / fine[0];
        assertTrue(ratio > 3 && ratio < 5.5, "halving dt should divide the fluctuation by about 4, got " + ratio);
    }

    private static Structure cuNi32(long seed) {
        return MdLammpsTest.fcc(new Random(seed), new String[] {"Cu", "Ni"}, 3.56, 2, 0.0);
    }

    /** Mean and its standard error from {@code blocks} equal blocks (block averaging for correlated samples). */
    static double[] blockStats(double[] x, int blocks) {
        int per = x.length / blocks;
        double[] means = new double[blocks];
        for (int b = 0; b < blocks; b++) {
            double s = 0;
            for (int i = b * per; i < (b + 1) * per; i++) s += x[i];
            means[b] = s / per;
        }
        double m = java.util.Arrays.stream(means).average().orElseThrow();
        double var = java.util.Arrays.stream(means).map(y -> (y - m) * (y - m)).sum() / (blocks - 1);
        return new double[] {m, Math.sqrt(var / blocks)};
    }

    @Test
    void langevinSamplesTheCanonicalKineticEnergyDistribution() {
        TestEnvironment.assumeExecutable("lmp", "lammps"); // the EAM files come with Debian's lammps
        Eam eam = Eam.fromFile(Path.of(POT + "CuNi.eam.alloy"));
        Structure s = cuNi32(5);
        double temp = 600;
        MdSettings set = MdSettings.nve(2.0, 40_000).withThermostat(new Thermostat.Langevin(temp, 50)).withSampleEvery(5);
        SplittableRandom rng = new SplittableRandom(6);
        List<Double> ke = new ArrayList<>();
        new MolecularDynamics(eam, set).run(s, null, rng, f -> {
            if (f.step() >= 2000) ke.add(f.kineticEnergy());
        });
        double[] k = ke.stream().mapToDouble(Double::doubleValue).toArray();
        double kt = MdUnits.BOLTZMANN * temp;
        int n = s.size();
        double expectedMean = 1.5 * n * kt, expectedVar = 1.5 * n * kt * kt;
        double[] mean = blockStats(k, 40);
        double mk = mean[0];
        double[] sq = new double[k.length];
        for (int i = 0; i < k.length; i++) sq[i] = (k[i] - mk) * (k[i] - mk);
        double[] var = blockStats(sq, 40);
        System.out.printf(Locale.ROOT, "Langevin CuNi32 600 K: <KE> %.5f +- %.5f eV (canonical %.5f), var %.3g +- %.2g eV^2 (canonical %.3g)%n",
                mean[0], mean[1], expectedMean, var[0], var[1], expectedVar);
        assertTrue(Math.abs(mean[0] - expectedMean) < 4 * mean[1] + 0.005 * expectedMean,
                "mean kinetic energy " + mean[0] + " +- " + mean[1] + " vs canonical " + expectedMean);
        assertTrue(mean[1] < 0.02 * expectedMean, "statistical error too large to test: " + mean[1]);
        assertTrue(Math.abs(var[0] - expectedVar) < 4 * var[1] + 0.02 * expectedVar,
                "kinetic energy variance " + var[0] + " +- " + var[1] + " vs canonical " + expectedVar);
        assertTrue(var[1] < 0.1 * expectedVar, "statistical error of the variance too large to test: " + var[1]);
    }

    @Test
    void berendsenBarostatHoldsTheTargetPressureOnAverage() {
        TestEnvironment.assumeExecutable("lmp", "lammps");
        Eam eam = Eam.fromFile(Path.of(POT + "CuNi.eam.alloy"));
        for (boolean isotropic : new boolean[] {true, false}) {
            double[] volume = new double[2];
            for (int k = 0; k < 2; k++) {
                double target = k == 0 ? 0.0 : 5.0;
                MdSettings set = MdSettings.nve(2.0, 12_000).withThermostat(new Thermostat.Langevin(300, 100))
                        .withBarostat(new Barostat(target, 200, 150, isotropic)).withSampleEvery(5);
                List<Double> p = new ArrayList<>();
                List<Double> v = new ArrayList<>();
                new MolecularDynamics(eam, set).run(cuNi32(7), null, new SplittableRandom(8), f -> {
                    if (f.step() >= 4000) {
                        p.add(f.pressureGPa());
                        v.add(f.structure().cell().volume());
                    }
                });
                double[] st = blockStats(p.stream().mapToDouble(Double::doubleValue).toArray(), 20);
                volume[k] = v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                System.out.printf(Locale.ROOT, "Berendsen %s CuNi32 300 K, %.0f GPa: <P> %.3f +- %.3f GPa, <V> %.2f A^3%n",
                        isotropic ? "isotropic" : "anisotropic", target, st[0], st[1], volume[k]);
                assertTrue(Math.abs(st[0] - target) < 4 * st[1] + 0.1, "mean pressure " + st[0] + " +- " + st[1] + " GPa vs " + target);
                assertTrue(st[1] < 0.3, "pressure error bar " + st[1] + " GPa");
            }
            // B = -V dP/dV of about 150-200 GPa: 5 GPa compresses by 2.5-3.5 %
            double strain = 1 - volume[1] / volume[0];
            assertTrue(strain > 0.015 && strain < 0.05, "volume at 5 GPa vs 0 GPa: " + volume[1] + " vs " + volume[0]);
        }
    }

    /** A lattice-gas toy: E = sum over Ni atoms of h(site), h = 0.1 eV times the site's x coordinate. */
    static final class SiteField implements Calculator {
        @Override
        public Set<Property> implementedProperties() {
            return EnumSet.of(Property.ENERGY, Property.FORCES);
        }

        @Override
        public Labels calculate(Structure s) {
            double e = 0;
            for (int i = 0; i < s.size(); i++) if (s.symbol(i).equals("Ni")) e += 0.1 * s.position(i)[0];
            return new Labels(e, new double[3 * s.size()], null);
        }
    }

    @Test
    void swapsObeyDetailedBalanceOnALatticeGas() {
        // 5 sites at x = 0..4, two Ni and three Cu: 10 configurations with Boltzmann weights exp(-0.1 (x1 + x2) / kT)
        double[] x = new double[15];
        for (int i = 0; i < 5; i++) x[3 * i] = i;
        Structure s = Structure.of(Cell.NONE, new int[] {28, 28, 29, 29, 29}, x);
        double temp = 1500, kt = MdUnits.BOLTZMANN * temp;
        Calculator calc = new SiteField();
        SplittableRandom rng = new SplittableRandom(9);
        double[] count = new double[32];
        Labels l = calc.calculate(s);
        int samples = 200_000;
        int accepted = 0;
        for (int k = 0; k < samples; k++) {
            AtomSwap.Result r = AtomSwap.attempt(calc, s, l, 1, temp, rng);
            s = r.structure();
            l = r.labels();
            accepted += r.accepted();
            int mask = 0;
            for (int i = 0; i < 5; i++) if (s.atomicNumber(i) == 28) mask |= 1 << i;
            count[mask]++;
        }
        double z = 0;
        double[] exact = new double[32];
        for (int a = 0; a < 5; a++) {
            for (int b = a + 1; b < 5; b++) {
                exact[(1 << a) | (1 << b)] = Math.exp(-0.1 * (a + b) / kt);
                z += exact[(1 << a) | (1 << b)];
            }
        }
        double worst = 0;
        for (int m = 0; m < 32; m++) {
            double p = exact[m] / z, f = count[m] / samples;
            if (exact[m] == 0) assertEquals(0, count[m], "composition changed: configuration " + Integer.toBinaryString(m));
            else worst = Math.max(worst, Math.abs(f - p) / Math.sqrt(p * (1 - p) / samples));
        }
        double rate = (double) accepted / samples;
        // successive states are correlated: a state persists about 1/rate attempts, which widens the spread of
        // the frequencies by about sqrt(2 / rate) over independent draws
        double effective = worst / Math.sqrt(2 / rate);
        System.out.printf(Locale.ROOT, "swap lattice gas: acceptance %.3f, worst deviation %.2f binomial sigmas (%.2f correlated sigmas)%n",
                rate, worst, effective);
        assertTrue(effective < 4, "frequencies deviate from Boltzmann by " + effective + " standard deviations");
        assertTrue(rate > 0.05 && rate < 1, "acceptance " + rate);
    }

    @Test
    void swapsDuringMdKeepCompositionAndKineticEnergyOfTheSwappedAtoms() {
        TestEnvironment.assumeExecutable("lmp", "lammps");
        Eam eam = Eam.fromFile(Path.of(POT + "AlCu.eam.alloy"));
        Structure s = MdLammpsTest.fcc(new Random(10), new String[] {"Al", "Cu"}, 3.9, 2, 0.0);
        MdSettings set = MdSettings.nve(2.0, 400).withThermostat(new Thermostat.Langevin(800, 100)).withSwaps(10, 4, 800).withSampleEvery(100);
        MdFrame last = new MolecularDynamics(eam, set).run(s, null, new SplittableRandom(11), null);
        assertEquals(s.composition(), last.structure().composition());
        assertEquals(160, last.swapsAttempted());
        assertTrue(last.swapsAccepted() > 0 && last.swapsAccepted() < 160, "accepted " + last.swapsAccepted());
        assertEquals(last.potentialEnergy(), eam.calculate(last.structure()).energy(), 1e-9, "labels belong to the swapped structure");
    }

    @Test
    void sameSeedSameTrajectory() {
        TestEnvironment.assumeExecutable("lmp", "lammps");
        Eam eam = Eam.fromFile(Path.of(POT + "AlCu.eam.alloy"));
        Structure s = MdLammpsTest.fcc(new Random(12), new String[] {"Al", "Cu"}, 3.9, 2, 0.05);
        MdSettings set = MdSettings.nve(2.0, 200).withThermostat(new Thermostat.Langevin(800, 100)).withSwaps(20, 2, 800)
                .withBarostat(new Barostat(0, 200, 100, false));
        MdFrame a = new MolecularDynamics(eam, set).run(s, null, new SplittableRandom(13), null);
        MdFrame b = new MolecularDynamics(eam, set).run(s, null, new SplittableRandom(13), null);
        MdFrame c = new MolecularDynamics(eam, set).run(s, null, new SplittableRandom(14), null);
        assertArrayEquals(a.structure().positions(), b.structure().positions());
        assertArrayEquals(a.velocities(), b.velocities());
        assertTrue(!java.util.Arrays.equals(a.structure().positions(), c.structure().positions()), "another seed, another trajectory");
    }

    @Test
    void badSettingsAreRefusedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MdSettings.nve(-1, 10));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Thermostat.Langevin(300, 0));
        assertTrue(e.getMessage().contains("damping"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MolecularDynamics(new SiteField(),
                MdSettings.nve(1, 1).withBarostat(new Barostat(0, 100, 100, true))));
        assertTrue(e.getMessage().contains("stress"), e.getMessage());
    }

    /** Zero energy and forces in any periodic cell: an ideal gas. */
    static final class IdealGas implements Calculator {
        @Override
        public Set<Property> implementedProperties() {
            return EnumSet.of(Property.ENERGY, Property.FORCES, Property.STRESS);
        }

        @Override
        public Labels calculate(Structure s) {
            return new Labels(0.0, new double[3 * s.size()], new double[6]);
        }
    }

    @Test
    void volumeMovesSampleTheIdealGasIsobar() {
        // p(V) ~ V^n exp(-P V / kT): a Gamma distribution, mean (n + 1) kT / P, variance (n + 1) (kT / P)^2
        int n = 4;
        double temp = 300, pressure = 0.01;
        double kt = MdUnits.BOLTZMANN * temp, p = pressure * org.crucible.core.units.Units.GPA_TO_EV_PER_A3;
        double[] x = new double[3 * n];
        for (int i = 0; i < n; i++) x[3 * i] = i * 2.5;
        Structure s = Structure.of(Cell.cubic(10), new int[] {18, 18, 18, 18}, x);
        Calculator gas = new IdealGas();
        SplittableRandom rng = new SplittableRandom(15);
        Labels l = gas.calculate(s);
        int samples = 400_000;
        double[] v = new double[samples];
        int accepted = 0;
        for (int k = 0; k < samples; k++) {
            VolumeMove.Result r = VolumeMove.attempt(gas, s, l, 1, 0.8, pressure, temp, rng);
            s = r.structure();
            accepted += r.accepted();
            v[k] = s.cell().volume();
        }
        double[] mean = blockStats(java.util.Arrays.copyOfRange(v, 20_000, samples), 40);
        double expected = (n + 1) * kt / p;
        double m = mean[0];
        double var = java.util.Arrays.stream(v, 20_000, samples).map(y -> (y - m) * (y - m)).average().orElseThrow();
        double expectedVar = (n + 1) * (kt / p) * (kt / p);
        System.out.printf(Locale.ROOT, "volume moves, ideal gas n = 4, 300 K, 0.01 GPa: <V> %.1f +- %.1f A^3 (exact %.1f), var/exact %.3f, acceptance %.2f%n",
                mean[0], mean[1], expected, var / expectedVar, (double) accepted / samples);
        assertTrue(Math.abs(mean[0] - expected) < 4 * mean[1], "mean volume " + mean[0] + " +- " + mean[1] + " vs " + expected);
        assertTrue(mean[1] < 0.02 * expected, "error bar " + mean[1]);
        assertTrue(Math.abs(var / expectedVar - 1) < 0.1, "volume variance " + var + " vs " + expectedVar);
    }

    @Test
    void volumeMovesDuringMdReachTheTargetPressureAndKeepTheCellShape() {
        TestEnvironment.assumeExecutable("lmp", "lammps");
        Eam eam = Eam.fromFile(Path.of(POT + "CuNi.eam.alloy"));
        Structure s = cuNi32(16);
        MdSettings set = MdSettings.nve(2.0, 10_000).withThermostat(new Thermostat.Langevin(300, 100))
                .withVolumeMoves(new MdSettings.VolumeMoves(5, 2, 0.01, 5.0, 300)).withSampleEvery(10);
        List<Double> p = new ArrayList<>();
        MdFrame last = new MolecularDynamics(eam, set).run(s, null, new SplittableRandom(17), f -> {
            if (f.step() >= 2000) p.add(f.pressureGPa());
        });
        double[] st = blockStats(p.stream().mapToDouble(Double::doubleValue).toArray(), 20);
        System.out.printf(Locale.ROOT, "MC volume moves + Langevin, CuNi32 300 K, 5 GPa: <P> %.3f +- %.3f GPa%n", st[0], st[1]);
        assertTrue(Math.abs(st[0] - 5.0) < 4 * st[1] + 0.1, "mean pressure " + st[0] + " +- " + st[1] + " GPa vs 5");
        assertTrue(st[1] < 0.3, "pressure error bar " + st[1]);
        double[] m = last.structure().cell().matrix();
        double a = m[0];
        assertEquals(0, Math.abs(m[1]) + Math.abs(m[2]) + Math.abs(m[3]) + Math.abs(m[5]) + Math.abs(m[6]) + Math.abs(m[7]), 1e-12, "still cubic");
        assertEquals(a, m[4], 1e-12);
        assertEquals(a, m[8], 1e-12);
        assertEquals(eam.calculate(last.structure()).energy(), last.potentialEnergy(), 1e-9, "labels belong to the moved structure");
    }

    @Test
    void noseHooverChainSamplesTheCanonicalKineticEnergyAndConservesItsEnergy() {
        TestEnvironment.assumeExecutable("lmp", "lammps");
        Eam eam = Eam.fromFile(Path.of(POT + "CuNi.eam.alloy"));
        Structure s = cuNi32(5);
        double temp = 600;
        MdSettings set = MdSettings.nve(2.0, 40_000).withThermostat(new Thermostat.NoseHooverChain(temp, 100, 3)).withSampleEvery(5);
        MdSettings tmp = set;
        double[] v0 = Velocities.maxwellBoltzmann(MolecularDynamics.masses(s, tmp), temp, new SplittableRandom(18), true);
        List<Double> ke = new ArrayList<>();
        double[] conserved = {Double.NaN, 0};
        new MolecularDynamics(eam, set).run(s, v0, null, f -> {
            if (f.step() == 0) conserved[0] = f.conservedEnergy();
            conserved[1] = Math.max(conserved[1], Math.abs(f.conservedEnergy() - conserved[0]));
            if (f.step() >= 2000) ke.add(f.kineticEnergy());
        });
        double[] k = ke.stream().mapToDouble(Double::doubleValue).toArray();
        double kt = MdUnits.BOLTZMANN * temp;
        int dof = 3 * s.size() - 3;
        double expectedMean = 0.5 * dof * kt, expectedVar = 0.5 * dof * kt * kt;
        double[] mean = blockStats(k, 40);
        double mk = mean[0];
        double[] sq = new double[k.length];
        for (int i = 0; i < k.length; i++) sq[i] = (k[i] - mk) * (k[i] - mk);
        double[] var = blockStats(sq, 40);
        System.out.printf(Locale.ROOT, "Nose-Hoover chain CuNi32 600 K: <KE> %.5f +- %.5f eV (canonical %.5f), var %.3g +- %.2g (canonical %.3g), "
                + "max |conserved - start| %.2g eV over 80 ps%n", mean[0], mean[1], expectedMean, var[0], var[1], expectedVar, conserved[1]);
        assertTrue(Math.abs(mean[0] - expectedMean) < 4 * mean[1] + 0.005 * expectedMean, "mean kinetic energy " + mean[0] + " vs " + expectedMean);
        assertTrue(Math.abs(var[0] - expectedVar) < 4 * var[1] + 0.02 * expectedVar, "kinetic energy variance " + var[0] + " vs " + expectedVar);
        assertTrue(conserved[1] < 0.005 * s.size(), "extended energy moved by " + conserved[1] + " eV");
    }

    @Test
    void langevinConservedEnergyAccountsForTheBath() {
        TestEnvironment.assumeExecutable("lmp", "lammps");
        Eam eam = Eam.fromFile(Path.of(POT + "CuNi.eam.alloy"));
        Structure s = cuNi32(5);
        MdSettings set = MdSettings.nve(1.0, 5000).withThermostat(new Thermostat.Langevin(900, 50)).withSampleEvery(10);
        double[] e = {Double.NaN, 0, 0};
        new MolecularDynamics(eam, set).run(s, null, new SplittableRandom(19), f -> {
            if (f.step() == 0) e[0] = f.conservedEnergy();
            e[1] = Math.max(e[1], Math.abs(f.conservedEnergy() - e[0]));
            e[2] = Math.max(e[2], Math.abs(f.totalEnergy() - e[0]));
        });
        System.out.printf(Locale.ROOT, "Langevin CuNi32 900 K, 5 ps: max |E_tot - E0| %.3g eV, max |conserved - E0| %.3g eV%n", e[2], e[1]);
        assertTrue(e[2] > 2.0, "the bath heats the crystal from rest: " + e[2]);
        assertTrue(e[1] < 0.01 * e[2], "conserved energy moved by " + e[1] + " eV");
    }

    @Test
    void stochasticCellRescalingSamplesTheIdealGasIsobarWithItsFluctuations() {
        // Langevin ideal gas at 300 K and 0.01 GPa: p(V) ~ V^n exp(-P V / kT), mean (n + 1) kT / P, variance (n + 1) (kT / P)^2
        int n = 8;
        double temp = 300, pressure = 0.01;
        double kt = MdUnits.BOLTZMANN * temp, p = pressure * org.crucible.core.units.Units.GPA_TO_EV_PER_A3;
        double[] x = new double[3 * n];
        for (int i = 0; i < n; i++) x[3 * i] = i * 2.0;
        Structure s = Structure.of(Cell.cubic(15.5), new int[] {18, 18, 18, 18, 18, 18, 18, 18}, x);
        MdSettings set = MdSettings.nve(5.0, 600_000).withThermostat(new Thermostat.Langevin(temp, 100))
                .withBarostat(Barostat.stochasticCellRescaling(pressure, 500, pressure)).withSampleEvery(10);
        List<Double> v = new ArrayList<>();
        new MolecularDynamics(new IdealGas(), set).run(s, null, new SplittableRandom(20), f -> {
            if (f.step() >= 50_000) v.add(f.structure().cell().volume());
        });
        double[] vol = v.stream().mapToDouble(Double::doubleValue).toArray();
        double[] mean = blockStats(vol, 40);
        double m = mean[0];
        double var = java.util.Arrays.stream(vol).map(y -> (y - m) * (y - m)).average().orElseThrow();
        double expected = (n + 1) * kt / p, expectedVar = (n + 1) * (kt / p) * (kt / p);
        System.out.printf(Locale.ROOT, "stochastic cell rescaling, ideal gas n = 8, 300 K, 0.01 GPa: <V> %.0f +- %.0f A^3 (exact %.0f), var/exact %.3f%n",
                mean[0], mean[1], expected, var / expectedVar);
        assertTrue(Math.abs(mean[0] - expected) < 4 * mean[1] + 0.01 * expected, "mean volume " + mean[0] + " +- " + mean[1] + " vs " + expected);
        assertTrue(mean[1] < 0.03 * expected, "error bar " + mean[1]);
        assertTrue(Math.abs(var / expectedVar - 1) < 0.15, "volume variance " + var + " vs " + expectedVar);
    }

    @Test
    void stochasticCellRescalingHoldsTheTargetPressureWithEam() {
        TestEnvironment.assumeExecutable("lmp", "lammps");
        Eam eam = Eam.fromFile(Path.of(POT + "CuNi.eam.alloy"));
        MdSettings set = MdSettings.nve(2.0, 12_000).withThermostat(new Thermostat.Langevin(300, 100))
                .withBarostat(Barostat.stochasticCellRescaling(5.0, 200, 150)).withSampleEvery(5);
        List<Double> pr = new ArrayList<>();
        new MolecularDynamics(eam, set).run(cuNi32(7), null, new SplittableRandom(21), f -> {
            if (f.step() >= 4000) pr.add(f.pressureGPa());
        });
        double[] st = blockStats(pr.stream().mapToDouble(Double::doubleValue).toArray(), 20);
        System.out.printf(Locale.ROOT, "stochastic cell rescaling CuNi32 300 K, 5 GPa: <P> %.3f +- %.3f GPa%n", st[0], st[1]);
        assertTrue(Math.abs(st[0] - 5.0) < 4 * st[1] + 0.1, "mean pressure " + st[0] + " +- " + st[1]);
        assertTrue(st[1] < 0.3, "error bar " + st[1]);
    }
}
