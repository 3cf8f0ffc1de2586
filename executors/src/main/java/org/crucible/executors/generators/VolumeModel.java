package org.crucible.executors.generators;

import java.util.SplittableRandom;
import org.crucible.core.Elements;

/**
 * Volume of a random cell: V = N * k * r^3 * U(1 - spread, 1 + spread), with r the characteristic radius (the
 * count-weighted mean covalent radius unless given) and k = 14.5 for covalent or 5.5 for metallic bonding
 * (GAP-RSS Methods, V0 = 14.5 r^3 and 5.5 r^3 per atom). The narrow range is +-5 % (Crucible's default; the
 * paper gives no number for it), the wide range +-25 %.
 *
 * @param coefficient k, volume per atom in units of r^3
 * @param spread      relative half-width of the uniform volume range, in [0, 1)
 * @param radius      characteristic radius r in Angstrom, or NaN to use the mean covalent radius
 */
public record VolumeModel(double coefficient, double spread, double radius) {
    public static final double COVALENT = 14.5;
    public static final double METALLIC = 5.5;
    public static final double NARROW = 0.05;
    public static final double WIDE = 0.25;

    public VolumeModel {
        if (!(coefficient > 0) || !Double.isFinite(coefficient)) throw new IllegalArgumentException("volume coefficient must be > 0, got " + coefficient);
        if (!(spread >= 0 && spread < 1)) throw new IllegalArgumentException("volume spread must be in [0, 1), got " + spread);
        if (!Double.isNaN(radius) && !(radius > 0)) throw new IllegalArgumentException("characteristic radius must be > 0 Angstrom, got " + radius);
    }

    /** Covalent (14.5 r^3), narrow range, covalent radii. */
    public static VolumeModel covalent() {
        return new VolumeModel(COVALENT, NARROW, Double.NaN);
    }

    /** Metallic (5.5 r^3), narrow range, covalent radii. */
    public static VolumeModel metallic() {
        return new VolumeModel(METALLIC, NARROW, Double.NaN);
    }

    public VolumeModel wide() {
        return new VolumeModel(coefficient, WIDE, radius);
    }

    public VolumeModel withSpread(double s) {
        return new VolumeModel(coefficient, s, radius);
    }

    /** Centre of the volume range for this composition, Angstrom^3. */
    public double centre(Composition c) {
        double r = radius;
        if (Double.isNaN(r)) {
            double sum = 0;
            for (var e : c.counts().entrySet()) sum += e.getValue() * Elements.bySymbol(e.getKey()).covalentRadius();
            r = sum / c.total();
        }
        return c.total() * coefficient * r * r * r;
    }

    /** A random volume, Angstrom^3. */
    public double sample(Composition c, SplittableRandom rng) {
        double centre = centre(c);
        return spread == 0 ? centre : centre * rng.nextDouble(1 - spread, 1 + spread);
    }
}
