package org.crucible.executors.descriptors;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;
import org.crucible.core.Structure;
import org.crucible.core.neighbors.NeighborList;

/**
 * Issue 23, goal 1 (list reuse in relaxations): thread CPU time of one neighbour-list build (5 Angstrom) against one
 * committee evaluation as a relaxation step with the uncertainty stop does it (default ACE for Si, mean + 8 members:
 * {@link AceBasis#evaluate} with 9 coefficient vectors, which builds its own list), on 20 random Si16 cells at 20
 * Angstrom^3/atom; 6 s of CPU warm-up, then 15 rounds of both in turn; prints the medians and the list's share.
 * Usage: {@code java -cp <executors test classpath> org.crucible.executors.descriptors.CommitteeListShare}.
 */
public final class CommitteeListShare {
    private CommitteeListShare() {
    }

    public static void main(String[] args) {
        int cells = 20, reps = 200;
        AceBasis ace = new AceBasis(AceParameters.defaults(14));
        Random rnd = new Random(1);
        double[][] nine = new double[9][ace.size()];
        for (int f = 0; f < ace.size(); f++) for (int k = 0; k < 9; k++) nine[k][f] = rnd.nextGaussian() * 1e-3;
        Structure[] s = new Structure[cells];
        for (int c = 0; c < cells; c++) s[c] = TestStructures.randomCell(new Random(10 + c), 16, new int[] {14}, 20.0, 2.0);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double sink = 0;
        long w = mx.getCurrentThreadCpuTime();
        while (mx.getCurrentThreadCpuTime() - w < 6_000_000_000L) for (Structure x : s) sink += ace.evaluate(x, nine).energies()[0] + NeighborList.build(x, 5.0).size();
        double[] tl = new double[15], te = new double[15];
        for (int round = 0; round < 15; round++) {
            long c0 = mx.getCurrentThreadCpuTime();
            for (int r = 0; r < reps; r++) for (Structure x : s) sink += NeighborList.build(x, 5.0).size();
            long c1 = mx.getCurrentThreadCpuTime();
            for (int r = 0; r < reps / 20; r++) for (Structure x : s) sink += ace.evaluate(x, nine).energies()[0];
            long c2 = mx.getCurrentThreadCpuTime();
            tl[round] = (c1 - c0) / 1e3 / reps / cells;
            te[round] = (c2 - c1) / 1e3 / (reps / 20) / cells;
        }
        Arrays.sort(tl);
        Arrays.sort(te);
        System.out.printf("Si16, per call: neighbour list %.2f us (best %.2f), committee evaluation K+1=9 %.1f us (best %.1f), share %.1f %% [%s]%n",
                tl[7], tl[0], te[7], te[0], 100 * tl[7] / te[7], sink > 0 ? "+" : "-");
    }
}
