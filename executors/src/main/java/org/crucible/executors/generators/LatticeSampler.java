package org.crucible.executors.generators;

import java.util.SplittableRandom;
import org.crucible.core.Cell;
import org.crucible.executors.symmetry.CrystalSystem;

/**
 * Random conventional lattices of a crystal system at a given volume: free lengths drawn uniformly from
 * [1, 2] (relative) and free angles from [60, 120] degrees (monoclinic beta from [70, 120]), then scaled
 * isotropically to the volume; a lattice is kept only when every length lies in [l_min, l_max] and its
 * smallest height is at least {@code minHeightFraction} of V^(1/3) (no needle or pancake cells).
 * Metric constraints of the system hold exactly: a = b for tetragonal, a = b and gamma = 120 for
 * trigonal/hexagonal (hexagonal axes for R groups), a = b = c for cubic, right angles where the system has them.
 *
 * @param minLength         l_min, Angstrom
 * @param maxLength         l_max, Angstrom
 * @param minHeightFraction smallest height / V^(1/3) accepted (0.4 is mild)
 */
public record LatticeSampler(double minLength, double maxLength, double minHeightFraction) {
    /** Defaults: lengths in [1, 100] Angstrom, heights at least 0.4 V^(1/3). */
    public static final LatticeSampler DEFAULT = new LatticeSampler(1.0, 100.0, 0.4);

    public LatticeSampler {
        if (!(minLength > 0) || !(maxLength > minLength)) {
            throw new IllegalArgumentException("lattice-length bounds need 0 < l_min < l_max, got l_min=" + minLength + " l_max=" + maxLength);
        }
        if (!(minHeightFraction >= 0) || minHeightFraction >= 1) {
            throw new IllegalArgumentException("minimum height fraction must be in [0, 1), got " + minHeightFraction);
        }
    }

    /** One draw; null when it misses the length or height bounds (callers retry a bounded number of times). */
    public Cell sample(CrystalSystem system, double volume, SplittableRandom rng) {
        double a = rng.nextDouble(1, 2), b = rng.nextDouble(1, 2), c = rng.nextDouble(1, 2);
        double al = 90, be = 90, ga = 90;
        switch (system) {
            case TRICLINIC -> {
                al = rng.nextDouble(60, 120);
                be = rng.nextDouble(60, 120);
                ga = rng.nextDouble(60, 120);
            }
            case MONOCLINIC -> be = rng.nextDouble(70, 120);
            case ORTHORHOMBIC -> { }
            case TETRAGONAL -> b = a;
            case TRIGONAL, HEXAGONAL -> {
                b = a;
                ga = 120;
            }
            case CUBIC -> {
                b = a;
                c = a;
            }
        }
        Cell cell;
        try {
            cell = Cell.fromParameters(a, b, c, al, be, ga);
        } catch (IllegalArgumentException impossibleAngles) {
            return null; // three random angles need not close a cell; the caller draws again
        }
        double s = Math.cbrt(volume / cell.volume());
        double[] m = cell.matrix();
        for (int i = 0; i < 9; i++) m[i] *= s;
        cell = cell.withMatrix(m);
        for (double l : cell.lengths()) if (l < minLength || l > maxLength) return null;
        double hmin = Math.min(cell.heights()[0], Math.min(cell.heights()[1], cell.heights()[2]));
        if (hmin < minHeightFraction * Math.cbrt(volume)) return null;
        return cell;
    }
}
