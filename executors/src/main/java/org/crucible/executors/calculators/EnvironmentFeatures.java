package org.crucible.executors.calculators;

import java.io.Serializable;
import java.util.Arrays;
import org.crucible.core.Structure;

/**
 * Per-atom descriptors q_i of the local environment for the entropy-maximisation effective energy
 * ({@link EntropyEffectiveEnergy}): {@code centers.length} radial symmetry functions and two angular invariants,
 * each divided by a fixed scale, with exact derivatives with respect to every interatomic vector.
 *
 * <p>With d = r_j - r_i (Angstrom) over every neighbour j (periodic images included) within the cutoff r_c, r = |d|,
 * the cosine cutoff f_c(r) = (cos(pi r / r_c) + 1) / 2 and Gaussian shells g_k(r) = exp(-(r - mu_k)^2 / (2 w^2)):
 * <pre>
 *   G_k(i)  = sum_j g_k(r) f_c(r)                               (radial, Behler's G2 with shifted centres)
 *   P_1(i)  = |A_i|^2,    A_i = sum_j f_c(r) d / r              (dipole invariant, a sum of Legendre P_1 over pairs)
 *   P_2(i)  = ||T_i||_F^2, T_i = sum_j f_c(r) (d d^T / r^2 - I/3)  (quadrupole invariant, sum of (2/3) P_2 over pairs)
 * </pre>
 * The scales are fixed, computed once from the ideal-gas (Poisson) statistics at the number density rho (atoms per
 * Angstrom^3) the configurations are sampled at: the standard deviation sqrt(rho int_0^rc (g_k f_c)^2 4 pi r^2 dr)
 * for G_k, and the means rho int f_c^2 4 pi r^2 dr and (2/3) rho int f_c^2 4 pi r^2 dr for P_1 and P_2. Centring is
 * not needed: the nearest-neighbour entropy only uses differences q_i - q_j. Because the scales do not depend on
 * the configuration, q is a function of the interatomic vectors only and the virial (stress) follows from the pair
 * gradients. This is a small stand-in for the paper's first six bispectrum components: four radial shells and the
 * two lowest angular channels.
 *
 * <pre>{@code
 * EnvironmentFeatures f = EnvironmentFeatures.tungsten(0.03);
 * double[][] q = f.compute(structure);  // n x 6, standardised
 * }</pre>
 *
 * <p>Immutable, serializable and thread-safe.
 */
