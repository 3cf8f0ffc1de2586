package org.crucible.driver.protocol;

import java.util.Map;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.driver.pool.DoptRelaxStage;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.Seeds;
import org.crucible.executors.potentials.ActiveSet;
import org.crucible.executors.potentials.LinearPotential;

/**
 * The explorer {@code relax-dopt} of the evolution-dopt protocol ({@link DoptRelaxStage}): relaxation with the current
 * potential (optimizer, fmax, steps, patience and separation guards of {@code protocol.relax}) that grades every
 * configuration against the potential's maxvol active set with the thresholds of the {@code evolution} section
 * (gamma_select, default 2; gamma_break, default 10; MTP/USPEX paper, PRB 99, 064114). Each candidate expands into
 * its relaxation and, when marked, the marked configuration ({@link Pool#flatMap}, stride 2).
 */
public record DoptRelaxation(CampaignConfig cfg) implements Explorer {
    private static final long SALT = 0x44_4f_50_54L;

    @Override
    public Pool explore(Pool pool, LinearPotential model, StageContext ctx) {
        CampaignConfig.Relax r = cfg.protocol().relax();
        CampaignConfig.Evolution ev = cfg.evolution();
        Map<String, Double> limits = RelaxationGuard.limits(cfg, ctx);
        ActiveSet a = model.activeSet();
        if (a == null) throw new IllegalStateException("relax-dopt: the model has no active set");
        // the thresholds of the campaign file, not those the fitter stored with the set
        LinearPotential graded = model.withActiveSet(ActiveSet.of(a.features(), a.size(), a.projection(), a.rows(), ev.gammaSelect(), ev.gammaBreak()));
        ctx.log().accept(String.format("cycle %d: relax-dopt of %d candidates, active set of %d rows, gamma_select %.2f, gamma_break %.2f", ctx.cycle(),
                pool.size(), a.size(), ev.gammaSelect(), ev.gammaBreak()));
        return pool.flatMap(new DoptRelaxStage(r.optimizer(), r.fmax(), r.steps(), r.patience(), ev.gammaSelect(), ev.gammaBreak(), r.minSeparationFactor(),
                limits), graded, Seeds.mix(ctx.seed(), ctx.cycle(), SALT), DoptRelaxStage.STRIDE, "relax-dopt cycle " + ctx.cycle());
    }
}
