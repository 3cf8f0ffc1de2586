package org.crucible.driver.protocol;

import java.util.Map;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.GapRssSettings;
import org.crucible.driver.pool.EnthalpyTrajectoryStage;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.Seeds;
import org.crucible.executors.potentials.LinearPotential;

/**
 * GAP-RSS exploration ({@link EnthalpyTrajectoryStage}): every fresh cell minimised in enthalpy at its own pressure
 * from eq. 6 (p0 and beta of {@code protocol.gap_rss.pressure}, GPa) with the current potential ({@code protocol.relax}
 * optimizer, fmax in eV/Angstrom, steps, and the separation guards), expanded with {@link Pool#flatMap} into up to
 * {@code gap_rss.trajectory.max_frames} frames per cell (ids {@code id * max_frames + i}), every
 * {@code gap_rss.trajectory.every}-th step plus the last. The frames stay where the pool lives.
 */
public record EnthalpyTrajectoryExplorer(CampaignConfig cfg) implements Explorer {
    private static final long SALT = 0x6a7;

    /** The stage this explorer maps over the pool (for tests and benchmarks). */
    public EnthalpyTrajectoryStage stage(Map<String, Double> limits) {
        CampaignConfig.Relax r = cfg.protocol().relax();
        GapRssSettings g = cfg.protocol().gapRss();
        return new EnthalpyTrajectoryStage(r.optimizer(), r.fmax(), r.steps(), g.frameEvery(), g.maxFrames(),
                g.pressureP0(), g.pressureBeta(), r.minSeparationFactor(), limits);
    }

    @Override
    public Pool explore(Pool pool, LinearPotential model, StageContext ctx) {
        Map<String, Double> limits = RelaxationGuard.limits(cfg, ctx);
        GapRssSettings g = cfg.protocol().gapRss();
        return pool.flatMap(stage(limits), model, Seeds.mix(ctx.seed(), ctx.cycle(), SALT), g.maxFrames(),
                "enthalpy minimisation cycle " + ctx.cycle());
    }
}
