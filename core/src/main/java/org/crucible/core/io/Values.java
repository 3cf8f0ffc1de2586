package org.crucible.core.io;

import com.fasterxml.jackson.core.io.NumberInput;
import com.fasterxml.jackson.core.io.NumberOutput;
import java.util.Locale;
import java.util.regex.Pattern;

/** Number parsing and printing shared by the text formats: strict, so that "1d" or "0x10" are not numbers. */
final class Values {
    private Values() {
    }

    /** Python's float() syntax (what ASE writes and reads), without underscores. */
    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?((\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|(?i:nan|inf|infinity))");
    private static final Pattern FORTRAN_FLOAT = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eEdD][+-]?\\d+)?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    /** Digits with an optional sign, of any length. */
    static boolean isIntegerText(String s) {
        return INTEGER.matcher(s).matches();
    }

    static boolean isInteger(String s) {
        return INTEGER.matcher(s).matches() && fitsLong(s);
    }

    private static boolean fitsLong(String s) {
        try {
            Long.parseLong(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static boolean isFloat(String s) {
        return FLOAT.matcher(s).matches();
    }

    /** Parses a float in Python syntax; NaN when it is not one (callers check {@link #isFloat} first). */
    static double parseFloat(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        String body = t.startsWith("+") || t.startsWith("-") ? t.substring(1) : t;
        double sign = t.startsWith("-") ? -1 : 1;
        if (body.equals("nan")) return Double.NaN;
        if (body.equals("inf") || body.equals("infinity")) return sign * Double.POSITIVE_INFINITY;
        return Double.parseDouble(s);
    }

    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22};

    /**
     * Parses {@code text[from, to)} as a float in Python syntax ({@link #isFloat}) without creating a String for the
     * common case. Returns NaN when the text is not a float, so callers that see NaN must tell "nan" from bad text
     * with {@link #isFloat}. The result is the correctly rounded double, identical to {@link Double#parseDouble}:
     * a decimal significand of at most 2^53 scaled by 10^e with |e| &lt;= 22 is one exactly rounded IEEE
     * multiplication or division of two exact doubles (Clinger's fast path); everything else goes to
     * Jackson's FastDoubleParser (Eisel-Lemire, also correctly rounded).
     */
    static double parseFloat(String text, int from, int to) {
        int p = from;
        if (p >= to) return Double.NaN;
        boolean negative = false;
        char c = text.charAt(p);
        if (c == '+' || c == '-') {
            negative = c == '-';
            if (++p >= to) return Double.NaN;
        }
        c = text.charAt(p);
        if (c != '.' && (c < '0' || c > '9')) {
            String word = text.substring(p, to).toLowerCase(Locale.ROOT);
            if (word.equals("nan")) return Double.NaN;
            if (word.equals("inf") || word.equals("infinity")) return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            return Double.NaN;
        }
        long mantissa = 0;
        int significant = 0; // digits in mantissa, leading zeros excluded
        int scale = 0;       // decimal exponent correction from digits after the point or dropped
        int digits = 0;
        boolean exact = true;
        for (; p < to && (c = text.charAt(p)) >= '0' && c <= '9'; p++, digits++) {
            if (significant < 18) {
                mantissa = 10 * mantissa + (c - '0');
                if (mantissa != 0) significant++;
            } else {
                exact = false;
            }
        }
        if (p < to && text.charAt(p) == '.') {
            for (p++; p < to && (c = text.charAt(p)) >= '0' && c <= '9'; p++, digits++) {
                if (significant < 18) {
                    mantissa = 10 * mantissa + (c - '0');
                    if (mantissa != 0) significant++;
                    scale--;
                } else {
                    exact = false;
                }
            }
        }
        if (digits == 0) return Double.NaN;
        if (p < to && ((c = text.charAt(p)) == 'e' || c == 'E')) {
            if (++p >= to) return Double.NaN;
            boolean expNegative = false;
            c = text.charAt(p);
            if (c == '+' || c == '-') {
                expNegative = c == '-';
                if (++p >= to) return Double.NaN;
            }
            int exp = 0, expDigits = 0;
            for (; p < to && (c = text.charAt(p)) >= '0' && c <= '9'; p++, expDigits++) {
                if (exp < 100000) exp = 10 * exp + (c - '0');
            }
            if (expDigits == 0) return Double.NaN;
            scale += expNegative ? -exp : exp;
        }
        if (p != to) return Double.NaN;
        if (exact && mantissa <= (1L << 53) && scale >= -22 && scale <= 22) {
            double v = scale >= 0 ? mantissa * POWERS_OF_TEN[scale] : mantissa / POWERS_OF_TEN[-scale];
            return negative ? -v : v;
        }
        return NumberInput.parseDouble(text.substring(from, to), true);
    }

    /** A finite real as written by VASP, CIF or Fortran (1.0, 1e-3, 1.0D-3); null if not one. */
    static Double parseFortranReal(String s) {
        if (!FORTRAN_FLOAT.matcher(s).matches()) return null;
        return Double.parseDouble(s.replace('d', 'e').replace('D', 'e'));
    }

    /** The shortest decimal text that reads back to exactly this double (Java's algorithm; Python parses it). */
    static String exact(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        return Double.toString(v);
    }

    /**
     * The shortest decimal that reads back to exactly this double, in {@link Double#toString}'s layout, by the
     * Schubfach algorithm (Jackson's port, the algorithm of JDK 19's Double.toString): about twice as fast as JDK
     * 17's Double.toString, and never longer (JDK 17 occasionally prints one digit more than needed).
     */
    static String shortest(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        return NumberOutput.toString(v, true);
    }
}
