package org.crucible.driver.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.crucible.driver.pool.PoolBackend;
import org.crucible.driver.store.TaskHash;
import org.crucible.driver.store.TrainingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same science across engine refactorings: the Si8 fixture campaign (SW oracle) must make exactly the decisions the
 * pool-relaxation engine made before the stage interfaces existed: the oracle task hashes of every cycle's batch,
 * every selection file, the SHA-256 of every model's coefficients, the convergence history and the validated energies.
 * The pinned figures ({@code campaign/si8-same-science.json}) were recorded from the engine of commit 286e264.
 */
class CampaignSameScienceTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    @TempDir
    Path dir;

    @Test
    void theSi8FixtureMakesThePinnedDecisions() throws Exception {
        CampaignFixtures.init(dir);
        CampaignState s;
        try (TrainingStore store = CampaignFixtures.store(dir)) {
            s = CampaignFixtures.open(dir, PoolBackend.local(), CampaignDeterminismTest.sw(), store, null).run();
        }
        // Through text, so numbers compare as read from the file (int and long nodes, NaN as text).
        JsonNode actual = JSON.readTree(JSON.writeValueAsString(figures(dir, s)));
        JsonNode pinned;
        try (InputStream in = getClass().getResourceAsStream("/campaign/si8-same-science.json")) {
            if (in == null) {
                Path out = Path.of("target/si8-same-science.json");
                JSON.writeValue(out.toFile(), actual);
                fail("no pinned figures; recorded the current ones in " + out.toAbsolutePath());
                return;
            }
            pinned = JSON.readTree(in);
        }
        assertEquals(pinned, actual);
    }

    /** The decisions of a finished campaign in {@code d}. */
    static JsonNode figures(Path d, CampaignState s) throws Exception {
        ObjectNode root = JSON.createObjectNode();
        root.put("status", s.status());
        root.put("cycle", s.cycle());
        root.set("history", JSON.valueToTree(s.history()));
        root.set("selection", JSON.valueToTree(s.selection()));
        root.set("validation_candidates", JSON.valueToTree(s.validationCandidates()));
        root.put("oracle_single_points", s.oracleSinglePoints());
        root.put("oracle_failures", s.oracleFailures());
        root.put("validation_single_points", s.validationSinglePoints());
        ArrayNode best = root.putArray("best");
        for (CampaignState.Best b : s.best()) {
            best.addObject().put("pool_id", b.poolId()).put("energy_eV_per_atom", b.energyEvPerAtom()).put("predicted_eV_per_atom", b.predictedEvPerAtom())
                    .put("space_group", b.spaceGroup());
        }
        ObjectNode cycles = root.putObject("cycles");
        for (int c = 0; c <= s.cycle(); c++) {
            ObjectNode cy = cycles.putObject(Integer.toString(c));
            Path batch = d.resolve(String.format("cycles/%03d/batch.json", c));
            if (Files.exists(batch)) {
                ArrayNode hashes = cy.putArray("task_hashes");
                for (JsonNode t : JSON.readTree(batch.toFile()).path("tasks")) hashes.add(t.path("task_hash").asText());
            }
            Path sel = d.resolve(String.format("cycles/%03d/selection.json", c));
            if (Files.exists(sel)) cy.set("selection", JSON.readTree(sel.toFile()));
            Path model = d.resolve(String.format("models/model-%03d.json", c));
            if (Files.exists(model)) {
                JsonNode m = JSON.readTree(model.toFile());
                cy.put("model_coefficients_sha256", TaskHash.sha256(m.get("coefficients").toString() + m.get("committee").toString()));
            }
        }
        return root;
    }
}
