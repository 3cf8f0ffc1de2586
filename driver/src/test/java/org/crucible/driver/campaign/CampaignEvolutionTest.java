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
 * relaxes a first generation of space-group cells with gamma checks, cycle 2 relaxes offspring of the first
 * generation's best; the maxvol selector picks, every oracle task is sent exactly once, the record names the selector,
 * and a campaign killed in the middle of generation 2 regenerates it identically on resume.
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
              relax: {fmax: 0.1, steps: 15, patience: 10}
              selection: {batch: 4}
            evolution: {population: 6, parents: 3, gamma_select: 2, gamma_break: 10}
            oracle: {type: sw}
            stopping: {k: 2, epsilon: 0.001, max_cycles: 2}
            validation: {top_k: 1, steps: 20}
            spark: {master: "local[2]", ui: false, progress: false}
            """;

    @TempDir
    Path dir;

    private static Campaign open(CampaignConfig cfg, Path d, TrainingStore store, Campaign.CheckpointListener l) throws Exception {
        return new Campaign(cfg, d, CampaignState.read(d.resolve("state.json")), PoolBackend.local(), CampaignDeterminismTest.sw(), store, 2,
                CampaignFixtures.clock(), CampaignFixtures.ticker(), new CampaignLog(d.resolve("campaign.log"), CampaignFixtures.clock(), (PrintStream) null), l);
    }

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

    @Test
    void aKillDuringGenerationTwoResumesWithTheSameOffspringAndLabels() throws Exception {
        CampaignConfig cfg = CampaignConfigLoader.parse(YAML, false, "evo.yaml");
        Path a = dir.resolve("a"), b = dir.resolve("b");
        for (Path d : new Path[] {a, b}) {
            Files.createDirectories(d);
            Files.writeString(d.resolve("campaign.yaml"), YAML);
            CampaignState.initial("si8-evolution", 11, TaskHash.sha256(YAML), cfg.protocol().name()).write(d.resolve("state.json"));
        }
        CampaignState whole;
        try (TrainingStore store = CampaignFixtures.store(a)) {
            whole = open(cfg, a, store, null).run();
        }
        // b: stop right after generation 2 was generated and relaxed, then put back the checkpoint from before it, as a
        // kill -9 in the middle of that stage leaves the campaign: the stage reruns and regenerates the generation
        Path before = dir.resolve("state-before-relax-2.json");
        try (TrainingStore store = CampaignFixtures.store(b)) {
            open(cfg, b, store, st -> {
                try {
                    if (st.cycle() == 2 && st.next() == Stage.RELAX) Files.copy(b.resolve("state.json"), before);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                if (st.cycle() == 2 && st.next() == Stage.DESCRIBE) throw new CampaignDeterminismTest.Crash("killed during generation 2");
            }).run();
        } catch (CampaignDeterminismTest.Crash expected) {
            // the kill
        }
        Files.copy(before, b.resolve("state.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        CampaignState resumed;
        try (TrainingStore store = CampaignFixtures.store(b)) {
            resumed = open(cfg, b, store, null).run();
        }
        PoolBackend local = PoolBackend.local();
        List<PoolEntry> ga = local.load(PoolFiles.resolve(a, cfg.pools().uri(), CampaignFiles.poolUri(2, "generated"))).fetch(ids(local, a, cfg));
        List<PoolEntry> gb = local.load(PoolFiles.resolve(b, cfg.pools().uri(), CampaignFiles.poolUri(2, "generated"))).fetch(ids(local, b, cfg));
        assertEquals(ga, gb, "generation 2 regenerated identically");
        for (int cycle = 0; cycle <= whole.cycle(); cycle++) {
            for (String f : new String[] {"batch.json", "selection.json"}) {
                Path fa = a.resolve(String.format("cycles/%03d/%s", cycle, f)), fb = b.resolve(String.format("cycles/%03d/%s", cycle, f));
                assertEquals(Files.exists(fa), Files.exists(fb), fa.toString());
                if (Files.exists(fa)) assertEquals(Files.readString(fa), Files.readString(fb), fa.toString());
            }
        }
        assertEquals(whole.status(), resumed.status());
        assertEquals(whole.oracleSinglePoints(), resumed.oracleSinglePoints());
        assertEquals(whole.best().stream().map(CampaignState.Best::energyEvPerAtom).toList(), resumed.best().stream().map(CampaignState.Best::energyEvPerAtom).toList());
    }

    private static List<Long> ids(PoolBackend local, Path d, CampaignConfig cfg) {
        return local.load(PoolFiles.resolve(d, cfg.pools().uri(), CampaignFiles.poolUri(2, "generated"))).summaries().stream().map(PoolSummary::id).toList();
    }
}
