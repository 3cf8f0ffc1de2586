package org.crucible.executors.md;

import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.crucible.core.Cell;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.core.units.Units;
import org.crucible.executors.calculators.Calculator;
import org.crucible.executors.calculators.CalculationException;

/**
 * Molecular dynamics driven by any {@link Calculator}: velocity Verlet (NVE), BAOAB Langevin (NVT, see
 * {@link Thermostat}), Berendsen barostat on the full cell ({@link Barostat}), Metropolis element swaps
 * ({@link AtomSwap}) and volume moves ({@link VolumeMove}), with time in fs, temperatures in K, pressures in GPa, energies in eV.
 *
 * <p>One step (time step dt):
 * <pre>
 *   v += dt/2 F/m                                   (B)
 *   cell, x (and for stochastic cell rescaling v) scaled by the barostat   (when set; pressure of the current state)
 *   x += dt v                                        (NVE)   |  x += dt/2 v; v = c1 v + c2 sqrt(kT/m) xi; x += dt/2 v  (Langevin)
 *   F = calculator(x)
 *   v += dt/2 F/m                                   (B)
 *   every k steps: element swaps; a swapped atom's velocity is scaled by sqrt(m_old/m_new), keeping its kinetic energy
 *   every k' steps: Monte Carlo volume moves ({@link VolumeMove}); velocities are kept
 * </pre>
 * The NVE step is exactly LAMMPS' {@code fix nve}. Positions are not wrapped into the cell (the neighbour list stays
 * valid longer; wrap when writing if needed). A run is a pure function of (structure, velocities, calculator,
 * settings, random sequence): the same seed gives the same trajectory, so a retried Spark task repeats it.
 *
 * <p>Usage:
 * <pre>{@code
 * MdSettings set = MdSettings.nve(2.0, 5000).withThermostat(new Thermostat.Langevin(800, 100)).withSampleEvery(50);
 * var rng = new SplittableRandom(42);
 * double[] v0 = Velocities.maxwellBoltzmann(MolecularDynamics.masses(s, set), 800, rng, true);
 * MdFrame last = new MolecularDynamics(Eam.fromFile(file), set).run(s, v0, rng, frame -> out.add(frame));
 * }</pre>
 *
 * <p>Not thread-safe per instance while running (none of its state is shared between runs: each {@link #run} has
 * its own arrays), and the calculator must be thread-safe when several runs share it.
 */
public final class MolecularDynamics {
    private final Calculator calculator;
    private final MdSettings settings;

    public MolecularDynamics(Calculator calculator, MdSettings settings) {
        if (calculator == null || settings == null) throw new IllegalArgumentException("calculator and settings are required");
        if (settings.barostat() != null && settings.barostat().kind() == Barostat.Kind.STOCHASTIC_CELL_RESCALING
                && settings.thermostat() instanceof Thermostat.None) {
            throw new IllegalArgumentException("the stochastic cell rescaling barostat needs a thermostat (its noise is at the thermostat's temperature)");
        }
        if (settings.barostat() != null && !calculator.implementedProperties().contains(Calculator.Property.STRESS)) {
            throw new IllegalArgumentException("a barostat needs the stress, which " + calculator.name() + " does not compute");
        }
        this.calculator = calculator;
        this.settings = settings;
    }

    public MdSettings settings() {
        return settings;
    }

    /** Per-atom masses (amu) of {@code s} under {@code settings} (element table unless overridden). */
    public static double[] masses(Structure s, MdSettings settings) {
        double[] m = new double[s.size()];
        for (int i = 0; i < m.length; i++) m[i] = settings.mass(s.atomicNumber(i));
        return m;
    }

