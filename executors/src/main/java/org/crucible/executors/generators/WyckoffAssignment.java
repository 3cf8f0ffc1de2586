package org.crucible.executors.generators;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.crucible.executors.symmetry.SpaceGroup;
import org.crucible.executors.symmetry.WyckoffPosition;

/**
 * Chooses Wyckoff positions that meet a composition exactly, as PyXtal does: each element's count in the
 * conventional cell is a sum of multiplicities; a position without free parameters (a fixed point orbit) can be
 * used once in the whole structure, positions with free parameters any number of times (with different
 * parameters). The random choice favours high multiplicity and many free parameters (weight m (1 + dof)), so the
 * structure keeps the requested group rather than gaining symmetry from fixed special positions.
 */
public final class WyckoffAssignment {
    /** One occupied orbit: element index (into the composition) on a Wyckoff position. */
    public record Site(int species, WyckoffPosition wyckoff) {
    }

    private static final int NODE_BUDGET = 200_000;

    private WyckoffAssignment() {
    }

    /** True when the counts can be met exactly (exhaustive search with memoised failures). */
    public static boolean feasible(SpaceGroup g, int[] counts) {
        return feasible(g, counts, 0);
    }

    /** As {@link #feasible(SpaceGroup, int[])} using only positions with at least {@code minDof} free parameters. */
    public static boolean feasible(SpaceGroup g, int[] counts, int minDof) {
        List<WyckoffPosition> w = usable(g, minDof);
        if (w.size() > 63) throw new IllegalStateException("more than 63 Wyckoff positions in group " + g.number());
        return search(w, counts, 0, counts.length == 0 ? 0 : counts[0], 0L, new HashSet<>(), null, null, new int[] {Integer.MAX_VALUE});
    }

    /**
     * A random exact assignment, or null when the counts cannot be met (or the search budget ran out).
     */
    public static List<Site> choose(SpaceGroup g, int[] counts, SplittableRandom rng) {
        return choose(g, counts, 0, rng);
    }

    /** As {@link #choose(SpaceGroup, int[], SplittableRandom)} with positions of at least {@code minDof} free parameters. */
    public static List<Site> choose(SpaceGroup g, int[] counts, int minDof, SplittableRandom rng) {
        List<Site> out = new ArrayList<>();
        boolean ok = search(usable(g, minDof), counts, 0, counts[0], 0L, new HashSet<>(), out, rng, new int[] {NODE_BUDGET});
        return ok ? out : null;
    }

    private static List<WyckoffPosition> usable(SpaceGroup g, int minDof) {
        if (minDof < 0 || minDof > 3) throw new IllegalArgumentException("minimum degrees of freedom must be 0..3, got " + minDof);
        return g.wyckoff().stream().filter(w -> w.degreesOfFreedom() >= minDof).toList();
    }

    private static boolean search(List<WyckoffPosition> w, int[] counts, int species, int remaining, long used,
                                  Set<String> failed, List<Site> out, SplittableRandom rng, int[] budget) {
        if (remaining == 0) {
            if (species + 1 == counts.length) return true;
            return search(w, counts, species + 1, counts[species + 1], used, failed, out, rng, budget);
        }
        if (--budget[0] < 0) return false;
        String key = species + ":" + remaining + ":" + used;
        if (failed.contains(key)) return false;
        int[] order = order(w, remaining, used, rng);
        for (int idx : order) {
            WyckoffPosition p = w.get(idx);
            long u = p.degreesOfFreedom() == 0 ? used | (1L << idx) : used;
            if (out != null) out.add(new Site(species, p));
            if (search(w, counts, species, remaining - p.multiplicity(), u, failed, out, rng, budget)) return true;
            if (out != null) out.remove(out.size() - 1);
            if (budget[0] < 0) return false;
        }
        failed.add(key);
        return false;
    }

    /** Usable positions, in weighted random order (rng != null) or by decreasing multiplicity. */
    private static int[] order(List<WyckoffPosition> w, int remaining, long used, SplittableRandom rng) {
        List<double[]> keyed = new ArrayList<>();
        for (int i = 0; i < w.size(); i++) {
            WyckoffPosition p = w.get(i);
            if (p.multiplicity() > remaining) continue;
            if (p.degreesOfFreedom() == 0 && (used & (1L << i)) != 0) continue;
            double weight = p.multiplicity() * (1.0 + p.degreesOfFreedom());
            // Efraimidis-Spirakis weighted permutation: sort by -ln(U)/weight
            double key = rng == null ? -weight : -Math.log(1.0 - rng.nextDouble()) / weight;
            keyed.add(new double[] {key, i});
        }
        keyed.sort((x, y) -> Double.compare(x[0], y[0]));
        int[] out = new int[keyed.size()];
        for (int i = 0; i < out.length; i++) out[i] = (int) keyed.get(i)[1];
        return out;
    }
}
