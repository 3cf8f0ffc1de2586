package org.crucible.executors.evolution;

import java.util.TreeSet;
import org.crucible.core.Structure;
import org.crucible.core.neighbors.NeighborList;

/**
 * A structural fingerprint for removing duplicate candidates from an evolutionary generation, after Oganov and Valle
 * (J. Chem. Phys. 130, 104504 (2009)): per ordered element pair (A, B), the pair-distance distribution
 * F_AB(R) = sum_{i in A, j in B, r_ij &lt; R_max} g(R - r_ij) / (4 pi r_ij^2 (N_A N_B / V) dR) - 1 on a grid of
 * {@code bins} points from 0 to {@code rMax} Angstrom, with g a Gaussian of width {@code sigma} Angstrom; two structures
 * are compared by the cosine distance d = (1 - F1.F2 / (|F1| |F2|)) / 2 of the concatenated vectors. The fingerprint is
 * invariant to rotation, translation, atom order and the choice of cell (it is built from distances and densities
 * only), so the same crystal from two parents is caught; different polymorphs of one density differ in their shells.
 *
 * <pre>{@code
 * double d = StructureFingerprint.DEFAULT.of(a).distance(StructureFingerprint.DEFAULT.of(b)); // 0 for the same crystal
 * }</pre>
 *
 * @param rMax  cutoff radius, Angstrom
 * @param sigma Gaussian smearing width, Angstrom
 * @param bins  grid points per element pair
 */
public record StructureFingerprint(double rMax, double sigma, int bins) {
    /** 6 Angstrom, 0.05 Angstrom smearing, 120 bins (0.05 Angstrom spacing). */
    public static final StructureFingerprint DEFAULT = new StructureFingerprint(6.0, 0.05, 120);

    public StructureFingerprint {
        if (!(rMax > 0) || !(sigma > 0) || bins < 2) {
            throw new IllegalArgumentException("fingerprint needs rMax > 0 Angstrom, sigma > 0 Angstrom and bins >= 2, got " + rMax + ", " + sigma + ", " + bins);
        }
    }

    /** A computed fingerprint vector. */
    public record Vector(double[] values) {
        public Vector {
            values = values.clone();
        }

        /** Cosine distance in [0, 1]; 0 for identical distributions. Vectors of different element sets are 1 apart. */
        public double distance(Vector o) {
            if (o.values.length != values.length) return 1;
            double ab = 0, aa = 0, bb = 0;
            for (int i = 0; i < values.length; i++) {
                ab += values[i] * o.values[i];
                aa += values[i] * values[i];
                bb += o.values[i] * o.values[i];
            }
            if (aa == 0 || bb == 0) return aa == bb ? 0 : 1;
            return Math.max(0, 0.5 * (1 - ab / Math.sqrt(aa * bb)));
        }
    }

    /** The fingerprint of a periodic structure. */
    public Vector of(Structure s) {
        TreeSet<Integer> species = new TreeSet<>();
        for (int i = 0; i < s.size(); i++) species.add(s.atomicNumber(i));
        int[] zs = species.stream().mapToInt(Integer::intValue).toArray();
        int k = zs.length;
        int[] count = new int[k];
        int[] kind = new int[s.size()];
        for (int i = 0; i < s.size(); i++) {
            kind[i] = java.util.Arrays.binarySearch(zs, s.atomicNumber(i));
            count[kind[i]]++;
        }
        double dr = rMax / bins;
        double volume = s.cell().volume();
        double[] f = new double[k * k * bins];
        NeighborList nl = NeighborList.build(s, rMax + 3 * sigma);
        for (int i = 0; i < s.size(); i++) {
            for (int q = nl.start(i); q < nl.start(i + 1); q++) {
                int j = nl.neighbor(q);
                double r = nl.distance(q);
                int off = (kind[i] * k + kind[j]) * bins;
                double norm = 4 * Math.PI * r * r * count[kind[i]] * count[kind[j]] / volume * dr;
                int lo = Math.max(0, (int) Math.floor((r - 4 * sigma) / dr)), hi = Math.min(bins - 1, (int) Math.ceil((r + 4 * sigma) / dr));
                for (int b = lo; b <= hi; b++) {
                    double x = (b + 0.5) * dr - r;
                    f[off + b] += Math.exp(-0.5 * x * x / (sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI)) * dr / norm;
                }
            }
        }
        for (int p = 0; p < k * k; p++) for (int b = 0; b < bins; b++) f[p * bins + b] -= 1;
        return new Vector(f);
    }
}