    /**
     * Runs {@link MdSettings#steps()} steps from {@code start}.
     *
     * @param velocities flat 3n (Angstrom/fs), or null for atoms at rest
     * @param rng        the random source of the Langevin noise and the swaps (unused for plain NVE)
     * @param observer   receives step 0, every {@link MdSettings#sampleEvery()}-th step and the last step
     * @return the last state
     * @throws CalculationException when the calculator refuses a configuration (atoms collapsed, element not covered)
     */
    public MdFrame run(Structure start, double[] velocities, RandomGenerator rng, Consumer<MdFrame> observer) {
        int n = start.size();
        if (n == 0) throw new IllegalArgumentException("MD needs at least one atom");
        if (velocities != null && velocities.length != 3 * n) {
            throw new IllegalArgumentException("velocities have " + velocities.length + " components for " + n + " atoms (need " + 3 * n + ")");
        }
        if ((settings.barostat() != null || settings.volumeMoves() != null) && !start.cell().isFullyPeriodic()) {
            throw new IllegalArgumentException("a barostat or volume moves need a fully periodic cell; " + start.formula() + " has pbc "
                    + java.util.Arrays.toString(start.cell().pbc()));
        }
        if (rng == null && (settings.thermostat() instanceof Thermostat.Langevin || settings.swapEvery() > 0 || settings.volumeMoves() != null
                || (settings.barostat() != null && settings.barostat().kind() == Barostat.Kind.STOCHASTIC_CELL_RESCALING))) {
            throw new IllegalArgumentException("this run is stochastic (Langevin, swaps, volume moves or stochastic cell rescaling): give a random generator");
        }
        double dt = settings.timestepFs();
        double[] m = masses(start, settings);
        double[] v = velocities == null ? new double[3 * n] : velocities.clone();
        double[] x = start.positions();
        int[] z = start.atomicNumbers();
        Cell cell = start.cell();
        Structure s = Structure.of(cell, z, x);
        Labels l = calculate(s, 0);
        Thermostat th = settings.thermostat();
        int dof = th.degreesOfFreedom(n);
        long attempted = 0, accepted = 0;
        double bath = 0;
        MdFrame frame = frame(0, s, start.info(), l, m, v, dof, attempted, accepted, 0);
        if (observer != null) observer.accept(frame);
        double c1 = 0, c2 = 0, kt = 0;
        Chain chain = th instanceof Thermostat.NoseHooverChain nh ? new Chain(nh, dof) : null;
        double barostatKt = MdUnits.BOLTZMANN * (th instanceof Thermostat.Langevin lt ? lt.temperatureK()
                : th instanceof Thermostat.NoseHooverChain nt ? nt.temperatureK() : 0);
        if (th instanceof Thermostat.Langevin lg) {
            c1 = Math.exp(-dt / lg.dampingFs());
            c2 = Math.sqrt(1 - c1 * c1);
            kt = MdUnits.BOLTZMANN * lg.temperatureK();
        }
        for (long step = 1; step <= settings.steps(); step++) {
            if (chain != null) chain.halfStep(m, v, dt);
            kick(v, l.forces(), m, 0.5 * dt);
            if (settings.barostat() != null && settings.barostat().kind() == Barostat.Kind.STOCHASTIC_CELL_RESCALING) {
                double[] pt = pressureTensor(cell, l.stress(), m, v);
                double p = (pt[0] + pt[4] + pt[8]) / 3 * Units.EV_PER_A3_TO_GPA;
                Barostat b = settings.barostat();
                double ktv = barostatKt / cell.volume() * Units.EV_PER_A3_TO_GPA;
                double k = dt / (b.tauFs() * b.bulkModulusGPa());
                double deps = -k * (b.pressureGPa() - p) + Math.sqrt(2 * ktv * k) * rng.nextGaussian();
                double f = Math.exp(deps / 3);
                double[] h = cell.matrix();
                for (int c = 0; c < 9; c++) h[c] *= f;
                cell = cell.withMatrix(h);
                for (int c = 0; c < x.length; c++) {
                    x[c] *= f;
                    v[c] /= f;
                }
            } else if (settings.barostat() != null) {
                double[] mu = barostatScaling(settings.barostat(), cell, l.stress(), m, v, dt);
                cell = cell.withMatrix(times(cell.matrix(), mu));
                for (int i = 0; i < n; i++) {
                    double a = x[3 * i], b = x[3 * i + 1], c = x[3 * i + 2];
                    for (int r = 0; r < 3; r++) x[3 * i + r] = mu[3 * r] * a + mu[3 * r + 1] * b + mu[3 * r + 2] * c;
                }
            }
            if (th instanceof Thermostat.Langevin) {
                drift(x, v, 0.5 * dt);
                double before = MdUnits.kineticEnergy(m, v);
                for (int i = 0; i < n; i++) {
                    double sd = c2 * Math.sqrt(kt / (m[i] * MdUnits.MVV_TO_EV));
                    for (int r = 0; r < 3; r++) v[3 * i + r] = c1 * v[3 * i + r] + sd * rng.nextGaussian();
                }
                bath -= MdUnits.kineticEnergy(m, v) - before;
                drift(x, v, 0.5 * dt);
            } else {
                drift(x, v, dt);
            }
            s = Structure.of(cell, z, x);
            l = calculate(s, step);
            kick(v, l.forces(), m, 0.5 * dt);
            if (chain != null) chain.halfStep(m, v, dt);
            if (settings.swapEvery() > 0 && step % settings.swapEvery() == 0) {
                AtomSwap.Result r = AtomSwap.attempt(calculator, s, l, settings.swapsPerEvent(), settings.swapTemperatureK(), rng);
                attempted += r.attempted();
                accepted += r.accepted();
                if (r.accepted() > 0) {
                    int[] nz = r.structure().atomicNumbers();
                    AtomSwap.repartitionMasses(z, nz, m, v, settings::mass);
                    z = nz;
                    s = Structure.of(cell, z, x);
                    l = r.labels();
                }
            }
            MdSettings.VolumeMoves vm = settings.volumeMoves();
            if (vm != null && step % vm.every() == 0) {
                VolumeMove.Result r = VolumeMove.attempt(calculator, s, l, vm.attempts(), vm.maxLogVolumeStep(), vm.pressureGPa(), vm.temperatureK(), rng);
                if (r.accepted() > 0) {
                    s = r.structure();
                    l = r.labels();
                    cell = s.cell();
                    x = s.positions();
                }
            }
            if (step % settings.sampleEvery() == 0 || step == settings.steps()) {
                frame = frame(step, s, start.info(), l, m, v, dof, attempted, accepted, chain != null ? chain.energy() : bath);
                if (observer != null) observer.accept(frame);
            }
        }
        return frame;
    }

