package org.crucible.driver.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.driver.pool.PoolBackend;
import org.crucible.driver.spark.SparkContexts;
import org.crucible.driver.store.TaskHash;
import org.crucible.driver.store.TrainingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A campaign with {@code protocol.selection.preselect}: Spark equals the single-threaded run, and only K rows are clustered. */
class CampaignPreselectTest {
    static final String YAML = CampaignFixtures.YAML.replace("selection: {batch: 5, dbscan:", "selection: {batch: 5, preselect: 8, dbscan:");

    @TempDir
    Path dir;

    static CampaignState run(Path d, PoolBackend backend) throws Exception {
        CampaignConfig cfg = CampaignConfigLoader.parse(YAML, false, "preselect.yaml");
        Files.createDirectories(d);
        Files.writeString(d.resolve("campaign.yaml"), YAML);
        CampaignState.initial("si8-test", 2024, TaskHash.sha256(YAML)).write(d.resolve("state.json"));
        try (TrainingStore store = CampaignFixtures.store(d)) {
            return new Campaign(cfg, d, CampaignState.read(d.resolve("state.json")), backend, CampaignDeterminismTest.sw(), store, 3, CampaignFixtures.clock(),
                    CampaignFixtures.ticker(), new CampaignLog(d.resolve("campaign.log"), CampaignFixtures.clock(), (PrintStream) null), null).run();
        }
    }

    @Test
    void preselectedCampaignIsDeterministicAcrossBackends() throws Exception {
        assertEquals(8, CampaignConfigLoader.parse(YAML, false, "preselect.yaml").protocol().selection().preselect(), "the fixture sets preselect");
        CampaignState local = run(dir.resolve("local"), PoolBackend.local());
        CampaignState spark;
        try (JavaSparkContext sc = SparkContexts.create("local[2]", "crucible-preselect-test", false, 4040, Map.of())) {
            spark = run(dir.resolve("spark"), PoolBackend.spark(sc));
        }
        assertEquals(Stage.DONE, local.next());
        assertEquals(local.history(), spark.history());
        assertEquals(local.selection(), spark.selection());
        assertEquals(local.validationCandidates(), spark.validationCandidates());
        assertEquals(local.oracleSinglePoints(), spark.oracleSinglePoints());
        JsonNode sel = new ObjectMapper().readTree(dir.resolve("local/cycles/001/selection.json").toFile());
        assertEquals(8, sel.get("preselected").asInt(), sel.toString());
        assertTrue(sel.get("picks").size() >= 1 && sel.get("picks").size() <= 5, sel.toString());
        assertTrue(sel.get("clusters").asInt() <= 8, "clusters among 8 preselected rows: " + sel);
    }
}
