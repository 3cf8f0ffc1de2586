package org.crucible.driver.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.driver.campaign.CampaignRunner;
import org.crucible.driver.campaign.CampaignState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resolved DFT settings record: a campaign created before it resumes with its old defaults and the same settings
 * hash (so the same task hashes) as the code it was created with; a new campaign records every setting after today's
 * defaults and resumes from that record.
 */
class OracleSettingsRecordTest {
    /**
     * Settings hashes of these inline settings computed by main at 6f87f2c (before one schema), with Debian's
     * Si.pz-vbc.UPF: the hashes every task of a campaign created then was keyed by.
     */
    private static final Map<String, String> MAIN_6F87F2C = Map.of(
            "{pseudopotentials: {Si: Si.pz-vbc.UPF}, ecutwfc: 16}", "875d822a79bb7212b6b2fe4efd8308829900b997cf99b09183209f796b9a664c",
            "{pseudopotentials: {Si: Si.pz-vbc.UPF}, ecutwfc: 16, kspacing: 0.6, smearing: none, timeout_seconds: 300}",
            "5664dd0170c707aea23d6a388b7f2202c76a75e92e1855f8a646efac9d67c981",
            "{pseudopotentials: {Si: Si.pz-vbc.UPF}}", "38276b00756fa5538dedc216edf98b25b64878971942e34be70efb015b21dc21");

    @TempDir
    Path tmp;
    private CampaignRunner runner;

    @BeforeEach
    void needsThePseudopotential() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/usr/share/espresso/pseudo/Si.pz-vbc.UPF")),
                "needs Debian quantum-espresso-data (Si.pz-vbc.UPF)");
        runner = new CampaignRunner(Clock.systemUTC(), System::nanoTime, System.out, Map.of(), null);
    }

    private static CampaignConfig config(String settings) {
        return CampaignConfigLoader.parse("name: a\ncomposition: Si8\noracle:\n  type: pw.x\n  settings: " + settings + "\n", false, "c.yaml");
    }

    private String settingsHash(CampaignConfig cfg, Path dir) {
        try (Oracle o = runner.oracle(cfg, dir)) {
            return o.settingsHash();
        }
    }

    @Test
    void aCampaignCreatedBeforeTheRecordResumesWithItsOldDefaultsAndTaskHashes() throws Exception {
        int i = 0;
        for (Map.Entry<String, String> e : MAIN_6F87F2C.entrySet()) {
            Path dir = tmp.resolve("old-" + i++);
            Files.createDirectories(dir);
            CampaignState.initial("a", 0, "sha", "pool-relaxation").write(dir.resolve("state.json"));
            CampaignConfig cfg = config(e.getKey());
            assertEquals(e.getValue(), settingsHash(cfg, dir), "legacy campaign " + e.getKey());
            // Its first resume writes the record, with the old inline defaults; later resumes read it.
            OracleSettingsRecord r = OracleFactory.settingsRecord(cfg, dir).orElseThrow();
            assertEquals(OracleSettingsRecord.LEGACY_INLINE, r.identity());
            if (!e.getKey().contains("kspacing")) {
                assertEquals(0.3, r.settings().get("kpoint_spacing"));
                assertEquals("mv", r.settings().get("smearing"));
            }
            r.write(dir);
            assertEquals(e.getValue(), settingsHash(cfg, dir), "resumed from its record " + e.getKey());
            assertEquals(r, OracleSettingsRecord.read(dir).orElseThrow());
        }
    }

    @Test
    void aNewCampaignRecordsEverySettingAfterTodaysDefaultsAndResumesFromTheRecord() throws Exception {
        CampaignConfig cfg = config("{pseudopotentials: {Si: Si.pz-vbc.UPF}, ecutwfc: 16}");
        Path dir = tmp.resolve("new");
        OracleSettingsRecord r = OracleFactory.settingsRecord(cfg, dir).orElseThrow();
        assertEquals(OracleSettingsRecord.RESOLVED, r.identity());
        assertEquals(0.2, r.settings().get("kpoint_spacing"));
        assertEquals("none", r.settings().get("smearing"));
        assertEquals(64.0, r.settings().get("ecutrho"));
        assertEquals(3600, r.settings().get("timeout_seconds"));
        String created = settingsHash(cfg, dir);
        assertNotEquals(MAIN_6F87F2C.get("{pseudopotentials: {Si: Si.pz-vbc.UPF}, ecutwfc: 16}"), created, "other defaults, other labels");
        Files.createDirectories(dir);
        r.write(dir);
        CampaignState.initial("a", 0, "sha", "pool-relaxation").write(dir.resolve("state.json"));
        assertEquals(created, settingsHash(cfg, dir), "resumed from the record: the same task hashes");
        // The record, not today's defaults, decides on resume: a campaign created when the default was 0.3 keeps 0.3.
        Map<String, Object> older = new LinkedHashMap<>(r.settings());
        older.put("kpoint_spacing", 0.3);
        new OracleSettingsRecord("qe", OracleSettingsRecord.RESOLVED, older).write(dir);
        String fromOlder = settingsHash(cfg, dir);
        assertNotEquals(created, fromOlder);
        assertEquals(fromOlder, settingsHash(cfg, dir));
    }
}
