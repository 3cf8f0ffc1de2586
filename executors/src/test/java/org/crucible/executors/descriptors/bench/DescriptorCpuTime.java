package org.crucible.executors.descriptors.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;
import java.util.function.Supplier;
import org.crucible.core.Structure;
import org.crucible.core.neighbors.NeighborList;
import org.crucible.executors.descriptors.AceBasis;
import org.crucible.executors.descriptors.AceParameters;
import org.crucible.executors.descriptors.AveragedSoap;

/**
 * Companion of {@link DescriptorBenchmark} that reports per-thread CPU time (ThreadMXBean) besides wall time,
 * because the shared 2-core build machine is often oversubscribed and wall-clock JMH scores then measure the
 * queue, not the code. Same 1,000-atom box; prints microseconds per atom (median of the repetitions).
 *
 * <p>Run: {@code java -cp <test classpath> org.crucible.executors.descriptors.bench.DescriptorCpuTime [reps]}
 */
public final class DescriptorCpuTime {
    private DescriptorCpuTime() {
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Random rnd = new Random(1);
        Structure box = DescriptorBenchmark.siliconBox(rnd);
        AveragedSoap soap = DescriptorBenchmark.benchmarkSoap();
        AceBasis ace = new AceBasis(AceParameters.defaults(14));
        double[][] one = new double[1][ace.size()], eight = new double[8][ace.size()];
        for (double[] row : one) for (int f = 0; f < row.length; f++) row[f] = rnd.nextGaussian() * 1e-3;
        for (double[] row : eight) for (int f = 0; f < row.length; f++) row[f] = rnd.nextGaussian() * 1e-3;
        System.out.printf("box: %d atoms, ACE basis %d functions (nu1 %d, nu2 %d, nu3 %d, %d radial, l <= %d)%n", box.size(), ace.size(),
                ace.countOfOrder(1), ace.countOfOrder(2), ace.countOfOrder(3), ace.radialCount(), ace.lMax());
        run("neighbour list rCut 5", reps, () -> NeighborList.build(box, 5.0));
        run("averaged SOAP n8 l6 rCut 5", reps, () -> soap.describe(box));
        run("ACE features B_i", reps, () -> ace.atomicFeatures(box));
        run("ACE energy+forces+stress, 1 model", reps, () -> ace.evaluate(box, one));
        run("ACE energy+forces+stress, committee of 8", reps, () -> ace.evaluate(box, eight));
    }

    private static void run(String name, int reps, Supplier<Object> task) {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        // Warm up for 4 s of thread CPU (at least 5 calls): five calls alone leave the kernels in the interpreter or
        // C1 and reported about twice JMH's steady state (issue 23).
        long warm = bean.getCurrentThreadCpuTime();
        for (int w = 0; w < 5 || bean.getCurrentThreadCpuTime() - warm < 4_000_000_000L; w++) task.get();
        double[] cpu = new double[reps], wall = new double[reps];
        for (int r = 0; r < reps; r++) {
            long c0 = bean.getCurrentThreadCpuTime(), w0 = System.nanoTime();
            task.get();
            cpu[r] = (bean.getCurrentThreadCpuTime() - c0) / 1e3 / 1000;
            wall[r] = (System.nanoTime() - w0) / 1e3 / 1000;
        }
        java.util.Arrays.sort(cpu);
        java.util.Arrays.sort(wall);
        System.out.printf("%-45s cpu %8.2f us/atom (min %8.2f)   wall %8.2f us/atom (min %8.2f)%n", name, cpu[reps / 2], cpu[0], wall[reps / 2], wall[0]);
    }
}