    private Labels calculate(Structure s, long step) {
        Labels l = calculator.calculate(s);
        if (l == null || !l.hasEnergy() || !l.hasForces()) {
            throw new CalculationException(calculator.name() + " returned no energy or forces at MD step " + step + " for " + s.formula());
        }
        if (settings.barostat() != null && !l.hasStress()) {
            throw new CalculationException(calculator.name() + " returned no stress at MD step " + step + "; the barostat needs it");
        }
        return l;
    }

    private MdFrame frame(long step, Structure s, java.util.Map<String, Object> info, Labels l, double[] m, double[] v, int dof, long attempted, long accepted, double bath) {
        double ke = MdUnits.kineticEnergy(m, v);
        double p = Double.NaN;
        if (l.hasStress() && s.cell().isFullyPeriodic()) {
            double[] pt = pressureTensor(s.cell(), l.stress(), m, v);
            p = (pt[0] + pt[4] + pt[8]) / 3 * Units.EV_PER_A3_TO_GPA;
        }
        return new MdFrame(step, step * settings.timestepFs(), s.withInfo(info).withLabels(l), v, l.energy(), ke, MdUnits.temperature(ke, dof), p, attempted, accepted, bath);
    }

    private static void kick(double[] v, double[] f, double[] m, double h) {
        for (int i = 0; i < m.length; i++) {
            double a = h * MdUnits.ACCELERATION / m[i];
            v[3 * i] += a * f[3 * i];
            v[3 * i + 1] += a * f[3 * i + 1];
            v[3 * i + 2] += a * f[3 * i + 2];
        }
    }

    private static void drift(double[] x, double[] v, double h) {
        for (int i = 0; i < x.length; i++) x[i] += h * v[i];
    }

