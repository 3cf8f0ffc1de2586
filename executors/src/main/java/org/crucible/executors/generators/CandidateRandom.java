package org.crucible.executors.generators;

import java.util.SplittableRandom;

/**
 * Per-candidate random streams: candidate {@code index} of {@code seed} always draws from the same stream,
 * whichever Spark partition, thread or restarted run makes it, because the stream's state is a hash of
 * (seed, index) only (two rounds of the SplitMix64 finaliser, Steele, Lea and Flood, OOPSLA 2014).
 *
 * <pre>{@code
 * SplittableRandom r = CandidateRandom.of(42L, 17L);   // identical on every executor
 * }</pre>
 */
public final class CandidateRandom {
    private CandidateRandom() {
    }

    /** The stream of candidate {@code index} (>= 0) of run {@code seed}. */
    public static SplittableRandom of(long seed, long index) {
        if (index < 0) throw new IllegalArgumentException("candidate index must be >= 0, got " + index);
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        h = mix(h + 0xBF58476D1CE4E5B9L * (index + 1));
        return new SplittableRandom(h);
    }

    /** SplitMix64 finaliser: a bijective avalanche mix of 64 bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
