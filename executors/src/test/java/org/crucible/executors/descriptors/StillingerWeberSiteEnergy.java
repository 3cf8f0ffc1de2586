package org.crucible.executors.descriptors;

import org.crucible.core.Structure;
import org.crucible.core.neighbors.NeighborList;

/**
 * Stillinger-Weber silicon (PRB 31, 5262 (1985)) energy, written here only as a 2+3-body reference surface for
 * the completeness test of the ACE basis: E = sum_i [ 1/2 sum_j phi2(r_ij) + sum_{j<k} phi3(r_ij, r_ik, theta_jik) ].
 */
final class StillingerWeberSiteEnergy {
    static final double EPS = 2.1683, SIGMA = 2.0951, A = 7.049556277, B = 0.6022245584, P = 4, Q = 0, CUT = 1.80, LAMBDA = 21.0, GAMMA = 1.20;

    static double cutoff() {
        return CUT * SIGMA;
    }

    static double energy(Structure s) {
        NeighborList nl = NeighborList.build(s, cutoff());
        double rc = cutoff();
        double e = 0;
        for (int i = 0; i < s.size(); i++) {
            int from = nl.start(i), to = nl.start(i + 1);
            for (int p = from; p < to; p++) {
                double r = nl.distance(p);
                if (r >= rc) continue;
                double sr = SIGMA / r;
                e += 0.5 * A * EPS * (B * Math.pow(sr, P) - Math.pow(sr, Q)) * Math.exp(SIGMA / (r - rc));
                for (int q = p + 1; q < to; q++) {
                    double r2 = nl.distance(q);
                    if (r2 >= rc) continue;
                    double cos = (nl.dx(p) * nl.dx(q) + nl.dy(p) * nl.dy(q) + nl.dz(p) * nl.dz(q)) / (r * r2);
                    double t = cos + 1.0 / 3.0;
                    e += LAMBDA * EPS * t * t * Math.exp(GAMMA * SIGMA / (r - rc)) * Math.exp(GAMMA * SIGMA / (r2 - rc));
                }
            }
        }
        return e;
    }
}
