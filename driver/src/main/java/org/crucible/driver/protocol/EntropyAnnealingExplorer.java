package org.crucible.driver.protocol;

import org.crucible.config.campaign.CampaignConfig;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.Seeds;
import org.crucible.executors.potentials.LinearPotential;

/**
 * The entropy-max explorer: one annealing chain ({@link AnnealingChainStage}) per entry of the cycle's fresh pool, as
 * one {@link Pool#flatMap} stage where the pool lives (Spark partitions or the local pool); the chain of entry
 * {@code id} is seeded with mix(mix(seed, cycle, salt), id) and its harvested cycle ends get the ids
 * {@code id * cycles_per_chain + i}. It needs no model (entropy maximisation explores on V = E_rep - K S, not on the
 * potential), so it also explores in cycle 0 ({@link #needsModel()}).
 */
public record EntropyAnnealingExplorer(CampaignConfig cfg) implements Explorer {
    /** The registry name. */
    public static final String NAME = "entropy-anneal";
    private static final long SALT = 0x414E4EL;

    @Override
    public boolean needsModel() {
        return false;
    }

    @Override
    public Pool explore(Pool pool, LinearPotential model, StageContext ctx) {
        CampaignConfig.Entropy e = cfg.entropy();
        ctx.log().accept(String.format("cycle %d: %d annealing chains of %d cycles (%d steps of %.2f fs, %.0f K -> %.0f K, K 0 -> %.1f eV)", ctx.cycle(),
                pool.size(), e.cyclesPerChain(), e.stepsPerCycle(), e.timestepFs(), e.tStartK(), e.tEndK(), e.kMaxEv()));
        return pool.flatMap(new AnnealingChainStage(), AnnealingChainStage.Settings.of(e), Seeds.mix(ctx.seed(), ctx.cycle(), SALT), e.cyclesPerChain(),
                "anneal cycle " + ctx.cycle());
    }
}
