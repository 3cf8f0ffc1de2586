package org.crucible.executors.calculators;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crucible.core.Elements;

/**
 * Multi-species Lennard-Jones, cut and shifted (LAMMPS {@code pair_style lj/cut} with
 * {@code pair_modify shift yes}):
 *
 * <pre>
 * phi(r) = 4 eps [(sigma/r)^12 - (sigma/r)^6] - 4 eps [(sigma/rc)^12 - (sigma/rc)^6]   for r &lt; rc, else 0
 * </pre>
 *
 * in eV and Angstrom. The energy is continuous at rc; the force jumps there by phi'(rc), as in LAMMPS.
 * Unlike pairs not given explicitly use Lorentz-Berthelot mixing: sigma_AB = (sigma_A + sigma_B)/2,
 * eps_AB = sqrt(eps_A eps_B), rc_AB = (rc_A + rc_B)/2.
 *
 * <p>Specification syntax ({@link #parse}): clauses separated by {@code /}, each {@code A:key=value,...} for
 * the like pair A-A or {@code A-B:key=value,...} for an unlike pair, keys {@code eps} (eV), {@code sigma}
 * (Angstrom) and optionally {@code rc} (Angstrom, default 2.5 sigma). Examples:
 * {@code Ar:eps=0.0104,sigma=3.40,rc=8.5} and {@code Si:eps=1.0,sigma=2.0/C:eps=0.5,sigma=1.5/Si-C:eps=0.8,sigma=1.7,rc=4}.
 * Stateless and thread-safe.
 */
public final class LennardJones extends ShortRangeCalculator {
    private final String spec;
    private final int m;
    private final double[] eps4, sigma, cutsq, shift;
    private final double cutoff;

    private LennardJones(String spec, String[] species, double[] eps, double[] sig, double[] rc) {
        super(species);
        this.spec = spec;
        this.m = species.length;
        eps4 = new double[m * m];
        sigma = sig.clone();
        cutsq = new double[m * m];
        shift = new double[m * m];
        double maxCut = 0;
        for (int t = 0; t < m * m; t++) {
            eps4[t] = 4 * eps[t];
            cutsq[t] = rc[t] * rc[t];
            double sr6 = Math.pow(sig[t] / rc[t], 6);
            shift[t] = eps4[t] * (sr6 * sr6 - sr6);
            maxCut = Math.max(maxCut, rc[t]);
        }
        this.cutoff = maxCut;
    }

