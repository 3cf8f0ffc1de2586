package org.crucible.executors.descriptors;

import org.crucible.core.Elements;

/**
 * The radial functions of an {@link AceBasis}: R_n(r) = T_n(x(r)) e(x(r)) for n = 0..nR-1 and every ordered
 * (centre, neighbour) element pair, with Chebyshev polynomials T_n of the transformed distance
 * x = 1 - 2 (u(r) - u(rCut)) / (u(rIn) - u(rCut)) in [-1, 1], u(r) = exp(-lambda (r / r0 - 1)) (u = -r when
 * lambda = 0), r0 = the parameter r0 or the covalent-radius sum of the pair, and the envelope e = (1 - x)^2, or
 * (1 - x)^2 (1 + x)^2 when rIn &gt; 0 (Drautz, PRB 99, 014104 (2019), section IV; Dusson et al., J. Comput. Phys. 454,
 * 110946 (2022), eq. 3.2 for the transform).
 *
 * <p>Units: r in Angstrom, R_n dimensionless, dR_n/dr in 1/Angstrom. Immutable.
 */
final class AceRadial implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final int nElem;
    private final int nR;
    final double rCut;
    final double rIn;
    private final double lambda;
    // radial transform per (centre, neighbour) pair
    private final double[] pairR0;
    private final double[] pairUIn;
    private final double[] pairUCut;

    /** Tabulates the transform of every element pair; nR radial functions. */
    AceRadial(AceParameters params, int nR) {
        int[] el = params.elements();
        nElem = el.length;
        this.nR = nR;
        rCut = params.rCut();
        rIn = params.rIn();
        lambda = params.lambda();
        pairR0 = new double[nElem * nElem];
        pairUIn = new double[nElem * nElem];
        pairUCut = new double[nElem * nElem];
        for (int a = 0; a < nElem; a++) {
            for (int b = 0; b < nElem; b++) {
                double r0 = Double.isNaN(params.r0()) ? Elements.byZ(el[a]).covalentRadius() + Elements.byZ(el[b]).covalentRadius() : params.r0();
                pairR0[a * nElem + b] = r0;
                pairUIn[a * nElem + b] = Math.exp(-params.lambda() * (params.rIn() / r0 - 1));
                pairUCut[a * nElem + b] = Math.exp(-params.lambda() * (params.rCut() / r0 - 1));
                if (params.lambda() == 0) {
                    pairUIn[a * nElem + b] = -params.rIn();
                    pairUCut[a * nElem + b] = -params.rCut();
                }
            }
        }
    }

    /** Index of the (centre, neighbour) element pair. */
    int pair(int centre, int neighbour) {
        return centre * nElem + neighbour;
    }

    /** r[ro + n] = R_n(dist), dr[ro + n] = dR_n/dr at dist (Angstrom), n = 0..nR-1, for the given pair. */
    void evaluate(int pair, double dist, double[] r, double[] dr, int ro) {
        boolean inner = rIn > 0;
        double uu, du;
        if (lambda == 0) {
            uu = -dist;
            du = -1;
        } else {
            uu = Math.exp(-lambda * (dist / pairR0[pair] - 1));
            du = -lambda / pairR0[pair] * uu;
        }
        double span = pairUIn[pair] - pairUCut[pair];
        double t = 1 - 2 * (uu - pairUCut[pair]) / span;
        double dtdr = -2 * du / span;
        double env, denv;
        if (inner) {
            double q = 1 - t * t;
            env = q * q;
            denv = -4 * t * q;
        } else {
            env = (1 - t) * (1 - t);
            denv = -2 * (1 - t);
        }
        // Chebyshev T_n(t) and dT_n/dt by the three-term recursion, kept in registers
        double tPrev = 1, tCur = t, dPrev = 0, dCur = 1;
        r[ro] = env;
        dr[ro] = denv * dtdr;
        if (nR > 1) {
            r[ro + 1] = t * env;
            dr[ro + 1] = (env + t * denv) * dtdr;
        }
        for (int nn = 2; nn < nR; nn++) {
            double tNext = 2 * t * tCur - tPrev;
            double dNext = 2 * tCur + 2 * t * dCur - dPrev;
            tPrev = tCur;
            tCur = tNext;
            dPrev = dCur;
            dCur = dNext;
            r[ro + nn] = tCur * env;
            dr[ro + nn] = (dCur * env + tCur * denv) * dtdr;
        }
    }
}
