package org.crucible.driver.campaign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.crucible.driver.oracle.Oracle;
import org.crucible.driver.oracle.OracleTask;
import org.crucible.driver.pool.PoolBackend;
import org.crucible.driver.spark.SparkContexts;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.TrainingStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Si8 campaign (SW oracle, ACE committee potential, FIRE relaxations) run uninterrupted on the
 * single-threaded backend is the reference; a Spark local[2] run and runs interrupted at chosen stages (and in the
 * middle of an oracle batch) then resumed must make exactly the same decisions and never label a task twice.
 */
class CampaignDeterminismTest {
    static JavaSparkContext sc;
    static Path referenceDir;
    static CampaignState reference;

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    /** Thrown by a checkpoint listener to stop a campaign the way a crash would (nothing after it runs). */
    static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Crash(String m) {
            super(m);
        }
    }

    /** Counts how often each task is sent to the wrapped oracle; optionally dies after a number of results. */
    static final class CountingOracle extends org.crucible.driver.oracle.ForwardingOracle {
        final Map<String, Integer> calls;
        final int dieAfter;
        int delivered;

        CountingOracle(Oracle inner, Map<String, Integer> calls, int dieAfter) {
            super(inner);
            this.calls = calls;
            this.dieAfter = dieAfter;
        }

        @Override
        public void label(List<OracleTask> batch, int cycle, String selector, Consumer<LabelRecord> sink) {
            delegate.label(batch, cycle, selector, r -> {
                calls.merge(r.taskHash(), 1, Integer::sum);
                sink.accept(r);
                if (++delivered == dieAfter) throw new Crash("oracle connection lost after " + delivered + " results");
            });
        }
    }

    static Oracle sw() {
        return new CampaignRunner(CampaignFixtures.clock(), CampaignFixtures.ticker(), System.out, Map.of(), null).oracle(CampaignFixtures.config(), Path.of("unused"));
    }

    static CampaignState runToEnd(Path d, PoolBackend backend, Oracle oracle) throws Exception {
        try (TrainingStore store = CampaignFixtures.store(d)) {
            return CampaignFixtures.open(d, backend, oracle, store, null).run();
        }
    }

    @BeforeAll
    static void reference() throws Exception {
        sc = SparkContexts.create("local[2]", "crucible-campaign-test", false, 4040, Map.of());
        referenceDir = shared.resolve("reference");
        CampaignFixtures.init(referenceDir);
        Map<String, Integer> calls = new HashMap<>();
        reference = runToEnd(referenceDir, PoolBackend.local(), new CountingOracle(sw(), calls, -1));
        assertEquals(Stage.DONE, reference.next());
        assertTrue(calls.values().stream().allMatch(c -> c == 1));
        assertEquals(calls.size(), reference.oracleSinglePoints());
    }

    @AfterAll
    static void stop() {
        if (sc != null) sc.close();
    }

    static void assertSameDecisions(Path d, CampaignState s) throws Exception {
        assertEquals(reference.cycle(), s.cycle());
        assertEquals(reference.status(), s.status());
        assertEquals(reference.history(), s.history(), "k lowest cluster energies per cycle");
        assertEquals(reference.selection(), s.selection());
        assertEquals(reference.validationCandidates(), s.validationCandidates());
        assertEquals(reference.oracleSinglePoints(), s.oracleSinglePoints());
        assertEquals(reference.oracleFailures(), s.oracleFailures());
        assertEquals(reference.validationSinglePoints(), s.validationSinglePoints());
        assertEquals(reference.best(), s.best());
        try (TrainingStore a = CampaignFixtures.store(referenceDir); TrainingStore b = CampaignFixtures.store(d)) {
            assertEquals(new java.util.TreeSet<>(a.entries().keySet()), new java.util.TreeSet<>(b.entries().keySet()), "same labelled tasks");
        }
        ObjectMapper json = new ObjectMapper();
        for (int c = 0; c < reference.cycle(); c++) {
            String m = String.format("models/model-%03d.json", c);
            JsonNode x = json.readTree(referenceDir.resolve(m).toFile());
            JsonNode y = json.readTree(d.resolve(m).toFile());
            assertEquals(x.get("coefficients"), y.get("coefficients"), m);
            assertEquals(x.get("committee"), y.get("committee"), m);
        }
        for (int c = 0; c <= reference.cycle(); c++) {
            String sel = String.format("cycles/%03d/selection.json", c);
            assertEquals(json.readTree(referenceDir.resolve(sel).toFile()), json.readTree(d.resolve(sel).toFile()), sel);
        }
    }

    @Test
    void referenceFindsTheSwDiamondEnergy() {
        // SW silicon in the diamond structure: -4.3366 eV/atom (Stillinger and Weber 1985: -2.1683 eV per bond... x2).
        assertTrue(reference.best().get(0).energyEvPerAtom() < -4.30, reference.best().toString());
        assertTrue(Files.exists(referenceDir.resolve(reference.best().get(0).file())));
        assertTrue(reference.validationSinglePoints() > 0);
        assertTrue(reference.best().stream().allMatch(b -> b.spaceGroup() != null && b.spaceGroup().matches(".+ \\(\\d+\\)")), reference.best().toString());
    }

    @Test
    void sparkRunEqualsTheSingleThreadedRun() throws Exception {
        CampaignFixtures.init(dir);
        CampaignState s = runToEnd(dir, PoolBackend.spark(sc), sw());
        assertSameDecisions(dir, s);
    }

    @Test
    void resumedAfterAnInterruptionAtChosenStagesTheDecisionsAreTheSame() throws Exception {
        for (int crashAfter : new int[] {3, 10}) {
            Path d = dir.resolve("crash-" + crashAfter);
            CampaignFixtures.init(d);
            Map<String, Integer> calls = new HashMap<>();
            AtomicInteger checkpoints = new AtomicInteger();
            try (TrainingStore store = CampaignFixtures.store(d)) {
                Campaign c = CampaignFixtures.open(d, PoolBackend.local(), new CountingOracle(sw(), calls, -1), store, st -> {
                    if (checkpoints.incrementAndGet() == crashAfter) throw new Crash("stop after " + st.next());
                });
                assertThrows(Crash.class, c::run);
            }
            CampaignState s = runToEnd(d, PoolBackend.local(), new CountingOracle(sw(), calls, -1));
            assertSameDecisions(d, s);
            assertTrue(calls.values().stream().allMatch(n -> n == 1), "no task labelled twice: " + calls.values());
        }
    }

    @Test
    void anOracleBatchInterruptedMidwayIsFinishedWithoutRepeatingACall() throws Exception {
        CampaignFixtures.init(dir);
        Map<String, Integer> calls = new HashMap<>();
        try (TrainingStore store = CampaignFixtures.store(dir)) {
            // Cycle 0 labels 8 tasks; die after the 11th result, i.e. 3 tasks into the cycle-1 batch.
            Campaign c = CampaignFixtures.open(dir, PoolBackend.local(), new CountingOracle(sw(), calls, 11), store, null);
            assertThrows(Crash.class, c::run);
        }
        assertEquals(Stage.LABEL, CampaignState.read(dir.resolve("state.json")).next());
        assertEquals(11, calls.size());
        List<String> before = new ArrayList<>(calls.keySet());
        java.io.ByteArrayOutputStream bar = new java.io.ByteArrayOutputStream();
        CampaignState s;
        try (TrainingStore store = CampaignFixtures.store(dir)) {
            s = CampaignFixtures.open(dir, PoolBackend.local(), new CountingOracle(sw(), calls, -1), store, null)
                    .withProgress(new java.io.PrintStream(bar, true, java.nio.charset.StandardCharsets.UTF_8)).run();
        }
        String progress = bar.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(progress.contains("[##############################] 2/2 labels  oracle sw"), "the 2 tasks left of the batch: " + progress);
        assertSameDecisions(dir, s);
        assertTrue(calls.values().stream().allMatch(n -> n == 1), "no oracle call repeated: " + calls);
        assertTrue(calls.keySet().containsAll(before));
        String log = Files.readString(dir.resolve("campaign.log"));
        assertTrue(log.contains("resuming the recorded oracle batch"), log);
    }

    @Test
    void aCheckpointOfTheFirstFormatResumesWithTheSameDecisions() throws Exception {
        CampaignFixtures.init(dir);
        Map<String, Integer> calls = new HashMap<>();
        try (TrainingStore store = CampaignFixtures.store(dir)) {
            // Stop after the cycle-1 selection (generate, select, label, fit, relax, describe, select: 7 checkpoints).
            AtomicInteger checkpoints = new AtomicInteger();
            Campaign c = CampaignFixtures.open(dir, PoolBackend.local(), new CountingOracle(sw(), calls, -1), store, st -> {
                if (checkpoints.incrementAndGet() == 7) throw new Crash("stop after " + st.next());
            });
            assertThrows(Crash.class, c::run);
        }
        // Rewrite state.json as the engine before protocol sections wrote it: history at the top level, format 1.
        ObjectMapper json = new ObjectMapper();
        var state = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(dir.resolve("state.json").toFile());
        JsonNode history = state.path("protocol_state").path("convergence").path("history");
        assertEquals(1, history.size(), "one cycle of history before the rewrite: " + state);
        state.remove("protocol");
        state.remove("protocol_state");
        state.set("history", history);
        state.put("format", "crucible-campaign-1");
        Files.writeString(dir.resolve("state.json"), json.writeValueAsString(state));
        CampaignState old = CampaignState.read(dir.resolve("state.json"));
        assertEquals(CampaignState.FORMAT, old.format());
        assertEquals("pool-relaxation", old.protocol());
        assertEquals(reference.history().subList(0, 1), old.history());
        CampaignState s = runToEnd(dir, PoolBackend.local(), new CountingOracle(sw(), calls, -1));
        assertSameDecisions(dir, s);
        assertTrue(calls.values().stream().allMatch(n -> n == 1), "no task labelled twice: " + calls.values());
        JsonNode written = json.readTree(dir.resolve("state.json").toFile());
        assertEquals(CampaignState.FORMAT, written.path("format").asText());
        assertTrue(written.path("history").isMissingNode(), "the history lives in its protocol section now: " + written);
    }
}
