package org.crucible.driver.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.config.campaign.GapRssSettings;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.core.units.Units;
import org.crucible.driver.pool.EnthalpyTrajectoryStage;
import org.crucible.driver.pool.LocalPool;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.PoolSummary;
import org.junit.jupiter.api.Test;

/** {@code flat_histogram.quantity}: the flat histogram weights E/atom with {@code energy}, the paper's h with {@code enthalpy}. */
class FlatHistogramQuantityTest {
    /** One Si atom in a cube of 20 Angstrom^3 (the atom count and volume are all the histogram needs). */
    static final double VOLUME = 20.0;

    static GapRssSettings settings(String quantity) {
        String yaml = "name: x\ncomposition: Si8\noracle: {type: sw}\nprotocol:\n  name: gap-rss\n  gap_rss:\n    kT: [0.05]\n"
                + (quantity == null ? "" : "    flat_histogram: {quantity: " + quantity + "}\n");
        return CampaignConfigLoader.parse(yaml, false, "c.yaml").protocol().gapRss();
    }

    /** A frame as the enthalpy-trajectory explorer leaves it: H = E + pV in the energy field, p in the status. */
    static PoolEntry frame(long id, double energyEv, double pGPa) {
        Structure s = Structure.of(Cell.cubic(Math.cbrt(VOLUME)), new int[] {14}, new double[] {0, 0, 0});
        double h = energyEv + pGPa * Units.GPA_TO_EV_PER_A3 * VOLUME;
        return PoolEntry.of(id, s, "test").withExploration(h, Double.NaN, 0.1, 10, EnthalpyTrajectoryStage.frameStatus(pGPa),
                new double[0][]);
    }

    /**
     * Frame 0: E -4.0 eV/atom at 0 GPa (h -4.0). Frame 1: E -4.3 eV/atom at 20 GPa (pV 2.50 eV/atom, h -1.80). At kT
     * 0.05 eV/atom (one frame per bin) the enthalpy weight of frame 1 is exp(-2.2/0.05) = e^-44, the energy weight of
     * frame 0 is exp(-0.3/0.05) = e^-6.
     */
    static LocalPool twoFrames() {
        return LocalPool.of(List.of(frame(0, -4.0, 0.0), frame(1, -4.3, 20.0)), 2);
    }

    static int[] picksOverSeeds(GapRssSettings g, int seeds) {
        LocalPool pool = twoFrames();
        List<PoolSummary> rows = pool.summariesWithoutFeatures();
        int[] hits = new int[2];
        for (int s = 0; s < seeds; s++) {
            List<PoolSummary> drawn = FlatHistogramSelector.draw(FlatHistogramSelector.histogramRows(pool, rows, g), 1, g, 4, 100L + s);
            hits[(int) drawn.get(0).id()]++;
        }
        return hits;
    }

    @Test
    void theDefaultIsTheEnthalpyAndRefusesNothingExisting() {
        assertEquals(GapRssSettings.QUANTITY_ENTHALPY, settings(null).histogramQuantity());
        GapRssSettings g = settings("enthalpy");
        LocalPool pool = twoFrames();
        List<PoolSummary> rows = pool.summariesWithoutFeatures();
        assertSame(rows, FlatHistogramSelector.histogramRows(pool, rows, g), "enthalpy bins the summaries as they are");
    }

    @Test
    void energyRecoversEAsHMinusPV() {
        LocalPool pool = twoFrames();
        List<PoolSummary> e = FrameEnergy.summaries(pool, pool.summariesWithoutFeatures());
        assertEquals(-4.0, e.get(0).energyPerAtom(), 1e-9);
        assertEquals(-4.3, e.get(1).energyPerAtom(), 1e-9);
        assertEquals(-1.8, pool.summariesWithoutFeatures().get(1).energyPerAtom(), 0.01, "the stored field is H");
        assertEquals(0, e.get(1).features().length);
    }

    @Test
    void enthalpyDrawsTheLowPressureFrameAndEnergyTheDenseOne() {
        int seeds = 40;
        int[] onH = picksOverSeeds(settings("enthalpy"), seeds);
        int[] onE = picksOverSeeds(settings("energy"), seeds);
        // expected: on h frame 1 has probability e^-44; on E frame 0 has e^-6 = 0.0025 per draw (0.1 of 40 draws)
        assertEquals(seeds, onH[0], "on h: " + java.util.Arrays.toString(onH));
        assertTrue(onE[1] >= seeds - 2, "on E: " + java.util.Arrays.toString(onE));
        double[] pE = new FlatHistogram(10).probabilities(new double[] {-4.0, -4.3}, 0.05);
        assertEquals(Math.exp(-6) / (1 + Math.exp(-6)), pE[0], 1e-12);
    }

    @Test
    void energyNeedsTrajectoryFrames() {
        List<PoolEntry> entries = new ArrayList<>(List.of(frame(0, -4.0, 0.0)));
        entries.add(PoolEntry.of(7, Structure.of(Cell.cubic(3.0), new int[] {14}, new double[] {0, 0, 0}), "test")
                .withExploration(-4.1, Double.NaN, 0.1, 10, "relaxed", new double[0][]));
        LocalPool pool = LocalPool.of(entries, 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> FrameEnergy.summaries(pool, pool.summariesWithoutFeatures()));
        assertTrue(e.getMessage().contains("pool entry 7") && e.getMessage().contains("'relaxed'"), e.getMessage());
        assertEquals(Double.NaN, EnthalpyTrajectoryStage.framePressureGPa("frame p=abcGPa"));
        assertEquals(12.5, EnthalpyTrajectoryStage.framePressureGPa("frame p=12.5000GPa"));
    }
}
