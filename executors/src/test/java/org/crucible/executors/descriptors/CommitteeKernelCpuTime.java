package org.crucible.executors.descriptors;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;
import org.crucible.core.Cell;
import org.crucible.core.Structure;

/**
 * Issue 23, goal 3, measured inside one JVM so that machine load hits both sides alike: thread CPU time per atom of
 * the model-by-model committee pass ({@link AceBasis#evaluateModelByModel}, the code before the kernel) against
 * {@link AceCommitteeKernel} ({@link AceBasis#evaluate} with K + 1 = 9 coefficient vectors), and one model alone,
 * default ACE for Si (307 functions). The three tasks run in turn, 20 rounds, the first 5 discarded; median and
 * best of the remaining 15 rounds. Systems: the 1,000-atom rattled diamond box of {@code CommitteeCpuTime}, or
 * ({@code si16}) a random Si16 cell at 20 Angstrom^3/atom as in a pool relaxation.
 * Usage: {@code java -cp ... org.crucible.executors.descriptors.CommitteeKernelCpuTime [box|si16]}.
 */
public final class CommitteeKernelCpuTime {
    private CommitteeKernelCpuTime() {
    }

    public static void main(String[] args) {
        boolean small = args.length > 0 && args[0].equals("si16");
        Random rnd = new Random(1);
        Structure s = small ? TestStructures.randomCell(new Random(2), 16, new int[] {14}, 20.0, 2.0) : box(rnd);
        AceBasis ace = new AceBasis(AceParameters.defaults(14));
        double[][] one = new double[1][ace.size()], nine = new double[9][ace.size()];
        for (int f = 0; f < ace.size(); f++) {
            one[0][f] = rnd.nextGaussian() * 1e-3;
            for (int k = 0; k < 9; k++) nine[k][f] = one[0][f] + rnd.nextGaussian() * 1e-4;
        }
        String[] names = {"one model (model-by-model pass)", "K + 1 = 9, model by model (before)", "K + 1 = 9, AceCommitteeKernel (after)",
            "sigma_E + gradient, 2 calls (before)", "sigma_E + gradient, evaluateFromSummedFeatures"};
        // the last two: what LinearPotential.biased does for HAL (issue 23 goal 3's reading): the K + 1 energies from the
        // summed features, then one adjoint pass with the combined coefficients c - w sum_k dE_k (c_k - c); before as
        // summedFeatures + evaluate, after in one call that keeps every atom's expansion between the passes
        java.util.function.Function<double[], double[]> combine = sum -> {
            double[] combined = one[0].clone();
            for (int k = 1; k < 9; k++) {
                double de = 0;
                for (int f = 0; f < sum.length; f++) de += (nine[k][f] - one[0][f]) * sum[f];
                for (int f = 0; f < sum.length; f++) combined[f] -= 1e-3 * de * (nine[k][f] - one[0][f]);
            }
            return combined;
        };
        Runnable[] tasks = {() -> ace.evaluate(s, one), () -> ace.evaluateModelByModel(s, nine), () -> ace.evaluate(s, nine),
            () -> ace.evaluate(s, new double[][] {combine.apply(ace.summedFeatures(s))}), () -> ace.evaluateFromSummedFeatures(s, combine)};
        int reps = small ? 200 : 3;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[][] t = new double[tasks.length][15];
        for (int round = 0; round < 20; round++) {
            for (int q = 0; q < tasks.length; q++) {
                long c0 = mx.getCurrentThreadCpuTime();
                for (int r = 0; r < reps; r++) tasks[q].run();
                if (round >= 5) t[q][round - 5] = (mx.getCurrentThreadCpuTime() - c0) / 1e3 / reps / s.size();
            }
        }
        for (int q = 0; q < tasks.length; q++) {
            Arrays.sort(t[q]);
            System.out.printf("%-40s cpu median %7.2f us/atom (best %7.2f)%n", names[q], t[q][7], t[q][0]);
        }
        System.out.printf("committee / one model (medians): before %.2f, after %.2f; sigma_E and its gradient / one model: before %.2f, after %.2f%n",
                t[1][7] / t[0][7], t[2][7] / t[0][7], t[3][7] / t[0][7], t[4][7] / t[0][7]);
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
}
