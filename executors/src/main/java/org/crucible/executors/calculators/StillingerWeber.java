package org.crucible.executors.calculators;

import java.nio.file.Path;

/**
 * The Stillinger-Weber potential (F. H. Stillinger and T. A. Weber, Phys. Rev. B 31, 5262 (1985)), in the
 * multi-element form of LAMMPS {@code pair_style sw}:
 *
 * <pre>
 * E = sum_{i&lt;j} phi2(r_ij) + sum_i sum_{j&lt;k} phi3(r_ij, r_ik, theta_jik)
 * phi2(r) = A eps (B (sigma/r)^p - (sigma/r)^q) exp(sigma / (r - a sigma))
 * phi3    = lambda eps (cos theta_jik - cos theta0)^2 exp(gamma sigma_ij/(r_ij - a sigma_ij)) exp(gamma sigma_ik/(r_ik - a sigma_ik))
 * </pre>
 *
 * in eV and Angstrom; parameters from {@link StillingerWeberParameters}. Energies, forces (eV/Angstrom) and
 * stress (eV/Angstrom^3, ASE convention) agree with LAMMPS to round-off (see the LAMMPS comparison test).
 * Stateless and thread-safe.
 *
 * <pre>{@code
 * Calculator sw = StillingerWeber.silicon();
 * Labels l = sw.calculate(structure);
 * }</pre>
 */
public final class StillingerWeber extends ShortRangeCalculator {
    private final StillingerWeberParameters params;
    private final int m;
    private final double cutoff;
    // pair tables [ti * m + tj] from entry (ti, tj, tj)
    private final double[] cutsq, cut, sigma, gammaSigma, c5, c6, p, q;
    private final int[] ip, iq; // integer exponents, or -1
    // triplet tables [(ti * m + tj) * m + tk]
    private final double[] lambdaEps, cos0;

