package org.crucible.config.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.crucible.core.config.ConfigurationException;

class GapRssSettingsTest {
    static final String MINIMAL = "name: x\ncomposition: Si8\noracle: {type: sw}\n";

    @Test
    void thePresetChoosesTheGapRssStagesAndAbsentParametersTakeThePapersDefaults() {
        CampaignConfig c = CampaignConfigLoader.parse(MINIMAL + "protocol: {name: gap-rss}\n", false, "c.yaml");
        assertEquals(Protocols.GAP_RSS, c.protocol().stages());
        assertEquals("flat-histogram+cur", c.protocol().stage("selector"));
        GapRssSettings g = c.protocol().gapRss();
        assertEquals(GapRssSettings.DEFAULTS, g);
        assertEquals(0.3, g.kTAt(1));
        assertEquals(0.2, g.kTAt(2));
        assertEquals(0.1, g.kTAt(3));
        assertEquals(0.1, g.kTAt(9), "the last kT repeats");
        assertEquals(4, g.zeta());
        assertEquals(g.batch(), g.rank(), "rank 0 means the batch");
    }

    @Test
    void everyFieldIsRead() {
        CampaignConfig c = CampaignConfigLoader.parse(MINIMAL + """
                protocol:
                  name: gap-rss
                  gap_rss:
                    batch: 7
                    cycle0_cells: 50
                    cells: 20
                    separation: {narrow: 1.7, wide: 1.2}
                    symmetry_ops: {min: 2, max: 4}
                    atoms: {min: 3, max: 7}
                    dimers: {r_min: 1.5, r_max: 5.5, count: 9, box: 14}
                    kT: [0.5, 0.25]
                    flat_histogram: {bins: 12, candidates: 30, quantity: energy}
                    cur: {zeta: 2, rank: 5, method: nystrom, landmarks: 40}
                    pressure: {p0: 2.0, beta: 0.3}
                    trajectory: {every: 3, max_frames: 8}
                    soap: {n_max: 5, l_max: 3, cutoff: 4.5, sigma: 0.4}
                """, false, "c.yaml");
        GapRssSettings g = c.protocol().gapRss();
        assertEquals(new GapRssSettings(7, 50, 20, 1.7, 1.2, 2, 4, 1.5, 5.5, 9, 14.0, List.of(0.5, 0.25), 12, 30, 2, 5, "nystrom", 40, 2.0, 0.3, 3, 8,
                5, 3, 4.5, 0.4, 3, 7, "energy"), g);
        assertTrue(g.histogramOnEnergy());
        assertTrue(!GapRssSettings.DEFAULTS.histogramOnEnergy(), "the paper's enthalpy by default");
        assertTrue(g.mixedSizes());
        assertTrue(!GapRssSettings.DEFAULTS.mixedSizes(), "by default a cell has exactly its composition's atoms");
        assertEquals(0.25, g.kTAt(5));
    }

    @Test
    void theSiExampleLoads() {
        CampaignConfig c = CampaignConfigLoader.load(java.nio.file.Path.of("../examples/si-gaprss-sw.yaml"));
        assertEquals("gap-rss", c.protocol().name());
        assertEquals(40, c.protocol().gapRss().batch());
        assertEquals(300, c.protocol().gapRss().histogramCandidates());
        assertTrue(GapRssSettings.QUANTITIES.contains(c.protocol().gapRss().histogramQuantity()));
        assertEquals(7, c.stopping().maxCycles());
        assertEquals(2, c.tracking().stopCycles());
    }

    @Test
    void thePwxExampleLoads() {
        CampaignConfig c = CampaignConfigLoader.load(java.nio.file.Path.of("../examples/si-gaprss-qe.yaml"));
        assertEquals("gap-rss", c.protocol().name());
        assertTrue(c.protocol().gapRss().mixedSizes(), "Si2-Si8 cells");
        assertEquals(10.0, c.protocol().gapRss().dimerBox());
        assertTrue(c.oracle() instanceof Oracle.LocalDft, c.oracle().toString());
        assertEquals(3, c.tracking().references().size());
    }

