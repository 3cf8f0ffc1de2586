package org.crucible.core.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.Function;
import org.crucible.core.Structure;
import org.crucible.core.neighbors.NeighborList;

/**
 * A task for {@link SameJvmComparison}: thread CPU time per atom of {@link NeighborList#build} or
 * {@link NeighborList#buildHalf} on {@link NeighborListBenchmark}'s structures at 5 Angstrom; argument
 * "full|half|full16|half16 REPEATS BUILDS"; warms up for 4 s of CPU once per structure and class loader and returns one
 * figure per repeat (microseconds per atom).
 */
public final class NeighborListCpuTask implements Function<String, double[]> {
    private static final java.util.Set<String> WARM = new java.util.HashSet<>();
    public static long sink;

    @Override
    public double[] apply(String arg) {
        String[] a = arg.split(" ");
        String what = a[0];
        int reps = Integer.parseInt(a[1]), builds = Integer.parseInt(a[2]);
        Structure s = what.endsWith("16") ? NeighborListBenchmark.diamond(2, 1, 1, 2) : NeighborListBenchmark.diamond(5, 5, 5, 1);
        boolean half = what.startsWith("half");
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (WARM.add(what)) {
            long w = bean.getCurrentThreadCpuTime();
            while (bean.getCurrentThreadCpuTime() - w < 4_000_000_000L) sink += once(s, half);
        }
        double[] cpu = new double[reps];
        for (int r = 0; r < reps; r++) {
            long c0 = bean.getCurrentThreadCpuTime();
            for (int b = 0; b < builds; b++) sink += once(s, half);
            cpu[r] = (bean.getCurrentThreadCpuTime() - c0) / 1e3 / builds / s.size();
        }
        return cpu;
    }

    private static int once(Structure s, boolean half) {
        return (half ? NeighborList.buildHalf(s, 5.0) : NeighborList.build(s, 5.0)).size();
    }
}
