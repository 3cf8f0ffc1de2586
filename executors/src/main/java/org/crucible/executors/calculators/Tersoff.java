package org.crucible.executors.calculators;

import java.nio.file.Path;

/**
 * The Tersoff potential (J. Tersoff, Phys. Rev. B 37, 6991 (1988); multi-component form Phys. Rev. B 39, 5566
 * (1989)) with the parameter conventions of LAMMPS {@code pair_style tersoff}:
 *
 * <pre>
 * E      = 1/2 sum_i sum_{j != i} fc(r_ij) [fR(r_ij) + b_ij fA(r_ij)]
 * fR(r)  = A exp(-lambda1 r),  fA(r) = -B exp(-lambda2 r)
 * b_ij   = (1 + (beta zeta_ij)^n)^(-1/(2n))
 * zeta_ij = sum_{k != i,j} fc(r_ik) g(theta_ijk) exp((lambda3 (r_ij - r_ik))^m)
 * g(theta) = gamma (1 + c^2/d^2 - c^2 / (d^2 + (cos theta - costheta0)^2))
 * fc(r)  = 1 (r &lt; R - D), 1/2 - 1/2 sin(pi/2 (r - R)/D) (|r - R| &lt; D), 0 (r &gt; R + D)
 * </pre>
 *
 * in eV and Angstrom. Like LAMMPS, b_ij uses its asymptotic forms where (beta zeta)^n is below 1e-16 relative
 * precision (b = 1 - x^n/2n, or x^-1/2 (1 - x^-n/2n)), which keeps b and its derivative finite at zeta = 0,
 * and exp((lambda3 dr)^m) is clamped to [0, 1e30]. Stateless and thread-safe.
 *
 * <pre>{@code
 * Calculator t = Tersoff.fromFile(Path.of("/usr/share/lammps/potentials/SiC.tersoff"));
 * }</pre>
 */
public final class Tersoff extends ShortRangeCalculator {
    private static final double HALF_PI = Math.PI / 2;
    private static final double EXP_LIMIT = 69.0776;

    private final TersoffParameters params;
    private final int m;
    private final double cutoff;
    // pair tables [ti * m + tj] from entry (ti, tj, tj)
    private final double[] pCutsq, pR, pD, lam1, bigA, lam2, bigB, beta, pn, c1, c2, c3, c4;
    // triplet tables [(ti * m + tj) * m + tk]
    private final double[] tCutsq, tR, tD, gamma, cc, dd, h, lam3;
    private final boolean[] cubic;

