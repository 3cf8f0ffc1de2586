package org.crucible.executors.generators;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.crucible.core.Elements;

/**
 * Minimum interatomic separations (Angstrom) for generated candidates. By default the separation of a pair is
 * {@code factor * (r_A + r_B) / 2} with r the covalent radius of each element, i.e. 1.8 r for one element as in
 * the GAP-RSS Methods (r = characteristic radius). Explicit per-pair values override the default, as the
 * per-pair table of the NN-ensemble paper (Table 1) does.
 *
 * <pre>{@code
 * MinimumSeparation d = MinimumSeparation.scaled(1.8).withPair("Na", "Cl", 2.2);
 * d.of(11, 17);   // 2.2
 * }</pre>
 *
 * @param factor multiple of the mean covalent radius used for pairs without an explicit value
 * @param pairs  explicit separations keyed "A-B" with symbols in alphabetical order
 */
public record MinimumSeparation(double factor, Map<String, Double> pairs) {
    /** The GAP-RSS default: 1.8 r. */
    public static final double DEFAULT_FACTOR = 1.8;

    public MinimumSeparation {
        if (!(factor > 0) || !Double.isFinite(factor)) throw new IllegalArgumentException("minimum-separation factor must be > 0, got " + factor);
        TreeMap<String, Double> copy = new TreeMap<>();
        for (Map.Entry<String, Double> e : pairs.entrySet()) {
            if (e.getValue() == null || !(e.getValue() >= 0) || !Double.isFinite(e.getValue())) {
                throw new IllegalArgumentException("minimum separation of " + e.getKey() + " must be >= 0 Angstrom, got " + e.getValue());
            }
            copy.put(e.getKey(), e.getValue());
        }
        pairs = Collections.unmodifiableMap(copy);
    }

    /** Separations {@code factor * (r_A + r_B) / 2} for every pair. */
    public static MinimumSeparation scaled(double factor) {
        return new MinimumSeparation(factor, Map.of());
    }

    /** A copy with an explicit separation (Angstrom) for the pair (a, b). */
    public MinimumSeparation withPair(String a, String b, double angstrom) {
        TreeMap<String, Double> p = new TreeMap<>(pairs);
        p.put(key(Elements.bySymbol(a).symbol(), Elements.bySymbol(b).symbol()), angstrom);
        return new MinimumSeparation(factor, p);
    }

    /** Minimum separation of atomic numbers za and zb, Angstrom. */
    public double of(int za, int zb) {
        String sa = Elements.byZ(za).symbol(), sb = Elements.byZ(zb).symbol();
        Double v = pairs.get(key(sa, sb));
        if (v != null) return v;
        return factor * 0.5 * (Elements.byZ(za).covalentRadius() + Elements.byZ(zb).covalentRadius());
    }

    /** A dense table d[i][j] over the given atomic numbers (index order of {@code zs}). */
    double[][] table(int[] zs) {
        double[][] d = new double[zs.length][zs.length];
        for (int i = 0; i < zs.length; i++) for (int j = 0; j < zs.length; j++) d[i][j] = of(zs[i], zs[j]);
        return d;
    }

    private static String key(String a, String b) {
        return a.compareTo(b) <= 0 ? a + "-" + b : b + "-" + a;
    }
}
