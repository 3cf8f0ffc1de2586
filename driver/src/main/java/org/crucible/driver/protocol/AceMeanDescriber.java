package org.crucible.driver.protocol;

import org.crucible.driver.pool.DescribeStage;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.Seeds;
import org.crucible.executors.potentials.LinearPotential;

/** Mean-pooled ACE descriptors of the current model's basis (per-atom basis values averaged over the atoms). */
public record AceMeanDescriber() implements Describer {
    private static final long SALT = 2;

    @Override
    public Pool describe(Pool pool, LinearPotential model, StageContext ctx) {
        return pool.map(new DescribeStage(), model.basis(), Seeds.mix(ctx.seed(), ctx.cycle(), SALT), "describe cycle " + ctx.cycle());
    }
}
