package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
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

    @TempDir
    static Path shared;
    /** The campaign of CampaignCliTest.YAML tracking diamond (run once for the class). */
    static Path dir;

    @BeforeAll
    static void runTheCampaign() throws Exception {
        Path refs = Files.createDirectories(shared.resolve("refs"));
        Files.copy(Path.of("..", "examples", "si-references", "diamond.xyz"), refs.resolve("diamond.xyz"));
        Path cfg = shared.resolve("si8.yaml");
        Files.writeString(cfg, CampaignCliTest.YAML + "tracking:\n  references: [refs/diamond.xyz]\n  relax: {steps: 300}\n");
        dir = shared.resolve("run");
        CampaignCliTest.Result r = CampaignCliTest.cli("run", cfg.toString(), "--dir", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(dir.resolve("refs/diamond.xyz")), "the reference is copied beside the campaign's copy of its file");
        Files.delete(refs.resolve("diamond.xyz")); // status and report read the campaign directory's copy
    }

    @Test
    void statusJsonAndTheReportCarryThePerCycleErrorsOfTheTrackedCrystals() throws Exception {
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

        CampaignCliTest.Result plain = CampaignCliTest.cli("status", dir.toString());
        assertEquals(0, plain.code(), plain.err());
        String text = plain.out();
        assertTrue(text.contains("tracked reference crystals") && text.contains(distinct + " reference single points"), text);
        String cycle1 = text.lines().filter(l -> l.trim().startsWith("1 ") && l.contains(t.get("cycles").get(1).get("model").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no row of the cycle-1 fit in:\n" + text));
        assertTrue(cycle1.contains(String.format(Locale.ROOT, "%+.1f", err1)), "cycle-1 error " + err1 + " in: " + cycle1);
        assertFalse(text.contains("stop rule"), "no stop rule configured: " + text);

        Path html = tmp.resolve("report.html");
        CampaignCliTest.Result rep = CampaignCliTest.cli("report", dir.toString(), "-o", html.toString());
        assertEquals(0, rep.code(), rep.err());
        String page = Files.readString(html);
        assertTrue(page.contains("Tracked reference crystals"), "section present");
        assertTrue(page.contains("data-plot=\"reference-errors\""), "plot present");
        assertTrue(page.contains(String.format(Locale.ROOT, "%+.1f", err1)), "cycle-1 error in the table: " + err1);
    }

    /**
     * The reference single points are paid oracle calls: {@code status --json} and the plain status give them their own
     * core-hours row (wall time of each kept record in {@code references/labels/} x 1 core of the embedded oracle), and
     * the report's Compute cost section has them in its table of oracle calls by kind, its per-stage table and its
     * timeline. A label call the ledger records beyond the store's records is counted in its own row, without hours.
     */
    @Test
    void referenceSinglePointsAreCountedInTheCoreHoursOfStatusAndTheReport() throws Exception {
        double wall = 0;
        int files = 0;
        try (var list = Files.list(dir.resolve("references/labels"))) {
            for (Path f : list.toList()) {
                try (var in = Files.newBufferedReader(f)) {
                    for (var r : org.crucible.driver.store.ShardCodec.read(in, f.toString())) {
                        wall += r.provenance().wallTimeSeconds();
                        files++;
                    }
                }
            }
        }
        assertTrue(files >= 1 && wall > 0, "reference labels kept with their wall time: " + files + ", " + wall);
        CampaignCliTest.Result st = CampaignCliTest.cli("status", dir.toString(), "--json");
        assertEquals(0, st.code(), st.err());
        JsonNode status = new ObjectMapper().readTree(st.out());
        assertEquals(org.crucible.driver.pool.Seeds.text(org.crucible.driver.campaign.CampaignState.read(dir.resolve("state.json")).seed()),
                status.get("seed").asText(), "status --json: the campaign's seed, unsigned");
        JsonNode h = status.get("oracle_core_hours");
        assertEquals("labels", h.get("rows").get(0).get("kind").asText(), h.toString());
        assertEquals(13, h.get("rows").get(0).get("single_points").asInt(), h.toString());
        JsonNode ref = h.get("rows").get(1);
        assertEquals("reference", ref.get("kind").asText(), h.toString());
        assertEquals(files, ref.get("single_points").asInt(), h.toString());
        assertEquals(wall / 3600, ref.get("core_hours").asDouble(), 1e-12, "embedded oracle: one core per calculation");
        double sum = 0;
        for (JsonNode r : h.get("rows")) sum += r.get("core_hours").asDouble();
        assertEquals(sum, h.get("total_core_hours").asDouble(), 1e-12, h.toString());

        CampaignCliTest.Result plain = CampaignCliTest.cli("status", dir.toString());
        String line = plain.out().lines().filter(l -> l.startsWith("oracle core-h:")).findFirst().orElseThrow(() -> new AssertionError(plain.out()));
        assertTrue(line.contains("training labels") && line.contains("(13 single points)") && line.contains("reference single points")
                && line.contains("(" + files + " single points)"), line);

        Path html = tmp.resolve("cost.html");
        CampaignCliTest.Result rep = CampaignCliTest.cli("report", dir.toString(), "-o", html.toString());
        assertEquals(0, rep.code(), rep.err());
        String page = Files.readString(html);
        var row = java.util.regex.Pattern.compile("<tr data-kind=\"reference\"><td class=\"l\">[^<]*</td><td>(\\d+)</td>").matcher(page);
        assertTrue(row.find(), "reference row in the table of oracle calls by kind");
        assertEquals(files, Integer.parseInt(row.group(1)));
        assertTrue(page.contains("<td class=\"l\">reference single points (oracle)</td>"), "own row in the per-stage core-hours table");
        String timeline = page.substring(page.indexOf("data-plot=\"core-hours-timeline\""));
        timeline = timeline.substring(0, timeline.indexOf("</svg>", timeline.indexOf("</svg>") + 1)); // the plot area is an inner svg
        String legends = String.join(", ", java.util.regex.Pattern.compile("class=\"legend\">([^<]*)</text>").matcher(timeline).results().map(m -> m.group(1)).toList());
        assertTrue(legends.contains("reference single points (oracle)"), "own line in the core-hours timeline: " + legends);

        // a label call the ledger has beyond the store's records (as a relabelled failure's earlier attempt)
        Path copy = tmp.resolve("copy");
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                Path to = copy.resolve(dir.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(to);
                else Files.copy(p, to);
            }
        }
        Path ledger = copy.resolve(org.crucible.driver.oracle.OracleCallLedger.FILE);
        String labelLine = Files.readAllLines(ledger).stream().filter(l -> l.contains("\"kind\":\"label\"")).findFirst().orElseThrow();
        Files.writeString(ledger, labelLine + System.lineSeparator(), java.nio.file.StandardOpenOption.APPEND);
        JsonNode h2 = new ObjectMapper().readTree(CampaignCliTest.cli("status", copy.toString(), "--json").out()).get("oracle_core_hours");
        JsonNode last = h2.get("rows").get(h2.get("rows").size() - 1);
        assertEquals("unkept", last.get("kind").asText(), h2.toString());
        assertEquals(1, last.get("single_points").asInt(), h2.toString());
        assertTrue(last.get("core_hours").isNull(), h2.toString());
        assertEquals(h.get("total_core_hours").asDouble(), h2.get("total_core_hours").asDouble(), 1e-12, "no hours for a call whose wall time is not kept");
    }

    /**
     * CampaignAudit (the kill harness's check) counts only {@code label} ledger lines: the campaign's {@code reference}
     * single points (never in the store) are neither label calls nor "called but not stored", and a reference line
     * written twice (as by a driver killed after paying it) is not an interrupted label call.
     */
    @Test
    void campaignAuditIgnoresTheReferenceLinesOfTheOracleLedger() throws Exception {
        Path ledger = dir.resolve(org.crucible.driver.oracle.OracleCallLedger.FILE);
        var calls = org.crucible.driver.oracle.OracleCallLedger.read(ledger).calls();
        long references = calls.stream().filter(c -> c.kind().equals(org.crucible.driver.oracle.OracleCallLedger.REFERENCE)).count();
        assertTrue(references >= 1, "the run paid reference labels: " + calls);
        Path killed = tmp.resolve("killed");
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                Path to = killed.resolve(dir.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(to);
                else Files.copy(p, to);
            }
        }
        Path copy = killed.resolve(org.crucible.driver.oracle.OracleCallLedger.FILE);
        String referenceLine = Files.readAllLines(copy).stream().filter(l -> l.contains("\"kind\":\"reference\"")).findFirst().orElseThrow();
        Files.writeString(copy, referenceLine + System.lineSeparator(), java.nio.file.StandardOpenOption.APPEND);

        org.crucible.driver.bench.CampaignAudit.Result a = org.crucible.driver.bench.CampaignAudit.audit(dir, killed, java.util.Map.of());
        assertEquals(13, a.labelCalls(), "training label calls only (CampaignCliTest's 13): " + a.describe());
        assertEquals(13, a.referenceLabelCalls(), a.describe());
        assertEquals(java.util.List.of(), a.calledNotStored(), "reference single points are not expected in the store: " + a.describe());
        assertEquals(0, a.repeatedInterrupted(), a.describe());
        assertEquals(java.util.List.of(), a.violations(), a.describe());
    }

    @Test
    void thePlainStatusTableShowsAMissingLabelAsNaAndTheStopRule() throws Exception {
        JsonNode t = new ObjectMapper().readTree("""
                {"references": ["diamond", "sh"], "oracle_single_points": 3,
                 "cycles": [{"cycle": 0, "model": "models/model-000.json", "errors_meV_per_atom": {"diamond": -12.34, "sh": null},
                             "max_abs_error_meV_per_atom": null},
                            {"cycle": 1, "model": "models/model-001.json", "errors_meV_per_atom": {"diamond": 4.06, "sh": -9.96},
                             "max_abs_error_meV_per_atom": 9.96}],
                 "stop": {"tol_meV_per_atom": 10.0, "cycles": 2, "streak": 1, "converged": false}}
                """);
        String text = StatusCommand.referenceTable(t);
        java.util.List<String> lines = text.lines().toList();
        assertTrue(lines.get(1).startsWith("tracked reference crystals") && lines.get(1).contains("3 reference single points"), text);
        assertTrue(lines.get(2).matches("cycle\\s+model\\s+diamond\\s+sh\\s+largest \\|error\\|"), text);
        assertTrue(lines.get(4).matches("\\s*0\\s+models/model-000.json\\s+-12.3\\s+n/a\\s+n/a"), text);
        assertTrue(lines.get(5).matches("\\s*1\\s+models/model-001.json\\s+\\+4.1\\s+-10.0\\s+10.0"), text);
        assertEquals("stop rule: every |error| <= 10.0 meV/atom for 2 fits in a row; streak 1", lines.get(6), text);
        assertEquals("", StatusCommand.referenceTable(new ObjectMapper().readTree("{\"references\": [\"diamond\"], \"cycles\": []}")));
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
