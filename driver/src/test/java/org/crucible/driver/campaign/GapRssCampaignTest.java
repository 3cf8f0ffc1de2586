package org.crucible.driver.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.driver.oracle.Oracle;
import org.crucible.core.units.Units;
import org.crucible.driver.pool.EnthalpyTrajectoryStage;
import org.crucible.driver.pool.PoolBackend;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.PoolSummary;
import org.crucible.driver.store.TaskHash;
import org.crucible.driver.store.TrainingStore;
import org.crucible.executors.descriptors.AceBasisFactory;
import org.crucible.executors.potentials.ModelFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny GAP-RSS campaign (Si8, SW oracle, small ACE committee) end to end on the single-threaded backend: the preset's
 * stages run on the one loop, every task is labelled once, and a campaign killed during the trajectory exploration
 * and again during the selection resumes from {@code state.json} to the same labels, models and selections.
 */
class GapRssCampaignTest {
    static final String YAML = """
            name: si-gaprss-test
            seed: 11
            composition: Si8
            potential:
              basis: {cutoff: 4.5, max_degree: [8, 6], l_max: 3}
              committee: 4
            protocol:
              name: gap-rss
              relax: {fmax: 0.1, steps: 20}
              gap_rss:
                batch: 6
                cycle0_cells: 16
                cells: 6
                dimers: {r_min: 1.8, r_max: 5.0, count: 5, box: 12.0}
                flat_histogram: {candidates: 20}
                trajectory: {every: 4, max_frames: 5}
                soap: {n_max: 4, l_max: 3, cutoff: 4.5, sigma: 0.5}
            oracle: {type: sw}
            stopping: {max_cycles: 2}
            validation: {top_k: 1, steps: 20}
            spark: {master: "local[2]", ui: false, progress: false}
            """;

    @TempDir
    static Path shared;
    static Path referenceDir;
    static CampaignState reference;
    static Map<String, Integer> referenceCalls = new HashMap<>();

    @TempDir
    Path dir;

    static CampaignConfig config() {
        return CampaignConfigLoader.parse(YAML, false, "gaprss.yaml");
    }

    static void init(Path d) throws Exception {
        Files.createDirectories(d);
        Files.writeString(d.resolve("campaign.yaml"), YAML);
        CampaignState.initial("si-gaprss-test", 11, TaskHash.sha256(YAML), "gap-rss").write(d.resolve("state.json"));
    }

    static Oracle sw() {
        return new CampaignRunner(CampaignFixtures.clock(), CampaignFixtures.ticker(), System.out, Map.of(), null).oracle(config(), Path.of("unused"));
    }

    static Campaign open(Path d, Oracle oracle, TrainingStore store, Campaign.CheckpointListener l) throws Exception {
        return new Campaign(config(), d, CampaignState.read(d.resolve("state.json")), PoolBackend.local(), oracle, store, 2, CampaignFixtures.clock(),
                CampaignFixtures.ticker(), new CampaignLog(d.resolve("campaign.log"), CampaignFixtures.clock(), (PrintStream) null), l);
    }

    static CampaignState runToEnd(Path d, Map<String, Integer> calls) throws Exception {
        try (TrainingStore store = CampaignFixtures.store(d)) {
            return open(d, new CampaignDeterminismTest.CountingOracle(sw(), calls, -1), store, null).run();
        }
    }

    @BeforeAll
    static void reference() throws Exception {
        referenceDir = shared.resolve("reference");
        init(referenceDir);
        reference = runToEnd(referenceDir, referenceCalls);
    }

    @Test
    void theGapRssPresetRunsItsStagesOnTheLoopAndLabelsEachTaskOnce() throws Exception {
        assertEquals(Stage.DONE, reference.next());
        assertEquals(2, reference.cycle());
        assertEquals("gap-rss", reference.protocol());
        assertTrue(referenceCalls.values().stream().allMatch(c -> c == 1), "each task labelled once: " + referenceCalls.values());
        assertEquals(referenceCalls.size(), reference.oracleSinglePoints());
        ObjectMapper json = new ObjectMapper();
        JsonNode s0 = json.readTree(referenceDir.resolve("cycles/000/selection.json").toFile());
        assertEquals("cur", s0.path("selector").asText());
        // isolated atom + 5 dimer bond lengths, all labelled, plus 6 CUR picks of the 16 random cells
        assertEquals(6, s0.path("dimers_and_atoms").asInt());
        assertEquals(12, s0.path("picks").size());
        JsonNode s1 = json.readTree(referenceDir.resolve("cycles/001/selection.json").toFile());
        assertEquals("flat-histogram+cur", s1.path("selector").asText());
        assertEquals(0.3, s1.path("kT_eV_per_atom").asDouble(), 1e-12);
        assertEquals(6, s1.path("picks").size());
        JsonNode s2 = json.readTree(referenceDir.resolve("cycles/002/selection.json").toFile());
        assertEquals(0.2, s2.path("kT_eV_per_atom").asDouble(), 1e-12);
        // 6 + 12 labels in cycle 0, 6 in cycle 1; cycle 2 stops at max_cycles
        assertEquals(18, reference.oracleSinglePoints() - 0, "oracle single points");
        assertTrue(Files.exists(referenceDir.resolve("models/model-001.json")));
    }

