package org.crucible.driver.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.driver.pool.DoptRelaxStage;
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
 * The evolution-dopt preset end to end on the local backend with the SW oracle: cycle 0 labels random cells, cycle 1
 * relaxes a first generation of space-group cells with gamma checks, cycles 2 and 3 relax offspring of the earlier
 * generations' best; the maxvol selector picks, every oracle task is sent exactly once, and the record names the
 * selector.
 */
class CampaignEvolutionTest {
    static final String YAML = """
            name: si8-evolution
            seed: 11
            composition: Si8
            pools:
              training: {size: 16}
              search: {per_group: 0, space_groups: [227, 194, 12, 1]}
            potential:
              basis: {cutoff: 4.5, max_degree: [8, 6], l_max: 3}
              committee: 4
            protocol:
              name: evolution-dopt
              cycle0_batch: 8
              relax: {fmax: 0.1, steps: 20, patience: 10}
              selection: {batch: 4}
            evolution: {population: 6, parents: 3, gamma_select: 2, gamma_break: 10}
            oracle: {type: sw}
            stopping: {k: 2, epsilon: 0.001, max_cycles: 3}
            validation: {top_k: 2, steps: 30}
            spark: {master: "local[2]", ui: false, progress: false}
            """;

    @TempDir
    Path dir;

    @Test
    void generationsOfOffspringAreRelaxedGradedAndLabelledOnce() throws Exception {
        CampaignConfig cfg = CampaignConfigLoader.parse(YAML, false, "evo.yaml");
        assertEquals("relax-dopt", cfg.protocol().stage("explorer"));
        assertEquals(6, cfg.evolution().population());
        Files.writeString(dir.resolve("campaign.yaml"), YAML);
        CampaignState.initial("si8-evolution", 11, TaskHash.sha256(YAML), cfg.protocol().name()).write(dir.resolve("state.json"));
        CampaignState s;
        int records;
        try (TrainingStore store = CampaignFixtures.store(dir)) {
            Campaign c = new Campaign(cfg, dir, CampaignState.read(dir.resolve("state.json")), PoolBackend.local(), CampaignDeterminismTest.sw(), store, 2,
                    CampaignFixtures.clock(), CampaignFixtures.ticker(), new CampaignLog(dir.resolve("campaign.log"), CampaignFixtures.clock(), (PrintStream) null),
                    null);
            s = c.run();
            List<LabelRecord> all = store.trainingSet();
            records = store.stats().records();
            Set<String> hashes = new HashSet<>();
            for (LabelRecord r : all) {
                assertTrue(hashes.add(r.taskHash()), "a task labelled twice: " + r.taskHash());
                assertEquals(r.provenance().cycle() == 0 ? "cycle0-random" : "maxvol", r.provenance().selector());
            }
        }
        assertTrue(s.cycle() >= 2, "at least two generations: " + s.cycle());
        ObjectMapper json = new ObjectMapper();
        int batched = 0;
        for (int cycle = 0; cycle <= s.cycle(); cycle++) {
            Path batch = dir.resolve(String.format("cycles/%03d/batch.json", cycle));
            if (Files.exists(batch)) batched += json.readTree(batch.toFile()).path("tasks").size();
        }
        assertEquals(records, batched, "every task of every batch sent exactly once, no other");
        // generation 2 is made of offspring of generation 1 (and its elites), generated on the driver
        PoolBackend local = PoolBackend.local();
        List<PoolSummary> gen2 = local.load(PoolFiles.resolve(dir, cfg.pools().uri(), CampaignFiles.poolUri(2, "generated"))).summaries();
        List<PoolEntry> entries = local.load(PoolFiles.resolve(dir, cfg.pools().uri(), CampaignFiles.poolUri(2, "generated")))
                .fetch(gen2.stream().map(PoolSummary::id).toList());
        assertTrue(entries.stream().anyMatch(e -> e.origin().startsWith("offspring ")), "cycle 2 has offspring");
        for (PoolEntry e : entries) assertEquals(8, e.atoms());
        // the explorer marked configurations above gamma_select in cycle 1 (a potential from 8 cells extrapolates)
        List<PoolSummary> relaxed1 = local.load(PoolFiles.resolve(dir, cfg.pools().uri(), CampaignFiles.poolUri(1, "relaxed"))).summaries();
        assertTrue(relaxed1.stream().anyMatch(p -> p.status().equals(DoptRelaxStage.MARKED) && p.uncertainty() > 2), relaxed1.toString());
        JsonNode sel = json.readTree(dir.resolve("cycles/001/selection.json").toFile());
        assertEquals("maxvol", sel.path("selector").asText());
        assertTrue(sel.path("picks").size() > 0 && sel.path("picks").size() <= 4, sel.toString());
        for (JsonNode p : sel.path("picks")) assertTrue(p.path("gamma").asDouble() > 2, p.toString());
        assertTrue(sel.path("log_det_after").asDouble() > sel.path("log_det_before").asDouble(), "maxvol grows |det A|");
        assertFalse(s.best().isEmpty(), "validation relaxed the best structures with the oracle");
    }
}
