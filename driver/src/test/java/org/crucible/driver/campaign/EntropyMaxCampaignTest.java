package org.crucible.driver.campaign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.crucible.driver.pool.PoolBackend;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.PoolFiles;
import org.crucible.driver.pool.PoolSummary;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.TaskHash;
import org.crucible.driver.store.TrainingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The entropy-max preset end to end on the local backend: a W10 cell, the EAM oracle (W_zhou.eam.alloy); the annealing
 * needs no model, so cycle 0 already anneals two chains of two cycles and labels the four harvested ends (no plain
 * random cells), and cycle 1 does the same with fresh cells; a run resumed from every checkpoint (what kill -9 and
 * resume do) labels exactly the same structures.
 */
class EntropyMaxCampaignTest {
    static final String YAML = """
            name: w10-entropy
            seed: 7
            composition: W10
            pools:
              training: {size: 4, volume: metallic, min_separation_factor: 1.3}
            potential:
              basis: {cutoff: 4.5, max_degree: [6, 4], l_max: 2}
              committee: 2
            protocol:
              name: entropy-max
              cycle0_batch: 2
            entropy:
              chains: 2
              cycles_per_chain: 2
              steps_per_cycle: 150
              segments: 15
              cell: [6.0, 6.0, 9.0]
            oracle: {type: eam, file: /usr/share/lammps/potentials/W_zhou.eam.alloy}
            stopping: {max_cycles: 2}
            spark: {master: "local[2]", ui: false, progress: false}
            """;

    @TempDir
    Path dir;

    @Test
    void annealsHarvestsLabelsAndFitsAndAResumedRunLabelsTheSame() throws Exception {
        CampaignConfig cfg = CampaignConfigLoader.parse(YAML, false, "w10.yaml");
        assertEquals("random-density-cells", cfg.protocol().stage("generator"));
        assertEquals("entropy-anneal", cfg.protocol().stage("explorer"));
        assertEquals("harvested", cfg.protocol().stage("selector"));
        Oracle oracle = new CampaignRunner(CampaignFixtures.clock(), CampaignFixtures.ticker(), System.out, Map.of(), null).oracle(cfg, Path.of("unused"));

        Map<String, Structure> straight = run(cfg, oracle, dir.resolve("a"), false);
        Map<String, Structure> resumed = run(cfg, oracle, dir.resolve("b"), true);
        assertEquals("harvested", cfg.protocol().stage("initial_selector"));
        assertEquals(8, straight.size(), "4 harvested ends in cycle 0 and 4 in cycle 1");
        assertEquals(straight.keySet(), resumed.keySet(), "the same oracle tasks after resuming from every checkpoint");
        for (String k : straight.keySet()) assertArrayEquals(straight.get(k).positions(), resumed.get(k).positions(), 0);

        // cycle 0 explored before any fit (no model), and skipped DESCRIBE, which needs one
        List<PoolSummary> first = PoolBackend.local().load(PoolFiles.resolve(dir.resolve("a"), cfg.pools().uri(), CampaignFiles.poolUri(0, "relaxed"))).summaries();
        assertEquals(List.of(0L, 1L, 2L, 3L), first.stream().map(PoolSummary::id).toList());
        for (PoolSummary s : first) assertEquals("harvested", s.status());
        assertFalse(Files.exists(Path.of(java.net.URI.create(PoolFiles.resolve(dir.resolve("a"), cfg.pools().uri(), CampaignFiles.poolUri(0, "described"))))),
                "no DESCRIBE in cycle 0");
        assertTrue(Files.exists(Path.of(java.net.URI.create(PoolFiles.resolve(dir.resolve("a"), cfg.pools().uri(), CampaignFiles.poolUri(1, "described"))))));

        // cycle 1: one chain per fresh cell, ids id * cycles_per_chain + i, all harvested, in the configured cell
        List<PoolSummary> pool = PoolBackend.local().load(PoolFiles.resolve(dir.resolve("a"), cfg.pools().uri(), CampaignFiles.poolUri(1, "relaxed"))).summaries();
        assertEquals(List.of(0L, 1L, 2L, 3L), pool.stream().map(PoolSummary::id).toList());
        for (PoolSummary s : pool) assertEquals("harvested", s.status());
        List<PoolEntry> entries = PoolBackend.local().load(PoolFiles.resolve(dir.resolve("a"), cfg.pools().uri(), CampaignFiles.poolUri(1, "relaxed")))
                .fetch(List.of(0L, 1L, 2L, 3L));
        for (PoolEntry e : entries) {
            assertEquals(6.0 * 6.0 * 9.0, e.structure().cell().volume(), 1e-9);
            assertTrue(e.origin().contains("anneal chain"), e.origin());
        }
    }

    /** Runs the campaign in {@code d}; with {@code reopen}, a fresh Campaign is opened from state.json after every step. */
    private static Map<String, Structure> run(CampaignConfig cfg, Oracle oracle, Path d, boolean reopen) throws Exception {
        Files.createDirectories(d);
        Files.writeString(d.resolve("campaign.yaml"), YAML);
        CampaignState.initial(cfg.name(), cfg.seed(), TaskHash.sha256(YAML), cfg.protocol().name()).write(d.resolve("state.json"));
        Map<String, Structure> labelled = new TreeMap<>();
        try (TrainingStore store = CampaignFixtures.store(d)) {
            CampaignState s;
            do {
                Campaign c = new Campaign(cfg, d, CampaignState.read(d.resolve("state.json")), PoolBackend.local(), oracle, store, 2, CampaignFixtures.clock(),
                        CampaignFixtures.ticker(), new CampaignLog(d.resolve("campaign.log"), CampaignFixtures.clock(), (PrintStream) null), st -> { });
                s = reopen ? c.step() : c.run();
            } while (!s.finished());
            assertEquals("max-cycles", s.status());
            for (LabelRecord r : store.trainingSet()) {
                assertEquals("harvested", r.provenance().selector());
                labelled.put(r.taskHash(), r.structure());
            }
        }
        return labelled;
    }
}
