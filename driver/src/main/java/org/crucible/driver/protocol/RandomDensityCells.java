package org.crucible.driver.protocol;

import java.util.ArrayList;
import java.util.List;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.driver.pool.GenerationPlan;
import org.crucible.driver.pool.Seeds;

/**
 * The entropy-max generator: per composition one block (label {@code training}) of random P1 cells, fresh every
 * cycle ({@link #freshEachCycle()}): {@code entropy.chains} per cycle (at least {@code protocol.cycle0_batch} in cycle
 * 0, whose cells are labelled as they are, because the loop needs a first fit). Cells come from the random P1
 * generator with the {@code pools.training} volume model, spread and separation factor; the annealing explorer
 * ({@link EntropyAnnealingExplorer}) puts each one into the configured cell (edge lengths {@code entropy.cell}, or a
 * cube at {@code entropy.density}) keeping its fractional coordinates, so the chains start at the configured density.
 * The plan of cycle t uses the seed mix(seed, t), a pure function of (configuration, seed, cycle).
 */
public record RandomDensityCells(CampaignConfig cfg) implements Generator {
    /** The registry name. */
    public static final String NAME = "random-density-cells";
    private static final long SALT = 0x454E54L;

    @Override
    public GenerationPlan plan(int cycle) {
        int count = cycle == 0 ? Math.max(cfg.entropy().chains(), cfg.protocol().cycle0Batch()) : cfg.entropy().chains();
        List<GenerationPlan.Block> blocks = new ArrayList<>();
        long next = 0;
        for (int ci = 0; ci < cfg.compositions().size(); ci++) {
            blocks.add(new GenerationPlan.Block(next, count, cfg.compositions().get(ci).formula(), ci, 1,
                    cfg.pools().training().minSeparationFactor(), cfg.pools().training().volume(), cfg.pools().training().volumeSpread(), "training"));
            next += count;
        }
        return new GenerationPlan(Seeds.mix(cfg.seed(), cycle, SALT), blocks);
    }

    @Override
    public boolean freshEachCycle() {
        return true;
    }
}
