package org.crucible.core.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import org.crucible.core.Structure;
import org.crucible.core.neighbors.NeighborList;

/**
 * Thread CPU time per atom of {@link NeighborList#build} on the structures of {@link NeighborListBenchmark} (1,000-atom
 * and 16-atom rattled diamond Si, cutoff 5 Angstrom), for a shared machine where JMH's wall clock is inflated by other
 * load. Warms up for 4 s of CPU per structure, then prints the median and best of REPEATS (default 15) passes of
 * 100 builds (1,000 atoms) or 5,000 builds (16 atoms).
 * Usage: {@code java -cp ... org.crucible.core.bench.NeighborListCpuTime [REPEATS [half]]} ({@code half}: also the
 * half list of the 1,000-atom box, {@link NeighborList#buildHalf}).
 */
public final class NeighborListCpuTime {
    private NeighborListCpuTime() {
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        run("diamond 1000 atoms, rCut 5", NeighborListBenchmark.diamond(5, 5, 5, 1), 100, reps);
        run("diamond 16 atoms, rCut 5", NeighborListBenchmark.diamond(2, 1, 1, 2), 5000, reps);
        if (args.length > 1 && args[1].equals("half")) {
            Structure box = NeighborListBenchmark.diamond(5, 5, 5, 1);
            ThreadMXBean bean = ManagementFactory.getThreadMXBean();
            long warm = bean.getCurrentThreadCpuTime(), sink = 0;
            while (bean.getCurrentThreadCpuTime() - warm < 4_000_000_000L) sink += NeighborList.buildHalf(box, NeighborListBenchmark.CUTOFF).size();
            double[] cpu = new double[reps];
            for (int r = 0; r < reps; r++) {
                long c0 = bean.getCurrentThreadCpuTime();
                for (int b = 0; b < 100; b++) sink += NeighborList.buildHalf(box, NeighborListBenchmark.CUTOFF).size();
                cpu[r] = (bean.getCurrentThreadCpuTime() - c0) / 1e3 / 100 / box.size();
            }
            Arrays.sort(cpu);
            System.out.printf("%-28s cpu %.3f us/atom (best %.3f), %d repeats [%d]%n", "half list, 1000 atoms, rCut 5", cpu[reps / 2], cpu[0], reps, sink % 10);
        }
    }

    private static void run(String name, Structure s, int builds, int reps) {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        long warm = bean.getCurrentThreadCpuTime();
        long sink = 0;
        while (bean.getCurrentThreadCpuTime() - warm < 4_000_000_000L) sink += NeighborList.build(s, NeighborListBenchmark.CUTOFF).size();
        double[] cpu = new double[reps];
        for (int r = 0; r < reps; r++) {
            long c0 = bean.getCurrentThreadCpuTime();
            for (int b = 0; b < builds; b++) sink += NeighborList.build(s, NeighborListBenchmark.CUTOFF).size();
            cpu[r] = (bean.getCurrentThreadCpuTime() - c0) / 1e3 / builds / s.size();
        }
        Arrays.sort(cpu);
        System.out.printf("%-28s cpu %.3f us/atom (best %.3f), %d repeats [%d]%n", name, cpu[reps / 2], cpu[0], reps, sink % 10);
    }
}
