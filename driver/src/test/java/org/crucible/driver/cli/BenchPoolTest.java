package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code crucible bench pool} on a Si8 campaign of three space groups: every stage reported, figures consistent, bad input refused. */
class BenchPoolTest {
    @TempDir
    Path tmp;


    @Test
    void reportsEveryStageWithRatesHeapAndBytes() throws Exception {
        Path config = Files.writeString(tmp.resolve("si8.yaml"), CampaignCliTest.YAML);
        Path json = tmp.resolve("figures.json");
        CampaignCliTest.Result r = CampaignCliTest.cli("bench", "pool", "--n", "8", "--workers", "2", "--config", config.toString(), "--dir", tmp.resolve("b").toString(), "--json",
                json.toString());
        assertEquals(0, r.code(), r.err());
        // Three groups (227, 194, 12) host Si8: ceil(8 / 3) = 3 per group.
        assertTrue(r.out().contains("bench pool: 9 search cells (3 per space group x 3 groups) + 16 training cells, local[2]"), r.out());
        JsonNode f = new ObjectMapper().readTree(json.toFile());
        assertEquals(9, f.get("searchCells").asInt());
        Map<String, JsonNode> byStage = new HashMap<>();
        double cpuSum = 0;
        for (JsonNode s : f.get("stages")) {
            byStage.put(s.get("cycle").asInt() + "/" + s.get("stage").asText(), s);
            cpuSum += s.get("cpuSeconds").asDouble();
            assertTrue(s.get("heapPeakMiB").asDouble() > 0, s.toString());
            // the peak is the heap in use at one moment, so it cannot exceed the maximum heap (the old sum of pool peaks could)
            assertTrue(s.get("heapPeakMiB").asDouble() <= f.get("maxHeapMiB").asDouble(), s.toString());
            assertTrue(s.get("heapLiveMiB").asDouble() <= s.get("heapPeakMiB").asDouble() + 1e-9, s.toString());
        }
        for (String k : new String[] {"0/generate", "0/select", "0/label", "0/fit", "1/relax", "1/describe", "1/select", "1/validate"}) {
            assertTrue(byStage.containsKey(k), k + " in " + byStage.keySet());
        }
        JsonNode gen = byStage.get("0/generate");
        assertEquals(25, gen.get("structures").asLong(), "9 search + 16 training cells generated");
        assertTrue(gen.get("poolBytes").asLong() > 0);
        JsonNode relax = byStage.get("1/relax");
        assertTrue(relax.get("structures").asLong() > 0 && relax.get("cpuSeconds").asDouble() > 0, relax.toString());
        assertEquals(relax.get("structures").asDouble() / relax.get("cpuSeconds").asDouble(), relax.get("perCoreSecond").asDouble(), 1e-9);
        assertEquals(-1, byStage.get("1/select").get("structures").asLong(), "select writes no pool");
        assertTrue(cpuSum <= f.get("cpuSeconds").asDouble() + 1e-6, "stage CPU times add up to at most the total");
        assertEquals(8, f.get("stages").size(), "cycle 0: generate, select, label, fit; cycle 1: relax, describe, select, validate");
    }

    /**
     * {@code --relax-steps 0}: generate -> one committee evaluation -> describe -> select. Every search cell of the
     * cycle-1 "relaxed" pool sits exactly where the generator put it, with its model energy and U evaluated once.
     */
    @Test
    void relaxStepsZeroScoresEachCellWhereItWasGenerated() throws Exception {
        Path config = Files.writeString(tmp.resolve("si8.yaml"), CampaignCliTest.YAML);
        Path dir = tmp.resolve("b0");
        CampaignCliTest.Result r = CampaignCliTest.cli("bench", "pool", "--n", "8", "--workers", "2", "--relax-steps", "0", "--config", config.toString(), "--dir", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("relaxation steps 0"), r.out());
        String pools = org.crucible.driver.pool.PoolFiles.root(dir.resolve("campaign"), "pools");
        Map<Long, org.crucible.core.Structure> generated = new HashMap<>();
        try (var in = org.crucible.driver.pool.PoolStructures.open(pools + "/" + org.crucible.driver.pool.PoolFiles.location(0, "generated"))) {
            while (in.hasNext()) {
                var s = in.next();
                generated.put(((Number) s.info().get("pool_id")).longValue(), s);
            }
        }
        int scored = 0;
        try (var in = org.crucible.driver.pool.PoolStructures.open(pools + "/" + org.crucible.driver.pool.PoolFiles.location(1, "relaxed"))) {
            while (in.hasNext()) {
                var s = in.next();
                var g = generated.get(((Number) s.info().get("pool_id")).longValue());
                assertTrue(g != null, "relaxed entry " + s.info() + " was generated");
                assertTrue(java.util.Set.of("max_steps", "early_stop", "converged").contains(s.info().get("status")),
                        "stopped at its first evaluation: " + s.info());
                assertFalse(s.info().containsKey("steps"), "no optimiser step taken: " + s.info());
                assertTrue(s.info().get("uncertainty") instanceof Number, "U evaluated: " + s.info());
                assertTrue(s.labels().hasEnergy(), "model energy evaluated");
                org.junit.jupiter.api.Assertions.assertArrayEquals(g.positions(), s.positions(), 1e-12, "atoms unmoved (up to the wrap into the cell)");
                scored++;
            }
        }
        assertTrue(scored >= 9, "every search cell scored: " + scored);
    }

    @Test
    void badInputExitsTwoBeforeAnythingIsCreated() throws Exception {
        Path dir = tmp.resolve("never");
        CampaignCliTest.Result zero = CampaignCliTest.cli("bench", "pool", "--n", "0", "--dir", dir.toString());
        assertEquals(2, zero.code());
        assertTrue(zero.err().contains("--n must be >= 1"), zero.err());
        CampaignCliTest.Result steps = CampaignCliTest.cli("bench", "pool", "--n", "8", "--relax-steps", "-1", "--dir", dir.toString());
        assertEquals(2, steps.code());
        assertTrue(steps.err().contains("--relax-steps must be >= 0"), steps.err());
        Path hal = Files.writeString(tmp.resolve("hal.yaml"), CampaignCliTest.YAML.replace("protocol:\n", "protocol:\n  name: gap-rss\n"));
        CampaignCliTest.Result other = CampaignCliTest.cli("bench", "pool", "--n", "8", "--config", hal.toString(), "--dir", dir.toString());
        assertEquals(2, other.code(), other.err());
        assertFalse(other.err().contains("Exception"), other.err());
        assertFalse(Files.exists(dir), "nothing created");
    }
}
