package org.crucible.driver.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.driver.pool.GenerationPlan;
import org.junit.jupiter.api.Test;

/**
 * The GAP-RSS generator's cell sizes: by default every random cell has its composition's atoms; with
 * {@code gap_rss.atoms} (the paper's 2-8) the count is drawn per cell among the multiples of the reduced formula unit
 * in the range, even counts with probability 0.8 (Bernstein, Csanyi and Deringer, npj Comput. Mater. 5, 99 (2019),
 * Methods). 24 s wall for the class at load average 80 on the shared 2-core machine (session 35), most of it the
 * 400-cell test; not timed on an idle machine.
 */
class AirssGeneratorTest {
    private static CampaignConfig config(String composition, String atoms) {
        return CampaignConfigLoader.parse("name: x\nseed: 5\ncomposition: " + composition + "\noracle: {type: sw}\n"
                + "protocol:\n  name: gap-rss\n  gap_rss: {cycle0_cells: 400, cells: 50" + atoms + "}\n", false, "c.yaml");
    }

    /** Atom count -> cells, over the random cells (not the dimers) of the cycle's plan. */
    private static Map<Integer, Integer> sizes(CampaignConfig cfg, int cycle) {
        GenerationPlan plan = new AirssGenerator(cfg).plan(cycle);
        Map<Integer, Integer> out = new TreeMap<>();
        for (long[] r : plan.ranges(AirssGenerator.AIRSS)) {
            for (long id = r[0]; id < r[1]; id++) {
                // a cell whose constraints the generator could not meet is empty (size 0 here)
                out.merge(plan.make(id).map(e -> e.structure().size()).orElse(0), 1, Integer::sum);
            }
        }
        return out;
    }

    @Test
    void withoutARangeEveryCellHasTheCompositionsAtoms() {
        assertEquals(Map.of(8, 50), sizes(config("Si8", ""), 1));
    }

    @Test
    void aRangeMixesTwoToEightAtomsWithThePapersEvenShare() {
        CampaignConfig cfg = config("Si8", ", atoms: {min: 2, max: 8}");
        Map<Integer, Integer> s = sizes(cfg, 0);
        assertEquals(400, s.values().stream().mapToInt(Integer::intValue).sum(), s.toString());
        assertEquals(java.util.Set.of(2, 3, 4, 5, 6, 7, 8), s.keySet(), "every size 2..8 occurs in 400 cells: " + s);
        int even = s.get(2) + s.get(4) + s.get(6) + s.get(8);
        // binomial(400, 0.8): mean 320, standard deviation 8; 5 sigma
        assertTrue(Math.abs(even - 320) <= 40, "even cells " + even + " of 400: " + s);
        assertEquals(s, sizes(cfg, 0), "the plan is a pure function of (configuration, seed, cycle)");
    }

    @Test
    void aBinaryCompositionDrawsMultiplesOfItsFormulaUnit() {
        Map<Integer, Integer> s = sizes(config("Si4C4", ", atoms: {min: 3, max: 8}"), 1);
        assertEquals(50, s.values().stream().mapToInt(Integer::intValue).sum(), s.toString());
        assertTrue(java.util.Set.of(4, 6, 8).containsAll(s.keySet()) && s.size() >= 2, "SiC x 2..4: " + s);
    }
}
