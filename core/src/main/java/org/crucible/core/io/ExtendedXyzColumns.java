package org.crucible.core.io;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.crucible.core.AtomProperty;
import org.crucible.core.Element;
import org.crucible.core.Elements;

/**
 * The per-atom columns of an extended-XYZ frame: the {@code Properties=name:type:width} specification, the split
 * of an atom line into index ranges and the typed reading of one value (reals parsed in place by
 * {@link Values#parseFloat(String, int, int)}), each error naming the atom, column and specification.
 * See {@link ExtendedXyz} for the format.
 */
final class ExtendedXyzColumns {
    private ExtendedXyzColumns() {
    }

    record Column(String name, AtomProperty.Kind kind, int width, int first) {
        String spec() {
            return name + ":" + kind.code() + ":" + width;
        }
    }

    static Element element(String sym) {
        if (sym.isEmpty()) return null;
        String norm = sym.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + sym.substring(1).toLowerCase(java.util.Locale.ROOT);
        try {
            return Elements.bySymbol(norm);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static double real(LineInput in, AtomLine tok, Column c, int k, int atom) {
        int t = c.first + k;
        double v = Values.parseFloat(tok.line, tok.start[t], tok.end[t]);
        if (Double.isNaN(v) && !Values.isFloat(tok.text(t))) {
            throw in.error("atom " + (atom + 1) + ", column " + (t + 1) + " (" + c.spec() + "): '" + ExtendedXyz.abbreviate(tok.text(t)) + "' is not a number");
        }
        return v;
    }

    static double finiteReal(LineInput in, AtomLine tok, Column c, int k, int atom) {
        double v = real(in, tok, c, k, atom);
        if (!Double.isFinite(v)) {
            throw in.error("atom " + (atom + 1) + ", column " + (c.first + k + 1) + " (" + c.spec() + "): value is not finite: '" + tok.text(c.first + k) + "'");
        }
        return v;
    }

    static long integer(LineInput in, AtomLine tok, Column c, int k, int atom) {
        String t = tok.text(c.first + k);
        if (!Values.isInteger(t)) {
            throw in.error("atom " + (atom + 1) + ", column " + (c.first + k + 1) + " (" + c.spec() + "): '" + ExtendedXyz.abbreviate(t) + "' is not an integer");
        }
        return Long.parseLong(t);
    }

    /**
     * The whitespace-separated tokens of one atom line as index ranges into the line, so that numbers are parsed
     * without a String per token. Splits exactly as {@code line.trim().split("\\s+")} does.
     */
    static final class AtomLine {
        String line;
        int[] start;
        int[] end;

        AtomLine(int columns) {
            start = new int[Math.max(1, columns)];
            end = new int[start.length];
        }

        /** Splits a line; returns the number of tokens (0 for a blank line). */
        int split(String l) {
            line = l;
            int lo = 0, hi = l.length();
            while (lo < hi && l.charAt(lo) <= ' ') lo++;
            while (hi > lo && l.charAt(hi - 1) <= ' ') hi--;
            int count = 0;
            int p = lo;
            while (p < hi) {
                int s = p;
                while (p < hi && !separator(l.charAt(p))) p++;
                if (count == start.length) {
                    start = java.util.Arrays.copyOf(start, 2 * count);
                    end = java.util.Arrays.copyOf(end, 2 * count);
                }
                start[count] = s;
                end[count++] = p;
                while (p < hi && separator(l.charAt(p))) p++;
            }
            return count;
        }

        static boolean separator(char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
        }

        /** Whether token t is exactly {@code text}. */
        boolean is(int t, String text) {
            return end[t] - start[t] == text.length() && line.startsWith(text, start[t]);
        }

        String text(int t) {
            return line.substring(start[t], end[t]);
        }
    }

    static Column find(List<Column> columns, String name) {
        for (Column c : columns) if (c.name.equals(name)) return c;
        return null;
    }

    static String specs(List<Column> columns) {
        StringBuilder sb = new StringBuilder();
        for (Column c : columns) sb.append(sb.length() == 0 ? "" : " ").append(c.spec());
        return sb.toString();
    }

    static List<Column> parseProperties(String props, LineInput in, int line) {
        String[] f = props.split(":", -1);
        if (f.length % 3 != 0 || props.isEmpty()) {
            throw in.error(line, "Properties must be name:type:width triples, found '" + props + "'");
        }
        List<Column> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int first = 0;
        for (int i = 0; i < f.length; i += 3) {
            String name = f[i];
            if (name.isEmpty() || !seen.add(name)) throw in.error(line, "Properties: empty or repeated column name '" + name + "' in '" + props + "'");
            if (f[i + 1].length() != 1 || "RISL".indexOf(f[i + 1].charAt(0)) < 0) {
                throw in.error(line, "Properties: column '" + name + "' has type '" + f[i + 1] + "' (expected R, I, S or L)");
            }
            if (!Values.isInteger(f[i + 2]) || Long.parseLong(f[i + 2]) < 1 || Long.parseLong(f[i + 2]) > 1000) {
                throw in.error(line, "Properties: column '" + name + "' has width '" + f[i + 2] + "' (expected a positive integer)");
            }
            int w = Integer.parseInt(f[i + 2]);
            out.add(new Column(name, AtomProperty.Kind.ofCode(f[i + 1].charAt(0)), w, first));
            first += w;
        }
        return out;
    }
}