    /**
     * Parses a specification such as {@code Si:eps=1.0,sigma=2.0,rc=5/C:eps=0.5,sigma=1.5}; see the class
     * documentation for the syntax.
     *
     * @throws IllegalArgumentException naming the clause and key at fault
     */
    public static LennardJones parse(String spec) {
        if (spec == null || spec.isBlank()) throw new IllegalArgumentException("Lennard-Jones specification is empty; expected e.g. 'Si:eps=1.0,sigma=2.0,rc=5.0'");
        record Clause(String a, String b, double eps, double sigma, double rc) { }
        List<String> species = new ArrayList<>();
        List<Clause> likes = new ArrayList<>();
        Map<String, Clause> unlike = new LinkedHashMap<>();
        for (String raw : spec.split("/")) {
            String clause = raw.strip();
            int colon = clause.indexOf(':');
            if (colon <= 0) throw new IllegalArgumentException("Lennard-Jones clause '" + clause + "' needs 'A:eps=..,sigma=..[,rc=..]' or 'A-B:eps=..,sigma=..'");
            String head = clause.substring(0, colon).strip();
            String[] pair = head.split("-");
            if (pair.length > 2) throw new IllegalArgumentException("Lennard-Jones clause '" + clause + "': '" + head + "' is not an element or a pair A-B");
            for (String e : pair) {
                try {
                    Elements.bySymbol(e.strip());
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException("Lennard-Jones clause '" + clause + "': unknown element '" + e.strip() + "'");
                }
            }
            double eps = Double.NaN, sig = Double.NaN, rc = Double.NaN;
            for (String kv : clause.substring(colon + 1).split(",")) {
                String[] p = kv.split("=", 2);
                if (p.length != 2) throw new IllegalArgumentException("Lennard-Jones clause '" + clause + "': '" + kv + "' is not key=value");
                String key = p[0].strip();
                double v;
                try {
                    v = Double.parseDouble(p[1].strip());
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException("Lennard-Jones clause '" + clause + "': " + key + " = '" + p[1].strip() + "' is not a number");
                }
                switch (key) {
                    case "eps" -> eps = v;
                    case "sigma" -> sig = v;
                    case "rc" -> rc = v;
                    default -> throw new IllegalArgumentException("Lennard-Jones clause '" + clause + "': unknown key '" + key + "' (eps, sigma, rc)");
                }
            }
            if (!(eps >= 0) || !Double.isFinite(eps)) throw new IllegalArgumentException("Lennard-Jones clause '" + clause + "': eps must be given and >= 0 eV");
            if (!(sig > 0) || !Double.isFinite(sig)) throw new IllegalArgumentException("Lennard-Jones clause '" + clause + "': sigma must be given and > 0 Angstrom");
            if (Double.isNaN(rc)) rc = 2.5 * sig;
            if (!(rc > 0) || !Double.isFinite(rc)) throw new IllegalArgumentException("Lennard-Jones clause '" + clause + "': rc must be > 0 Angstrom");
            String a = pair[0].strip(), b = pair.length == 2 ? pair[1].strip() : a;
            Clause c = new Clause(a, b, eps, sig, rc);
            if (a.equals(b)) {
                if (species.contains(a)) throw new IllegalArgumentException("Lennard-Jones: element " + a + " is given twice");
                species.add(a);
                likes.add(c);
            } else {
                String key = a.compareTo(b) < 0 ? a + "-" + b : b + "-" + a;
                if (unlike.put(key, c) != null) throw new IllegalArgumentException("Lennard-Jones: pair " + key + " is given twice");
            }
        }
        for (Clause c : unlike.values()) {
            for (String e : new String[] {c.a(), c.b()}) {
                if (!species.contains(e)) throw new IllegalArgumentException("Lennard-Jones pair " + c.a() + "-" + c.b() + ": element " + e + " has no clause of its own");
            }
        }
        int m = species.size();
        double[] eps = new double[m * m], sig = new double[m * m], rc = new double[m * m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                Clause ci = likes.get(i), cj = likes.get(j);
                String a = species.get(i), b = species.get(j);
                Clause x = i == j ? ci : unlike.get(a.compareTo(b) < 0 ? a + "-" + b : b + "-" + a);
                int t = i * m + j;
                if (x != null) {
                    eps[t] = x.eps();
                    sig[t] = x.sigma();
                    rc[t] = x.rc();
                } else {
                    eps[t] = Math.sqrt(ci.eps() * cj.eps());
                    sig[t] = 0.5 * (ci.sigma() + cj.sigma());
                    rc[t] = 0.5 * (ci.rc() + cj.rc());
                }
            }
        }
        return new LennardJones(spec, species.toArray(new String[0]), eps, sig, rc);
    }

    @Override
    public double cutoff() {
        return cutoff;
    }

    @Override
    public String name() {
        return "lj(" + spec + ")";
    }

    /** Pair terms only: the half list (the skip of j &lt; i below is then never taken; it keeps a full list correct). */
    @Override
    protected boolean pairTermsOnly() {
        return true;
    }

    @Override
    protected void accumulate(PairList nl, int[] type, Accumulator acc) {
        double energy = 0;
        double[] ae = acc.atomEnergy;
        for (int i = 0, n = nl.atoms(); i < n; i++) {
            int ti = type[i];
            for (int k = nl.start[i], end = nl.start[i + 1]; k < end; k++) {
                int j = nl.nbr[k];
                if (j < i || (j == i && !nl.positiveImage(k))) continue;
                int t = ti * m + type[j];
                double dx = nl.d[3 * k], dy = nl.d[3 * k + 1], dz = nl.d[3 * k + 2];
                double rsq = dx * dx + dy * dy + dz * dz;
                if (rsq >= cutsq[t]) continue;
                double s2 = sigma[t] * sigma[t] / rsq;
                double s6 = s2 * s2 * s2;
                double phi = eps4[t] * (s6 * s6 - s6) - shift[t];
                double g = -eps4[t] * (12 * s6 * s6 - 6 * s6) / rsq; // (dphi/dr) / r
                energy += phi;
                ae[i] += 0.5 * phi;
                ae[j] += 0.5 * phi;
                acc.pairGradient(i, j, g * dx, g * dy, g * dz, dx, dy, dz);
            }
        }
        acc.energy += energy;
    }
}
