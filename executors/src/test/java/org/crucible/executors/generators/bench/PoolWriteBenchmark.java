package org.crucible.executors.generators.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.crucible.core.Structure;
import org.crucible.executors.generators.Composition;
import org.crucible.executors.generators.PoolFile;
import org.crucible.executors.generators.RandomCellGenerator;

/**
 * Generates N random Si16 candidates (GAP-RSS defaults) and streams them into one pool file in batches of 4096
 * generated in parallel (ordered), so memory stays bounded by one batch. Prints rate, file size and the peak
 * heap. Usage: {@code PoolWriteBenchmark N OUT.crpool [float32]}; run with e.g. -Xmx256m to show the bound.
 */
public final class PoolWriteBenchmark {
    private PoolWriteBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long n = Long.parseLong(args[0]);
        Path out = Path.of(args[1]);
        boolean f32 = args.length > 2 && args[2].equals("float32");
        RandomCellGenerator g = new RandomCellGenerator(RandomCellGenerator.Settings.of(Composition.parse("Si"), 16, 16));
        int batch = 4096;
        long t0 = System.nanoTime();
        try (PoolFile.Writer w = PoolFile.writer(out, f32, "PoolWriteBenchmark random Si16 seed 2026 n " + n)) {
            for (long first = 0; first < n; first += batch) {
                long base = first;
                int size = (int) Math.min(batch, n - first);
                List<Structure> made = IntStream.range(0, size).parallel().mapToObj(i -> g.generate(2026, base + i)).toList();
                for (int i = 0; i < size; i++) w.write(base + i, made.get(i));
            }
        }
        double s = (System.nanoTime() - t0) * 1e-9;
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) peak += p.getPeakUsage().getUsed();
        }
        System.out.printf("candidates %d, %.1f s, %.0f per second (%d threads), file %.1f MB (%.0f bytes per Si16), peak heap %.0f MB (max %d MB)%n",
                n, s, n / s, Runtime.getRuntime().availableProcessors(), Files.size(out) / 1e6, (double) Files.size(out) / n,
                peak / 1e6, Runtime.getRuntime().maxMemory() >> 20);
    }
}
