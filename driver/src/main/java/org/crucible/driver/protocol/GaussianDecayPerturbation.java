package org.crucible.driver.protocol;

import org.crucible.config.campaign.CampaignConfig;
import org.crucible.core.Structure;
import org.crucible.driver.pool.PerturbStage;
import org.crucible.driver.pool.Seeds;

/**
 * NN-ensemble Sec. 2.5: each selected structure of cycle t &gt;= 1 is displaced by Gaussian noise of rms
 * eps_t = amplitude * decay^t Angstrom ({@code protocol.perturbation}); cycle 0's random cells are labelled as they are.
 */
public record GaussianDecayPerturbation(CampaignConfig.Perturbation p, long seed) implements Perturbation {
    private static final long SALT = 0x5045525455524CL;

    @Override
    public Structure perturb(Structure s, long poolId, int cycle) {
        double eps = cycle == 0 ? 0.0 : p.epsilon(cycle);
        return eps > 0 ? PerturbStage.perturb(s, eps, Seeds.mix(seed, cycle, SALT, poolId)) : s;
    }
}
