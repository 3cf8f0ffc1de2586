package org.crucible.driver.pool.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.LongStream;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.PoolFiles;
import org.crucible.executors.generators.Composition;
import org.crucible.executors.generators.RandomCellGenerator;

/**
 * Generates N random Si16 candidates (GAP-RSS defaults) and streams them into a Parquet pool of P partitions, the way
 * {@code crucible generate -o DIR} does: each partition is generated while it is written, so memory stays bounded by
 * one Parquet row group whatever N. Prints candidates per second of wall time and per CPU-second of this thread (the
 * figure to quote on a loaded machine), bytes per candidate and the peak heap. Usage:
 * {@code PoolWriteBenchmark N OUT_DIR [PARTITIONS]}; run with e.g. -Xmx256m to show the bound.
 */
public final class PoolWriteBenchmark {
    private PoolWriteBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long n = Long.parseLong(args[0]);
        String uri = Path.of(args[1]).toAbsolutePath().normalize().toUri().toString();
        int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        RandomCellGenerator g = new RandomCellGenerator(RandomCellGenerator.Settings.of(Composition.parse("Si"), 16, 16));
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long c0 = cpu.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        PoolFiles.requireReplaceable(uri);
        PoolFiles.begin(uri);
        long written = 0;
        for (int p = 0; p < partitions; p++) {
            long from = n * p / partitions, to = n * (p + 1) / partitions;
            Iterator<PoolEntry> entries = LongStream.range(from, to)
                    .mapToObj(i -> PoolEntry.of(i, g.generate(2026, i).withInfo(Map.of()), "PoolWriteBenchmark seed=2026 candidate=" + i)).iterator();
            written += PoolFiles.writePartition(PoolFiles.tempOf(uri), p, entries);
        }
        PoolFiles.commit(uri, written);
        double s = (System.nanoTime() - t0) * 1e-9;
        double cpuS = (cpu.getCurrentThreadCpuTime() - c0) * 1e-9;
        long bytes = PoolFiles.list(uri).get(0).bytes();
        long peak = 0;
        for (MemoryPoolMXBean mp : ManagementFactory.getMemoryPoolMXBeans()) {
            if (mp.getType() == MemoryType.HEAP) peak += mp.getPeakUsage().getUsed();
        }
        System.out.printf("candidates %d in %d partitions: %.1f s wall (%.0f per s), %.1f s CPU of the writing thread (%.0f per CPU-second), "
                + "pool %.1f MB (%.0f bytes per Si16), peak heap %.0f MB (max %d MB)%n", written, partitions, s, written / s, cpuS,
                written / cpuS, bytes / 1e6, (double) bytes / written, peak / 1e6, Runtime.getRuntime().maxMemory() >> 20);
    }
}
