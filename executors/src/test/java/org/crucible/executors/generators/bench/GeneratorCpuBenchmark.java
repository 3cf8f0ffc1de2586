package org.crucible.executors.generators.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.LongFunction;
import org.crucible.executors.generators.Composition;
import org.crucible.executors.generators.RandomCellGenerator;
import org.crucible.executors.generators.SpaceGroupGenerator;
import org.crucible.executors.symmetry.SpaceGroupFinder;

/**
 * Per-core throughput measured in thread CPU time (not wall time), so the figure holds on a shared, overloaded
 * machine: one thread, a warm-up of 20 000 operations, then N timed operations. Usage: {@code GeneratorCpuBenchmark [N]}.
 */
public final class GeneratorCpuBenchmark {
    private GeneratorCpuBenchmark() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        RandomCellGenerator random = new RandomCellGenerator(RandomCellGenerator.Settings.of(Composition.parse("Si"), 16, 16));
        SpaceGroupGenerator sg = new SpaceGroupGenerator(SpaceGroupGenerator.Settings.of(Composition.parse("Si16"), 141));
        var si16 = sg.generate(1, 0);
        report("random Si16 cell (1-8 ops, Niggli)", n, i -> random.generate(2026, i));
        report("Si16 in I4_1/amd (141)", n, i -> sg.generate(2026, i));
        report("SpaceGroupFinder on Si16 (141)", n / 20, i -> SpaceGroupFinder.find(si16, 1e-3));
    }

    private static void report(String what, int n, LongFunction<Object> op) {
        ThreadMXBean t = ManagementFactory.getThreadMXBean();
        for (long i = 0; i < 20_000; i++) op.apply(1_000_000_000L + i);
        long c0 = t.getCurrentThreadCpuTime();
        Object sink = null;
        for (long i = 0; i < n; i++) sink = op.apply(i);
        double s = (t.getCurrentThreadCpuTime() - c0) * 1e-9;
        System.out.printf("%-40s %8d ops in %6.2f s CPU: %8.0f per CPU-second (%s)%n", what, n, s, n / s, sink == null ? "-" : "ok");
    }
}
