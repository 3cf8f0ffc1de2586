package org.crucible.driver.protocol;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.executors.evolution.BinaryRange;
import org.crucible.executors.evolution.HullFitness;
import org.crucible.executors.evolution.StructureFingerprint;

/**
 * Ranks relaxed structures of a variable-composition binary search by their distance above the convex hull of
 * formation enthalpies ({@link HullFitness}; model enthalpy per atom at 0 GPa, eV/atom): on the hull first (the pure-A
 * and pure-B references before the compounds), then by distance, ties by enthalpy per atom and by id. Structures of the same composition fraction closer than the
 * fingerprint tolerance count once (the lower one).
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
     * The distinct {@code entries} (finite energies, only the range's two elements) ranked by hull distance; empty
     * when no entry is pure A or none pure B (no formation enthalpy without both references).
     */
    static Optional<List<Ranked>> rank(List<PoolEntry> entries, BinaryRange range, double fingerprintTolerance) {
        List<PoolEntry> usable = entries.stream().filter(e -> Double.isFinite(e.energy()) && range.counts(e.structure())[0]
                + range.counts(e.structure())[1] == e.atoms()).sorted(Comparator.comparingDouble(PoolEntry::energyPerAtom).thenComparingLong(PoolEntry::id)).toList();
        double[] x = new double[usable.size()], h = new double[usable.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = range.fraction(usable.get(i).structure());
            h[i] = usable.get(i).energyPerAtom();
        }
        Optional<HullFitness> fit = HullFitness.of(x, h);
        if (fit.isEmpty()) return Optional.empty();
        StructureFingerprint fp = StructureFingerprint.DEFAULT;
        List<Ranked> out = new ArrayList<>();
        List<StructureFingerprint.Vector> seen = new ArrayList<>();
        List<Double> seenX = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            StructureFingerprint.Vector v = fp.of(usable.get(i).structure());
            boolean dup = false;
            for (int k = 0; k < seen.size() && !dup; k++) dup = seenX.get(k) == x[i] && seen.get(k).distance(v) < fingerprintTolerance;
            if (dup) continue;
            seen.add(v);
            seenX.add(x[i]);
            out.add(new Ranked(usable.get(i), x[i], fit.get().formationEnthalpy(x[i], h[i]), Math.max(0, fit.get().distance(x[i], h[i]))));
        }
        // on the hull the elemental references come first, so a short list (elites, validation) keeps both ends
        out.sort(Comparator.comparingDouble(Ranked::distance).thenComparingInt((Ranked r) -> r.x() == 0 || r.x() == 1 ? 0 : 1)
                .thenComparingDouble(r -> r.entry().energyPerAtom()).thenComparingLong(r -> r.entry().id()));
        return Optional.of(out);
    }
}
