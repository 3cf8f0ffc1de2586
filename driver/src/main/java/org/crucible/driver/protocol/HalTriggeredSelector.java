package org.crucible.driver.protocol;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.PoolSummary;

/**
 * The HAL selector: the configurations whose trajectory triggered (status {@code triggered}: the softmax of the
 * relative force uncertainty exceeded s_tol, HAL Eq. 6-8), the most uncertain first (softmax descending, ties by id),
 * at most {@code protocol.selection.batch}. Trajectories that reached {@code hal.max_steps} without triggering are not
 * labelled: the model was confident along them. No convergence history, no validation candidates.
 */
public record HalTriggeredSelector(CampaignConfig cfg) implements Selector {
    /** The name recorded in selection files and label provenance. */
    public static final String NAME = "hal-triggered";

    @Override
    public Selection select(Pool pool, StageContext ctx) {
        List<PoolSummary> triggered = new ArrayList<>();
        int maxSteps = 0, failed = 0;
        for (PoolSummary s : pool.summariesWithoutFeatures()) {
            switch (s.status()) {
                case "triggered" -> triggered.add(s);
                case "max-steps" -> maxSteps++;
                default -> failed++;
            }
        }
        triggered.sort(Comparator.comparingDouble((PoolSummary s) -> -s.uncertainty()).thenComparingLong(PoolSummary::id));
        int batch = Math.min(cfg.protocol().selection().batch(), triggered.size());
        List<Long> ids = triggered.subList(0, batch).stream().map(PoolSummary::id).toList();
        List<Double> softmax = triggered.subList(0, batch).stream().map(PoolSummary::uncertainty).toList();
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("selector", NAME);
        rec.put("triggered", triggered.size());
        rec.put("max_steps", maxSteps);
        rec.put("failed", failed);
        rec.put("ids", ids);
        rec.put("softmax", softmax);
        rec.put("steps", triggered.subList(0, batch).stream().map(PoolSummary::steps).toList());
        return new Selection(NAME, ids, List.of(), List.of(), rec, String.format("%d of %d HAL trajectories triggered (%d reached max steps, %d failed); %d selected",
                triggered.size(), triggered.size() + maxSteps + failed, maxSteps, failed, ids.size()));
    }
}
