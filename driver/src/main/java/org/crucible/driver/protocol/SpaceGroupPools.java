package org.crucible.driver.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.driver.pool.GenerationPlan;
import org.crucible.executors.generators.Composition;
import org.crucible.executors.generators.SpaceGroupGenerator;

/**
 * The NN-ensemble paper's pools (Sec. 2.2): per composition, a block of {@code pools.training.size} random P1 cells
 * (label {@code training}), then per composition one block of {@code pools.search.per_group} cells for each space
 * group of {@code pools.search.space_groups} (all 230 when empty) that can host the composition in its conventional
 * cell (label {@code search}). Volumes from the covalent or metallic model (Angstrom^3 per atom), pair distances at
 * least the separation factor times the mean covalent radius. The same plan for every cycle.
 */
public record SpaceGroupPools(CampaignConfig cfg) implements Generator {
    @Override
    public GenerationPlan plan(int cycle) {
        List<GenerationPlan.Block> blocks = new ArrayList<>();
        long next = 0;
        CampaignConfig.TrainingPool tp = cfg.pools().training();
        CampaignConfig.SearchPool sp = cfg.pools().search();
        for (int ci = 0; ci < cfg.compositions().size(); ci++) {
            String formula = cfg.compositions().get(ci).formula();
            blocks.add(new GenerationPlan.Block(next, tp.size(), formula, ci, 1, tp.minSeparationFactor(), tp.volume(), tp.volumeSpread(), "training"));
            next += tp.size();
        }
        for (int ci = 0; ci < cfg.compositions().size(); ci++) {
            String formula = cfg.compositions().get(ci).formula();
            var comp = Composition.parse(formula);
            List<Integer> groups = sp.spaceGroups().isEmpty() ? IntStream.rangeClosed(2, 230).boxed().toList() : sp.spaceGroups();
            for (int g : groups) {
                if (sp.perGroup() == 0 || !SpaceGroupGenerator.canHost(g, comp)) continue;
                blocks.add(new GenerationPlan.Block(next, sp.perGroup(), formula, ci, g, sp.minSeparationFactor(), sp.volume(), sp.volumeSpread(), "search"));
                next += sp.perGroup();
            }
        }
        return new GenerationPlan(cfg.seed(), blocks);
    }
}
