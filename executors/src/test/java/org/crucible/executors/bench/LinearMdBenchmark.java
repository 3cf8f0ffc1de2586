package org.crucible.executors.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;
import org.crucible.executors.calculators.Calculator;
import org.crucible.executors.md.MdSettings;
import org.crucible.executors.md.MolecularDynamics;
import org.crucible.executors.md.Thermostat;
import org.crucible.executors.md.Velocities;
import org.crucible.executors.potentials.LinearPotential;
import org.crucible.executors.potentials.ModelFile;

/**
 * Issue 17's MD speed figure: Langevin MD per atom-step with the linear (ACE) potential, the mean model alone and the
 * HAL biased committee ({@link LinearPotential#biased}: all K models and the spread's gradient each step), against
 * the same calculator's evaluation alone on frames of that trajectory, so "MD overhead" is what the engine adds beyond
 * the force call (integration, thermostat noise, structure copies, frames). Times are the measuring thread's CPU
 * time, the median of {@code passes} passes after a warm-up pass.
 *
 * <p>Run: {@code java -cp ... org.crucible.executors.bench.LinearMdBenchmark MODEL.json START.extxyz [k] [steps] [passes]}:
 * the start structure repeated k x k x k, 800 K, dt 1 fs, damping 100 fs, tau 0.1 for the biased run.
 */
public final class LinearMdBenchmark {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        if (args.length < 2) throw new IllegalArgumentException("usage: LinearMdBenchmark MODEL.json START.extxyz [k] [steps] [passes]");
        LinearPotential pot = ModelFile.read(Path.of(args[0])).potential();
        int k = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        int passes = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        Structure box = repeat(ExtendedXyz.read(Path.of(args[1])).get(0), k);
        System.out.printf(Locale.ROOT, "# %s, %d atoms (%s x %d^3), Langevin 800 K, dt 1 fs, %d steps, median of %d passes (thread CPU)%n",
                Path.of(args[0]).getFileName(), box.size(), box.formula(), k, steps, passes);
        System.out.println("| calculator | MD, us per atom-step | evaluation alone, us per atom | MD overhead |");
        System.out.println("|---|---|---|---|");
        row("mean model", pot, box, steps, passes);
        row("HAL biased committee (K = " + pot.committeeSize() + ", tau 0.1)", pot.biased(0.1), box, steps, passes);
    }

    private static void row(String name, Calculator calc, Structure box, int steps, int passes) {
        int n = box.size();
        MdSettings set = MdSettings.nve(1.0, steps).withThermostat(new Thermostat.Langevin(800, 100)).withSampleEvery(steps);
        Structure[] frames = new Structure[8];
        int[] kept = {0};
        // warm-up pass, which also keeps 8 frames of the trajectory for the evaluation-alone timing
        MdSettings sampled = set.withSampleEvery(Math.max(1, steps / 8));
        md(calc, sampled, box, 0, f -> {
            if (kept[0] < frames.length) frames[kept[0]++] = f.structure();
        });
        double[] mdUs = new double[passes], calcUs = new double[passes];
        double sink = 0;
        for (int p = 0; p < passes; p++) {
            long c0 = MX.getCurrentThreadCpuTime();
            md(calc, set, box, p + 1, null);
            mdUs[p] = (MX.getCurrentThreadCpuTime() - c0) / 1e3 / steps / n;
            c0 = MX.getCurrentThreadCpuTime();
            for (int i = 0; i < steps; i++) sink += calc.calculate(frames[i % kept[0]]).energy();
            calcUs[p] = (MX.getCurrentThreadCpuTime() - c0) / 1e3 / steps / n;
        }
        if (sink == 42) System.out.println();
        java.util.Arrays.sort(mdUs);
        java.util.Arrays.sort(calcUs);
        double m = mdUs[passes / 2], c = calcUs[passes / 2];
        System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %+.1f %% |%n", name, m, c, 100 * (m - c) / c);
    }

    private static void md(Calculator calc, MdSettings set, Structure box, long seed, java.util.function.Consumer<org.crucible.executors.md.MdFrame> obs) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = Velocities.maxwellBoltzmann(MolecularDynamics.masses(box, set), 800, rng, true);
        new MolecularDynamics(calc, set).run(box, v, rng, obs);
    }

    /** {@code s} repeated k times along each cell vector. */
    static Structure repeat(Structure s, int k) {
        double[] h = s.cell().matrix();
        int n = s.size();
        double[] x = new double[3 * n * k * k * k];
        int[] z = new int[n * k * k * k];
        double[] p = s.positions();
        int m = 0;
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                for (int c = 0; c < k; c++) {
                    for (int i = 0; i < n; i++, m++) {
                        for (int r = 0; r < 3; r++) x[3 * m + r] = p[3 * i + r] + a * h[r] + b * h[3 + r] + c * h[6 + r];
                        z[m] = s.atomicNumber(i);
                    }
                }
            }
        }
        double[] big = h.clone();
        for (int i = 0; i < 9; i++) big[i] *= k;
        return Structure.of(s.cell().withMatrix(big), z, x);
    }
}
