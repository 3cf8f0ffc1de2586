package org.crucible.executors.generators;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crucible.core.Elements;

/**
 * A composition: element symbols in order of first appearance with positive atom counts, e.g. "Na8Cl8" or
 * "Al4O6" (a count of 1 may be omitted: "NaCl").
 *
 * <pre>{@code
 * Composition c = Composition.parse("Ga8As8");
 * c.total();           // 16
 * c.times(2).formula(); // "Ga16As16"
 * }</pre>
 *
 * @param counts element symbol -> number of atoms, insertion-ordered
 */
public record Composition(Map<String, Integer> counts) {
    private static final Pattern TOKEN = Pattern.compile("([A-Z][a-z]?)(\\d*)");

    public Composition {
        if (counts == null || counts.isEmpty()) throw new IllegalArgumentException("a composition needs at least one element");
        LinkedHashMap<String, Integer> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            Elements.bySymbol(e.getKey());
            if (e.getValue() == null || e.getValue() < 1) {
                throw new IllegalArgumentException("count of " + e.getKey() + " must be >= 1, got " + e.getValue());
            }
            copy.merge(e.getKey(), e.getValue(), Integer::sum);
        }
        counts = Collections.unmodifiableMap(copy);
    }

    /** Parses a formula such as "Si16", "Na8Cl8", "NaCl"; repeated elements are added. */
    public static Composition parse(String formula) {
        if (formula == null || formula.isBlank()) throw new IllegalArgumentException("composition is empty");
        String f = formula.trim();
        Matcher m = TOKEN.matcher(f);
        LinkedHashMap<String, Integer> counts = new LinkedHashMap<>();
        int pos = 0;
        while (pos < f.length()) {
            if (!m.find(pos) || m.start() != pos) {
                throw new IllegalArgumentException("composition '" + formula + "': cannot read from character " + (pos + 1)
                        + " (write element symbols each followed by a count, e.g. Na8Cl8)");
            }
            String sym = m.group(1);
            try {
                Elements.bySymbol(sym);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("composition '" + formula + "': unknown element '" + sym + "'");
            }
            int n = m.group(2).isEmpty() ? 1 : Integer.parseInt(m.group(2));
            if (n < 1) throw new IllegalArgumentException("composition '" + formula + "': count of " + sym + " must be >= 1");
            counts.merge(sym, n, Integer::sum);
            pos = m.end();
        }
        return new Composition(counts);
    }

    /** Total number of atoms. */
    public int total() {
        int n = 0;
        for (int c : counts.values()) n += c;
        return n;
    }

    /** Every count multiplied by {@code k >= 1}. */
    public Composition times(int k) {
        if (k < 1) throw new IllegalArgumentException("formula units must be >= 1, got " + k);
        LinkedHashMap<String, Integer> out = new LinkedHashMap<>();
        counts.forEach((s, n) -> out.put(s, n * k));
        return new Composition(out);
    }

    /** Element symbols in order. */
    public List<String> symbols() {
        return new ArrayList<>(counts.keySet());
    }

    /** Count of each element, in the order of {@link #symbols()}. */
    public int[] countArray() {
        return counts.values().stream().mapToInt(Integer::intValue).toArray();
    }

    /** The formula, e.g. "Na8Cl8". */
    public String formula() {
        StringBuilder sb = new StringBuilder();
        counts.forEach((s, n) -> sb.append(s).append(n));
        return sb.toString();
    }

    @Override
    public String toString() {
        return formula();
    }
}
