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
 * With {@code gap_rss.atoms} (the paper's 2-8 atoms) a cell has instead k formula units of the composition's reduced
 * formula, k drawn per cell among the multiples whose atom count lies in [atoms.min, atoms.max] (even counts with
 * probability 0.8).
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
            var composition = cfg.compositions().get(ci);
            int total = cycle == 0 ? g.cycle0Cells() : g.cells();
            int wide = cycle == 0 ? total / 2 : 0;
            int narrow = total - wide;
            blocks.add(block(next, narrow, composition, ci, g.narrowSeparation(), g, tp));
            next += narrow;
            if (wide > 0) {
                blocks.add(block(next, wide, composition, ci, g.wideSeparation(), g, tp));
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

    private static GenerationPlan.Block block(long first, long count, org.crucible.config.campaign.Composition composition, int ci,
                                              double separation, GapRssSettings g, CampaignConfig.TrainingPool tp) {
        if (!g.mixedSizes()) {
            return GenerationPlan.Block.airss(first, count, composition.formula(), ci, separation, tp.volume(), tp.volumeSpread(), AIRSS,
                    g.opsMin(), g.opsMax());
        }
        var unit = composition.reduced();
        int perUnit = unit.atoms();
        int fuMin = (g.atomsMin() + perUnit - 1) / perUnit;
        int fuMax = g.atomsMax() / perUnit;   // >= fuMin: the loader refuses a range without a multiple
        return GenerationPlan.Block.airss(first, count, unit.formula(), fuMin, fuMax, ci, separation, tp.volume(), tp.volumeSpread(), AIRSS,
                g.opsMin(), g.opsMax());
    }

    @Override
    public boolean freshEachCycle() {
        return true;
    }
}
