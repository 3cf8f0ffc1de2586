package org.crucible.driver.pool;

/**
 * Derives independent 64-bit seeds from a campaign seed and coordinates (cycle, stage, structure id) with the
 * SplitMix64 finaliser (Steele, Lea and Flood, OOPSLA 2014), so per-structure randomness depends only on what the
 * structure is and where it is in the campaign, never on partitioning, thread scheduling or retries.
 *
 * <p>A seed is 64 bits; people see it as an unsigned decimal (0 to 2^64 - 1, {@link #text}) in logs, model files and
 * reports, and may type it either way: {@link #parse} accepts that unsigned form and Java's signed form (-2^63 to
 * 2^63 - 1) for the same bits, so {@code --seed 18446744073709551615} and {@code --seed -1} are one seed.
 *
 * <pre>{@code
 * long s = Seeds.parse("18446744073709551615");   // == -1L
 * String shown = Seeds.text(s);                    // "18446744073709551615"
 * }</pre>
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

    /** The seed as people see it: an unsigned decimal, 0 to 18446744073709551615. */
    public static String text(long seed) {
        return Long.toUnsignedString(seed);
    }

    /** The seed as a JSON number with the same digits as {@link #text} (Jackson writes a BigInteger as plain digits). */
    public static java.math.BigInteger json(long seed) {
        return new java.math.BigInteger(text(seed));
    }

    /**
     * A seed typed by a person: an unsigned decimal up to 18446744073709551615 (2^64 - 1), or a signed one down to
     * -9223372036854775808 (Java's form, for the same 64 bits).
     *
     * @throws IllegalArgumentException naming the text and the accepted range otherwise
     */
    public static long parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.matches("-?\\d{1,20}")) {
            try {
                return t.startsWith("-") ? Long.parseLong(t) : Long.parseUnsignedLong(t);
            } catch (NumberFormatException e) {
                // out of range: the message below says which range
            }
        }
        throw new IllegalArgumentException("a seed is a whole number from 0 to 18446744073709551615 (or -9223372036854775808 to -1 for the same "
                + "64 bits), got '" + text + "'");
    }

    static long splitmix(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
