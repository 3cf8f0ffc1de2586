package org.crucible.driver.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.driver.pool.PoolSummary;
import org.crucible.driver.pool.Seeds;
import org.crucible.driver.pool.Pool;

/**
 * The entropy-max selector: every harvested configuration of the cycle (status {@code harvested}), or, when
 * {@code entropy.keep} &gt; 0, that many chosen by {@code entropy.thinning}: {@code cur} by kernel CUR on the
 * per-configuration descriptor ({@link HarvestThinning}), {@code random} drawn uniformly without replacement by a
 * seeded partial Fisher-Yates shuffle; seed mix(seed, cycle, salt), returned sorted by id. It keeps no convergence history (lowest energies empty) and
 * proposes no validation candidates: the effective energy is not a physical energy.
 */
public record HarvestedSelector(CampaignConfig cfg) implements Selector {
    /** The name recorded in selection files and label provenance. */
    public static final String NAME = "harvested";
    private static final long SALT = 0x48415256L;

    @Override
    public Selection select(Pool pool, StageContext ctx) {
        // Ids and states only: the descriptor rows reach the driver only when CUR thinning needs them.
        List<Long> ids = new ArrayList<>();
        for (PoolSummary s : pool.summariesWithoutFeatures()) if ("harvested".equals(s.status())) ids.add(s.id());
        int keep = cfg.entropy().keep();
        int n = keep == 0 ? ids.size() : Math.min(keep, ids.size());
        long seed = Seeds.mix(ctx.seed(), ctx.cycle(), SALT);
        boolean cur = n < ids.size() && cfg.entropy().thinning().equals("cur");
        List<Long> out = cur ? HarvestThinning.cur(pool.summaries(ids), n, seed) : SeededDraw.sorted(ids, n, new SplittableRandom(seed));
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("selector", NAME);
        rec.put("harvested", ids.size());
        rec.put("thinning", n < ids.size() ? cfg.entropy().thinning() : "none");
        rec.put("ids", out);
        return new Selection(NAME, out, List.of(), List.of(), rec, String.format("%d of %d harvested configurations selected%s", out.size(), ids.size(),
                n < ids.size() ? " (" + cfg.entropy().thinning() + " thinning)" : ""));
    }
}