    @Test
    void mistakesAreRejectedNamingTheFieldAndLine() {
        String yaml = MINIMAL + """
                protocol:
                  name: gap-rss
                  gap_rss:
                    kT: [0.3, -0.1]
                    cur: {method: svd}
                    dimers: {r_max: 9.0, box: 12}
                    trajectory: {evry: 3}
                """;
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> CampaignConfigLoader.parse(yaml, false, "c.yaml"));
        String m = e.getMessage();
        assertTrue(m.contains("protocol.gap_rss.kT") && m.contains("-0.1"), m);
        assertTrue(m.contains("protocol.gap_rss.cur.method") && m.contains("nystrom"), m);
        assertTrue(m.contains("protocol.gap_rss.dimers.box") && m.contains("twice dimers.r_max"), m);
        assertTrue(m.contains("protocol.gap_rss.trajectory.evry") && m.contains("did you mean 'every'"), m);
        assertEquals(4, e.problems().size(), m);
        assertTrue(e.problems().stream().anyMatch(p -> p.path().equals("protocol.gap_rss.kT") && p.line() == 7), m);
    }

    @Test
    void anAtomRangeWithoutAMultipleOfTheFormulaUnitIsRefused() {
        String yaml = "name: x\ncomposition: [Si8, Al4O6]\noracle: {type: sw}\n" + """
                protocol:
                  name: gap-rss
                  gap_rss:
                    atoms: {min: 2, max: 4}
                """;
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> CampaignConfigLoader.parse(yaml, false, "c.yaml"));
        String m = e.getMessage();
        assertTrue(m.contains("protocol.gap_rss.atoms") && m.contains("Al2O3") && m.contains("5 atoms"), m);
        assertEquals(1, e.problems().size(), m);
        assertEquals(7, e.problems().get(0).line(), m);
        String reversed = MINIMAL + "protocol: {name: gap-rss, gap_rss: {atoms: {min: 8, max: 2}}}\n";
        ConfigurationException r = assertThrows(ConfigurationException.class, () -> CampaignConfigLoader.parse(reversed, false, "c.yaml"));
        assertTrue(r.getMessage().contains("protocol.gap_rss.atoms.max") && r.getMessage().contains("below atoms.min = 8"), r.getMessage());
    }

    @Test
    void theHistogramQuantityIsEnthalpyOrEnergyAndAnythingElseIsRefusedWithItsLine() {
        assertEquals("enthalpy", CampaignConfigLoader.parse(MINIMAL + "protocol: {name: gap-rss}\n", false, "c.yaml").protocol().gapRss()
                .histogramQuantity());
        assertEquals("enthalpy", CampaignConfigLoader.parse(MINIMAL + "protocol: {name: gap-rss, gap_rss: {flat_histogram: {quantity: enthalpy}}}\n",
                false, "c.yaml").protocol().gapRss().histogramQuantity());
        String yaml = MINIMAL + """
                protocol:
                  name: gap-rss
                  gap_rss:
                    flat_histogram:
                      bins: 10
                      quantity: enrgy
                """;
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> CampaignConfigLoader.parse(yaml, false, "c.yaml"));
        String m = e.getMessage();
        assertTrue(m.contains("c.yaml") && m.contains("protocol.gap_rss.flat_histogram.quantity") && m.contains("'enrgy'")
                && m.contains("[enthalpy, energy]") && m.contains("did you mean 'energy'"), m);
        assertEquals(1, e.problems().size(), m);
        assertEquals(9, e.problems().get(0).line(), m);
        assertThrows(IllegalArgumentException.class, () -> new GapRssSettings(100, 1000, 1000, 1.8, 1.3, 1, 8, 1.6, 6.0, 12, 16.0, List.of(0.3),
                10, 0, 4, 0, "exact", 500, 1.0, 0.2, 5, 20, 8, 6, 5.0, 0.5, 0, 0, "volume"));
    }
}
