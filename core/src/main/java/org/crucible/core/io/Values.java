package org.crucible.core.io;

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
}
