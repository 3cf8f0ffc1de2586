package org.crucible.executors.evolution;

import java.util.SplittableRandom;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.executors.generators.MinimumSeparation;

/**
 * USPEX lattice mutation: the cell is deformed by a random symmetric strain, L' = L (I + eps)^T with
 * eps_ij ~ N(0, sigma^2) (tensor components), then scaled back to the parent's volume (the strain changes the
 * shape, not the density); atoms keep their fractional coordinates. Also used as cell-strain noise.
 *
 * @param sigma       standard deviation of each strain component (USPEX uses about 0.1 to 0.2)
 * @param keepVolume  rescale to the parent's volume
 * @param separation  minimum separations
 * @param maxAttempts strains tried before failing
 */
public record LatticeMutation(double sigma, boolean keepVolume, MinimumSeparation separation, int maxAttempts) implements Variation {
    public LatticeMutation {
        if (!(sigma >= 0) || !Double.isFinite(sigma)) throw new IllegalArgumentException("strain sigma must be >= 0, got " + sigma);
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1");
    }

    @Override
    public Structure apply(Structure[] p, SplittableRandom rng) {
        Structure s = p[0];
        for (int attempt = 0; attempt < maxAttempts; attempt++) {
            double[] voigt = new double[6];
            for (int i = 0; i < 6; i++) voigt[i] = sigma * gaussian(rng);
            Cell c;
            try {
                c = s.cell().strained(voigt);
                if (keepVolume) {
                    double scale = Math.cbrt(s.cell().volume() / c.volume());
                    double[] m = c.matrix();
                    for (int i = 0; i < 9; i++) m[i] *= scale;
                    c = c.withMatrix(m);
                }
            } catch (IllegalArgumentException degenerate) {
                continue;
            }
            Structure child = Children.tagged(c, Children.species(s), s.cell().toFractionalAll(s.positions()), s.info(), "lattice_mutation");
            if (Children.separated(child, separation)) return child;
        }
        throw Children.failed("lattice mutation", maxAttempts, separation);
    }

    /** Standard normal deviate (Box-Muller, from the injected stream only). */
    static double gaussian(SplittableRandom rng) {
        double u = 1.0 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }
}
