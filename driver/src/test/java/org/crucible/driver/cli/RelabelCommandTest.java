package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.crucible.driver.oracle.OracleCallLedger;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.LabelStatus;
import org.crucible.driver.store.TrainingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crucible relabel DIR --failed}: a finished campaign whose oracle failed a seeded half of its cycle-0 tasks on
 * their first attempt ({@code oracle.inject_failures} with {@code attempts: 1}; {@code max_attempts: 1}, so the
 * campaign itself never retried) gets those labels retried once with {@code --max-attempts 2}: each is sent once,
 * stored once (OK at attempt 2, replacing its FAILED record), and a second pass sends nothing.
 */
class RelabelCommandTest {
    static final String YAML = """
            name: si8-relabel
            seed: 5
            composition: Si8
            pools:
              training: {size: 8}
              search: {per_group: 1, space_groups: [227, 194]}
            potential:
              basis: {cutoff: 4.5, max_degree: [8, 6], l_max: 2}
              committee: 2
            protocol:
              cycle0_batch: 6
              relax: {fmax: 0.2, steps: 5, patience: 5}
              selection: {batch: 2}
            oracle:
              type: sw
              max_attempts: 1
              inject_failures: {fraction: 0.5, seed: 2, seconds: 0, attempts: 1}
            stopping: {k: 1, max_cycles: 1}
            validation: {top_k: 1, steps: 5}
            spark: {master: "local[1]", ui: false, progress: false}
            """;

    @TempDir
    Path tmp;

    static CampaignCliTest.Result cli(String... args) {
        return CampaignCliTest.cli(args);
    }

    @Test
    void aFinishedCampaignsFailedLabelsAreRetriedOnceAndStoredOnce() throws Exception {
        Path config = Files.writeString(tmp.resolve("c.yaml"), YAML);
        Path dir = tmp.resolve("run");
        CampaignCliTest.Result run = cli("run", config.toString(), "--dir", dir.toString());
        assertEquals(0, run.code(), run.err());
        JsonNode status = new ObjectMapper().readTree(cli("status", dir.toString(), "--json").out());
        assertEquals("done", status.get("next_stage").asText(), status.toString());

        Map<String, LabelRecord> before = records(dir);
        List<String> failed = before.values().stream().filter(r -> r.status() == LabelStatus.FAILED).map(LabelRecord::taskHash).sorted().toList();
        assertFalse(failed.isEmpty(), "the campaign finished with FAILED labels: " + before.size() + " labels");
        assertTrue(failed.size() < before.size(), "and OK ones");
        int callsBefore = ledger(dir).size();

        // the campaign's own budget (1 attempt) is used up: nothing is sent
        CampaignCliTest.Result same = cli("relabel", dir.toString(), "--failed");
        assertEquals(0, same.code(), same.err());
        assertTrue(same.out().contains(failed.size() + " FAILED label(s) before, 0 sent again (budget 1 attempts)"), same.out());
        assertEquals(callsBefore, ledger(dir).size());

        // a larger budget: each FAILED label is sent once and replaces its record
        CampaignCliTest.Result raised = cli("relabel", dir.toString(), "--failed", "--max-attempts", "2");
        assertEquals(0, raised.code(), raised.err());
        assertTrue(raised.out().contains(failed.size() + " FAILED label(s) before, " + failed.size() + " sent again (budget 2 attempts), 0 FAILED after"),
                raised.out());
        Map<String, LabelRecord> after = records(dir);
        assertEquals(before.keySet(), after.keySet(), "no label added or lost");
        for (String h : failed) {
            LabelRecord r = after.get(h);
            assertEquals(LabelStatus.OK, r.status(), h);
            assertEquals(2, r.provenance().attempt());
            assertEquals(1, r.provenance().earlierFailures().size());
            assertTrue(r.provenance().earlierFailures().get(0).reason().contains("injected failure"), r.provenance().earlierFailures().toString());
        }
        for (var e : before.entrySet()) {
            if (e.getValue().status() == LabelStatus.OK) assertEquals(e.getValue().structure().labels().energy(), after.get(e.getKey()).structure().labels().energy());
        }
        List<OracleCallLedger.Call> calls = ledger(dir);
        assertEquals(callsBefore + failed.size(), calls.size(), "one oracle call per FAILED label");
        for (String h : failed) {
            assertEquals(List.of(1, 2), calls.stream().filter(c -> c.taskHash().equals(h)).map(OracleCallLedger.Call::attempt).toList(), h);
        }
        try (TrainingStore ro = TrainingStore.openReadOnly(dir.resolve("store").toUri(), new Configuration())) {
            TrainingStore.Verification v = ro.verify();
            assertTrue(v.clean(), v.toString());
            assertEquals(before.size(), v.records());
            assertEquals(Map.of(), v.duplicates(), "each label stored once");
            assertEquals(v.records() + v.superseded(), v.frames());
        }
        CampaignCliTest.Result verify = cli("store", "verify", dir.toString());
        assertEquals(0, verify.code(), verify.out() + verify.err());
        assertTrue(Files.readString(dir.resolve("campaign.log")).contains("relabel --failed: " + failed.size() + " FAILED label(s) in the store; budget 2"));

        // again: nothing left to retry, nothing sent
        CampaignCliTest.Result again = cli("relabel", dir.toString(), "--failed", "--max-attempts", "2");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("0 FAILED label(s) before, 0 sent again"), again.out());
        assertEquals(calls.size(), ledger(dir).size());

        // bad input: exit 2 naming the option or the directory, nothing changed
        CampaignCliTest.Result bad = cli("relabel", dir.toString(), "--failed", "--max-attempts", "0");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--max-attempts must be 1..100, got 0"), bad.err());
        CampaignCliTest.Result none = cli("relabel", tmp.resolve("nothing").toString(), "--failed");
        assertEquals(2, none.code());
        assertTrue(none.err().contains(tmp.resolve("nothing").toString()), none.err());
        assertFalse(Files.exists(tmp.resolve("nothing")));
        assertEquals(2, cli("relabel", dir.toString()).code(), "--failed is required");
        assertEquals(calls.size(), ledger(dir).size());
        CampaignCliTest.Result help = cli("relabel", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--max-attempts"), help.out());
    }

    private static Map<String, LabelRecord> records(Path dir) {
        try (TrainingStore ro = TrainingStore.openReadOnly(dir.resolve("store").toUri(), new Configuration())) {
            Map<String, LabelRecord> m = new java.util.TreeMap<>();
            ro.all().forEach(r -> m.put(r.taskHash(), r));
            return m;
        }
    }

    private static List<OracleCallLedger.Call> ledger(Path dir) {
        return OracleCallLedger.read(dir.resolve(OracleCallLedger.FILE)).labels();
    }
}
