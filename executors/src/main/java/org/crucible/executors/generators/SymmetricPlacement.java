package org.crucible.executors.generators;

import java.util.List;
import java.util.SplittableRandom;
import org.crucible.core.Cell;
import org.crucible.executors.symmetry.SpaceGroup;
import org.crucible.executors.symmetry.WyckoffPosition;

/**
 * Places orbits of a space group in a given conventional cell: for each chosen Wyckoff site, random free
 * parameters are drawn (up to {@code triesPerSite} times) until the orbit has exactly the site's multiplicity
 * and every atom of it is at least its minimum separation from every atom placed so far (periodic images
 * included, exactly for any cell shape). Fixed positions (no free parameters) are placed first.
 */
final class SymmetricPlacement {
    /** Fractional coordinates (3n) and species index per atom. */
    record Placed(double[] fractional, int[] species) {
    }

    private static final double ORBIT_TOLERANCE = 1e-6;

    private SymmetricPlacement() {
    }

    /**
     * @param dmin dmin[i][j] minimum separation of species i and j, Angstrom
     * @return the placement, or null when some site could not be placed
     */
    static Placed place(SpaceGroup g, List<WyckoffAssignment.Site> sites, Cell cell, double[][] dmin,
                        SplittableRandom rng, int triesPerSite) {
        int n = 0;
        for (WyckoffAssignment.Site s : sites) n += s.wyckoff().multiplicity();
        double[] frac = new double[3 * n];
        int[] species = new int[n];
        double maxD = 0;
        for (double[] row : dmin) for (double v : row) maxD = Math.max(maxD, v);
        PeriodicDistance dist = new PeriodicDistance(cell, maxD);
        for (int i = 0; i < dmin.length; i++) {
            if (dist.shortestLattice2() < dmin[i][i] * dmin[i][i]) return null; // an atom would touch its own image
        }
        int count = 0;
        List<WyckoffAssignment.Site> ordered = sites.stream()
                .sorted((a, b) -> Integer.compare(a.wyckoff().degreesOfFreedom(), b.wyckoff().degreesOfFreedom())).toList();
        for (WyckoffAssignment.Site site : ordered) {
            WyckoffPosition w = site.wyckoff();
            boolean placed = false;
            int tries = w.degreesOfFreedom() == 0 ? 1 : triesPerSite;
            for (int t = 0; t < tries && !placed; t++) {
                double[] u = new double[w.degreesOfFreedom()];
                for (int k = 0; k < u.length; k++) u[k] = rng.nextDouble();
                List<double[]> orbit = g.orbit(w.at(u), ORBIT_TOLERANCE);
                if (orbit.size() != w.multiplicity()) continue;
                if (!separated(orbit, site.species(), frac, species, count, dist, dmin)) continue;
                for (double[] p : orbit) {
                    System.arraycopy(p, 0, frac, 3 * count, 3);
                    species[count++] = site.species();
                }
                placed = true;
            }
            if (!placed) return null;
        }
        return new Placed(frac, species);
    }

    private static boolean separated(List<double[]> orbit, int sp, double[] frac, int[] species, int count,
                                     PeriodicDistance dist, double[][] dmin) {
        double dself = dmin[sp][sp] * dmin[sp][sp];
        for (int i = 0; i < orbit.size(); i++) {
            double[] p = orbit.get(i);
            for (int j = 0; j < count; j++) {
                double d = dmin[sp][species[j]];
                if (dist.min2(p, 0, frac, 3 * j) < d * d) return false;
            }
            for (int j = 0; j < i; j++) {
                if (dist.min2(p, 0, orbit.get(j), 0) < dself) return false;
            }
        }
        return true;
    }
}
