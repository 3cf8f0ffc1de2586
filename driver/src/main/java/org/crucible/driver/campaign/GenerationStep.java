package org.crucible.driver.campaign;

import org.crucible.config.campaign.CampaignConfig;
import org.crucible.driver.pool.GenerationPlan;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.PoolBackend;
import org.crucible.driver.protocol.Protocol;

/**
 * Where candidates come from: the protocol generator's plan, made on the executors ({@link PoolBackend#generate}) and
 * saved as the pool {@code cycle=N/stage=generated} before the state points to it; the plan of cycle 0 (GENERATE), and
 * for a generator with fresh candidates every cycle (an evolutionary search) the plan of each later cycle, which may
 * read the explored pools of earlier cycles.
 */
final class GenerationStep {
    private final CampaignConfig cfg;
    private final Protocol protocol;
    private final PoolBackend backend;
    private final CampaignArtifacts artifacts;
    private final CampaignLog log;
    private final int partitions;

    GenerationStep(CampaignConfig cfg, Protocol protocol, PoolBackend backend, CampaignArtifacts artifacts, CampaignLog log, int partitions) {
        this.cfg = cfg;
        this.protocol = protocol;
        this.backend = backend;
        this.artifacts = artifacts;
        this.log = log;
        this.partitions = partitions;
    }

    /** The GENERATE stage: the pool of cycle 0, then SELECT, or RELAX when the explorer needs no model. */
    void initial(CampaignState.Edit e) {
        GenerationPlan plan = protocol.generator().plan(0);
        Pool pool = backend.generate(plan, partitions);
        long n = pool.size();
        e.poolUri = artifacts.save(pool, 0, "generated");
        long training = plan.ranges("training").stream().mapToLong(r -> r[1] - r[0]).sum();
        log.info("generated " + n + " of " + plan.size() + " candidates (" + training + " training, the rest search cells; " + (plan.size() - n)
                + " could not be generated)");
        if (n == 0) throw new CampaignException("generate: no candidate could be generated for " + cfg.compositions());
        e.next = protocol.explorer().needsModel() ? Stage.SELECT : Stage.RELAX;
    }

    /** Fresh candidates of cycle {@code e.cycle} (>= 1) when the generator makes them every cycle; nothing otherwise. */
    void fresh(CampaignState.Edit e) {
        if (!protocol.generator().freshEachCycle()) return;
        GenerationPlan plan = protocol.generator().plan(e.cycle, k -> {
            if (k < 1 || k >= e.cycle) throw new IllegalArgumentException("cycle " + e.cycle + " may read explored pools of cycles 1.." + (e.cycle - 1) + ", not " + k);
            return artifacts.load(CampaignFiles.poolUri(k, "relaxed"));
        });
        Pool fresh = backend.generate(plan, partitions);
        if (fresh.size() == 0) throw new CampaignException("cycle " + e.cycle + ": the generator made no candidate of " + plan.size());
        e.poolUri = artifacts.save(fresh, e.cycle, "generated");
        log.info("cycle " + e.cycle + ": generated " + fresh.size() + " fresh candidates of " + plan.size());
    }
}
