package org.crucible.driver.campaign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.core.Structure;
import org.crucible.driver.oracle.Oracle;
import org.crucible.driver.oracle.OracleTask;
import org.crucible.driver.pool.PoolBackend;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.PoolFiles;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.TaskHash;
import org.crucible.driver.store.TrainingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hal preset end to end on the local pool: Si8 from a diamond seed file, the SW oracle, cycle 0 labels rattled
 * copies, cycles 1 and 2 run four HAL trajectories each and label the triggered stops (cycle 3 stops at max_cycles). Run
 * straight and again reopening the campaign from state.json after every step (what kill -9 and resume do): the same
 * oracle tasks and positions, and every HAL label traces back to a triggered trajectory with its provenance.
 * examples/si-hal-sw.yaml runs the protocol through {@code crucible run} on Spark (docs/hal.md has the figures).
 */
class HalCampaignTest {
    static final String YAML = """
            name: si8-hal
            seed: 5
            composition: Si8
            potential:
              basis: {cutoff: 4.5, max_degree: [10, 6], l_max: 2}
              committee: 4
            protocol:
              name: hal
              cycle0_batch: 4
              selection: {batch: 3}
            hal:
              seeds: seeds.extxyz
              trajectories_per_seed: 4
              rattle: 0.1
              tau_r: 0.2
              s_tol: 0.02
              temperature_k: 1500
              max_steps: 150
              burn_in: 20
              window: 20
            oracle: {type: sw}
            stopping: {k: 1, max_cycles: 3}
            spark: {master: "local[2]", partitions: 2, ui: false, progress: false}
            """;

    @TempDir
    Path dir;

    @Test
    void labelsTriggeredConfigurationsWithHalProvenanceAndAResumedRunLabelsTheSame() throws Exception {
        Map<String, Structure> straight = run(dir.resolve("a"), false);
        Map<String, Structure> resumed = run(dir.resolve("b"), true);
        CampaignConfig cfg = CampaignConfigLoader.load(dir.resolve("a").resolve("campaign.yaml"));
        int hal = halLabels(dir.resolve("a"), cfg);
        assertTrue(hal > 0, "at least one HAL trajectory triggered and was labelled");
        assertEquals(4 + hal, straight.size());
        assertEquals(straight.keySet(), resumed.keySet(), "the same oracle tasks after resuming from every checkpoint");
        for (String k : straight.keySet()) assertArrayEquals(straight.get(k).positions(), resumed.get(k).positions(), 0);
    }

    /** Checks that every label of cycles >= 1 is a triggered HAL stop with its provenance; returns how many. */
    static int halLabels(Path a, CampaignConfig cfg) {
        int hal = 0;
        for (int cycle = 1; cycle <= 3; cycle++) {
            Path batch = a.resolve(String.format("cycles/%03d/batch.json", cycle));
            if (!Files.exists(batch)) continue;
            List<OracleTask> tasks = CampaignFiles.readBatch(batch);
            List<PoolEntry> entries = PoolBackend.local().load(PoolFiles.resolve(a, cfg.pools().uri(), CampaignFiles.poolUri(cycle, "relaxed")))
                    .fetch(tasks.stream().map(OracleTask::poolId).toList());
            for (PoolEntry e : entries) {
                assertEquals("triggered", e.status());
                assertTrue(e.origin().contains("hal triggered step="), e.origin());
                assertTrue(e.uncertainty() > cfg.hal().softmaxTolerance(), "the pool entry carries the trigger's softmax: " + e.uncertainty());
                hal++;
            }
        }
        return hal;
    }

    static Map<String, Structure> labels(Path d) {
        Map<String, Structure> out = new TreeMap<>();
        try (TrainingStore store = CampaignFixtures.store(d)) {
            for (LabelRecord r : store.trainingSet()) {
                assertEquals(r.provenance().cycle() == 0 ? "cycle0-seeds" : "hal-triggered", r.provenance().selector());
                out.put(r.taskHash(), r.structure());
            }
        }
        return out;
    }

    /** Runs the campaign on the local pool in {@code d}; with {@code reopen}, a fresh Campaign is opened from state.json after every step. */
    static Map<String, Structure> run(Path d, boolean reopen) throws Exception {
        Files.createDirectories(d);
        Files.writeString(d.resolve("campaign.yaml"), YAML);
        Files.copy(Path.of("..", "examples", "si8-diamond.extxyz"), d.resolve("seeds.extxyz"));
        CampaignConfig local = CampaignConfigLoader.load(d.resolve("campaign.yaml"));
        CampaignState.initial(local.name(), local.seed(), TaskHash.sha256(YAML), local.protocol().name()).write(d.resolve("state.json"));
        Oracle oracle = new CampaignRunner(CampaignFixtures.clock(), CampaignFixtures.ticker(), System.out, Map.of(), null).oracle(local, d);
        try (TrainingStore store = CampaignFixtures.store(d)) {
            CampaignState s;
            do {
                Campaign c = new Campaign(local, d, CampaignState.read(d.resolve("state.json")), PoolBackend.local(), oracle, store, 3, CampaignFixtures.clock(),
                        CampaignFixtures.ticker(), new CampaignLog(d.resolve("campaign.log"), CampaignFixtures.clock(), (PrintStream) null), st -> { });
                s = reopen ? c.step() : c.run();
            } while (!s.finished());
            assertEquals("max-cycles", s.status());
        }
        return labels(d);
    }
}