    /** P = (sum m v v^T) / V - sigma, row-major 3x3, eV/Angstrom^3. */
    static double[] pressureTensor(Cell cell, double[] stressVoigt, double[] m, double[] v) {
        double vol = cell.volume();
        double[] p = new double[9];
        for (int i = 0; i < m.length; i++) {
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) p[3 * a + b] += m[i] * v[3 * i + a] * v[3 * i + b];
            }
        }
        double[] sig = Units.fromVoigt(stressVoigt);
        for (int k = 0; k < 9; k++) p[k] = p[k] * MdUnits.MVV_TO_EV / vol - sig[k];
        return p;
    }

    /** The Berendsen scaling matrix mu (symmetric, row-major). */
    static double[] barostatScaling(Barostat b, Cell cell, double[] stressVoigt, double[] m, double[] v, double dt) {
        double[] p = pressureTensor(cell, stressVoigt, m, v);
        for (int k = 0; k < 9; k++) p[k] *= Units.EV_PER_A3_TO_GPA;
        double[] mu = new double[9];
        if (b.isotropic()) {
            double scalar = (p[0] + p[4] + p[8]) / 3;
            double f = Math.cbrt(1 - dt / (b.tauFs() * b.bulkModulusGPa()) * (b.pressureGPa() - scalar));
            mu[0] = mu[4] = mu[8] = f;
        } else {
            double k = dt / (3 * b.tauFs() * b.bulkModulusGPa());
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    double sym = 0.5 * (p[3 * r + c] + p[3 * c + r]);
                    mu[3 * r + c] = (r == c ? 1 : 0) - k * ((r == c ? b.pressureGPa() : 0) - sym);
                }
            }
        }
        return mu;
    }

    /** H mu for the row-major cell H (rows are lattice vectors) and symmetric mu: every vector a becomes mu a. */
    private static double[] times(double[] h, double[] mu) {
        double[] out = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) out[3 * r + c] = h[3 * r] * mu[3 * c] + h[3 * r + 1] * mu[3 * c + 1] + h[3 * r + 2] * mu[3 * c + 2];
        }
        return out;
    }

    /** Nose-Hoover chain state: positions xi_j (dimensionless) and velocities v_j (1/fs) of the thermostats. */
    private static final class Chain {
        final int len;
        final double kt;
        final int dof;
        final double[] q;
        final double[] xi;
        final double[] vxi;

        Chain(Thermostat.NoseHooverChain nh, int dof) {
            this.len = nh.chainLength();
            this.kt = MdUnits.BOLTZMANN * nh.temperatureK();
            this.dof = dof;
            q = new double[len];
            xi = new double[len];
            vxi = new double[len];
            double tau2 = nh.dampingFs() * nh.dampingFs();
            for (int j = 0; j < len; j++) q[j] = (j == 0 ? dof : 1) * kt * tau2;
        }

        private double force(int j, double ke2) {
            return j == 0 ? (ke2 - dof * kt) / q[0] : (q[j - 1] * vxi[j - 1] * vxi[j - 1] - kt) / q[j];
        }

        /** The thermostat propagator over dt/2 (MTTK 1996, Eq. 29-31 without Suzuki-Yoshida), scaling v in place. */
        void halfStep(double[] m, double[] v, double dt) {
            double ke2 = 2 * MdUnits.kineticEnergy(m, v);
            double d2 = dt / 2, d4 = dt / 4, d8 = dt / 8;
            int last = len - 1;
            vxi[last] += d4 * force(last, ke2);
            for (int j = last - 1; j >= 0; j--) {
                double e = Math.exp(-d8 * vxi[j + 1]);
                vxi[j] = (vxi[j] * e + d4 * force(j, ke2)) * e;
            }
            double scale = Math.exp(-d2 * vxi[0]);
            for (int k = 0; k < v.length; k++) v[k] *= scale;
            ke2 *= scale * scale;
            for (int j = 0; j < len; j++) xi[j] += d2 * vxi[j];
            for (int j = 0; j < last; j++) {
                double e = Math.exp(-d8 * vxi[j + 1]);
                vxi[j] = (vxi[j] * e + d4 * force(j, ke2)) * e;
            }
            vxi[last] += d4 * force(last, ke2);
        }

        /** The chain's energy (eV): sum Q_j v_j^2 / 2 + dof kT xi_1 + kT sum_{j > 1} xi_j. */
        double energy() {
            double e = 0;
            for (int j = 0; j < len; j++) e += 0.5 * q[j] * vxi[j] * vxi[j] + (j == 0 ? dof : 1) * kt * xi[j];
            return e;
        }
    }
}
