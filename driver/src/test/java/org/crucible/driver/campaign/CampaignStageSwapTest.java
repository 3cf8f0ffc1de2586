package org.crucible.driver.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.driver.pool.PoolBackend;
import org.crucible.driver.pool.PoolSummary;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.TaskHash;
import org.crucible.driver.store.TrainingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A campaign file that swaps stages of the pool-relaxation preset (greedy lowest-score selection instead of DBSCAN,
 * no convergence test) runs on the same loop: the selector named in the file chooses, its name is recorded in the
 * selection files and in every label's provenance, and the campaign runs to max_cycles with its history kept.
 */
class CampaignStageSwapTest {
    static final String YAML = CampaignFixtures.YAML.replace("name: si8-test", "name: si8-swap")
            .replace("protocol:\n", "protocol:\n  stages: {selector: lowest-score, convergence: none}\n");

    @TempDir
    Path dir;

    @Test
    void theSwappedSelectorChoosesTheLowestScoresAndTheLoopRunsToMaxCycles() throws Exception {
        CampaignConfig cfg = CampaignConfigLoader.parse(YAML, false, "swap.yaml");
        assertEquals("lowest-score", cfg.protocol().stage("selector"));
        Files.writeString(dir.resolve("campaign.yaml"), YAML);
        CampaignState.initial("si8-swap", 2024, TaskHash.sha256(YAML), cfg.protocol().name()).write(dir.resolve("state.json"));
        List<List<Long>> selections = new ArrayList<>();
        CampaignState s;
        try (TrainingStore store = CampaignFixtures.store(dir)) {
            Campaign c = new Campaign(cfg, dir, CampaignState.read(dir.resolve("state.json")), PoolBackend.local(), CampaignDeterminismTest.sw(), store, 3,
                    CampaignFixtures.clock(), CampaignFixtures.ticker(), new CampaignLog(dir.resolve("campaign.log"), CampaignFixtures.clock(), (PrintStream) null),
                    st -> {
                        if (st.next() == Stage.LABEL && st.cycle() > 0) {
                            // The picks must be the batch lowest scores s = E/atom - omega_f max|F| of the described pool.
                            List<Long> expected = PoolBackend.local().load(dir.resolve(st.poolUri()).toAbsolutePath().toUri().toString()).summaries()
                                    .stream().filter(PoolSummary::selectable)
                                    .sorted(Comparator.comparingDouble((PoolSummary p) -> p.energyPerAtom() - 0.5 * p.maxForce()).thenComparingLong(PoolSummary::id))
                                    .limit(5).map(PoolSummary::id).toList();
                            assertEquals(expected, st.selection(), "cycle " + st.cycle());
                            selections.add(st.selection());
                        }
                    });
            s = c.run();
            for (LabelRecord r : store.trainingSet()) {
                String expected = r.provenance().cycle() == 0 ? "cycle0-random" : "lowest-score";
                assertEquals(expected, r.provenance().selector(), r.taskHash());
            }
        }
        assertEquals("max-cycles", s.status(), "convergence 'none' never stops the campaign");
        assertEquals(2, s.cycle());
        assertEquals(1, selections.size(), "cycle 1 labels, cycle 2 validates");
        assertEquals(2, s.history().size(), "the history is kept for reports");
        ObjectMapper json = new ObjectMapper();
        JsonNode sel = json.readTree(dir.resolve("cycles/001/selection.json").toFile());
        assertEquals("lowest-score", sel.path("selector").asText());
        assertFalse(sel.path("converged").asBoolean());
        assertEquals(5, sel.path("picks").size());
        assertTrue(s.best().size() > 0 && s.best().get(0).energyEvPerAtom() < -3.5, s.best().toString());
    }
}
