package org.crucible.executors.evolution;

import java.util.SplittableRandom;
import org.crucible.core.Structure;
import org.crucible.executors.generators.MinimumSeparation;

/**
 * Coordinate mutation and Gaussian position noise: every Cartesian coordinate moves by N(0, eps^2) Angstrom.
 * With a cycle schedule, eps_t = eps * omega^t for cycle t (NN-ensemble paper, eqs. 3-4): the perturbation of
 * the pool shrinks geometrically as the campaign converges.
 *
 * <pre>{@code
 * CoordinateMutation noise = CoordinateMutation.scheduled(0.1, 0.8, cycle, separation);  // eps_t = 0.1 * 0.8^t
 * }</pre>
 *
 * @param epsilon     standard deviation per coordinate, Angstrom
 * @param separation  minimum separations
 * @param maxAttempts children tried before failing
 */
public record CoordinateMutation(double epsilon, MinimumSeparation separation, int maxAttempts) implements Variation {
    public CoordinateMutation {
        if (!(epsilon >= 0) || !Double.isFinite(epsilon)) throw new IllegalArgumentException("epsilon must be >= 0 Angstrom, got " + epsilon);
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1");
    }

    /** The noise of cycle t under eps_t = eps * omega^t (0 < omega <= 1). */
    public static CoordinateMutation scheduled(double epsilon, double omega, int cycle, MinimumSeparation separation) {
        if (!(omega > 0 && omega <= 1)) throw new IllegalArgumentException("omega must be in (0, 1], got " + omega);
        if (cycle < 0) throw new IllegalArgumentException("cycle must be >= 0, got " + cycle);
        return new CoordinateMutation(epsilon * Math.pow(omega, cycle), separation, 100);
    }

    @Override
    public Structure apply(Structure[] p, SplittableRandom rng) {
        Structure s = p[0];
        for (int attempt = 0; attempt < maxAttempts; attempt++) {
            double[] xyz = s.positions();
            for (int i = 0; i < xyz.length; i++) xyz[i] += epsilon * LatticeMutation.gaussian(rng);
            Structure child = Children.tagged(s.cell(), Children.species(s), s.cell().toFractionalAll(xyz), s.info(), "coordinate_mutation");
            if (Children.separated(child, separation)) return child;
        }
        throw Children.failed("coordinate mutation", maxAttempts, separation);
    }
}
