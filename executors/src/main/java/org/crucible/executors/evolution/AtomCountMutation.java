package org.crucible.executors.evolution;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.crucible.core.Structure;
import org.crucible.executors.generators.GenerationException;
import org.crucible.executors.generators.MinimumSeparation;

/**
 * Adds or removes one atom of a binary A-B (variable-composition search, Lyakhov et al., Comput. Phys. Commun. 184,
 * 1172 (2013)): the move (add A, add B, remove A, remove B) is drawn among those that stay in {@code range}; a removed
 * atom is drawn at random, an added one goes to a uniformly random fractional position. The cell is scaled
 * isotropically by ((N +- 1) / N)^(1/3) so the volume per atom stays (fractional coordinates kept). The child keeps the
 * minimum separations or another draw is tried.
 *
 * @param range       compositions the child may have
 * @param separation  minimum separations
 * @param maxAttempts children tried before failing
 */
public record AtomCountMutation(BinaryRange range, MinimumSeparation separation, int maxAttempts) implements Variation {
    public AtomCountMutation {
        java.util.Objects.requireNonNull(range, "range");
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1");
    }

    @Override
    public Structure apply(Structure[] p, SplittableRandom rng) {
        Structure s = p[0];
        int[] ab = range.counts(s);
        int n = s.size();
        List<int[]> moves = new ArrayList<>(); // {+1 or -1, Z}
        if (range.allows(ab[0] + 1, ab[1])) moves.add(new int[] {1, range.zA()});
        if (range.allows(ab[0], ab[1] + 1)) moves.add(new int[] {1, range.zB()});
        if (ab[0] > 0 && range.allows(ab[0] - 1, ab[1])) moves.add(new int[] {-1, range.zA()});
        if (ab[1] > 0 && range.allows(ab[0], ab[1] - 1)) moves.add(new int[] {-1, range.zB()});
        if (moves.isEmpty() || ab[0] + ab[1] != n) {
            throw new GenerationException(GenerationException.Constraint.SPECIFICATION, "add/remove atom: " + s.formula() + " has no neighbouring composition in " + range);
        }
        int[] z0 = Children.species(s);
        double[] frac0 = s.cell().toFractionalAll(s.positions());
        for (int attempt = 0; attempt < maxAttempts; attempt++) {
            int[] move = moves.get(rng.nextInt(moves.size()));
            int m = n + move[0];
            int[] z = new int[m];
            double[] frac = new double[3 * m];
            if (move[0] > 0) {
                System.arraycopy(z0, 0, z, 0, n);
                System.arraycopy(frac0, 0, frac, 0, 3 * n);
                z[n] = move[1];
                for (int k = 0; k < 3; k++) frac[3 * n + k] = rng.nextDouble();
            } else {
                int drop;
                do {
                    drop = rng.nextInt(n);
                } while (z0[drop] != move[1]);
                for (int i = 0, j = 0; i < n; i++) {
                    if (i == drop) continue;
                    z[j] = z0[i];
                    System.arraycopy(frac0, 3 * i, frac, 3 * j, 3);
                    j++;
                }
            }
            double scale = Math.cbrt((double) m / n);
            double[] matrix = s.cell().matrix();
            for (int i = 0; i < 9; i++) matrix[i] *= scale;
            Structure child = Children.tagged(s.cell().withMatrix(matrix), z, frac, s.info(), move[0] > 0 ? "add-atom" : "remove-atom");
            if (Children.separated(child, separation)) return child;
        }
        throw Children.failed("add/remove atom", maxAttempts, separation);
    }
}
