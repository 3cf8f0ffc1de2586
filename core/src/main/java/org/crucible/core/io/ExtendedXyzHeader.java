package org.crucible.core.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The comment (second) line of an extended-XYZ frame: {@code key=value} pairs with quotes, brackets and escapes,
 * each value typed as ASE 3.22 types it ({@code ase.io.extxyz.key_val_str_to_dict}), and the conversion of the
 * numeric values the reader needs (Lattice, stress, virial). See {@link ExtendedXyz} for the format.
 */
final class ExtendedXyzHeader {
    private ExtendedXyzHeader() {
    }

    /**
     * Parses an extended-XYZ comment line into an ordered map of typed values (see {@link ExtendedXyz}).
     *
     * @throws IllegalArgumentException for an unterminated quote or a bad key
     */
    static Map<String, Object> parseComment(String line) {
        List<String[]> pairs = new ArrayList<>();
        StringBuilder key = new StringBuilder();
        StringBuilder value = null; // null while reading the key
        boolean escaped = false;
        char close = 0;
        boolean any = false;
        String s = line.strip();
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length()) {
                if (close != 0) {
                    throw new IllegalArgumentException("unterminated quote or bracket (expected '" + close + "') in '" + ExtendedXyz.abbreviate(s) + "'");
                }
                if (key.length() > 0 || value != null || any) pairs.add(new String[] {key.toString(), value == null ? null : value.toString()});
                break;
            }
            char c = s.charAt(i);
            StringBuilder cur = value == null ? key : value;
            if (escaped) {
                cur.append(c);
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
                any = true;
            } else if (close != 0) {
                if (c == close) close = 0;
                else cur.append(c);
            } else if (c == '"' || c == '\'' || c == '{' || c == '[') {
                close = c == '{' ? '}' : c == '[' ? ']' : c;
                any = true;
            } else if (Character.isWhitespace(c)) {
                // whitespace ends a pair unless we are right before or after '='
                int j = i;
                while (j < s.length() && Character.isWhitespace(s.charAt(j))) j++;
                boolean nextIsEquals = j < s.length() && s.charAt(j) == '=';
                boolean afterEquals = value != null && value.length() == 0 && !any;
                if (nextIsEquals || afterEquals) {
                    i = j - 1;
                    continue;
                }
                if (key.length() > 0 || any) {
                    pairs.add(new String[] {key.toString(), value == null ? null : value.toString()});
                }
                key = new StringBuilder();
                value = null;
                any = false;
                i = j - 1;
            } else if (c == '=' && value == null) {
                value = new StringBuilder();
                any = false;
            } else {
                cur.append(c);
                any = true;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String[] p : pairs) {
            if (p[0].isEmpty()) throw new IllegalArgumentException("a value '" + ExtendedXyz.abbreviate(p[1]) + "' has no key");
            out.put(p[0], p[1] == null ? Boolean.TRUE : typed(p[0], p[1]));
        }
        return out;
    }

    /** Types a comment-line value as ASE's key_val_str_to_dict does. */
    static Object typed(String key, String value) {
        if (key.equalsIgnoreCase("uid") || key.equals("Properties")) return value;
        String[] tok = value.strip().isEmpty() ? new String[0] : value.strip().split("[\\s,]+");
        // an integer beyond the signed 64-bit range (an unsigned seed above 2^63, SeedInfo) keeps its digits as text
        if (tok.length == 1 && Values.isIntegerText(tok[0]) && !Values.isInteger(tok[0])) return tok[0];
        if (tok.length > 0) {
            boolean ints = true, floats = true, bools = true;
            for (String t : tok) {
                ints &= Values.isInteger(t);
                floats &= Values.isFloat(t);
                bools &= t.equals("T") || t.equals("F");
            }
            if (ints) {
                if (tok.length == 1) {
                    long v = Long.parseLong(tok[0]);
                    return v == (int) v ? (Object) (int) v : (Object) v;
                }
                List<Long> l = new ArrayList<>();
                for (String t : tok) l.add(Long.parseLong(t));
                return List.copyOf(l);
            }
            if (floats) {
                if (tok.length == 1) return Values.parseFloat(tok[0]);
                List<Double> l = new ArrayList<>();
                for (String t : tok) l.add(Values.parseFloat(t));
                return List.copyOf(l);
            }
            if (bools) {
                if (tok.length == 1) return tok[0].equals("T");
                List<Boolean> l = new ArrayList<>();
                for (String t : tok) l.add(t.equals("T"));
                return List.copyOf(l);
            }
        }
        if (value.startsWith("_JSON ")) {
            List<Object> flat = Json.flatArray(value.substring(6));
            if (flat != null) return flat;
        }
        return value;
    }

    /** Numbers of an info value (scalar or list), or null when it is not numeric. */
    static double[] numbers(Object v) {
        if (v instanceof Number n) return new double[] {n.doubleValue()};
        if (v instanceof List<?> l) {
            double[] out = new double[l.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(l.get(i) instanceof Number n)) return null;
                out[i] = n.doubleValue();
            }
            return out;
        }
        return null;
    }

    /** 3x3 (as written, column-major like ASE, which for the symmetric tensors here is the same) or Voigt 6 to Voigt. */
    static double[] voigt(double[] v) {
        if (v == null) return null;
        for (double x : v) if (!Double.isFinite(x)) return null;
        if (v.length == 6) return v.clone();
        // ASE reshapes with Fortran order: m[i][j] = v[i + 3 j]; Voigt takes m00, m11, m22, m12, m02, m01 as ASE does.
        if (v.length == 9) return new double[] {v[0], v[4], v[8], v[7], v[6], v[3]};
        return null;
    }
}
