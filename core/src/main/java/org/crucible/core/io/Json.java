package org.crucible.core.io;

import java.util.ArrayList;
import java.util.List;

/**
 * The small part of JSON that extended XYZ uses for info values ({@code _JSON [...]} in ASE): arrays, possibly
 * nested, of numbers, strings and booleans. Nested arrays are flattened (row-major), which is how
 * {@link org.crucible.core.Structure#info()} stores matrices.
 */
final class Json {
    private Json() {
    }

    /** A flat list (List of Long, Double, Boolean or String, one type) or null when the text is not such an array. */
    static List<Object> flatArray(String text) {
        Json.Parser p = new Parser(text.strip());
        List<Object> out = new ArrayList<>();
        try {
            if (!p.array(out)) return null;
            p.skipSpace();
            if (p.i != p.s.length()) return null;
        } catch (IllegalStateException | IndexOutOfBoundsException e) {
            return null;
        }
        boolean allLong = out.stream().allMatch(x -> x instanceof Long);
        boolean allNumbers = out.stream().allMatch(x -> x instanceof Number);
        boolean allBool = out.stream().allMatch(x -> x instanceof Boolean);
        boolean allString = out.stream().allMatch(x -> x instanceof String);
        if (out.isEmpty() || allLong || allBool || allString) return List.copyOf(out);
        if (allNumbers) {
            List<Object> d = new ArrayList<>();
            for (Object x : out) d.add(((Number) x).doubleValue());
            return List.copyOf(d);
        }
        return null;
    }

    /** JSON text of a flat list of numbers, booleans or strings. */
    static String array(List<?> l) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < l.size(); i++) {
            Object x = l.get(i);
            if (i > 0) sb.append(", ");
            if (x instanceof String s) {
                sb.append('"');
                for (char c : s.toCharArray()) {
                    if (c == '"' || c == '\\') sb.append('\\').append(c);
                    else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
                sb.append('"');
            } else if (x instanceof Double d) {
                if (!Double.isFinite(d)) sb.append(d.isNaN() ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                else sb.append(Values.exact(d));
            } else {
                sb.append(x);
            }
        }
        return sb.append(']').toString();
    }

    private static final class Parser {
        final String s;
        int i;

        Parser(String s) {
            this.s = s;
        }

        void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        boolean array(List<Object> out) {
            skipSpace();
            if (i >= s.length() || s.charAt(i) != '[') return false;
            i++;
            skipSpace();
            if (s.charAt(i) == ']') {
                i++;
                return true;
            }
            while (true) {
                skipSpace();
                char c = s.charAt(i);
                if (c == '[') {
                    if (!array(out)) return false;
                } else if (c == '"') {
                    out.add(string());
                } else if (s.startsWith("true", i)) {
                    out.add(Boolean.TRUE);
                    i += 4;
                } else if (s.startsWith("false", i)) {
                    out.add(Boolean.FALSE);
                    i += 5;
                } else if (s.startsWith("NaN", i)) {
                    out.add(Double.NaN);
                    i += 3;
                } else if (s.startsWith("Infinity", i) || s.startsWith("-Infinity", i)) {
                    boolean neg = c == '-';
                    out.add(neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
                    i += neg ? 9 : 8;
                } else {
                    int j = i;
                    while (j < s.length() && "+-0123456789.eE".indexOf(s.charAt(j)) >= 0) j++;
                    String num = s.substring(i, j);
                    if (Values.isInteger(num)) out.add(Long.parseLong(num));
                    else if (Values.isFloat(num)) out.add(Values.parseFloat(num));
                    else throw new IllegalStateException("not a number: " + num);
                    i = j;
                }
                skipSpace();
                char d = s.charAt(i++);
                if (d == ']') return true;
                if (d != ',') throw new IllegalStateException("expected , or ]");
            }
        }

        String string() {
            StringBuilder sb = new StringBuilder();
            i++;
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') return sb.toString();
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> sb.append('\n');
                        case 't' -> sb.append('\t');
                        case 'r' -> sb.append('\r');
                        case 'b' -> sb.append('\b');
                        case 'f' -> sb.append('\f');
                        case 'u' -> {
                            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> sb.append(e);
                    }
                } else {
                    sb.append(c);
                }
            }
        }
    }
}
