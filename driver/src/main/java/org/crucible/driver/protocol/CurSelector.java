package org.crucible.driver.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.GapRssSettings;
import org.crucible.driver.campaign.CampaignException;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.PoolSummary;
import org.crucible.driver.pool.Seeds;

/**
 * GAP-RSS leverage-score CUR selection on the square kernel K = (p_hat . p_hat')^zeta of the summaries'
 * averaged-SOAP rows ({@link KernelCur}: deterministic, largest leverage first with re-orthogonalisation;
 * {@code protocol.gap_rss.cur}: zeta, rank k, exact or Nystrom with {@code landmarks} seeded landmark rows), keeping
 * {@code gap_rss.batch} structures.
 *
 * <p>As the initial selector (iteration 0) it first describes the generated pool itself (the loop has no describe
 * step before the first fit; {@link SoapMeanDescriber}), runs CUR over the random cells and adds every isolated atom
 * and dimer of the generator's {@code dimer} blocks, as the paper's database does.
 *
 * <p>Above {@link CampaignConfig.Selection#AUTO_ROWS} rows the Nystrom method runs where the pool lives
 * ({@link DistributedCur}: the driver holds the landmarks and the ids, not a kernel row per structure); the exact
 * method stops there with a message, since its n x n kernel would not fit on the driver.
 */
public record CurSelector(CampaignConfig cfg, boolean initial) implements Selector {
    /** The name recorded in selection files and label provenance. */
    public static final String NAME = "cur";
    static final long SALT = 0xC0A5L;

    @Override
    public Selection select(Pool pool, StageContext ctx) {
        return select(pool, ctx, CampaignConfig.Selection.AUTO_ROWS);
    }

    /** The selection, with CUR run where the pool lives ({@link DistributedCur}) above {@code driverRows} Nystrom rows. */
    Selection select(Pool pool, StageContext ctx, int driverRows) {
        GapRssSettings g = cfg.protocol().gapRss();
        List<Long> always = new ArrayList<>();
        if (initial) {
            pool = new SoapMeanDescriber(cfg).describe(pool, ctx);
            Set<Long> present = new HashSet<>();
            for (PoolSummary r : pool.summariesWithoutFeatures()) present.add(r.id());
            for (long[] range : new AirssGenerator(cfg).plan(ctx.cycle()).ranges(AirssGenerator.DIMER)) {
                for (long id = range[0]; id < range[1]; id++) if (present.contains(id)) always.add(id);
            }
        }
        Set<Long> alwaysSet = new HashSet<>(always);
        long seed = Seeds.mix(ctx.seed(), ctx.cycle(), SALT);
        long poolRows = pool.size();
        List<PoolSummary> rows;
        List<Long> picks;
        String where;
        if (poolRows > driverRows && g.curMethod().equals("nystrom")) {
            DistributedCur.Result r = DistributedCur.select(pool, alwaysSet, !initial, g.batch(), g.zeta(), g.rank(), g.nystromLandmarks(), seed);
            rows = pool.summariesWithoutFeatures().stream().filter(s -> Arrays.binarySearch(r.eligible(), s.id()) >= 0).toList();
            picks = new ArrayList<>(r.picks());
            where = " where the pool lives";
        } else {
            if (poolRows > driverRows) {
                throw new CampaignException("protocol.gap_rss.cur.method: exact builds the n x n kernel on the driver, and this pool has " + poolRows
                        + " rows (more than " + driverRows + "); use method: nystrom, which runs where the pool lives");
            }
            rows = pool.summaries().stream().filter(r -> r.features().length > 0 && !alwaysSet.contains(r.id()))
                    .filter(r -> initial || Double.isFinite(r.energy())).toList();
            picks = new ArrayList<>(GapRssSelections.cur(rows, g.batch(), g, seed));
            where = "";
        }
        int fromCur = picks.size();
        picks.addAll(always);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("zeta", g.zeta());
        extra.put("rank", g.rank());
        extra.put("method", g.curMethod());
        extra.put("dimers_and_atoms", always.size());
        return GapRssSelections.selection(NAME, picks, rows, cfg, g.maxFrames(), extra,
                String.format("%d of %d by kernel CUR%s%s", fromCur, rows.size(), where, always.isEmpty() ? "" : " plus " + always.size() + " dimers/atoms"));
    }
}
