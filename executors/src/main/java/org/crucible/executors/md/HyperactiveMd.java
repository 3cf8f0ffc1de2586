package org.crucible.executors.md;

import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.crucible.core.Cell;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.executors.potentials.LinearPotential;

/**
 * Hyperactive learning MD (van der Oord, Sachs, Kovacs, Ortner, Csanyi, npj Comput. Mater. 9, 168 (2023), Methods):
 * Langevin dynamics on the biased energy
 * <pre>
 *   E_HAL = E - tau sigma_E,     F_HAL = F + tau grad sigma_E               (Eq. 9-11, {@link HalEvaluation})
 *   tau   = tau_r mean|F| / mean|grad sigma_E| over the last w steps         (Eq. 12, {@link AdaptiveTau}; 0 in burn-in)
 *   f_i   = sigma_F,i / (|F_i| + eps),  s = sum_i f_i e^{f_i} / sum_j e^{f_j}   (Eq. 6-8)
 * </pre>
 * stopping at the first step with s &gt; s_tol: that configuration is the one to label. One step is the BAOAB step of
 * {@link MolecularDynamics} (B, optional isotropic Berendsen cell scaling on the E_HAL pressure, A O A, force, B), then
 * every k steps Metropolis element swaps and every k' steps volume moves, both accepted on E_HAL at the run's
 * temperature ({@link AtomSwap}, {@link VolumeMove} with {@code potential.biased(tau)}). Each step costs one committee
 * prediction and one unit-bias evaluation.
 *
 * <p>A trajectory is a pure function of (structure, potential, settings, seed): the velocities (Maxwell-Boltzmann at
 * T, zero momentum) and all noise come from {@code new SplittableRandom(seed)}, so a retried Spark task repeats it
 * bit for bit. Thread-safe (no mutable state outside {@link #run}).
 *
 * <pre>{@code
 * HalTrajectory t = new HyperactiveMd(potential, HalSettings.nvt(800, 1.0, 5000, 0.1)).run(si16, 42, null);
 * if (t.triggered()) oracle.label(t.structure());
 * }</pre>
 */
public final class HyperactiveMd {
    private final LinearPotential potential;
    private final HalSettings settings;

    public HyperactiveMd(LinearPotential potential, HalSettings settings) {
        if (potential == null || settings == null) throw new IllegalArgumentException("potential and settings are required");
        this.potential = potential;
        this.settings = settings;
    }

    /** One step's state, for observers (tests, diagnostics). */
    public record Step(long step, Structure structure, HalEvaluation evaluation, double tau, double temperatureK) {
    }

