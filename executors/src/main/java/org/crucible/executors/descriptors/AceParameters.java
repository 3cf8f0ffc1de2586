package org.crucible.executors.descriptors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crucible.core.Elements;

/**
 * Hyper-parameters of the linear ACE basis ({@link AceBasis}).
 *
 * @param elements   atomic numbers the basis covers (sorted, distinct); one block of basis functions per centre
 *                   element and one radial channel set per (centre, neighbour) element pair
 * @param rCut       outer cutoff, Angstrom (&gt; rIn)
 * @param rIn        inner cutoff, Angstrom (&gt;= 0). With rIn &gt; 0 the envelope vanishes (value and slope)
 *                   at rIn too and pairs closer than rIn do not enter the basis (use a repulsive pair term)
 * @param lambda     exponent of the distance transform u(r) = exp(-lambda (r / r0 - 1)) (0 gives the linear map)
 * @param r0         transform length scale, Angstrom; NaN for the sum of covalent radii of the element pair
 * @param maxDegree  total-degree bound per correlation order nu = 1, 2, 3, 4 (length = maximum order, 1..4):
 *                   a product of one-particle functions (n_t, l_t) is in the basis when
 *                   sum_t (n_t + wL l_t) &lt;= maxDegree[nu-1]
 * @param wL         weight of the angular degree l in the total degree (&gt; 0)
 * @param lMax       cap on l of every one-particle function (0..12)
 */
