package org.crucible.executors.potentials;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Per-structure observation sigmas of the GAP-RSS fits (Bernstein, Csanyi, Deringer, npj Comput. Mater. 5, 99
 * (2019)): each sigma grows linearly with dE, the energy per atom above the lower convex hull of the
 * (volume per atom, energy per atom) points of the data set, from its low value at dE <= {@code lowDe} to its high
 * value at dE >= {@code highDe}. Defaults: sigma_E 1 -> 100 meV/atom, sigma_F 31.6 -> 316 meV/Angstrom,
 * sigma_V 63.2 -> 632 meV/atom (virial per atom), dE 0.1 -> 1 eV/atom. An observation enters the fit as
 * (prediction - label) / sigma.
 *
 * @param energyLow   eV/atom
 * @param energyHigh  eV/atom
 * @param forceLow    eV/Angstrom
 * @param forceHigh   eV/Angstrom
 * @param virialLow   eV/atom
 * @param virialHigh  eV/atom
 * @param lowDe       eV/atom
 * @param highDe      eV/atom
 */
public record ObservationWeights(double energyLow, double energyHigh, double forceLow, double forceHigh,
                                 double virialLow, double virialHigh, double lowDe, double highDe) {
    public static final ObservationWeights GAP_RSS = new ObservationWeights(0.001, 0.1, 0.0316, 0.316, 0.0632, 0.632, 0.1, 1.0);

    public ObservationWeights {
        double[] all = {energyLow, energyHigh, forceLow, forceHigh, virialLow, virialHigh};
        String[] names = {"energyLow", "energyHigh", "forceLow", "forceHigh", "virialLow", "virialHigh"};
        for (int i = 0; i < all.length; i++) {
            if (!(all[i] > 0) || !Double.isFinite(all[i])) throw new IllegalArgumentException("sigma " + names[i] + " must be finite and > 0, got " + all[i]);
        }
        if (!(lowDe >= 0) || !(highDe > lowDe)) throw new IllegalArgumentException("need 0 <= lowDe < highDe, got " + lowDe + ", " + highDe);
    }

    /** Sigmas (energy eV/atom, force eV/Angstrom, virial eV/atom) for a structure dE above the hull. */
    public double[] sigmas(double dE) {
        double t = dE <= lowDe ? 0 : dE >= highDe ? 1 : (dE - lowDe) / (highDe - lowDe);
        return new double[] {energyLow + t * (energyHigh - energyLow), forceLow + t * (forceHigh - forceLow),
                virialLow + t * (virialHigh - virialLow)};
    }

    /**
     * dE of every point above the lower convex hull of (v, e); points with NaN volume (non-periodic structures)
     * are measured against the lowest energy per atom of all points.
     *
     * @param v volume per atom (Angstrom^3), NaN when undefined
     * @param e energy per atom (eV), reference energies removed
     */
    public static double[] energyAboveHull(double[] v, double[] e) {
        if (v.length != e.length) throw new IllegalArgumentException("volumes and energies differ in length");
        int n = v.length;
        Integer[] order = new Integer[n];
        int m = 0;
        double minE = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            minE = Math.min(minE, e[i]);
            if (Double.isFinite(v[i])) order[m++] = i;
        }
        Integer[] pts = Arrays.copyOf(order, m);
        Arrays.sort(pts, (a, b) -> v[a] != v[b] ? Double.compare(v[a], v[b]) : Double.compare(e[a], e[b]));
        // Andrew's monotone chain, lower hull only
        List<Integer> hull = new ArrayList<>();
        for (int p : pts) {
            while (hull.size() >= 2) {
                int a = hull.get(hull.size() - 2), b = hull.get(hull.size() - 1);
                double cross = (v[b] - v[a]) * (e[p] - e[a]) - (e[b] - e[a]) * (v[p] - v[a]);
                if (cross <= 0) hull.remove(hull.size() - 1);
                else break;
            }
            if (!hull.isEmpty() && v[hull.get(hull.size() - 1)] == v[p]) continue; // same volume, higher energy
            hull.add(p);
        }
        double[] de = new double[n];
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(v[i])) {
                de[i] = e[i] - minE;
                continue;
            }
            de[i] = Math.max(0, e[i] - hullAt(hull, v, e, v[i]));
        }
        return de;
    }

    private static double hullAt(List<Integer> hull, double[] v, double[] e, double x) {
        if (hull.size() == 1) return e[hull.get(0)];
        for (int k = 0; k + 1 < hull.size(); k++) {
            int a = hull.get(k), b = hull.get(k + 1);
            if (x <= v[b] || k + 2 == hull.size()) {
                double t = (x - v[a]) / (v[b] - v[a]);
                return e[a] + t * (e[b] - e[a]);
            }
        }
        return e[hull.get(0)];
    }
}
