package org.crucible.driver.protocol;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.executors.evolution.BinaryRange;
import org.crucible.executors.evolution.ConvexHull;
import org.crucible.executors.evolution.HullFitness;
import org.crucible.executors.evolution.StructureFingerprint;

/**
 * Ranks relaxed structures of a variable-composition binary search by their distance above the convex hull of
 * formation enthalpies ({@link HullFitness}; model enthalpy per atom at 0 GPa, eV/atom): on the hull first (the pure-A
 * and pure-B references before the compounds), then by distance, ties by enthalpy per atom and by id. Structures of the same composition fraction closer than the
 * fingerprint tolerance count once (the lower one). Over several generations ({@link #rankGenerations}) each structure's
 * formation enthalpy is taken against the elemental ends of its own generation, relaxed with the same potential.
 */
final class HullRanking {
    private HullRanking() {
    }

    /** One ranked structure: fraction x of the second element, formation enthalpy and distance above the hull (eV/atom). */
    record Ranked(PoolEntry entry, double x, double formationEnthalpy, double distance) {
    }

    /** The binary range of {@code evolution.composition}. */
    static BinaryRange range(CampaignConfig cfg) {
        CampaignConfig.VariableComposition v = cfg.evolution().composition();
        return BinaryRange.of(v.elements().get(0), v.elements().get(1), v.minAtoms(), v.maxAtoms(), v.minFraction(), v.maxFraction());
    }

    /**
     * The distinct {@code entries} (finite energies, only the range's two elements) of one generation (relaxed with one
     * potential) ranked by hull distance; empty when no entry is pure A or none pure B (no formation enthalpy without
     * both references).
     */
    static Optional<List<Ranked>> rank(List<PoolEntry> entries, BinaryRange range, double fingerprintTolerance) {
        return rankGenerations(List.of(entries), range, fingerprintTolerance);
    }

    /**
     * The distinct entries of several generations, each relaxed with its own potential, ranked on one hull. The
     * formation enthalpy of an entry, H_f = h - (1 - x) h_A - x h_B, takes h_A and h_B (the lowest pure-A and pure-B
     * model enthalpies per atom) from its own generation, so h and its references come from the same potential: an
     * error of one potential in an elemental end (an overbound pure-A cell) then shifts only that generation's formation
     * enthalpies, instead of staying the reference of every later generation after a refit has corrected it. A
     * generation without a finished pure-A (pure-B) entry borrows h_A (h_B) from the nearest generation that has one,
     * the later on ties. Empty when no generation has a pure-A or none a pure-B entry. For one generation this is the
     * hull of {@link HullFitness}.
     */
    static Optional<List<Ranked>> rankGenerations(List<List<PoolEntry>> generations, BinaryRange range, double fingerprintTolerance) {
        int g = generations.size();
        double[][] ends = new double[g][];
        List<List<PoolEntry>> usable = new ArrayList<>();
        for (int k = 0; k < g; k++) {
            List<PoolEntry> u = generations.get(k).stream().filter(e -> Double.isFinite(e.energy()) && range.counts(e.structure())[0]
                    + range.counts(e.structure())[1] == e.atoms()).toList();
            usable.add(u);
            ends[k] = new double[] {lowest(u, range, 0), lowest(u, range, 1)};
        }
        double[][] refs = new double[g][2];
        for (int k = 0; k < g; k++) {
            for (int end = 0; end < 2; end++) {
                refs[k][end] = Double.NaN;
                for (int d = 0; d < g && Double.isNaN(refs[k][end]); d++) {
                    if (k + d < g && !Double.isNaN(ends[k + d][end])) refs[k][end] = ends[k + d][end];
                    else if (k - d >= 0 && !Double.isNaN(ends[k - d][end])) refs[k][end] = ends[k - d][end];
                }
                if (Double.isNaN(refs[k][end])) return Optional.empty();
            }
        }
        record Point(PoolEntry entry, double x, double formation) {
        }
        List<Point> points = new ArrayList<>();
        for (int k = 0; k < g; k++) {
            for (PoolEntry e : usable.get(k)) {
                double x = range.fraction(e.structure());
                points.add(new Point(e, x, e.energyPerAtom() - (1 - x) * refs[k][0] - x * refs[k][1]));
            }
        }
        // within one composition (and one generation) this is the order of the enthalpies: the lower of two duplicates is kept
        points.sort(Comparator.comparingDouble(Point::formation).thenComparingDouble(p -> p.entry().energyPerAtom()).thenComparingLong(p -> p.entry().id()));
        ConvexHull hull = ConvexHull.of(points.stream().map(p -> new ConvexHull.Point(p.x(), p.formation())).toList());
        StructureFingerprint fp = StructureFingerprint.DEFAULT;
        List<Ranked> out = new ArrayList<>();
        List<StructureFingerprint.Vector> seen = new ArrayList<>();
        List<Double> seenX = new ArrayList<>();
        for (Point p : points) {
            StructureFingerprint.Vector v = fp.of(p.entry().structure());
            boolean dup = false;
            for (int k = 0; k < seen.size() && !dup; k++) dup = seenX.get(k) == p.x() && seen.get(k).distance(v) < fingerprintTolerance;
            if (dup) continue;
            seen.add(v);
            seenX.add(p.x());
            out.add(new Ranked(p.entry(), p.x(), p.formation(), Math.max(0, hull.distance(p.x(), p.formation()))));
        }
        // on the hull the elemental references come first, so a short list (elites, validation) keeps both ends
        out.sort(Comparator.comparingDouble(Ranked::distance).thenComparingInt((Ranked r) -> r.x() == 0 || r.x() == 1 ? 0 : 1)
                .thenComparingDouble(r -> r.entry().energyPerAtom()).thenComparingLong(r -> r.entry().id()));
        return Optional.of(out);
    }

    /** The lowest enthalpy per atom of the entries at x = {@code end} (0: pure A, 1: pure B), NaN when there is none. */
    private static double lowest(List<PoolEntry> entries, BinaryRange range, double end) {
        return entries.stream().filter(e -> range.fraction(e.structure()) == end).mapToDouble(PoolEntry::energyPerAtom).min().orElse(Double.NaN);
    }
}
