package org.crucible.executors.descriptors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crucible.core.Elements;

/**
 * Hyper-parameters of the configuration-averaged SOAP descriptor ({@link AveragedSoap}). Defaults are those of
 * the GAP-RSS selection step (Bernstein, Csanyi, Deringer, npj Comput. Mater. 5, 99 (2019)).
 *
 * @param nMax           number of radial functions g_n (1..20), default 12
 * @param lMax           highest spherical-harmonic degree (0..20), default 12
 * @param sigmaAt        width of the Gaussian placed on every atom, Angstrom, default 0.0875
 * @param rCut           cutoff radius, Angstrom, default 10.5
 * @param cutoffWidth    width of the cosine transition of the neighbour weight below rCut, Angstrom (0..rCut),
 *                       default 0.5: f(r) = 1 for r &lt; rCut - w, (1 + cos(pi (r - rCut + w) / w)) / 2 up to rCut
 * @param centralWeight  weight of the central atom's own Gaussian in its density, default 1
 * @param zeta           kernel exponent of eq. 5, default 4
 * @param species        atomic numbers of the density channels (sorted); empty means "the species present in
 *                       the structure" (comparisons need the same channels on both sides)
 */
public record SoapParameters(int nMax, int lMax, double sigmaAt, double rCut, double cutoffWidth, double centralWeight, int zeta, int[] species)
        implements java.io.Serializable {
    public SoapParameters {
        if (nMax < 1 || nMax > 20) throw new IllegalArgumentException("SOAP parameter 'nMax' must be in 1..20, got " + nMax);
        if (lMax < 0 || lMax > 20) throw new IllegalArgumentException("SOAP parameter 'lMax' must be in 0..20, got " + lMax);
        if (!(sigmaAt > 0) || !Double.isFinite(sigmaAt)) throw new IllegalArgumentException("SOAP parameter 'sigmaAt' must be > 0 Angstrom, got " + sigmaAt);
        if (!(rCut > 0) || !Double.isFinite(rCut)) throw new IllegalArgumentException("SOAP parameter 'rCut' must be > 0 Angstrom, got " + rCut);
        if (!(cutoffWidth >= 0) || !(cutoffWidth <= rCut)) throw new IllegalArgumentException("SOAP parameter 'cutoffWidth' must be in [0, rCut], got " + cutoffWidth);
        if (!(centralWeight >= 0) || !Double.isFinite(centralWeight)) throw new IllegalArgumentException("SOAP parameter 'centralWeight' must be >= 0, got " + centralWeight);
        if (zeta < 1) throw new IllegalArgumentException("SOAP parameter 'zeta' must be >= 1, got " + zeta);
        species = species == null ? new int[0] : species.clone();
        Arrays.sort(species);
        for (int i = 0; i < species.length; i++) {
            Elements.byZ(species[i]);
            if (i > 0 && species[i] == species[i - 1]) throw new IllegalArgumentException("SOAP parameter 'species' repeats Z=" + species[i]);
        }
    }

    /** GAP-RSS defaults: nMax = lMax = 12, sigmaAt 0.0875 A, rCut 10.5 A, transition 0.5 A, central weight 1, zeta 4. */
    public static SoapParameters defaults() {
        return new SoapParameters(12, 12, 0.0875, 10.5, 0.5, 1.0, 4, new int[0]);
    }

    @Override
    public int[] species() {
        return species.clone();
    }

    public SoapParameters withSpecies(int... z) {
        return new SoapParameters(nMax, lMax, sigmaAt, rCut, cutoffWidth, centralWeight, zeta, z);
    }

    /**
     * Applies {@code key=value} overrides (keys nMax, lMax, sigmaAt, rCut, cutoffWidth, centralWeight, zeta,
     * species as symbols separated by '+' or ':'), e.g. from a command line.
     */
    public SoapParameters with(Map<String, String> overrides) {
        Map<String, Object> m = toMap();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (!m.containsKey(e.getKey()) && !e.getKey().equals("species")) {
                throw new IllegalArgumentException("unknown SOAP parameter '" + e.getKey() + "' (known: " + m.keySet() + ")");
            }
            m.put(e.getKey(), e.getValue());
        }
        return fromMap(m);
    }

    /** JSON-friendly map of all parameters. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nMax", nMax);
        m.put("lMax", lMax);
        m.put("sigmaAt", sigmaAt);
        m.put("rCut", rCut);
        m.put("cutoffWidth", cutoffWidth);
        m.put("centralWeight", centralWeight);
        m.put("zeta", zeta);
        List<String> sp = new ArrayList<>();
        for (int z : species) sp.add(Elements.byZ(z).symbol());
        m.put("species", sp);
        return m;
    }

    /** Inverse of {@link #toMap}; numbers may be strings; IllegalArgumentException names the bad key. */
    public static SoapParameters fromMap(Map<String, Object> m) {
        return new SoapParameters(integer(m, "nMax"), integer(m, "lMax"), real(m, "sigmaAt"), real(m, "rCut"), real(m, "cutoffWidth"),
                real(m, "centralWeight"), integer(m, "zeta"), speciesOf(m.get("species")));
    }

    private static int[] speciesOf(Object o) {
        if (o == null) return new int[0];
        List<String> names = new ArrayList<>();
        if (o instanceof List<?> l) for (Object x : l) names.add(String.valueOf(x));
        else for (String x : String.valueOf(o).split("[+:,\\s]+")) if (!x.isBlank()) names.add(x.trim());
        int[] z = new int[names.size()];
        for (int i = 0; i < z.length; i++) {
            try {
                z[i] = Elements.bySymbol(names.get(i)).z();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("SOAP parameter 'species': unknown element '" + names.get(i) + "'", e);
            }
        }
        return z;
    }

    private static double real(Map<String, Object> m, String key) {
        Object o = m.get(key);
        if (o instanceof Number n) return n.doubleValue();
        try {
            return Double.parseDouble(String.valueOf(o).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SOAP parameter '" + key + "' is not a number: " + o, e);
        }
    }

    private static int integer(Map<String, Object> m, String key) {
        Object o = m.get(key);
        if (o instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) return n.intValue();
        try {
            return Integer.parseInt(String.valueOf(o).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SOAP parameter '" + key + "' is not an integer: " + o, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SoapParameters p && nMax == p.nMax && lMax == p.lMax && Double.compare(sigmaAt, p.sigmaAt) == 0
                && Double.compare(rCut, p.rCut) == 0 && Double.compare(cutoffWidth, p.cutoffWidth) == 0
                && Double.compare(centralWeight, p.centralWeight) == 0 && zeta == p.zeta && Arrays.equals(species, p.species);
    }

    @Override
    public int hashCode() {
        return ((nMax * 31 + lMax) * 31 + Double.hashCode(sigmaAt)) * 31 + Double.hashCode(rCut) + Arrays.hashCode(species);
    }

    @Override
    public String toString() {
        return "SoapParameters" + toMap();
    }
}
