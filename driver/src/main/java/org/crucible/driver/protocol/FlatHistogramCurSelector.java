package org.crucible.driver.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.GapRssSettings;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.PoolSummary;
import org.crucible.driver.pool.Seeds;

/**
 * The GAP-RSS selection of iterations t &gt;= 1, the composition {@code flat-histogram} then {@code cur}: the
 * Boltzmann-biased flat histogram ({@link FlatHistogramSelector}) draws {@code protocol.gap_rss.flat_histogram.candidates}
 * frames (0: all), then kernel CUR ({@link CurSelector}) keeps {@code gap_rss.batch} of them. The histogram bins H/atom,
 * or E/atom with {@code flat_histogram.quantity: energy} ({@link FlatHistogramSelector#histogramRows}).
 */
public record FlatHistogramCurSelector(CampaignConfig cfg) implements Selector {
    /** The name recorded in selection files and label provenance. */
    public static final String NAME = "flat-histogram+cur";

    @Override
    public Selection select(Pool pool, StageContext ctx) {
        GapRssSettings g = cfg.protocol().gapRss();
        // the histogram needs only (id, H/atom or E/atom): descriptor rows reach the driver for the drawn frames alone
        List<PoolSummary> rows = pool.summariesWithoutFeatures();
        List<PoolSummary> drawn = FlatHistogramSelector.draw(FlatHistogramSelector.histogramRows(pool, rows, g), g.histogramCandidates(), g, ctx.cycle(),
                Seeds.mix(ctx.seed(), ctx.cycle(), FlatHistogramSelector.SALT));
        Map<Long, PoolSummary> withFeatures = new java.util.HashMap<>();
        for (PoolSummary r : pool.summaries(drawn.stream().map(PoolSummary::id).toList())) withFeatures.put(r.id(), r);
        List<PoolSummary> described = drawn.stream().map(r -> withFeatures.get(r.id())).filter(r -> r != null && r.features().length > 0).toList();
        List<Long> picks = GapRssSelections.cur(described, g.batch(), g, Seeds.mix(ctx.seed(), ctx.cycle(), CurSelector.SALT));
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("kT_eV_per_atom", g.kTAt(ctx.cycle()));
        extra.put("flat_histogram_kept", drawn.size());
        if (g.histogramOnEnergy()) extra.put("flat_histogram_quantity", g.histogramQuantity());
        extra.put("zeta", g.zeta());
        extra.put("method", g.curMethod());
        return GapRssSelections.selection(NAME, picks, rows, cfg, g.maxFrames(), extra,
                String.format("%d of %d frames (flat histogram kT %.3f eV/atom kept %d, then kernel CUR)", picks.size(), rows.size(),
                        g.kTAt(ctx.cycle()), drawn.size()));
    }
}
