package org.crucible.driver.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.driver.campaign.CampaignException;
import org.crucible.driver.pool.LocalPool;
import org.crucible.driver.pool.Pool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code cur} selector above its driver threshold: with {@code cur.method: nystrom} it selects where the pool lives
 * and picks what the driver path picks; with {@code exact} it stops with a message naming the field.
 */
class CurSelectorScaleTest {
    @TempDir
    Path dir;

    CampaignConfig config(String cur) throws Exception {
        String text = Files.readString(Path.of("../examples/si-gaprss-sw.yaml"));
        text = text.replaceAll("(?s)\ntracking:.*?\nstopping:", "\nstopping:").replaceAll("cur: \\{[^}]*\\}", cur);
        Path f = dir.resolve("gaprss.yaml");
        Files.writeString(f, text);
        return CampaignConfigLoader.load(f);
    }

    @Test
    void nystromAboveTheThresholdRunsWhereThePoolLivesAndPicksTheSame() throws Exception {
        CampaignConfig cfg = config("cur: {zeta: 4, method: nystrom, landmarks: 60, rank: 25}");
        Pool pool = LocalPool.of(DistributedCurTest.entries(), 4);
        List<String> log = new ArrayList<>();
        StageContext ctx = new StageContext(2, 11L, null, log::add);
        Selection onDriver = new CurSelector(cfg, false).select(pool, ctx, Integer.MAX_VALUE);
        Selection distributed = new CurSelector(cfg, false).select(pool, ctx, 100);
        assertEquals(cfg.protocol().gapRss().batch(), onDriver.picks().size());
        assertEquals(onDriver.picks(), distributed.picks());
        assertEquals(onDriver.validationCandidates(), distributed.validationCandidates());
        assertTrue(distributed.summary().contains("where the pool lives"), distributed.summary());
        assertTrue(!onDriver.summary().contains("where the pool lives"), onDriver.summary());
    }

    @Test
    void exactAboveTheThresholdStopsWithAMessageNamingTheField() throws Exception {
        CampaignConfig cfg = config("cur: {zeta: 4, method: exact}");
        Pool pool = LocalPool.of(DistributedCurTest.entries(), 2);
        CampaignException e = assertThrows(CampaignException.class,
                () -> new CurSelector(cfg, false).select(pool, new StageContext(2, 11L, null, s -> { }), 100));
        assertTrue(e.getMessage().contains("protocol.gap_rss.cur.method") && e.getMessage().contains("400 rows"), e.getMessage());
    }
}
