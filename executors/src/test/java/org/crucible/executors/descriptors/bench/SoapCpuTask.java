package org.crucible.executors.descriptors.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;
import java.util.function.Function;
import org.crucible.core.Structure;
import org.crucible.executors.descriptors.AveragedSoap;

/**
 * A task for {@link org.crucible.core.bench.SameJvmComparison}: thread CPU time per atom of averaged SOAP (n8 l6, rCut
 * 5) on {@link DescriptorBenchmark}'s 1,000-atom box; argument "soap REPEATS CALLS"; warms up for 2 s of CPU once per
 * class loader and returns one figure per repeat (microseconds per atom).
 */
public final class SoapCpuTask implements Function<String, double[]> {
    private static boolean warm;
    public static double sink;

    @Override
    public double[] apply(String arg) {
        String[] a = arg.split(" ");
        int reps = Integer.parseInt(a[1]), calls = Integer.parseInt(a[2]);
        Structure box = DescriptorBenchmark.siliconBox(new Random(1));
        AveragedSoap soap = DescriptorBenchmark.benchmarkSoap();
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (!warm) {
            warm = true;
            long w = bean.getCurrentThreadCpuTime();
            while (bean.getCurrentThreadCpuTime() - w < 2_000_000_000L) sink += soap.describe(box)[0];
        }
        double[] cpu = new double[reps];
        for (int r = 0; r < reps; r++) {
            long c0 = bean.getCurrentThreadCpuTime();
            for (int b = 0; b < calls; b++) sink += soap.describe(box)[0];
            cpu[r] = (bean.getCurrentThreadCpuTime() - c0) / 1e3 / calls / box.size();
        }
        return cpu;
    }
}
