package org.crucible.executors.evolution;

import java.util.SplittableRandom;
import org.crucible.core.Structure;
import org.crucible.executors.generators.GenerationException;
import org.crucible.executors.generators.MinimumSeparation;

/**
 * USPEX permutation: swaps the species of {@code swaps} random pairs of unlike atoms (positions stay), for
 * structures with at least two elements.
 *
 * @param swaps       pairs swapped per child (>= 1)
 * @param separation  minimum separations (per pair they may differ)
 * @param maxAttempts children tried before failing
 */
public record Permutation(int swaps, MinimumSeparation separation, int maxAttempts) implements Variation {
    public Permutation {
        if (swaps < 1 || maxAttempts < 1) throw new IllegalArgumentException("swaps and maxAttempts must be >= 1");
    }

    @Override
    public Structure apply(Structure[] p, SplittableRandom rng) {
        Structure s = p[0];
        int[] z0 = Children.species(s);
        if (java.util.Arrays.stream(z0).distinct().count() < 2) {
            throw new GenerationException(GenerationException.Constraint.SPECIFICATION, "permutation needs two elements, "
                    + s.formula() + " has one");
        }
        double[] frac = s.cell().toFractionalAll(s.positions());
        for (int attempt = 0; attempt < maxAttempts; attempt++) {
            int[] z = z0.clone();
            for (int k = 0; k < swaps; k++) {
                int i, j;
                do {
                    i = rng.nextInt(z.length);
                    j = rng.nextInt(z.length);
                } while (z[i] == z[j]);
                int t = z[i];
                z[i] = z[j];
                z[j] = t;
            }
            Structure child = Children.tagged(s.cell(), z, frac, s.info(), "permutation");
            if (Children.separated(child, separation)) return child;
        }
        throw Children.failed("permutation", maxAttempts, separation);
    }
}
