package org.crucible.driver.campaign;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.hadoop.conf.Configuration;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.core.testing.SteppingClock;
import org.crucible.driver.oracle.Oracle;
import org.crucible.driver.pool.PoolBackend;
import org.crucible.driver.store.TaskHash;
import org.crucible.driver.store.TrainingStore;

/** A tiny real Si8 campaign (SW oracle, small ACE basis, small pools) for driver tests. */
final class CampaignFixtures {
    static final String YAML = """
            name: si8-test
            seed: 2024
            composition: Si8
            pools:
              training: {size: 16}
              search: {per_group: 2, space_groups: [227, 194, 12]}
            potential:
              basis: {cutoff: 4.5, max_degree: [8, 6], l_max: 3}
              committee: 4
            protocol:
              cycle0_batch: 8
              relax: {fmax: 0.1, steps: 15, patience: 10, max_uncertainty: 0.5}
              selection: {batch: 5, dbscan: {eps: 0.5, min_samples: 2}}
            oracle: {type: sw}
            stopping: {k: 2, epsilon: 0.01, max_cycles: 2}
            validation: {top_k: 2, steps: 30}
            spark: {master: "local[2]", ui: false, progress: false}
            """;

    private CampaignFixtures() {
    }

    /** A clock that advances one second per reading: timestamps are deterministic. */
    static Clock clock() {
        return new SteppingClock(1_767_225_600L);
    }

    static LongSupplier ticker() {
        AtomicLong t = new AtomicLong();
        return () -> t.addAndGet(1_000_000L);
    }

    static CampaignConfig config() {
        return CampaignConfigLoader.parse(YAML, false, "fixture.yaml");
    }

    /** Sets up a campaign directory as {@code crucible run} does. */
    static void init(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("campaign.yaml"), YAML);
        CampaignState.initial("si8-test", 2024, TaskHash.sha256(YAML)).write(dir.resolve("state.json"));
    }

    /** A Campaign over {@code dir} continuing from its state file. */
    static Campaign open(Path dir, PoolBackend backend, Oracle oracle, TrainingStore store, Campaign.CheckpointListener l) throws IOException {
        CampaignState s = CampaignState.read(dir.resolve("state.json"));
        return new Campaign(config(), dir, s, backend, oracle, store, 3, clock(), ticker(),
                new CampaignLog(dir.resolve("campaign.log"), clock(), (PrintStream) null), l);
    }

    static TrainingStore store(Path dir) {
        return TrainingStore.open(dir.resolve("store").toUri(), new Configuration());
    }
}
