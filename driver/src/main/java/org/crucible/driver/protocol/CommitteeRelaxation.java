package org.crucible.driver.protocol;

import java.util.Map;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.RelaxStage;
import org.crucible.driver.pool.Seeds;
import org.crucible.executors.potentials.LinearPotential;

/**
 * Relaxation with the committee potential ({@code protocol.relax}): FIRE or BFGS until max|F| &lt; fmax
 * (eV/Angstrom), the step limit, no improvement for {@code patience} steps, or the committee uncertainty U reaches
 * {@code max_uncertainty} (NN-ensemble eq. 5). Where the training data end the fitted potential knows nothing, so a
 * frame with a pair closer than {@code training_separation_factor} times the shortest distance of that element pair
 * among the store's labels (a pure function of the store) ends the relaxation too.
 */
public record CommitteeRelaxation(CampaignConfig cfg) implements Explorer {
    private static final long SALT = 1;

    @Override
    public Pool explore(Pool pool, LinearPotential model, StageContext ctx) {
        CampaignConfig.Relax r = cfg.protocol().relax();
        Map<String, Double> limits = RelaxationGuard.limits(cfg, ctx);
        if (!limits.isEmpty()) ctx.log().accept("cycle " + ctx.cycle() + ": relaxation guard from the training set's shortest pair distances: " + limits.entrySet().stream()
                .map(x -> x.getKey() + " " + String.format(java.util.Locale.ROOT, "%.3f", x.getValue())).collect(java.util.stream.Collectors.joining(", ")) + " Angstrom");
        return pool.map(new RelaxStage(r.optimizer(), r.fmax(), r.steps(), r.patience(), r.maxUncertainty(), r.trajectoryTail(), r.minSeparationFactor(),
                limits, r.uncertaintyEvery()), model, Seeds.mix(ctx.seed(), ctx.cycle(), SALT), "relax cycle " + ctx.cycle());
    }
}
