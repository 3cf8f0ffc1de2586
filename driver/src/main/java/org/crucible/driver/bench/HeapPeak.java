package org.crucible.driver.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * The JVM heap's peak between two moments, for benchmarks: {@link #reset()} then {@link #peakBytes()}. The peak is
 * the sum of the heap pools' peaks, an upper bound of the live peak (pools peak at different moments, and the young
 * generation holds garbage until it is collected).
 */
public final class HeapPeak {
    private HeapPeak() {
    }

    /** Starts a new measurement. */
    public static void reset() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) if (p.getType() == MemoryType.HEAP) p.resetPeakUsage();
    }

    /** Sum of the heap pools' peaks since {@link #reset()}, bytes. */
    public static long peakBytes() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) if (p.getType() == MemoryType.HEAP) sum += p.getPeakUsage().getUsed();
        return sum;
    }
}
