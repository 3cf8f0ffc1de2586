package org.crucible.driver.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.executors.evolution.BinaryRange;
import org.crucible.executors.evolution.HullFitness;
import org.junit.jupiter.api.Test;

/**
 * Hull ranking over generations relaxed with different potentials: each entry's formation enthalpy is taken against
 * the elemental ends of its own generation (hand-checked numbers below), a generation without an end borrows it from
 * the nearest generation, and one generation ranks exactly as {@link HullFitness} does.
 */
class HullRankingTest {
    private static final BinaryRange SIC = BinaryRange.of("Si", "C", 2, 8, 0, 1);
    private static final double TOL = 0.01;

    /** A 2-atom cubic cell (CsCl arrangement, lattice constant a in Angstrom) relaxed to {@code ePerAtom} eV/atom. */
    private static PoolEntry cell(long id, int z1, int z2, double a, double ePerAtom) {
        Structure s = Structure.of(Cell.cubic(a), new int[] {z1, z2}, new double[] {0, 0, 0, a / 2, a / 2, a / 2});
        return PoolEntry.of(id, s, "test").withExploration(2 * ePerAtom, 0, 0, 10, "converged", new double[0][]);
    }

    @Test
    void formationEnthalpiesUseTheEndsOfTheirOwnGeneration() {
        // generation 1: a potential that overbinds silicon by 0.6 eV/atom; generation 2: refitted
        List<PoolEntry> g1 = List.of(cell(1, 14, 14, 2.6, -5.2), cell(2, 6, 6, 1.8, -7.4), cell(3, 14, 6, 2.4, -6.2));
        List<PoolEntry> g2 = List.of(cell(4, 14, 14, 3.4, -4.6), cell(5, 6, 6, 2.4, -7.4), cell(6, 14, 6, 3.0, -6.1));
        // generation 3: no elemental relaxation finished; borrows both ends from generation 2 (nearest), not from generation 1
        List<PoolEntry> g3 = List.of(cell(7, 14, 6, 3.6, -6.0));
        Map<Long, HullRanking.Ranked> r = HullRanking.rankGenerations(List.of(g1, g2, g3), SIC, TOL).orElseThrow().stream()
                .collect(Collectors.toMap(x -> x.entry().id(), x -> x));
        assertEquals(7, r.size(), "distinct cells all ranked: " + r.keySet());
        // SiC of generation 2: -6.1 - (-4.6 + -7.4) / 2 = -0.1, a hull vertex
        assertEquals(-0.1, r.get(6L).formationEnthalpy(), 1e-12);
        assertEquals(0.0, r.get(6L).distance(), 0.0);
        // SiC of generation 1 against its own ends: -6.2 - (-5.2 + -7.4) / 2 = +0.1; the hull at x = 0.5 is -0.1
        assertEquals(0.1, r.get(3L).formationEnthalpy(), 1e-12);
        assertEquals(0.2, r.get(3L).distance(), 1e-12);
        // generation 3 against generation 2's ends: -6.0 + 6.0 = 0.0, 0.1 above the hull
        assertEquals(0.0, r.get(7L).formationEnthalpy(), 1e-12);
        assertEquals(0.1, r.get(7L).distance(), 1e-12);
        for (long end : new long[] {1, 2, 4, 5}) assertEquals(0.0, r.get(end).formationEnthalpy(), 1e-12, "each generation's ends define its zero");

        // Pooled into one generation (references from every potential at once), generation 2's SiC is not on the hull:
        // against the overbound silicon of generation 1 it is -6.1 + 6.3 = +0.2 eV/atom.
        Map<Long, HullRanking.Ranked> pooled = HullRanking.rank(List.of(g1.get(0), g1.get(1), g1.get(2), g2.get(0), g2.get(1), g2.get(2)), SIC, TOL)
                .orElseThrow().stream().collect(Collectors.toMap(x -> x.entry().id(), x -> x));
        assertEquals(0.2, pooled.get(6L).formationEnthalpy(), 1e-12);
        assertTrue(pooled.get(6L).distance() > 0.19, "pooled references push the compound off the hull: " + pooled.get(6L));
    }

    @Test
    void oneGenerationRanksAsHullFitness() {
        List<PoolEntry> g = List.of(cell(1, 14, 14, 2.6, -4.6), cell(2, 6, 6, 1.8, -7.4), cell(3, 14, 6, 2.4, -6.1), cell(4, 14, 6, 3.2, -5.9));
        HullFitness f = HullFitness.of(new double[] {0, 1, 0.5, 0.5}, new double[] {-4.6, -7.4, -6.1, -5.9}).orElseThrow();
        List<HullRanking.Ranked> r = HullRanking.rank(g, SIC, TOL).orElseThrow();
        assertEquals(List.of(2L, 1L, 3L, 4L), r.stream().map(x -> x.entry().id()).toList(), "the ends first on the hull (lower enthalpy first), then by distance");
        for (HullRanking.Ranked x : r) {
            double h = x.entry().energyPerAtom();
            assertEquals(f.formationEnthalpy(x.x(), h), x.formationEnthalpy(), 1e-12);
            assertEquals(Math.max(0, f.distance(x.x(), h)), x.distance(), 1e-12);
        }
        assertTrue(HullRanking.rankGenerations(List.of(List.of(g.get(0), g.get(2)), List.of(g.get(3))), SIC, TOL).isEmpty(), "no pure-C entry anywhere");
    }
}
