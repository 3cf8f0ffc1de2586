package org.crucible.executors.descriptors;

import java.util.Arrays;
import java.util.TreeSet;
import org.crucible.core.Elements;
import org.crucible.core.Structure;
import org.crucible.core.neighbors.NeighborList;

/**
 * Configuration-averaged SOAP descriptor and kernel of the GAP-RSS paper (Bernstein, Csanyi, Deringer,
 * npj Comput. Mater. 5, 99 (2019), eqs. 2-5), used to compare whole cells during selection.
 *
 * <ul>
 *   <li>Eq. 2, neighbour density of atom i: rho_i(r) = sum_j f_cut(r_ij) exp(-|r - r_ij|^2 / (2 sigma_at^2)),
 *       j over neighbours within rCut (periodic images included) plus the atom itself with weight
 *       centralWeight, resolved by the species of j; expanded as
 *       c^(i)_{a n l m} = integral g_n(r) Y_lm(r_hat) rho_i^a(r) d^3r = sum_{j of species a} f_cut I_nl(r_ij) Y_lm(r_hat_ij)
 *       ({@link SoapRadialIntegrals} for g_n and I_nl, {@link RealSphericalHarmonics} for Y).</li>
 *   <li>Eq. 3, cell average: cbar_{a n l m} = (1 / N) sum_i c^(i)_{a n l m} over all N atoms of the cell.</li>
 *   <li>Eq. 4, power spectrum of the AVERAGED coefficients (not the average of atomic spectra):
 *       p_{(a n)(b n') l} = sqrt(8 pi^2 / (2l + 1)) sum_m cbar_{a n l m} cbar_{b n' l m}, for (a, n) &lt;= (b, n'),
 *       off-diagonal entries times sqrt(2) so that the dot product of two vectors equals the full double sum.
 *       The vector is then normalised to unit length, p_hat = p / |p|.</li>
 *   <li>Eq. 5, kernel k_AB = (p_hat_A . p_hat_B)^zeta, distance d_AB = sqrt(2 - 2 k_AB).</li>
 * </ul>
 *
 * <p>Vector layout: for a = species index, n = 0..nMax-1, channel index c = a nMax + n; entries run over
 * c &lt;= c', then l = 0..lMax: index ((pair index of (c, c')) (lMax + 1) + l). Length
 * S (S + 1) / 2 (lMax + 1) with S = species x nMax (1014 for one species at the defaults).
 *
 * <p>Because the sum runs over every pair in both directions, odd-l coefficients of a single-species cell
 * cancel (Y_lm(-r) = (-1)^l Y_lm(r)); this implementation evaluates each pair once and adds both directions.
 * Units: Angstrom in, dimensionless out. Immutable and thread-safe.
 *
 * <pre>{@code
 * AveragedSoap soap = new AveragedSoap(SoapParameters.defaults().withSpecies(14));
 * double k = AveragedSoap.kernel(soap.describe(a), soap.describe(b), 4);
 * }</pre>
 */