    public StillingerWeber(StillingerWeberParameters params) {
        super(params.species());
        this.params = params;
        this.m = params.species().length;
        cutsq = new double[m * m];
        cut = new double[m * m];
        sigma = new double[m * m];
        gammaSigma = new double[m * m];
        c5 = new double[m * m];
        c6 = new double[m * m];
        p = new double[m * m];
        q = new double[m * m];
        ip = new int[m * m];
        iq = new int[m * m];
        lambdaEps = new double[m * m * m];
        cos0 = new double[m * m * m];
        double maxCut = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                StillingerWeberParameters.Entry e = params.get(i, j, j);
                int t = i * m + j;
                cut[t] = e.a() * e.sigma();
                cutsq[t] = cut[t] * cut[t];
                sigma[t] = e.sigma();
                gammaSigma[t] = e.gamma() * e.sigma();
                c5[t] = e.bigA() * e.epsilon() * e.bigB() * Math.pow(e.sigma(), e.p());
                c6[t] = e.bigA() * e.epsilon() * Math.pow(e.sigma(), e.q());
                p[t] = e.p();
                q[t] = e.q();
                ip[t] = smallInteger(e.p());
                iq[t] = smallInteger(e.q());
                maxCut = Math.max(maxCut, cut[t]);
                for (int k = 0; k < m; k++) {
                    StillingerWeberParameters.Entry f = params.get(i, j, k);
                    lambdaEps[t * m + k] = f.lambda() * f.epsilon();
                    cos0[t * m + k] = f.cosTheta0();
                }
            }
        }
        this.cutoff = maxCut;
    }

    /** Silicon with the 1985 parameters. */
    public static StillingerWeber silicon() {
        return new StillingerWeber(StillingerWeberParameters.silicon1985());
    }

    /** Parameters from a LAMMPS .sw file. */
    public static StillingerWeber fromFile(Path file) {
        return new StillingerWeber(StillingerWeberParameters.read(file));
    }

    public StillingerWeberParameters parameters() {
        return params;
    }

    @Override
    public double cutoff() {
        return cutoff;
    }

    @Override
    public String name() {
        return "sw(" + params.source() + ")";
    }

    private static int smallInteger(double x) {
        return x == Math.rint(x) && x >= 0 && x <= 16 ? (int) x : -1;
    }

    /** x^e for x &gt; 0, by repeated multiplication when e is a small integer (exact to round-off, much faster than pow). */
    private static double power(double x, double e, int ie) {
        if (ie < 0) return Math.pow(x, e);
        double r = 1.0;
        double b = x;
        while (ie > 0) {
            if ((ie & 1) != 0) r *= b;
            b *= b;
            ie >>= 1;
        }
        return r;
    }

    @Override
    protected void accumulate(PairList nl, int[] type, Accumulator acc) {
        int n = nl.atoms();
        int maxNb = nl.maxCount();
        // short list of the neighbours of one atom inside their pair cutoff
        int[] sj = new int[maxNb];
        int[] st = new int[maxNb];
        double[] sx = new double[maxNb], sy = new double[maxNb], sz = new double[maxNb], sr = new double[maxNb];
        double[] se = new double[maxNb]; // exp(gamma sigma / (r - a sigma))
        double[] sde = new double[maxNb]; // d(se)/dr / r
        double[] f = acc.forces;
        double[] w = acc.virial;
        double[] ae = acc.atomEnergy;
        double energy = 0;
        for (int i = 0; i < n; i++) {
            int ti = type[i];
            int ns = 0;
            for (int k = nl.start[i], end = nl.start[i + 1]; k < end; k++) {
                int j = nl.nbr[k];
                int tj = type[j];
                int t = ti * m + tj;
                double dx = nl.d[3 * k], dy = nl.d[3 * k + 1], dz = nl.d[3 * k + 2];
                double rsq = dx * dx + dy * dy + dz * dz;
                if (rsq >= cutsq[t]) continue;
                double r = Math.sqrt(rsq);
                double rainv = 1.0 / (r - cut[t]);
                double ex3 = Math.exp(gammaSigma[t] * rainv);
                sj[ns] = j;
                st[ns] = tj;
                sx[ns] = dx;
                sy[ns] = dy;
                sz[ns] = dz;
                sr[ns] = r;
                se[ns] = ex3;
                sde[ns] = -ex3 * gammaSigma[t] * rainv * rainv / r;
                ns++;
                // two-body term once per pair: j > i, or a periodic self-image with a positive offset
                if (j < i || (j == i && !nl.positiveImage(k))) continue;
                double rinv = 1.0 / r;
                double rp = power(rinv, p[t], ip[t]);
                double rq = power(rinv, q[t], iq[t]);
                double ex2 = Math.exp(sigma[t] * rainv);
                double phi = (c5[t] * rp - c6[t] * rq) * ex2;
                double dphi = (-p[t] * c5[t] * rp + q[t] * c6[t] * rq) * rinv * ex2 - phi * sigma[t] * rainv * rainv;
                energy += phi;
                ae[i] += 0.5 * phi;
                ae[j] += 0.5 * phi;
                double g = dphi * rinv;
                acc.pairGradient(i, j, g * dx, g * dy, g * dz, dx, dy, dz);
            }
            // three-body terms centred on i
            double fix = 0, fiy = 0, fiz = 0, e3 = 0;
            for (int a = 0; a < ns - 1; a++) {
                double xa = sx[a], ya = sy[a], za = sz[a], ra = sr[a], ea = se[a], dea = sde[a];
                int ja = sj[a];
                int tij = (ti * m + st[a]) * m;
                for (int b = a + 1; b < ns; b++) {
                    double xb = sx[b], yb = sy[b], zb = sz[b], rb = sr[b], eb = se[b];
                    double rinv12 = 1.0 / (ra * rb);
                    double cs = (xa * xb + ya * yb + za * zb) * rinv12;
                    int tt = tij + st[b];
                    double del = cs - cos0[tt];
                    double le = lambdaEps[tt];
                    double eab = ea * eb;
                    double h = le * del * del * eab;
                    e3 += h;
                    double ang = 2.0 * le * del * eab; // dh/dcos
                    double rad = le * del * del;
                    // dh/dd_a = ang * (d_b/(ra rb) - cs d_a/ra^2) + rad * eb * (dea) d_a
                    double ca = ang * rinv12;
                    double sa = -ang * cs / (ra * ra) + rad * eb * dea;
                    double sb = -ang * cs / (rb * rb) + rad * ea * sde[b];
                    double gax = ca * xb + sa * xa, gay = ca * yb + sa * ya, gaz = ca * zb + sa * za;
                    double gbx = ca * xa + sb * xb, gby = ca * ya + sb * yb, gbz = ca * za + sb * zb;
                    int jb = sj[b];
                    f[3 * ja] -= gax;
                    f[3 * ja + 1] -= gay;
                    f[3 * ja + 2] -= gaz;
                    f[3 * jb] -= gbx;
                    f[3 * jb + 1] -= gby;
                    f[3 * jb + 2] -= gbz;
                    fix += gax + gbx;
                    fiy += gay + gby;
                    fiz += gaz + gbz;
                    w[0] += gax * xa + gbx * xb;
                    w[1] += gax * ya + gbx * yb;
                    w[2] += gax * za + gbx * zb;
                    w[3] += gay * xa + gby * xb;
                    w[4] += gay * ya + gby * yb;
                    w[5] += gay * za + gby * zb;
                    w[6] += gaz * xa + gbz * xb;
                    w[7] += gaz * ya + gbz * yb;
                    w[8] += gaz * za + gbz * zb;
                }
            }
            f[3 * i] += fix;
            f[3 * i + 1] += fiy;
            f[3 * i + 2] += fiz;
            energy += e3;
            ae[i] += e3;
        }
        acc.energy += energy;
    }

}
