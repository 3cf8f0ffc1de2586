package org.crucible.driver.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The JVM heap's peak between two moments, for benchmarks: {@link #reset()} then {@link #peakBytes()} and
 * {@link #liveBytes()}. The heap is fullest when a collection starts, so the peak is the largest heap in use summed
 * over the heap pools at the same moment: at the start of each collection (from the collectors' notifications) and at
 * the call. It never exceeds the maximum heap. (The sum of each pool's own peak, used before session 35, is an upper
 * bound that can exceed the maximum heap, since the pools peak at different moments.) The live peak is the largest
 * heap in use right after a collection: what the run retained.
 */
public final class HeapPeak {
    private static final AtomicLong BEFORE_GC = new AtomicLong();
    private static final AtomicLong AFTER_GC = new AtomicLong();
    private static final Set<String> HEAP_POOLS = new HashSet<>();

    static {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) if (p.getType() == MemoryType.HEAP) HEAP_POOLS.add(p.getName());
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!(gc instanceof NotificationEmitter emitter)) continue;
            emitter.addNotificationListener((n, handback) -> {
                if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) return;
                GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                BEFORE_GC.accumulateAndGet(heapUsed(info.getGcInfo().getMemoryUsageBeforeGc()), Math::max);
                AFTER_GC.accumulateAndGet(heapUsed(info.getGcInfo().getMemoryUsageAfterGc()), Math::max);
            }, null, null);
        }
    }

    private HeapPeak() {
    }

    private static long heapUsed(Map<String, MemoryUsage> usage) {
        long sum = 0;
        for (Map.Entry<String, MemoryUsage> e : usage.entrySet()) if (HEAP_POOLS.contains(e.getKey())) sum += e.getValue().getUsed();
        return sum;
    }

    /** Starts a new measurement. */
    public static void reset() {
        BEFORE_GC.set(0);
        AFTER_GC.set(0);
    }

    /** The most heap in use at one moment since {@link #reset()} (bytes): at a collection's start or now. */
    public static long peakBytes() {
        return Math.max(BEFORE_GC.get(), ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }

    /** The most heap in use right after a collection since {@link #reset()} (bytes; 0 when none ran). */
    public static long liveBytes() {
        return AFTER_GC.get();
    }
}