    @Test
    void trajectoriesAreExpandedIntoFramesWithIdsParentTimesStrideAndEnthalpiesPerAtom() throws Exception {
        var pool = PoolBackend.local().load(new CampaignFiles(referenceDir, "pools").resolve(CampaignFiles.poolUri(1, "described")));
        List<PoolSummary> rows = pool.summaries();
        var generated = PoolBackend.local().load(new CampaignFiles(referenceDir, "pools").resolve(CampaignFiles.poolUri(1, "generated")));
        assertTrue(rows.size() > generated.size(), rows.size() + " frames from " + generated.size() + " cells");
        TreeSet<Long> parents = new TreeSet<>();
        for (PoolSummary r : rows) {
            parents.add(r.id() / 5);
            assertTrue(r.status().startsWith("frame p="), r.status());
            assertTrue(Double.isFinite(r.energyPerAtom()), "enthalpy per atom " + r.energyPerAtom());
            assertTrue(r.features().length > 0);
        }
        // the energy field of a frame is H = E_model + pV at the cell's own pressure (GPa in the status)
        var model = ModelFile.read(referenceDir.resolve("models/model-000.json"), new AceBasisFactory()).potential();
        for (PoolEntry e : pool.fetch(List.of(rows.get(0).id(), rows.get(rows.size() - 1).id()))) {
            double pGPa = EnthalpyTrajectoryStage.framePressureGPa(e.status());
            assertTrue(pGPa >= 0 && pGPa < 10, e.status());
            double h = model.predict(e.structure()).energy() + pGPa * Units.GPA_TO_EV_PER_A3 * e.structure().cell().volume();
            assertEquals(h, e.energy(), 1e-6 * Math.max(1, Math.abs(h)), "enthalpy of frame " + e.id());
        }
        TreeSet<Long> cells = new TreeSet<>();
        for (PoolSummary r : generated.summaries()) cells.add(r.id());
        assertTrue(cells.containsAll(parents), "every frame comes from a generated cell");
    }

    @Test
    void onSparkTheTrajectoryFramesAndTheirSoapRowsEqualTheSingleThreadedOnes() throws Exception {
        var cfg = config();
        var model = ModelFile.read(referenceDir.resolve("models/model-000.json"), new AceBasisFactory()).potential();
        String generated = new CampaignFiles(referenceDir, "pools").resolve(CampaignFiles.poolUri(1, "generated"));
        var stage = new org.crucible.driver.protocol.EnthalpyTrajectoryExplorer(cfg).stage(Map.of());
        var soap = org.crucible.driver.protocol.SoapMeanDescriber.soap(cfg);
        List<PoolSummary> local = PoolBackend.local().load(generated).flatMap(stage, model, 5L, 5, "t")
                .map(new org.crucible.driver.pool.SoapDescribeStage(), soap, 6L, "d").summaries();
        try (var sc = org.crucible.driver.spark.SparkContexts.create("local[2]", "gaprss-test", false, 4040, Map.of())) {
            List<PoolSummary> spark = PoolBackend.spark(sc).load(generated).flatMap(stage, model, 5L, 5, "t")
                    .map(new org.crucible.driver.pool.SoapDescribeStage(), soap, 6L, "d").summaries();
            assertEquals(local.size(), spark.size());
            for (int i = 0; i < local.size(); i++) {
                assertEquals(local.get(i).id(), spark.get(i).id());
                assertEquals(local.get(i).energy(), spark.get(i).energy());
                assertEquals(local.get(i).status(), spark.get(i).status());
                org.junit.jupiter.api.Assertions.assertArrayEquals(local.get(i).features(), spark.get(i).features());
            }
        }
    }

    @Test
    void killedDuringExplorationAndDuringSelectionTheResumedCampaignDecidesTheSame() throws Exception {
        // checkpoints: 1 generate, 2 select, 3 label, 4 fit, 5 relax (cycle 1), 6 describe, 7 select, ...
        for (int crashAfter : new int[] {4, 6}) {
            Path d = dir.resolve("crash-" + crashAfter);
            init(d);
            Map<String, Integer> calls = new HashMap<>();
            AtomicInteger checkpoints = new AtomicInteger();
            try (TrainingStore store = CampaignFixtures.store(d)) {
                Campaign c = open(d, new CampaignDeterminismTest.CountingOracle(sw(), calls, -1), store, st -> {
                    if (checkpoints.incrementAndGet() == crashAfter) throw new CampaignDeterminismTest.Crash("stop after " + st.next());
                });
                assertThrows(CampaignDeterminismTest.Crash.class, c::run);
            }
            CampaignState s = runToEnd(d, calls);
            assertTrue(calls.values().stream().allMatch(n -> n == 1), "no task labelled twice: " + calls.values());
            assertEquals(reference.selection(), s.selection());
            assertEquals(reference.oracleSinglePoints(), s.oracleSinglePoints());
            try (TrainingStore a = CampaignFixtures.store(referenceDir); TrainingStore b = CampaignFixtures.store(d)) {
                assertEquals(new TreeSet<>(a.entries().keySet()), new TreeSet<>(b.entries().keySet()), "same labelled tasks");
            }
            ObjectMapper json = new ObjectMapper();
            for (int c = 0; c <= 2; c++) {
                String sel = String.format("cycles/%03d/selection.json", c);
                assertEquals(json.readTree(referenceDir.resolve(sel).toFile()), json.readTree(d.resolve(sel).toFile()), sel);
            }
            String m = "models/model-001.json";
            assertEquals(json.readTree(referenceDir.resolve(m).toFile()).get("coefficients"), json.readTree(d.resolve(m).toFile()).get("coefficients"));
        }
    }
}
