package org.crucible.driver.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.crucible.core.Structure;
import org.crucible.driver.cli.CampaignCliTest;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.TrainingStore;
import org.crucible.executors.descriptors.AceBasisFactory;
import org.crucible.executors.potentials.LinearPotential;
import org.crucible.executors.potentials.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stopping.oracle_agreement} on the real Si8 fixture campaign (SW oracle): the agreement recorded in each
 * cycle's {@code selection.json} is the largest |E_model - E_oracle| per atom over the previous cycle's picks from its
 * k lowest clusters, recomputed here from the files and the store; a loose tolerance stops the campaign at the first
 * cycle that can measure it, a tight one never does (the campaign runs to {@code max_cycles}).
 */
class OracleAgreementTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path run(String name, double tolerance) throws Exception {
        String yaml = CampaignFixtures.YAML.replace("stopping: {k: 2, epsilon: 0.01, max_cycles: 2}",
                "stopping: {k: 2, epsilon: 1.0e-9, max_cycles: 3, oracle_agreement: " + tolerance + "}");
        assertTrue(yaml.contains("oracle_agreement"), "the fixture's stopping line changed: " + CampaignFixtures.YAML);
        Path config = tmp.resolve(name + ".yaml");
        Files.writeString(config, yaml);
        Path dir = tmp.resolve(name);
        CampaignCliTest.Result r = CampaignCliTest.cli("-q", "run", config.toString(), "--dir", dir.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        return dir;
    }

    @Test
    void aLooseToleranceStopsAtTheFirstMeasuredCycleATightOneNever() throws Exception {
        Path loose = run("loose", 5.0);
        JsonNode state = JSON.readTree(loose.resolve("state.json").toFile());
        assertEquals("converged", state.path("status").asText(), state.toString());
        JsonNode sel2 = JSON.readTree(loose.resolve("cycles/002/selection.json").toFile());
        assertTrue(sel2.path("converged").asBoolean());
        double a = sel2.path("oracle_agreement_eV_per_atom").asDouble(Double.NaN);
        assertTrue(a >= 0 && a <= 5.0, sel2.toString());
        assertFalse(JSON.readTree(loose.resolve("cycles/001/selection.json").toFile()).has("oracle_agreement_eV_per_atom"),
                "cycle 1 has no labelled cycle with a model before it");
        assertFalse(Files.exists(loose.resolve("cycles/003")), "stopped at cycle 2");
        assertEquals(recompute(loose, 1, 2), a, 1e-12);
        assertTrue(Files.readString(loose.resolve("campaign.log")).contains("-> converged (oracle agreement)"));

        Path tight = run("tight", 1e-9);
        JsonNode st = JSON.readTree(tight.resolve("state.json").toFile());
        assertEquals("max-cycles", st.path("status").asText(), st.toString());
        for (int c = 2; c <= 3; c++) {
            JsonNode sel = JSON.readTree(tight.resolve(String.format("cycles/%03d/selection.json", c)).toFile());
            double v = sel.path("oracle_agreement_eV_per_atom").asDouble(Double.NaN);
            assertTrue(v > 1e-9 && !sel.path("converged").asBoolean(), sel.toString());
            assertEquals(recompute(tight, c - 1, 2), v, 1e-12, "cycle " + c);
        }
        // the first two cycles made the same decisions in both campaigns: the rule only decides when to stop
        assertEquals(JSON.readTree(loose.resolve("cycles/001/batch.json").toFile()), JSON.readTree(tight.resolve("cycles/001/batch.json").toFile()));
    }

    /** max over the k lowest clusters' picks of labelled cycle c of |E_model(c-1) - E_oracle| / N, from files and store. */
    private static double recompute(Path dir, int c, int k) throws Exception {
        JsonNode picks = JSON.readTree(dir.resolve(String.format("cycles/%03d/selection.json", c)).toFile()).path("picks");
        Map<Long, Double> lowestOfCluster = new HashMap<>();
        Map<Long, Long> idOfCluster = new HashMap<>();
        for (JsonNode p : picks) {
            long cl = p.get("cluster").asLong();
            double e = p.get("energyPerAtom").asDouble();
            if (!lowestOfCluster.containsKey(cl) || e < lowestOfCluster.get(cl)) {
                lowestOfCluster.put(cl, e);
                idOfCluster.put(cl, p.get("id").asLong());
            }
        }
        List<Long> clusters = new ArrayList<>(lowestOfCluster.keySet());
        clusters.sort((x, y) -> Double.compare(lowestOfCluster.get(x), lowestOfCluster.get(y)));
        Map<Long, String> task = new HashMap<>();
        for (JsonNode t : JSON.readTree(dir.resolve(String.format("cycles/%03d/batch.json", c)).toFile()).path("tasks")) {
            task.put(t.get("pool_id").asLong(), t.get("task_hash").asText());
        }
        LinearPotential pot = ModelFile.read(dir.resolve(String.format("models/model-%03d.json", c - 1)), new AceBasisFactory()).potential();
        try (TrainingStore store = TrainingStore.openReadOnly(dir.resolve("store").toUri(), new org.apache.hadoop.conf.Configuration())) {
            double worst = 0;
            for (Long cl : clusters.subList(0, k)) {
                String h = task.get(idOfCluster.get(cl));
                LabelRecord r = store.all().stream().filter(x -> x.taskHash().equals(h)).findFirst().orElseThrow();
                Structure s = r.structure();
                worst = Math.max(worst, Math.abs(pot.predict(s, false).energy() - s.labels().energy()) / s.size());
            }
            return worst;
        }
    }
}