public record AceParameters(int[] elements, double rCut, double rIn, double lambda, double r0, int[] maxDegree, double wL, int lMax)
        implements java.io.Serializable {
    public AceParameters {
        if (elements == null || elements.length == 0) throw new IllegalArgumentException("ACE parameter 'elements' must name at least one element");
        elements = elements.clone();
        Arrays.sort(elements);
        for (int i = 0; i < elements.length; i++) {
            Elements.byZ(elements[i]);
            if (i > 0 && elements[i] == elements[i - 1]) throw new IllegalArgumentException("ACE parameter 'elements' repeats Z=" + elements[i]);
        }
        if (!(rCut > 0) || !Double.isFinite(rCut)) throw new IllegalArgumentException("ACE parameter 'rCut' must be > 0 Angstrom, got " + rCut);
        if (!(rIn >= 0) || !(rIn < rCut)) throw new IllegalArgumentException("ACE parameter 'rIn' must be in [0, rCut), got " + rIn);
        if (!(lambda >= 0) || !Double.isFinite(lambda)) throw new IllegalArgumentException("ACE parameter 'lambda' must be >= 0, got " + lambda);
        if (!Double.isNaN(r0) && !(r0 > 0)) throw new IllegalArgumentException("ACE parameter 'r0' must be > 0 Angstrom (or absent), got " + r0);
        if (maxDegree == null || maxDegree.length < 1 || maxDegree.length > 4) {
            throw new IllegalArgumentException("ACE parameter 'maxDegree' needs 1 to 4 entries (correlation orders), got "
                    + (maxDegree == null ? "none" : maxDegree.length));
        }
        maxDegree = maxDegree.clone();
        for (int d : maxDegree) if (d < 0 || d > 60) throw new IllegalArgumentException("ACE parameter 'maxDegree' entries must be in 0..60, got " + d);
        if (!(wL > 0) || !Double.isFinite(wL)) throw new IllegalArgumentException("ACE parameter 'wL' must be > 0, got " + wL);
        if (lMax < 0 || lMax > 12) throw new IllegalArgumentException("ACE parameter 'lMax' must be in 0..12, got " + lMax);
    }

    /** Defaults for the given elements: rCut 5, rIn 0, lambda 1, r0 from covalent radii, maxDegree {14, 12, 10}, wL 1.5, lMax 6 (Si: 307 functions; l up to 4 is reached). */
    public static AceParameters defaults(int... elements) {
        return new AceParameters(elements, 5.0, 0.0, 1.0, Double.NaN, new int[] {14, 12, 10}, 1.5, 6);
    }

    public AceParameters withCutoff(double newRCut) {
        return new AceParameters(elements, newRCut, rIn, lambda, r0, maxDegree, wL, lMax);
    }

    public AceParameters withDegrees(int[] degrees, double newWL, int newLMax) {
        return new AceParameters(elements, rCut, rIn, lambda, r0, degrees, newWL, newLMax);
    }

    public AceParameters withInnerCutoff(double newRIn) {
        return new AceParameters(elements, rCut, newRIn, lambda, r0, maxDegree, wL, lMax);
    }

    /** Highest correlation order. */
    public int maxOrder() {
        return maxDegree.length;
    }

    @Override
    public int[] elements() {
        return elements.clone();
    }

    @Override
    public int[] maxDegree() {
        return maxDegree.clone();
    }

    /** JSON-friendly map (element symbols, numbers, lists); inverse of {@link #fromMap}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "ace");
        List<String> symbols = new ArrayList<>();
        for (int z : elements) symbols.add(Elements.byZ(z).symbol());
        m.put("elements", symbols);
        m.put("rCut", rCut);
        m.put("rIn", rIn);
        m.put("lambda", lambda);
        if (!Double.isNaN(r0)) m.put("r0", r0);
        List<Integer> deg = new ArrayList<>();
        for (int d : maxDegree) deg.add(d);
        m.put("maxDegree", deg);
        m.put("wL", wL);
        m.put("lMax", lMax);
        return m;
    }

    /** The keys {@link #fromMap} accepts, in the order {@link #toMap} writes them. */
    private static final List<String> KEYS = List.of("type", "elements", "rCut", "rIn", "lambda", "r0", "maxDegree", "wL", "lMax");

    /** Parses {@link #toMap} output (numbers may be any {@link Number}); IllegalArgumentException names the bad or unknown key. */
    public static AceParameters fromMap(Map<String, Object> m) {
        for (String key : m.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown basis spec key '" + key + "' (known: " + String.join(", ", KEYS) + ")");
            }
        }
        Object type = m.get("type");
        if (type != null && !"ace".equals(type)) throw new IllegalArgumentException("basis spec key 'type' must be \"ace\", got " + type);
        Object els = m.get("elements");
        if (!(els instanceof List<?> list) || list.isEmpty()) throw new IllegalArgumentException("basis spec key 'elements' must be a non-empty list of element symbols");
        int[] z = new int[list.size()];
        for (int i = 0; i < z.length; i++) {
            Object e = list.get(i);
            if (e instanceof Number num) z[i] = num.intValue();
            else if (e instanceof String s) z[i] = Elements.bySymbol(s).z();
            else throw new IllegalArgumentException("basis spec key 'elements' entry " + i + " is not a symbol: " + e);
        }
        AceParameters d = defaults(z);
        Object deg = m.get("maxDegree");
        int[] degrees = d.maxDegree;
        if (deg != null) {
            if (!(deg instanceof List<?> dl)) throw new IllegalArgumentException("basis spec key 'maxDegree' must be a list of integers");
            degrees = new int[dl.size()];
            for (int i = 0; i < degrees.length; i++) degrees[i] = num(dl.get(i), "maxDegree").intValue();
        }
        return new AceParameters(z, dbl(m, "rCut", d.rCut), dbl(m, "rIn", d.rIn), dbl(m, "lambda", d.lambda), dbl(m, "r0", Double.NaN),
                degrees, dbl(m, "wL", d.wL), m.containsKey("lMax") ? num(m.get("lMax"), "lMax").intValue() : d.lMax);
    }

    private static double dbl(Map<String, Object> m, String key, double def) {
        return m.containsKey(key) ? num(m.get(key), key).doubleValue() : def;
    }

    private static Number num(Object o, String key) {
        if (o instanceof Number n) return n;
        if (o instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("basis spec key '" + key + "' is not a number: " + s, e);
            }
        }
        throw new IllegalArgumentException("basis spec key '" + key + "' is not a number: " + o);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AceParameters p && Arrays.equals(elements, p.elements) && Double.compare(rCut, p.rCut) == 0
                && Double.compare(rIn, p.rIn) == 0 && Double.compare(lambda, p.lambda) == 0 && Double.compare(r0, p.r0) == 0
                && Arrays.equals(maxDegree, p.maxDegree) && Double.compare(wL, p.wL) == 0 && lMax == p.lMax;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(elements) * 31 + Arrays.hashCode(maxDegree) * 17 + Double.hashCode(rCut) + lMax;
    }

    @Override
    public String toString() {
        return "AceParameters" + toMap();
    }
}
