package org.crucible.driver.report;

import java.nio.file.Path;
import java.util.List;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.driver.campaign.CampaignState;
import org.crucible.driver.pool.LocalPool;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.PoolFiles;
import org.crucible.driver.store.LabelRecord;

/**
 * What the report reads from a campaign directory, read once: the campaign file (with the campaign's recipe copy), the
 * state and the training store's records sorted by cycle and task hash.
 *
 * @param dir the campaign directory
 * @param configFile {@code campaign.yaml} (or {@code campaign.json}) in it
 */
record CampaignData(Path dir, Path configFile, CampaignConfig config, CampaignState state, List<LabelRecord> records) {
    CampaignData {
        records = List.copyOf(records);
    }

    /** The entries of the last relaxed pool the state names, or null when no pool has been written yet. */
    List<PoolEntry> lastPool() {
        String uri = state.poolUri() == null ? null : PoolFiles.resolve(dir, config.pools().uri(), state.poolUri());
        return uri == null || !PoolFiles.isPool(uri) ? null : LocalPool.load(uri).entries();
    }
}