    /**
     * Runs from {@code start} until the softmax stop or {@code maxSteps}.
     *
     * @param observer receives every step (step 0 included), or null
     * @throws org.crucible.executors.calculators.CalculationException when the potential cannot evaluate a configuration
     */
    public HalTrajectory run(Structure start, long seed, Consumer<Step> observer) {
        int n = start.size();
        if (n == 0) throw new IllegalArgumentException("HAL MD needs at least one atom");
        boolean cellMoves = settings.hasPressure() || settings.volumeEvery() > 0;
        if (cellMoves && !start.cell().isFullyPeriodic()) {
            throw new IllegalArgumentException("a barostat or volume moves need a fully periodic cell; " + start.formula() + " is not");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double dt = settings.timestepFs();
        double[] m = new double[n];
        int[] z = start.atomicNumbers();
        for (int i = 0; i < n; i++) m[i] = settings.mass(z[i]);
        double[] v = Velocities.maxwellBoltzmann(m, settings.temperatureK(), rng, true);
        double[] x = start.positions();
        Cell cell = start.cell();
        Structure s = Structure.of(cell, z, x);
        int dof = 3 * n;
        double c1 = Math.exp(-dt / settings.dampingFs());
        double c2 = Math.sqrt(1 - c1 * c1);
        double kt = MdUnits.BOLTZMANN * settings.temperatureK();
        Barostat barostat = settings.hasPressure() ? new Barostat(settings.pressureGPa(), settings.barostatTauFs(), settings.bulkModulusGPa(), true) : null;
        AdaptiveTau adaptive = new AdaptiveTau(settings.tauRelative(), settings.burnIn(), settings.window());
        double[] biasHistory = new double[settings.window()];
        double[] forceHistory = new double[settings.window()];
        double tau = 0;
        HalEvaluation ev = HalEvaluation.of(potential, s);
        Labels l = ev.labels(tau);
        long step = 0;
        while (true) {
            double temperature = MdUnits.temperature(MdUnits.kineticEnergy(m, v), dof);
            if (observer != null) observer.accept(new Step(step, s, ev, tau, temperature));
            int slot = (int) (step % biasHistory.length);
            biasHistory[slot] = tau * ev.meanBiasForceNorm();
            forceHistory[slot] = ev.meanForceNorm();
            double softmax = ev.softmax();
            boolean trigger = softmax > settings.softmaxTolerance();
            if (trigger || step >= settings.maxSteps()) {
                return new HalTrajectory(s.wrapped(), trigger, step, step * dt, tau, softmax, ev.prediction().maxRelativeForceUncertainty(), temperature,
                        ev.prediction().sigmaEnergy(), ev.prediction().energy(), ev.prediction().labels().maxForce(), ratio(biasHistory, forceHistory, step + 1));
            }
            adaptive.observe(ev.meanForceNorm(), ev.meanBiasForceNorm());
            tau = adaptive.tau();
            l = ev.labels(tau);
            step++;
            kick(v, l.forces(), m, 0.5 * dt);
            if (barostat != null) {
                double[] mu = MolecularDynamics.barostatScaling(barostat, cell, l.stress(), m, v, dt);
                double f = mu[0];
                double[] h = cell.matrix();
                for (int c = 0; c < 9; c++) h[c] *= f;
                cell = cell.withMatrix(h);
                for (int c = 0; c < x.length; c++) x[c] *= f;
            }
            drift(x, v, 0.5 * dt);
            for (int i = 0; i < n; i++) {
                double sd = c2 * Math.sqrt(kt / (m[i] * MdUnits.MVV_TO_EV));
                for (int r = 0; r < 3; r++) v[3 * i + r] = c1 * v[3 * i + r] + sd * rng.nextGaussian();
            }
            drift(x, v, 0.5 * dt);
            s = Structure.of(cell, z, x);
            ev = HalEvaluation.of(potential, s);
            l = ev.labels(tau);
            kick(v, l.forces(), m, 0.5 * dt);
            if (settings.swapEvery() > 0 && step % settings.swapEvery() == 0) {
                AtomSwap.Result r = AtomSwap.attempt(potential.biased(tau), s, l, settings.swapsPerEvent(), settings.temperatureK(), rng);
                if (r.accepted() > 0) {
                    int[] nz = r.structure().atomicNumbers();
                    AtomSwap.repartitionMasses(z, nz, m, v, settings::mass);
                    z = nz;
                    s = Structure.of(cell, z, x);
                    ev = HalEvaluation.of(potential, s);
                }
            }
            if (settings.volumeEvery() > 0 && step % settings.volumeEvery() == 0) {
                double p = settings.hasPressure() ? settings.pressureGPa() : 0;
                VolumeMove.Result r = VolumeMove.attempt(potential.biased(tau), s, ev.labels(tau), settings.volumeAttempts(), settings.maxLogVolumeStep(), p,
                        settings.temperatureK(), rng);
                if (r.accepted() > 0) {
                    cell = r.structure().cell();
                    x = r.structure().positions();
                    s = Structure.of(cell, z, x);
                    ev = HalEvaluation.of(potential, s);
                }
            }
        }
    }

    /** mean(tau |g|) / mean(|F|) over the last min(steps, w) recorded steps. */
    private static double ratio(double[] bias, double[] force, long steps) {
        int k = (int) Math.min(steps, bias.length);
        double b = 0, f = 0;
        for (int i = 0; i < k; i++) {
            b += bias[i];
            f += force[i];
        }
        return f > 0 ? b / f : 0;
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
}
