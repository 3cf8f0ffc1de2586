package org.crucible.core.io;

/**
 * A 64-bit seed as an info value of a structure ({@code seed=} in an extended XYZ comment line): people see seeds as
 * unsigned decimals, 0 to 2^64 - 1 (as the logs, model files, reports and {@code --seed} options do), never as Java's
 * negative longs. A seed below 2^63 is kept as a {@code Long}; one above is kept as the text of its unsigned decimal,
 * which the extended XYZ writer prints unquoted and the reader gives back as the same text (an integer beyond the
 * signed 64-bit range keeps its digits), so the digits survive a round trip; ASE reads either as a Python int.
 *
 * <pre>{@code
 * info.put("seed", SeedInfo.value(-1L));   // "18446744073709551615"
 * }</pre>
 */
public final class SeedInfo {
    private SeedInfo() {
    }

    /** The info value of {@code seed}: the Long when non-negative, else the unsigned decimal text. */
    public static Object value(long seed) {
        return seed >= 0 ? (Object) seed : Long.toUnsignedString(seed);
    }
}
