package org.crucible.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The allocation-free float parser of the extended-XYZ reader gives exactly what Double.parseDouble gives. */
class ValuesParseTest {

    private static void same(String text) {
        String padded = "  " + text + " x";
        double fast = Values.parseFloat(padded, 2, 2 + text.length());
        if (Values.isFloat(text)) {
            double ref = Values.parseFloat(text);
            assertEquals(Double.doubleToRawLongBits(ref), Double.doubleToRawLongBits(fast), text);
        } else {
            assertTrue(Double.isNaN(fast), "not a float but parsed: '" + text + "' -> " + fast);
        }
    }

    @Test
    void randomDoublesInEveryNotationParseToTheSameBits() {
        Random rnd = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            double v = switch (i % 5) {
                case 0 -> rnd.nextGaussian();
                case 1 -> rnd.nextGaussian() * Math.pow(10, rnd.nextInt(40) - 20);
                case 2 -> Double.longBitsToDouble(rnd.nextLong());
                case 3 -> Math.round(rnd.nextGaussian() * 1e6) / 1e6;
                default -> (rnd.nextInt(2_000_001) - 1_000_000) * Math.pow(10, rnd.nextInt(50) - 25);
            };
            if (!Double.isFinite(v)) continue;
            same(Double.toString(v));
            same(String.format("%.8f", v));
            same(String.format("%.17e", v));
            same(String.format("%.3e", v));
        }
    }

    @Test
    void edgeCasesAndNonNumbers() {
        for (String t : List.of("0", "-0", "-0.0", "+1", "1.", ".5", "-.5", "1e5", "1E+22", "1e23", "9007199254740992", "9007199254740993",
                "123456789012345678901234567890", "0.000000000000000000000000000001", "1e-400", "1e400", "4.9e-324", "2.2250738585072014e-308",
                "1.7976931348623157e308", "nan", "NaN", "-inf", "+Infinity", "INF", "", "+", "-", ".", "e5", "1e", "1e+", "1.2.3", "1d3",
                "0x10", "1_0", "abc", "1,5", "--1", "00000000000000000000001.5", "1.00000000000000000000000001")) {
            same(t);
        }
    }

    @Test
    void shortestPrintsNoMoreDigitsThanDoubleToStringAndReadsBackExactly() {
        // JDK 17's Double.toString prints a needless 17th digit for about 0.15 % of random doubles; Schubfach never does.
        Random rnd = new Random(11);
        for (int i = 0; i < 200_000; i++) {
            double v = i % 2 == 0 ? rnd.nextGaussian() * 10 : Double.longBitsToDouble(rnd.nextLong());
            if (!Double.isFinite(v)) continue;
            String fast = Values.shortest(v), jdk = Double.toString(v);
            assertEquals(v, Double.parseDouble(fast), fast);
            assertTrue(fast.length() <= jdk.length(), fast + " vs " + jdk);
        }
    }
}
