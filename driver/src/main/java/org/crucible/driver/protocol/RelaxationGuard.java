package org.crucible.driver.protocol;

import java.util.Map;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.driver.pool.RelaxStage;

/**
 * The shortest-pair guard every explorer that relaxes with the fitted model applies ({@code
 * protocol.relax.training_separation_factor}): per element pair, the factor times the shortest distance of that pair in
 * the training structures (Angstrom), searched within the potential's cutoff. Where the training data end the fitted
 * potential knows nothing, so a frame closer than that ends its relaxation. Empty when the factor is 0 (no guard).
 */
final class RelaxationGuard {
    private RelaxationGuard() {
    }

    /** Pair key ({@link RelaxStage#pairKey}) to the closest allowed distance (Angstrom) for this cycle's training set. */
    static Map<String, Double> limits(CampaignConfig cfg, StageContext ctx) {
        CampaignConfig.Relax r = cfg.protocol().relax();
        return r.trainingSeparationFactor() > 0
                ? RelaxStage.trainedLimits(ctx.trainingStructures(), r.trainingSeparationFactor(), cfg.potential().cutoff())
                : Map.of();
    }
}
