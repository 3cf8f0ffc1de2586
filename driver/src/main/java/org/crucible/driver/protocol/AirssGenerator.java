package org.crucible.driver.protocol;

import java.util.ArrayList;
import java.util.List;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.GapRssSettings;
import org.crucible.driver.pool.GenerationPlan;
import org.crucible.driver.pool.Seeds;

/**
 * GAP-RSS candidates (Bernstein, Csanyi and Deringer, npj Comput. Mater. 5, 99 (2019), Methods): every iteration
 * draws fresh AIRSS random cells of each composition's atom counts with 1-8 random symmetry operations
 * ({@code RandomCellGenerator}), label {@code airss}. Iteration 0 makes {@code protocol.gap_rss.cycle0_cells} cells
 * per composition, half with the narrow minimum separation and half with the wide one, plus isolated atoms and
 * dimers over [r_min, r_max] Angstrom (label {@code dimer}); later iterations make {@code gap_rss.cells} narrow cells.
 * The plan of cycle t is a pure function of (configuration, seed, t): ids restart at 0 every cycle and the seed is
 * mixed with t, so a resumed run regenerates it.
 */
public record AirssGenerator(CampaignConfig cfg) implements Generator {
    /** Label of the random-cell blocks. */
    public static final String AIRSS = "airss";
    /** Label of the isolated-atom and dimer blocks (iteration 0). */
    public static final String DIMER = "dimer";
    private static final long SALT = 0x4a1255L;

    @Override
    public GenerationPlan plan(int cycle) {
        GapRssSettings g = cfg.protocol().gapRss();
        CampaignConfig.TrainingPool tp = cfg.pools().training();
        List<GenerationPlan.Block> blocks = new ArrayList<>();
        long next = 0;
        for (int ci = 0; ci < cfg.compositions().size(); ci++) {
            String formula = cfg.compositions().get(ci).formula();
            int total = cycle == 0 ? g.cycle0Cells() : g.cells();
            int wide = cycle == 0 ? total / 2 : 0;
            int narrow = total - wide;
            blocks.add(GenerationPlan.Block.airss(next, narrow, formula, ci, g.narrowSeparation(), tp.volume(), tp.volumeSpread(), AIRSS,
                    g.opsMin(), g.opsMax()));
            next += narrow;
            if (wide > 0) {
                blocks.add(GenerationPlan.Block.airss(next, wide, formula, ci, g.wideSeparation(), tp.volume(), tp.volumeSpread(), AIRSS,
                        g.opsMin(), g.opsMax()));
                next += wide;
            }
        }
        if (cycle == 0) {
            // one block of atoms and dimers over every element of the campaign (the first composition holds them all
            // for unary campaigns; several compositions share elements, so build the union)
            java.util.TreeSet<String> elements = new java.util.TreeSet<>();
            for (var c : cfg.compositions()) elements.addAll(org.crucible.executors.generators.Composition.parse(c.formula()).symbols());
            String all = String.join("", elements);
            GenerationPlan.Block d = GenerationPlan.Block.dimers(next, all, 0, g.dimerCount(), g.dimerMin(), g.dimerMax(), g.dimerBox(), DIMER);
            blocks.add(d);
        }
        return new GenerationPlan(Seeds.mix(cfg.seed(), cycle, SALT), blocks);
    }

    @Override
    public boolean freshEachCycle() {
        return true;
    }
}
