package org.crucible.driver.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.core.testing.SteppingClock;
import org.crucible.driver.campaign.Campaign;
import org.crucible.driver.campaign.CampaignLog;
import org.crucible.driver.campaign.CampaignRunner;
import org.crucible.driver.campaign.CampaignState;
import org.crucible.driver.oracle.CalculatorOracle;
import org.crucible.driver.pool.PoolBackend;
import org.crucible.driver.store.TaskHash;
import org.crucible.driver.store.TrainingStore;
import org.crucible.executors.calculators.StillingerWeber;

/** A real, small Si8 campaign (SW oracle, local backend, two cycles) run to the end: the report's input in tests. */
final class ReportFixture {
    static final String YAML = """
            name: si8-report
            seed: 7
            composition: Si8
            pools:
              training: {size: 24}
              search: {per_group: 2, space_groups: [227, 194, 12, 166, 221]}
            potential:
              basis: {cutoff: 4.5, max_degree: [8, 6], l_max: 3}
              committee: 4
            protocol:
              cycle0_batch: 12
              relax: {fmax: 0.1, steps: 20, patience: 10, max_uncertainty: 0.5}
              selection: {batch: 6, dbscan: {eps: 0.5, min_samples: 2}}
            oracle: {type: sw}
            stopping: {k: 2, epsilon: 0.0001, max_cycles: 3}
            validation: {top_k: 2, steps: 60}
            spark: {master: "local[1]", ui: false, progress: false}
            """;

    private ReportFixture() {
    }

    static Clock clock() {
        return new SteppingClock(1_767_225_600L);
    }

    /** Runs the campaign into {@code dir} (created) and returns its final state. */
    static CampaignState run(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("campaign.yaml"), YAML);
        CampaignState.initial("si8-report", 7, TaskHash.sha256(YAML)).write(dir.resolve("state.json"));
        var cfg = CampaignConfigLoader.load(dir.resolve("campaign.yaml"));
        AtomicLong ns = new AtomicLong();
        Clock clock = clock();
        try (var oracle = new CalculatorOracle(StillingerWeber.silicon(), "crucible-test", Map.of("type", "sw"), "localhost", clock, () -> ns.addAndGet(1_000_000L));
             TrainingStore store = TrainingStore.open(CampaignRunner.storeUri(cfg, dir), new Configuration())) {
            Campaign c = new Campaign(cfg, dir, CampaignState.read(dir.resolve("state.json")), PoolBackend.local(), oracle, store, 2, clock,
                    () -> ns.addAndGet(1_000_000L), new CampaignLog(dir.resolve("campaign.log"), clock, (PrintStream) null), s -> { });
            return c.run();
        }
    }
}
