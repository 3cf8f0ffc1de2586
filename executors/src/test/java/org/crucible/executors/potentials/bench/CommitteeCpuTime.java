package org.crucible.executors.potentials.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.executors.calculators.Calculator;
import org.crucible.executors.descriptors.AceBasis;
import org.crucible.executors.descriptors.AceParameters;
import org.crucible.executors.potentials.LinearPotential;

/**
 * Thread CPU time per atom of the committee potential's entry points on a 1,000-atom rattled diamond Si box
 * (5 x 5 x 5 conventional cells, a = 5.43 Angstrom), default ACE basis for Si (307 functions), K = 8 committee
 * members drawn around a mean vector: {@code calculate} (mean model only), {@code predict(s, false)} (mean + 8
 * members with per-atom force spread, what a relaxation with the uncertainty stop evaluates every step) and the HAL
 * biased calculator (energy spread and its exact gradient in one combined pass). Each entry point is warmed up for
 * 4 s of CPU, then the median and best of REPEATS (default 11) calls are printed.
 * Usage: {@code java -cp ... org.crucible.executors.potentials.bench.CommitteeCpuTime [REPEATS]}.
 */
public final class CommitteeCpuTime {
    private CommitteeCpuTime() {
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 11;
        Random rnd = new Random(1);
        Structure box = box(rnd);
        AceBasis ace = new AceBasis(AceParameters.defaults(14));
        double[] mean = new double[ace.size()];
        for (int f = 0; f < mean.length; f++) mean[f] = rnd.nextGaussian() * 1e-3;
        double[][] committee = new double[8][ace.size()];
        for (double[] row : committee) for (int f = 0; f < row.length; f++) row[f] = mean[f] + rnd.nextGaussian() * 1e-4;
        LinearPotential pot = new LinearPotential(ace, mean, committee, Map.of(14, -4.0), null, LinearPotential.DEFAULT_EPSILON);
        Calculator biased = pot.biased(0.5);
        double one = run("calculate (mean model only)", reps, () -> pot.calculate(box));
        double all = run("predict(s, false): mean + 8 members, force spread", reps, () -> pot.predict(box, false));
        double hal = run("biased(0.5): energy spread + its gradient", reps, () -> biased.calculate(box));
        System.out.printf("ratios to one model (medians): committee with force spread %.2f, biased %.2f%n", all / one, hal / one);
    }

    static Structure box(Random rnd) {
        double a = 5.43;
        double[][] basis = {{0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0}, {0.25, 0.25, 0.25}, {0.25, 0.75, 0.75}, {0.75, 0.25, 0.75}, {0.75, 0.75, 0.25}};
        double[] xyz = new double[3000];
        int[] z = new int[1000];
        int p = 0;
        for (int i = 0; i < 5; i++) for (int j = 0; j < 5; j++) for (int k = 0; k < 5; k++) for (double[] b : basis) {
            xyz[3 * p] = (i + b[0]) * a + 0.05 * (rnd.nextDouble() - 0.5);
            xyz[3 * p + 1] = (j + b[1]) * a + 0.05 * (rnd.nextDouble() - 0.5);
            xyz[3 * p + 2] = (k + b[2]) * a + 0.05 * (rnd.nextDouble() - 0.5);
            z[p++] = 14;
        }
        return Structure.of(Cell.cubic(5 * a), z, xyz);
    }

    private static double run(String name, int reps, Supplier<Object> task) {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        long warm = bean.getCurrentThreadCpuTime();
        for (int w = 0; w < 5 || bean.getCurrentThreadCpuTime() - warm < 4_000_000_000L; w++) task.get();
        double[] cpu = new double[reps], wall = new double[reps];
        for (int r = 0; r < reps; r++) {
            long c0 = bean.getCurrentThreadCpuTime(), w0 = System.nanoTime();
            task.get();
            cpu[r] = (bean.getCurrentThreadCpuTime() - c0) / 1e3 / 1000;
            wall[r] = (System.nanoTime() - w0) / 1e3 / 1000;
        }
        Arrays.sort(cpu);
        Arrays.sort(wall);
        System.out.printf("%-52s cpu %8.2f us/atom (min %8.2f)   wall %8.2f us/atom (min %8.2f)%n", name, cpu[reps / 2], cpu[0], wall[reps / 2], wall[0]);
        return cpu[reps / 2];
    }
}
