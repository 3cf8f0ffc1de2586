package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code crucible bench pool} on a Si8 campaign of three space groups: every stage reported, figures consistent, bad input refused. */
class BenchPoolTest {
    @TempDir
    Path tmp;

    private record Result(int code, String out, String err) {
    }

    private static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = CrucibleCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return new Result(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void reportsEveryStageWithRatesHeapAndBytes() throws Exception {
        Path config = Files.writeString(tmp.resolve("si8.yaml"), CampaignCliTest.YAML);
        Path json = tmp.resolve("figures.json");
        Result r = cli("bench", "pool", "--n", "8", "--workers", "2", "--config", config.toString(), "--dir", tmp.resolve("b").toString(), "--json",
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

    @Test
    void badInputExitsTwoBeforeAnythingIsCreated() throws Exception {
        Path dir = tmp.resolve("never");
        Result zero = cli("bench", "pool", "--n", "0", "--dir", dir.toString());
        assertEquals(2, zero.code());
        assertTrue(zero.err().contains("--n must be >= 1"), zero.err());
        Path hal = Files.writeString(tmp.resolve("hal.yaml"), CampaignCliTest.YAML.replace("protocol:\n", "protocol:\n  name: gap-rss\n"));
        Result other = cli("bench", "pool", "--n", "8", "--config", hal.toString(), "--dir", dir.toString());
        assertEquals(2, other.code(), other.err());
        assertFalse(other.err().contains("Exception"), other.err());
        assertFalse(Files.exists(dir), "nothing created");
    }
}
