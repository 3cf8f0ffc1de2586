package org.crucible.config.campaign;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crucible.core.Elements;

/**
 * A cell composition: element symbol to number of atoms per cell, e.g. {@code Si16} or {@code Al4O6}, in the order
 * written. Immutable.
 */
public record Composition(Map<String, Integer> counts) {
    private static final Pattern TERM = Pattern.compile("([A-Z][a-z]?)(\\d*)");

    public Composition {
        if (counts == null || counts.isEmpty()) throw new IllegalArgumentException("a composition needs at least one element");
        Map<String, Integer> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (!Elements.isSymbol(e.getKey())) throw new IllegalArgumentException("unknown element '" + e.getKey() + "'");
            if (e.getValue() == null || e.getValue() < 1) {
                throw new IllegalArgumentException("element " + e.getKey() + " needs a positive count, got " + e.getValue());
            }
            copy.merge(e.getKey(), e.getValue(), Integer::sum);
        }
        counts = Collections.unmodifiableMap(copy);
    }

    /** Parses a formula such as {@code Si16}, {@code Al4O6} or {@code SiO2}; throws IllegalArgumentException saying why. */
    public static Composition parse(String formula) {
        if (formula == null || formula.isBlank()) throw new IllegalArgumentException("empty formula");
        Matcher m = TERM.matcher(formula.trim());
        Map<String, Integer> counts = new LinkedHashMap<>();
        int pos = 0;
        String f = formula.trim();
        while (pos < f.length()) {
            if (!m.find(pos) || m.start() != pos || m.end() == pos) {
                throw new IllegalArgumentException("cannot read '" + f + "' at character " + (pos + 1)
                        + ": write element symbols followed by counts, e.g. Si16 or Al4O6");
            }
            String sym = m.group(1);
            if (!Elements.isSymbol(sym)) throw new IllegalArgumentException("'" + sym + "' in '" + f + "' is not an element symbol");
            int n = m.group(2).isEmpty() ? 1 : Integer.parseInt(m.group(2));
            if (n < 1) throw new IllegalArgumentException("count of " + sym + " in '" + f + "' must be positive");
            counts.merge(sym, n, Integer::sum);
            pos = m.end();
        }
        return new Composition(counts);
    }

    /** Total atoms per cell. */
    public int atoms() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The formula unit: every count divided by their greatest common divisor ({@code Si8} -> {@code Si}, {@code Al4O6} -> {@code Al2O3}). */
    public Composition reduced() {
        int g = 0;
        for (int n : counts.values()) g = java.math.BigInteger.valueOf(g).gcd(java.math.BigInteger.valueOf(n)).intValue();
        int d = g;
        Map<String, Integer> out = new LinkedHashMap<>();
        counts.forEach((k, v) -> out.put(k, v / d));
        return new Composition(out);
    }

    /** The formula as written, e.g. {@code Si16}. */
    public String formula() {
        StringBuilder sb = new StringBuilder();
        counts.forEach((k, v) -> sb.append(k).append(v));
        return sb.toString();
    }

    @Override
    public String toString() {
        return formula();
    }
}
