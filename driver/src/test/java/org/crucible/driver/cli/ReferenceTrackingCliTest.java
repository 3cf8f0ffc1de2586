package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reference tracking through the command line, on the pool-relaxation protocol (tracking works for any protocol): a
 * relative reference file is copied into the campaign directory, {@code status --json} carries the per-cycle error
 * table, the report draws it, and a bad reference list exits 2 naming the field and creating nothing.
 */
class ReferenceTrackingCliTest {
    @TempDir
    Path tmp;

    @Test
    void statusJsonAndTheReportCarryThePerCycleErrorsOfTheTrackedCrystals() throws Exception {
        Path refs = Files.createDirectories(tmp.resolve("refs"));
        Files.copy(Path.of("..", "examples", "si-references", "diamond.xyz"), refs.resolve("diamond.xyz"));
        Path cfg = tmp.resolve("si8.yaml");
        Files.writeString(cfg, CampaignCliTest.YAML + "tracking:\n  references: [refs/diamond.xyz]\n  relax: {steps: 300}\n");
        Path dir = tmp.resolve("run");
        CampaignCliTest.Result r = CampaignCliTest.cli("run", cfg.toString(), "--dir", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(dir.resolve("refs/diamond.xyz")), "the reference is copied beside the campaign's copy of its file");
        Files.delete(refs.resolve("diamond.xyz")); // status and report read the campaign directory's copy

        CampaignCliTest.Result st = CampaignCliTest.cli("status", dir.toString(), "--json");
        assertEquals(0, st.code(), st.err());
        JsonNode s = new ObjectMapper().readTree(st.out());
        JsonNode t = s.get("reference_tracking");
        assertEquals("diamond", t.get("references").get(0).asText());
        assertEquals(2, t.get("cycles").size(), "fits of cycles 0 and 1: " + t);
        int distinct = t.get("oracle_single_points").asInt();
        assertTrue(distinct >= 1 && distinct <= 2, t.toString());
        assertEquals(13, s.get("oracle_single_points").asInt(), "training labels as without tracking (CampaignCliTest)");
        double err1 = t.get("cycles").get(1).get("errors_meV_per_atom").get("diamond").asDouble();
        JsonNode row = t.get("cycles").get(1).get("references").get(0);
        assertEquals((row.get("model_eV_per_atom").asDouble() - row.get("oracle_eV_per_atom").asDouble()) * 1000, err1, 1e-9);
        assertFalse(t.has("stop"), "no stop rule configured");

        Path html = tmp.resolve("report.html");
        CampaignCliTest.Result rep = CampaignCliTest.cli("report", dir.toString(), "-o", html.toString());
        assertEquals(0, rep.code(), rep.err());
        String page = Files.readString(html);
        assertTrue(page.contains("Tracked reference crystals"), "section present");
        assertTrue(page.contains("data-plot=\"reference-errors\""), "plot present");
        assertTrue(page.contains(String.format(Locale.ROOT, "%+.1f", err1)), "cycle-1 error in the table: " + err1);
    }

    @Test
    void aMissingReferenceExitsTwoNamingTheFieldAndLineAndCreatesNothing() throws Exception {
        Path cfg = tmp.resolve("bad.yaml");
        Files.writeString(cfg, CampaignCliTest.YAML + "tracking:\n  references: [nowhere/diamond.xyz]\n");
        Path dir = tmp.resolve("bad-run");
        CampaignCliTest.Result r = CampaignCliTest.cli("run", cfg.toString(), "--dir", dir.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("tracking.references[0]") && r.err().contains("nowhere/diamond.xyz") && r.err().contains("line 19"), r.err());
        assertFalse(r.err().contains("Exception"), "no Java class names: " + r.err());
        assertFalse(Files.exists(dir), "nothing created");
    }
}