public final class EnvironmentFeatures implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double cutoff;
    private final double[] centers;
    private final double width;
    private final double density;
    private final double[] scale;

    /**
     * @param cutoff       r_c (Angstrom), in (0, 12]
     * @param centers      mu_k (Angstrom), each in [0, r_c)
     * @param width        w (Angstrom), positive
     * @param densityPerA3 rho (atoms per Angstrom^3) for the fixed scales, positive
     */
    public EnvironmentFeatures(double cutoff, double[] centers, double width, double densityPerA3) {
        if (!(cutoff > 0) || cutoff > 12) throw new IllegalArgumentException("feature cutoff must be in (0, 12] Angstrom, got " + cutoff);
        if (centers == null || centers.length == 0) throw new IllegalArgumentException("give at least one radial centre");
        for (double c : centers) {
            if (!(c >= 0) || c >= cutoff) throw new IllegalArgumentException("radial centre " + c + " Angstrom is not in [0, cutoff = " + cutoff + ")");
        }
        if (!(width > 0) || Double.isInfinite(width)) throw new IllegalArgumentException("radial width must be a positive number of Angstrom, got " + width);
        if (!(densityPerA3 > 0) || Double.isInfinite(densityPerA3)) {
            throw new IllegalArgumentException("density must be a positive number of atoms per Angstrom^3, got " + densityPerA3);
        }
        this.cutoff = cutoff;
        this.centers = centers.clone();
        this.width = width;
        this.density = densityPerA3;
        this.scale = computeScales();
    }

    /** The nearest-neighbour distance of bcc W (a = 3.165 Angstrom), sqrt(3)/2 a = 2.741 Angstrom, that the W lengths were tuned at. */
    public static final double TUNGSTEN_NEAREST_NEIGHBOUR = Math.sqrt(3) / 2 * 3.165;

    /**
     * The features used for tungsten-like scales: r_c = 5 Angstrom, centres 2.2, 2.8, 3.4 and 4.2 Angstrom (around the
     * bcc W first and second shells at 2.74 and 3.16 Angstrom), w = 0.35 Angstrom.
     */
    public static EnvironmentFeatures tungsten(double densityPerA3) {
        return new EnvironmentFeatures(5.0, new double[] {2.2, 2.8, 3.4, 4.2}, 0.35, densityPerA3);
    }

    /**
     * The tungsten features for another element. <b>Rule:</b> every length (r_c, mu_k, w) is the W value times
     * s = d_nn / {@link #TUNGSTEN_NEAREST_NEIGHBOUR}, with d_nn the element's nearest-neighbour distance (Angstrom) in its
     * ground-state crystal (Al fcc 2.86, Cu fcc 2.56, W bcc 2.741). Since the scales are ideal-gas integrals, a
     * structure of this element scaled by 1/s, seen with {@link #tungsten} at the density times s^3, has exactly these
     * features: the same standardised q for the same environment in units of d_nn. s = 1 gives {@link #tungsten}.
     *
     * @param nearestNeighbourAngstrom d_nn (Angstrom), positive; r_c = 5 s must stay within 12 Angstrom
     * @param densityPerA3             rho (atoms per Angstrom^3) for the fixed scales
     */
    public static EnvironmentFeatures forNearestNeighbour(double nearestNeighbourAngstrom, double densityPerA3) {
        if (!(nearestNeighbourAngstrom > 0) || Double.isInfinite(nearestNeighbourAngstrom)) {
            throw new IllegalArgumentException("nearest-neighbour distance must be a positive number of Angstrom, got " + nearestNeighbourAngstrom);
        }
        double s = nearestNeighbourAngstrom / TUNGSTEN_NEAREST_NEIGHBOUR;
        return new EnvironmentFeatures(5.0 * s, new double[] {2.2 * s, 2.8 * s, 3.4 * s, 4.2 * s}, 0.35 * s, densityPerA3);
    }

    /** Number of features m. */
    public int dimension() {
        return centers.length + 2;
    }

    /** r_c (Angstrom). */
    public double cutoff() {
        return cutoff;
    }

    /** rho (atoms per Angstrom^3) the scales were computed at. */
    public double density() {
        return density;
    }

    /** The fixed scales each raw feature is divided by (a copy). */
    public double[] scales() {
        return scale.clone();
    }

    /** Standardised features of every atom, n x {@link #dimension()}. */
    public double[][] compute(Structure s) {
        int n = s.size();
        Work w = new Work(n, dimension());
        if (n > 0) compute(PairList.obtain(s, cutoff), w);
        return w.q;
    }

    private double[] computeScales() {
        int k = centers.length;
        double[] out = new double[k + 2];
        int intervals = 4000;
        double h = cutoff / intervals;
        double[] radial = new double[k];
        double fc2 = 0;
        for (int t = 0; t <= intervals; t++) {
            double r = t * h;
            double wgt = (t == 0 || t == intervals ? 1 : t % 2 == 1 ? 4 : 2) * h / 3 * 4 * Math.PI * r * r;
            double fc = fc(r);
            fc2 += wgt * fc * fc;
            for (int c = 0; c < k; c++) {
                double g = gauss(r, centers[c]) * fc;
                radial[c] += wgt * g * g;
            }
        }
        for (int c = 0; c < k; c++) out[c] = Math.sqrt(density * radial[c]);
        out[k] = density * fc2;
        out[k + 1] = 2.0 / 3.0 * density * fc2;
        return out;
    }

    private double fc(double r) {
        return r >= cutoff ? 0 : 0.5 * (Math.cos(Math.PI * r / cutoff) + 1);
    }

    private double dfc(double r) {
        return r >= cutoff ? 0 : -0.5 * Math.PI / cutoff * Math.sin(Math.PI * r / cutoff);
    }

    private double gauss(double r, double mu) {
        double x = (r - mu) / width;
        return Math.exp(-0.5 * x * x);
    }

    /** Per-call scratch: standardised features q (n x m), and the raw dipole A (n x 3) and quadrupole T (n x 9). */
    static final class Work {
        final double[][] q;
        final double[][] a;
        final double[][] t;

        Work(int n, int m) {
            q = new double[n][m];
            a = new double[n][3];
            t = new double[n][9];
        }
    }

    /** Fills {@code w} from a neighbour list built with at least {@link #cutoff()}. */
    void compute(PairList nl, Work w) {
        int k = centers.length;
        double rc2 = cutoff * cutoff;
        for (int i = 0, n = nl.atoms(); i < n; i++) {
            double[] q = w.q[i], a = w.a[i], t = w.t[i];
            Arrays.fill(q, 0);
            Arrays.fill(a, 0);
            Arrays.fill(t, 0);
            double sumFc = 0;
            for (int e = nl.start[i], end = nl.start[i + 1]; e < end; e++) {
                double dx = nl.d[3 * e], dy = nl.d[3 * e + 1], dz = nl.d[3 * e + 2];
                double r2 = dx * dx + dy * dy + dz * dz;
                if (r2 >= rc2) continue;
                double r = Math.sqrt(r2);
                double fc = fc(r);
                for (int c = 0; c < k; c++) q[c] += gauss(r, centers[c]) * fc;
                double u = fc / r;
                a[0] += u * dx;
                a[1] += u * dy;
                a[2] += u * dz;
                double v = fc / r2;
                t[0] += v * dx * dx;
                t[1] += v * dx * dy;
                t[2] += v * dx * dz;
                t[4] += v * dy * dy;
                t[5] += v * dy * dz;
                t[8] += v * dz * dz;
                sumFc += fc;
            }
            t[3] = t[1];
            t[6] = t[2];
            t[7] = t[5];
            t[0] -= sumFc / 3;
            t[4] -= sumFc / 3;
            t[8] -= sumFc / 3;
            double p1 = a[0] * a[0] + a[1] * a[1] + a[2] * a[2];
            double p2 = 0;
            for (double x : t) p2 += x * x;
            for (int c = 0; c < k; c++) q[c] /= scale[c];
            q[k] = p1 / scale[k];
            q[k + 1] = p2 / scale[k + 1];
        }
    }

    /**
     * Chain rule from dV/dq (standardised features, n x m, eV) to the pair gradients dV/dd of every directed entry,
     * added to {@code acc} (forces and virial). {@code w} must hold the features of the same list.
     */
    void backpropagate(PairList nl, Work w, double[][] dVdq, ShortRangeCalculator.Accumulator acc) {
        int k = centers.length;
        double rc2 = cutoff * cutoff;
        for (int i = 0, n = nl.atoms(); i < n; i++) {
            double[] gq = dVdq[i], a = w.a[i], t = w.t[i];
            double gP1 = gq[k] / scale[k];
            double gP2 = gq[k + 1] / scale[k + 1];
            for (int e = nl.start[i], end = nl.start[i + 1]; e < end; e++) {
                double dx = nl.d[3 * e], dy = nl.d[3 * e + 1], dz = nl.d[3 * e + 2];
                double r2 = dx * dx + dy * dy + dz * dz;
                if (r2 >= rc2) continue;
                double r = Math.sqrt(r2);
                double fc = fc(r), dfc = dfc(r);
                // radial: d G_k / d d = (g_k f_c)' d / r
                double radial = 0;
                for (int c = 0; c < k; c++) {
                    double g = gauss(r, centers[c]);
                    double dg = -(r - centers[c]) / (width * width) * g;
                    radial += gq[c] / scale[c] * (dg * fc + g * dfc);
                }
                double gx = radial * dx / r, gy = radial * dy / r, gz = radial * dz / r;
                // P1: dP1/dd = 2 [ (fc/r) A + (A.d) d (fc'/r^2 - fc/r^3) ]
                double ad = a[0] * dx + a[1] * dy + a[2] * dz;
                double c1 = fc / r, c2 = ad * (dfc / r2 - fc / (r2 * r));
                gx += gP1 * 2 * (c1 * a[0] + c2 * dx);
                gy += gP1 * 2 * (c1 * a[1] + c2 * dy);
                gz += gP1 * 2 * (c1 * a[2] + c2 * dz);
                // P2: dP2/dd = 2 [ (u'/r) (d^T T d) d + 2 u T d ],  u = fc / r^2 (T traceless, so the I/3 part drops)
                double u = fc / r2, du = dfc / r2 - 2 * fc / (r2 * r);
                double tdx = t[0] * dx + t[1] * dy + t[2] * dz;
                double tdy = t[3] * dx + t[4] * dy + t[5] * dz;
                double tdz = t[6] * dx + t[7] * dy + t[8] * dz;
                double dtd = dx * tdx + dy * tdy + dz * tdz;
                double c3 = du / r * dtd;
                gx += gP2 * 2 * (c3 * dx + 2 * u * tdx);
                gy += gP2 * 2 * (c3 * dy + 2 * u * tdy);
                gz += gP2 * 2 * (c3 * dz + 2 * u * tdz);
                acc.pairGradient(i, nl.nbr[e], gx, gy, gz, dx, dy, dz);
            }
        }
    }
}