    public Tersoff(TersoffParameters params) {
        super(params.species());
        this.params = params;
        this.m = params.species().length;
        int m2 = m * m, m3 = m2 * m;
        pCutsq = new double[m2];
        pR = new double[m2];
        pD = new double[m2];
        lam1 = new double[m2];
        bigA = new double[m2];
        lam2 = new double[m2];
        bigB = new double[m2];
        beta = new double[m2];
        pn = new double[m2];
        c1 = new double[m2];
        c2 = new double[m2];
        c3 = new double[m2];
        c4 = new double[m2];
        tCutsq = new double[m3];
        tR = new double[m3];
        tD = new double[m3];
        gamma = new double[m3];
        cc = new double[m3];
        dd = new double[m3];
        h = new double[m3];
        lam3 = new double[m3];
        cubic = new boolean[m3];
        double maxCut = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                int t = i * m + j;
                TersoffParameters.Entry e = params.get(i, j, j);
                pR[t] = e.bigR();
                pD[t] = e.bigD();
                pCutsq[t] = e.cutoff() * e.cutoff();
                lam1[t] = e.lambda1();
                bigA[t] = e.bigA();
                lam2[t] = e.lambda2();
                bigB[t] = e.bigB();
                beta[t] = e.beta();
                pn[t] = e.n();
                // thresholds where b_ij switches to its asymptotic forms (as LAMMPS)
                c1[t] = Math.pow(2.0 * e.n() * 1.0e-16, -1.0 / e.n());
                c2[t] = Math.pow(2.0 * e.n() * 1.0e-8, -1.0 / e.n());
                c3[t] = 1.0 / c2[t];
                c4[t] = 1.0 / c1[t];
                for (int k = 0; k < m; k++) {
                    int tt = t * m + k;
                    TersoffParameters.Entry f = params.get(i, j, k);
                    tR[tt] = f.bigR();
                    tD[tt] = f.bigD();
                    tCutsq[tt] = f.cutoff() * f.cutoff();
                    gamma[tt] = f.gamma();
                    cc[tt] = f.c() * f.c();
                    dd[tt] = f.d() * f.d();
                    h[tt] = f.h();
                    lam3[tt] = f.lambda3();
                    cubic[tt] = f.m() == 3.0;
                    maxCut = Math.max(maxCut, f.cutoff());
                }
            }
        }
        this.cutoff = maxCut;
    }

    /** Parameters from a LAMMPS .tersoff file. */
    public static Tersoff fromFile(Path file) {
        return new Tersoff(TersoffParameters.read(file));
    }

    public TersoffParameters parameters() {
        return params;
    }

    @Override
    public double cutoff() {
        return cutoff;
    }

    @Override
    public String name() {
        return "tersoff(" + params.source() + ")";
    }

    @Override
    protected void accumulate(PairList nl, int[] type, Accumulator acc) {
        int n = nl.atoms();
        int maxNb = nl.maxCount();
        double cutmaxsq = cutoff * cutoff;
        int[] sj = new int[maxNb];
        int[] st = new int[maxNb];
        double[] sx = new double[maxNb], sy = new double[maxNb], sz = new double[maxNb], sr = new double[maxNb];
        // per k of the current (i, j): index into the short list and dT/dd_j, dT/dd_k
        int[] kb = new int[maxNb];
        double[] dTj = new double[3 * maxNb], dTk = new double[3 * maxNb];
        double[] f = acc.forces;
        double[] w = acc.virial;
        double[] ae = acc.atomEnergy;
        double energy = 0;
        for (int i = 0; i < n; i++) {
            int ti = type[i];
            int ns = 0;
            for (int k = nl.start[i], end = nl.start[i + 1]; k < end; k++) {
                double dx = nl.d[3 * k], dy = nl.d[3 * k + 1], dz = nl.d[3 * k + 2];
                double rsq = dx * dx + dy * dy + dz * dz;
                if (rsq >= cutmaxsq) continue;
                int j = nl.nbr[k];
                sj[ns] = j;
                st[ns] = type[j];
                sx[ns] = dx;
                sy[ns] = dy;
                sz[ns] = dz;
                sr[ns] = Math.sqrt(rsq);
                ns++;
            }
            double ei = 0;
            for (int a = 0; a < ns; a++) {
                int t = ti * m + st[a];
                double ra = sr[a];
                if (ra * ra >= pCutsq[t]) continue;
                int j = sj[a];
                double xa = sx[a], ya = sy[a], za = sz[a];
                double rainv = 1.0 / ra;
                // cutoff function of the pair
                double fc, dfc;
                if (ra < pR[t] - pD[t]) {
                    fc = 1.0;
                    dfc = 0.0;
                } else {
                    double arg = HALF_PI * (ra - pR[t]) / pD[t];
                    fc = 0.5 * (1.0 - Math.sin(arg));
                    dfc = -(HALF_PI / 2) / pD[t] * Math.cos(arg);
                }
                // repulsive half (the other half comes from j's list)
                double er = bigA[t] * Math.exp(-lam1[t] * ra);
                double vr = 0.5 * fc * er;
                double dvr = 0.5 * (dfc * er - lam1[t] * fc * er);
                // bond order
                double zeta = 0;
                int nk = 0;
                int tb = t * m;
                for (int b = 0; b < ns; b++) {
                    if (b == a) continue;
                    int tt = tb + st[b];
                    double rb = sr[b];
                    if (rb * rb >= tCutsq[tt]) continue;
                    double xb = sx[b], yb = sy[b], zb = sz[b];
                    double rbinv = 1.0 / rb;
                    double fck, dfck;
                    if (rb < tR[tt] - tD[tt]) {
                        fck = 1.0;
                        dfck = 0.0;
                    } else {
                        double arg = HALF_PI * (rb - tR[tt]) / tD[tt];
                        fck = 0.5 * (1.0 - Math.sin(arg));
                        dfck = -(HALF_PI / 2) / tD[tt] * Math.cos(arg);
                    }
                    double cs = (xa * xb + ya * yb + za * zb) * rainv * rbinv;
                    double hc = h[tt] - cs;
                    double den = 1.0 / (dd[tt] + hc * hc);
                    double g = gamma[tt] * (1.0 + cc[tt] / dd[tt] - cc[tt] * den);
                    double dg = -2.0 * gamma[tt] * cc[tt] * hc * den * den; // dg/dcos
                    double del = ra - rb;
                    double ex, dex;
                    if (cubic[tt]) {
                        double l = lam3[tt];
                        double arg = l * del;
                        arg = arg * arg * arg;
                        if (arg > EXP_LIMIT) {
                            ex = 1.0e30;
                            dex = 0.0;
                        } else if (arg < -EXP_LIMIT) {
                            ex = 0.0;
                            dex = 0.0;
                        } else {
                            ex = Math.exp(arg);
                            dex = 3.0 * l * l * l * del * del * ex;
                        }
                    } else {
                        double arg = lam3[tt] * del;
                        if (arg > EXP_LIMIT) {
                            ex = 1.0e30;
                            dex = 0.0;
                        } else if (arg < -EXP_LIMIT) {
                            ex = 0.0;
                            dex = 0.0;
                        } else {
                            ex = Math.exp(arg);
                            dex = lam3[tt] * ex;
                        }
                    }
                    zeta += fck * g * ex;
                    // dT/dd_a = fc g' ex dcos/dd_a + fc g dex d_a/ra
                    // dT/dd_b = dfc g ex d_b/rb + fc g' ex dcos/dd_b - fc g dex d_b/rb
                    double fgex = fck * dg * ex;
                    double rab = rainv * rbinv;
                    double ca = fgex * rab; // coefficient of d_b in dT/dd_a (and of d_a in dT/dd_b)
                    double sa = -fgex * cs * rainv * rainv + fck * g * dex * rainv;
                    double sb = -fgex * cs * rbinv * rbinv + (dfck * g * ex - fck * g * dex) * rbinv;
                    kb[nk] = b;
                    dTj[3 * nk] = ca * xb + sa * xa;
                    dTj[3 * nk + 1] = ca * yb + sa * ya;
                    dTj[3 * nk + 2] = ca * zb + sa * za;
                    dTk[3 * nk] = ca * xa + sb * xb;
                    dTk[3 * nk + 1] = ca * ya + sb * yb;
                    dTk[3 * nk + 2] = ca * za + sb * zb;
                    nk++;
                }
                double ea = bigB[t] * Math.exp(-lam2[t] * ra);
                double fa = -fc * ea;
                double dfa = -(dfc * ea - lam2[t] * fc * ea);
                double bij = bondOrder(zeta, t);
                double dbij = bondOrderDerivative(zeta, t);
                double vij = vr + 0.5 * bij * fa;
                ei += vij;
                double gr = (dvr + 0.5 * bij * dfa) * rainv;
                acc.pairGradient(i, j, gr * xa, gr * ya, gr * za, xa, ya, za);
                double pref = 0.5 * fa * dbij;
                if (pref == 0.0) continue;
                double fix = 0, fiy = 0, fiz = 0;
                double gjx = 0, gjy = 0, gjz = 0;
                for (int q = 0; q < nk; q++) {
                    int b = kb[q];
                    int kk = sj[b];
                    double gkx = pref * dTk[3 * q], gky = pref * dTk[3 * q + 1], gkz = pref * dTk[3 * q + 2];
                    gjx += pref * dTj[3 * q];
                    gjy += pref * dTj[3 * q + 1];
                    gjz += pref * dTj[3 * q + 2];
                    f[3 * kk] -= gkx;
                    f[3 * kk + 1] -= gky;
                    f[3 * kk + 2] -= gkz;
                    fix += gkx;
                    fiy += gky;
                    fiz += gkz;
                    double xb = sx[b], yb = sy[b], zb = sz[b];
                    w[0] += gkx * xb;
                    w[1] += gkx * yb;
                    w[2] += gkx * zb;
                    w[3] += gky * xb;
                    w[4] += gky * yb;
                    w[5] += gky * zb;
                    w[6] += gkz * xb;
                    w[7] += gkz * yb;
                    w[8] += gkz * zb;
                }
                f[3 * i] += fix;
                f[3 * i + 1] += fiy;
                f[3 * i + 2] += fiz;
                acc.pairGradient(i, j, gjx, gjy, gjz, xa, ya, za);
            }
            energy += ei;
            ae[i] += ei;
        }
        acc.energy += energy;
    }

    private double bondOrder(double zeta, int t) {
        double x = beta[t] * zeta;
        double n = pn[t];
        if (x > c1[t]) return 1.0 / Math.sqrt(x);
        if (x > c2[t]) return (1.0 - Math.pow(x, -n) / (2.0 * n)) / Math.sqrt(x);
        if (x < c4[t]) return 1.0;
        if (x < c3[t]) return 1.0 - Math.pow(x, n) / (2.0 * n);
        return Math.pow(1.0 + Math.pow(x, n), -1.0 / (2.0 * n));
    }

    private double bondOrderDerivative(double zeta, int t) {
        double x = beta[t] * zeta;
        double n = pn[t];
        if (x > c1[t]) return beta[t] * -0.5 * Math.pow(x, -1.5);
        if (x > c2[t]) return beta[t] * (-0.5 * Math.pow(x, -1.5) * (1.0 - (1.0 + 1.0 / (2.0 * n)) * Math.pow(x, -n)));
        if (x < c4[t]) return 0.0;
        if (x < c3[t]) return -0.5 * beta[t] * Math.pow(x, n - 1.0);
        double xn = Math.pow(x, n);
        return -0.5 * Math.pow(1.0 + xn, -1.0 - 1.0 / (2.0 * n)) * xn / zeta;
    }
}
