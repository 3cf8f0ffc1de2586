package org.crucible.executors.evolution;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.crucible.core.Structure;
import org.crucible.executors.generators.GenerationException;
import org.crucible.executors.generators.MinimumSeparation;

/**
 * USPEX transmutation (Lyakhov et al., Comput. Phys. Commun. 184, 1172 (2013), Sec. 2.3): one atom of a binary A-B
 * changes its species (A to B or B to A, direction drawn among those that stay in {@code range}); the cell and every
 * position stay. The atom count is kept, the fraction of B moves by 1/N. The child keeps the minimum separations
 * (they differ per element pair) or another atom is tried.
 *
 * @param range       compositions the child may have
 * @param separation  minimum separations
 * @param maxAttempts children tried before failing
 */
public record Transmutation(BinaryRange range, MinimumSeparation separation, int maxAttempts) implements Variation {
    public Transmutation {
        java.util.Objects.requireNonNull(range, "range");
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1");
    }

    @Override
    public Structure apply(Structure[] p, SplittableRandom rng) {
        Structure s = p[0];
        int[] ab = range.counts(s);
        List<int[]> moves = new ArrayList<>(); // {from Z, to Z}
        if (ab[0] > 0 && range.allows(ab[0] - 1, ab[1] + 1)) moves.add(new int[] {range.zA(), range.zB()});
        if (ab[1] > 0 && range.allows(ab[0] + 1, ab[1] - 1)) moves.add(new int[] {range.zB(), range.zA()});
        if (moves.isEmpty() || ab[0] + ab[1] != s.size()) {
            throw new GenerationException(GenerationException.Constraint.SPECIFICATION, "transmutation: " + s.formula() + " has no neighbouring composition in " + range);
        }
        int[] z0 = Children.species(s);
        double[] frac = s.cell().toFractionalAll(s.positions());
        for (int attempt = 0; attempt < maxAttempts; attempt++) {
            int[] move = moves.get(rng.nextInt(moves.size()));
            int i;
            do {
                i = rng.nextInt(z0.length);
            } while (z0[i] != move[0]);
            int[] z = z0.clone();
            z[i] = move[1];
            Structure child = Children.tagged(s.cell(), z, frac, s.info(), "transmutation");
            if (Children.separated(child, separation)) return child;
        }
        throw Children.failed("transmutation", maxAttempts, separation);
    }
}
