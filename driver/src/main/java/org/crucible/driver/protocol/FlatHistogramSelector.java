package org.crucible.driver.protocol;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.GapRssSettings;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.PoolSummary;
import org.crucible.driver.pool.Seeds;

/**
 * GAP-RSS Boltzmann-biased flat-histogram selection ({@link FlatHistogram}) over the enthalpies per atom the
 * {@code enthalpy-trajectory} explorer leaves in the summaries' energy field: {@code protocol.gap_rss.batch} frames
 * drawn without replacement with p proportional to exp(-(H - H_min)/kT) / n_bin, kT from {@code gap_rss.kT} for the
 * cycle (eV/atom; paper 0.3, 0.2, then 0.1), {@code gap_rss.flat_histogram.bins} equal bins (numpy default 10), seed
 * mixed from the campaign seed and the cycle. With {@code flat_histogram.quantity: energy} the bins and the weight use
 * E/atom = (H - pV)/N instead (eV/atom; {@link FrameEnergy}), a departure from the paper's Methods so that frames made
 * at high pressure are not discarded for their pV term.
 */
public record FlatHistogramSelector(CampaignConfig cfg) implements Selector {
    /** The name recorded in selection files and label provenance. */
    public static final String NAME = "flat-histogram";
    static final long SALT = 0xF1A7L;

    /**
     * The rows the histogram bins: {@code rows} themselves (H in the energy field) with {@code quantity: enthalpy}, the
     * paper's choice; with {@code quantity: energy} the same frames with E = H - pV ({@link FrameEnergy}). Only the ids of
     * the drawn rows are used afterwards, so the selection record still reports enthalpies.
     */
    static List<PoolSummary> histogramRows(Pool pool, List<PoolSummary> rows, GapRssSettings g) {
        return g.histogramOnEnergy() ? FrameEnergy.summaries(pool, rows) : rows;
    }

    /** The rows of {@code rows} with finite enthalpy that the flat histogram draws ({@code m} of them, all when m = 0 or m >= n). */
    static List<PoolSummary> draw(List<PoolSummary> rows, int m, GapRssSettings g, int cycle, long seed) {
        List<PoolSummary> ok = rows.stream().filter(r -> Double.isFinite(r.energy())).sorted(Comparator.comparingLong(PoolSummary::id)).toList();
        if (m == 0 || m >= ok.size()) return ok;
        double[] h = new double[ok.size()];
        for (int i = 0; i < h.length; i++) h[i] = ok.get(i).energyPerAtom();
        int[] picked = new FlatHistogram(g.histogramBins()).draw(h, g.kTAt(cycle), m, seed);
        List<PoolSummary> out = new ArrayList<>(picked.length);
        for (int i : picked) out.add(ok.get(i));
        return out;
    }

    @Override
    public Selection select(Pool pool, StageContext ctx) {
        GapRssSettings g = cfg.protocol().gapRss();
        List<PoolSummary> rows = pool.summariesWithoutFeatures();
        List<PoolSummary> drawn = draw(histogramRows(pool, rows, g), g.batch(), g, ctx.cycle(), Seeds.mix(ctx.seed(), ctx.cycle(), SALT));
        List<Long> picks = drawn.stream().map(PoolSummary::id).toList();
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("kT_eV_per_atom", g.kTAt(ctx.cycle()));
        extra.put("bins", g.histogramBins());
        if (g.histogramOnEnergy()) extra.put("quantity", g.histogramQuantity());
        return GapRssSelections.selection(NAME, picks, rows, cfg, g.maxFrames(), extra,
                String.format("%d of %d frames by flat histogram (kT %.3f eV/atom)", picks.size(), rows.size(), g.kTAt(ctx.cycle())));
    }
}