public final class AveragedSoap implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final SoapParameters params;
    // rebuilt (from the shared cache) after deserialisation instead of shipping the table to executors
    private final transient SoapRadialIntegrals radial;

    public AveragedSoap(SoapParameters params) {
        this.params = params;
        this.radial = SoapRadialIntegrals.of(params.nMax(), params.lMax(), params.sigmaAt(), params.rCut());
    }

    private Object readResolve() {
        return new AveragedSoap(params);
    }

    public SoapParameters parameters() {
        return params;
    }

    /** Length of the descriptor for a number of species. */
    public int size(int speciesCount) {
        int s = speciesCount * params.nMax();
        return s * (s + 1) / 2 * (params.lMax() + 1);
    }

    /** The species channels used for a structure: the parameter list, or the structure's own species. */
    public int[] speciesFor(Structure s) {
        if (params.species().length > 0) return params.species();
        TreeSet<Integer> set = new TreeSet<>();
        for (int z : s.atomicNumbers()) set.add(z);
        return set.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The unit-length averaged power spectrum p_hat of a structure (eqs. 2-4). */
    public double[] describe(Structure s) {
        double[] p = powerSpectrum(averagedCoefficients(s), speciesFor(s).length);
        double norm = 0;
        for (double v : p) norm += v * v;
        norm = Math.sqrt(norm);
        if (!(norm > 0)) throw new IllegalArgumentException("averaged SOAP of " + s.formula() + " is zero (no atoms?)");
        for (int k = 0; k < p.length; k++) p[k] /= norm;
        return p;
    }

    /**
     * Averaged coefficients cbar_{a n l m} (eq. 3), index ((a nMax + n) (lMax+1)^2 + l^2 + l + m).
     */
    public double[] averagedCoefficients(Structure s) {
        int[] species = speciesFor(s);
        int maxZ = Arrays.stream(species).max().orElse(0);
        int[] chan = new int[Math.max(maxZ, Elements.maxZ()) + 1];
        Arrays.fill(chan, -1);
        for (int a = 0; a < species.length; a++) chan[species[a]] = a;
        int n = s.size();
        if (n == 0) throw new IllegalArgumentException("averaged SOAP needs at least one atom");
        int[] sp = new int[n];
        for (int i = 0; i < n; i++) {
            sp[i] = chan[s.atomicNumber(i)];
            if (sp[i] < 0) {
                throw new IllegalArgumentException("averaged SOAP species " + Arrays.toString(species) + " do not include " + s.symbol(i) + " (atom " + i + ")");
            }
        }
        int nMax = params.nMax(), lMax = params.lMax(), nLM = (lMax + 1) * (lMax + 1);
        double[] c = new double[species.length * nMax * nLM];
        // central atoms: only l = 0
        double y00 = 1 / Math.sqrt(4 * Math.PI);
        for (int i = 0; i < n; i++) {
            for (int nn = 0; nn < nMax; nn++) c[(sp[i] * nMax + nn) * nLM] += params.centralWeight() * radial.centralValue(nn) * y00;
        }
        NeighborList nl = NeighborList.buildHalf(s, params.rCut());
        RealSphericalHarmonics sh = new RealSphericalHarmonics(lMax);
        double[] y = new double[nLM];
        double[] integral = new double[radial.width()];
        // Same-species pairs of one channel are added BATCH at a time: c = c + t0 y0 + t1 y1 + ... is evaluated left
        // to right, the same additions in the same order as one pair after the other, so the sums are bit for bit
        // those of the pair-by-pair loop, with one load and store of c per batch instead of per pair.
        double[][] yb = new double[BATCH][nLM], ib = new double[BATCH][radial.width()];
        double[] fb = new double[BATCH];
        int batch = 0, batchChannel = -1;
        double rCut = params.rCut(), width = params.cutoffWidth();
        for (int i = 0; i < n; i++) {
            for (int k = nl.start(i), end = nl.start(i + 1); k < end; k++) {
                int j = nl.neighbor(k);
                // the half list holds each pair once (j > i, or an image of i with a positive first image component); both
                // directions are added below. The test is the half list's own, kept as a guard.
                if (j < i || (j == i && !positiveImage(nl, k))) continue;
                double x = nl.dx(k), yv = nl.dy(k), z = nl.dz(k);
                double d = Math.sqrt(x * x + yv * yv + z * z);
                if (d >= rCut) continue;
                if (d < 1e-10) throw new IllegalArgumentException("atoms " + i + " and " + j + " coincide");
                double fc = d <= rCut - width ? 1.0 : 0.5 * (1 + Math.cos(Math.PI * (d - rCut + width) / width));
                int ci = sp[j] * nMax, cj = sp[i] * nMax; // centre i sees species of j along +r; j sees i along -r
                if (ci == cj) {
                    // same species: both directions land in one channel and odd l cancel exactly
                    if (batch == BATCH || (batch > 0 && batchChannel != ci)) {
                        addSameSpecies(c, batchChannel, batch, fb, ib, yb);
                        batch = 0;
                    }
                    batchChannel = ci;
                    radial.evaluate(d, ib[batch], 2);
                    sh.evaluate(x, yv, z, yb[batch], null);
                    fb[batch++] = 2 * fc;
                    continue;
                }
                if (batch > 0) {
                    addSameSpecies(c, batchChannel, batch, fb, ib, yb);
                    batch = 0;
                }
                radial.evaluate(d, integral, 1);
                sh.evaluate(x, yv, z, y, null);
                for (int nn = 0; nn < nMax; nn++) {
                    int oi = (ci + nn) * nLM, oj = (cj + nn) * nLM;
                    for (int l = 0; l <= lMax; l++) {
                        double t = fc * integral[nn * (lMax + 1) + l];
                        double tj = (l & 1) == 0 ? t : -t;
                        int lo = l * l;
                        for (int m = 0; m <= 2 * l; m++) {
                            double ym = y[lo + m];
                            c[oi + lo + m] += t * ym;
                            c[oj + lo + m] += tj * ym;
                        }
                    }
                }
            }
        }
        if (batch > 0) addSameSpecies(c, batchChannel, batch, fb, ib, yb);
        double inv = 1.0 / n;
        for (int k = 0; k < c.length; k++) c[k] *= inv;
        return c;
    }

    /** Pairs added together by {@link #averagedCoefficients} (see there). */
    private static final int BATCH = 4;

    /**
     * c_{ch + n, l m} += f_p I_nl(d_p) Y_lm(p) for the even l of the first {@code count} batched same-species pairs p
     * (f_p = 2 f_cut, both directions), in pair order: the term of pair 0 is added first, as in a loop over pairs.
     */
    private void addSameSpecies(double[] c, int channel, int count, double[] f, double[][] integral, double[][] y) {
        int nMax = params.nMax(), lMax = params.lMax(), nLM = (lMax + 1) * (lMax + 1);
        if (count == BATCH) {
            double f0 = f[0], f1 = f[1], f2 = f[2], f3 = f[3];
            double[] i0 = integral[0], i1 = integral[1], i2 = integral[2], i3 = integral[3];
            double[] y0 = y[0], y1 = y[1], y2 = y[2], y3 = y[3];
            for (int nn = 0; nn < nMax; nn++) {
                int oi = (channel + nn) * nLM;
                for (int l = 0; l <= lMax; l += 2) {
                    int q = nn * (lMax + 1) + l;
                    double t0 = f0 * i0[q], t1 = f1 * i1[q], t2 = f2 * i2[q], t3 = f3 * i3[q];
                    int lo = l * l;
                    for (int m = 0; m <= 2 * l; m++) {
                        int k = lo + m;
                        c[oi + k] = c[oi + k] + t0 * y0[k] + t1 * y1[k] + t2 * y2[k] + t3 * y3[k];
                    }
                }
            }
            return;
        }
        for (int b = 0; b < count; b++) {
            double[] ip = integral[b], yp = y[b];
            for (int nn = 0; nn < nMax; nn++) {
                int oi = (channel + nn) * nLM;
                for (int l = 0; l <= lMax; l += 2) {
                    double t = f[b] * ip[nn * (lMax + 1) + l];
                    int lo = l * l;
                    for (int m = 0; m <= 2 * l; m++) c[oi + lo + m] += t * yp[lo + m];
                }
            }
        }
    }

    private static boolean positiveImage(NeighborList nl, int k) {
        for (int a = 0; a < 3; a++) {
            int v = nl.image(k, a);
            if (v != 0) return v > 0;
        }
        return false;
    }

    /** p (eq. 4, not normalised) from averaged coefficients of S species. */
    public double[] powerSpectrum(double[] c, int speciesCount) {
        int nMax = params.nMax(), lMax = params.lMax(), nLM = (lMax + 1) * (lMax + 1);
        int channels = speciesCount * nMax;
        double[] p = new double[size(speciesCount)];
        double[] factor = new double[lMax + 1];
        for (int l = 0; l <= lMax; l++) factor[l] = Math.sqrt(8 * Math.PI * Math.PI / (2 * l + 1));
        int idx = 0;
        for (int a = 0; a < channels; a++) {
            for (int b = a; b < channels; b++) {
                double off = a == b ? 1.0 : Math.sqrt(2.0);
                for (int l = 0; l <= lMax; l++) {
                    double sum = 0;
                    int lo = l * l;
                    for (int m = 0; m <= 2 * l; m++) sum += c[a * nLM + lo + m] * c[b * nLM + lo + m];
                    p[idx++] = off * factor[l] * sum;
                }
            }
        }
        return p;
    }

    /** Eq. 5: (p_hat_A . p_hat_B)^zeta for unit vectors from {@link #describe}. */
    public static double kernel(double[] a, double[] b, int zeta) {
        if (a.length != b.length) throw new IllegalArgumentException("SOAP vectors differ in length (" + a.length + " vs " + b.length + "): different species or parameters");
        double dot = 0, na = 0, nb = 0;
        for (int k = 0; k < a.length; k++) {
            dot += a[k] * b[k];
            na += a[k] * a[k];
            nb += b[k] * b[k];
        }
        double cos = dot / Math.sqrt(na * nb);
        return Math.pow(Math.max(-1.0, Math.min(1.0, cos)), zeta);
    }

    /** d_AB = sqrt(2 - 2 k_AB). */
    public static double distance(double[] a, double[] b, int zeta) {
        return Math.sqrt(Math.max(0.0, 2 - 2 * kernel(a, b, zeta)));
    }
}
