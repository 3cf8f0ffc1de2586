package org.crucible.driver.pool;

/**
 * Derives independent 64-bit seeds from a campaign seed and coordinates (cycle, stage, structure id) with the
 * SplitMix64 finaliser (Steele, Lea and Flood, OOPSLA 2014), so per-structure randomness depends only on what the
 * structure is and where it is in the campaign, never on partitioning, thread scheduling or retries.
 */
public final class Seeds {
    private Seeds() {
    }

    /** A seed mixing every part in order. */
    public static long mix(long... parts) {
        long h = 0x9E3779B97F4A7C15L;
        for (long p : parts) h = splitmix(h ^ splitmix(p + 0x632BE59BD9B4E019L));
        return h;
    }

    static long splitmix(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
