package org.crucible.driver.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.core.Structure;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.driver.campaign.CampaignRunner;
import org.crucible.driver.pool.PerturbStage;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.LabelStatus;
import org.crucible.core.Cell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The campaign's pw.x oracle with real pw.x on Si8: labels with provenance, and harvesting instead of re-running. */
class LocalDftOracleTest {
    @TempDir
    Path dir;

    @Test
    void labelsSi8WithRealPwxAndHarvestsFinishedRuns() throws Exception {
        TestEnvironment.assumeExecutable("pw.x", "quantum-espresso");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/usr/share/espresso/pseudo/Si.pz-vbc.UPF")),
                "needs Debian quantum-espresso-data (Si.pz-vbc.UPF)");
        String yaml = """
                name: si8-qe
                composition: Si8
                oracle:
                  type: pw.x
                  settings: {pseudopotentials: {Si: Si.pz-vbc.UPF}, ecutwfc: 16, kspacing: 0.6, smearing: none, timeout_seconds: 300}
                """;
        var cfg = CampaignConfigLoader.parse(yaml, false, "qe.yaml");
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        CampaignRunner runner = new CampaignRunner(clock, System::nanoTime, System.out, Map.of(), null);
        double[] frac = {0, 0, 0, 0, .5, .5, .5, 0, .5, .5, .5, 0, .25, .25, .25, .25, .75, .75, .75, .25, .75, .75, .75, .25};
        double[] xyz = new double[24];
        for (int i = 0; i < 24; i++) xyz[i] = frac[i] * 5.43;
        Structure si8 = PerturbStage.perturb(Structure.of(Cell.cubic(5.43), new int[] {14, 14, 14, 14, 14, 14, 14, 14}, xyz), 0.05, 3);
        List<LabelRecord> got = new ArrayList<>();
        try (Oracle o = runner.oracle(cfg, dir)) {
            assertEquals("pw.x", o.code());
            o.label(List.of(OracleTask.of(si8, o, 7)), 1, "dbscan", got::add);
        }
        assertEquals(1, got.size());
        LabelRecord r = got.get(0);
        assertEquals(LabelStatus.OK, r.status(), r.message());
        double e = r.structure().labels().energy();
        assertTrue(e < -800 && e > -900, "Si8 with Si.pz-vbc is about -857 eV: " + e);
        assertEquals(24, r.structure().labels().forces().length);
        assertEquals(6, r.structure().labels().stress().length);
        assertTrue(r.provenance().codeVersion().startsWith("6."), r.provenance().codeVersion());
        assertEquals(1, r.provenance().cycle());
        assertTrue(r.provenance().jobId().startsWith("local:"));

        // The same task again (a resume after a kill between pw.x finishing and the store append): harvested, not re-run.
        long before = Files.getLastModifiedTime(dir.resolve("dft").resolve(r.taskHash().substring(0, 16)).resolve("pw.out")).toMillis();
        List<LabelRecord> again = new ArrayList<>();
        try (Oracle o = runner.oracle(cfg, dir)) {
            o.label(List.of(OracleTask.of(si8, o, 7)), 1, "dbscan", again::add);
        }
        assertEquals(r.taskHash(), again.get(0).taskHash());
        assertEquals(e, again.get(0).structure().labels().energy());
        assertEquals(before, Files.getLastModifiedTime(dir.resolve("dft").resolve(r.taskHash().substring(0, 16)).resolve("pw.out")).toMillis(),
                "pw.x did not run again");
    }

    @Test
    void relaxesWithPwxVcRelaxAsOneRunAndHarvestsItOnResume() throws Exception {
        TestEnvironment.assumeExecutable("pw.x", "quantum-espresso");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/usr/share/espresso/pseudo/Si.pz-vbc.UPF")),
                "needs Debian quantum-espresso-data (Si.pz-vbc.UPF)");
        String yaml = """
                name: si2-qe
                composition: Si2
                oracle:
                  type: pw.x
                  settings: {pseudopotentials: {Si: Si.pz-vbc.UPF}, ecutwfc: 12, kspacing: 0.5, smearing: mv, degauss: 0.02, timeout_seconds: 300}
                """;
        var cfg = CampaignConfigLoader.parse(yaml, false, "qe.yaml");
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        CampaignRunner runner = new CampaignRunner(clock, System::nanoTime, System.out, Map.of(), null);
        // Primitive diamond compressed by 4 % with one atom pushed 0.08 A off its site.
        double a = 5.43 * 0.96;
        Cell fcc = new Cell(new double[] {0, a / 2, a / 2, a / 2, 0, a / 2, a / 2, a / 2, 0}, new boolean[] {true, true, true});
        Structure si2 = Structure.of(fcc, new int[] {14, 14}, new double[] {0, 0, 0, a / 4 + 0.08, a / 4, a / 4});
        List<LabelRecord> sp = new ArrayList<>();
        List<OracleRelaxation> got;
        try (Oracle o = runner.oracle(cfg, dir)) {
            o.label(List.of(OracleTask.of(si2, o, 1)), 0, "test", sp::add);
            got = o.relax(List.of(OracleTask.of(si2, o, 1)), 0.01, 40);
        }
        assertEquals(1, got.size());
        OracleRelaxation r = got.get(0);
        assertTrue(r.ok(), r.stopReason());
        assertEquals("converged", r.stopReason());
        assertEquals(1, r.poolId());
        assertTrue(r.singlePoints() >= 3, "several ionic steps, each one SCF: " + r.singlePoints());
        assertTrue(r.relaxed().labels().energy() < sp.get(0).structure().labels().energy() - 0.01,
                "relaxed " + r.relaxed().labels().energy() + " eV below the strained single point " + sp.get(0).structure().labels().energy());
        assertTrue(r.relaxed().labels().maxForce() < 0.02, "final forces " + r.relaxed().labels().maxForce());
        assertTrue(r.relaxed().cell().volume() > si2.cell().volume() * 1.05, "the compressed cell expanded");
        assertTrue(r.jobId().startsWith("local:relax-"), r.jobId());

        // A resumed validation finds the finished run and does not start pw.x again.
        Path out = dir.resolve("dft").resolve(r.jobId().substring("local:".length())).resolve("pw.out");
        long before = Files.getLastModifiedTime(out).toMillis();
        List<OracleRelaxation> again;
        try (Oracle o = runner.oracle(cfg, dir)) {
            again = o.relax(List.of(OracleTask.of(si2, o, 1)), 0.01, 40);
        }
        assertEquals(r.relaxed().labels().energy(), again.get(0).relaxed().labels().energy());
        assertEquals(r.singlePoints(), again.get(0).singlePoints());
        assertEquals(before, Files.getLastModifiedTime(out).toMillis(), "pw.x did not run again");
    }

    @Test
    void aRecipeFileDrivesTheOracleAndEntersTheSettingsHash() throws Exception {
        TestEnvironment.assumeExecutable("pw.x", "quantum-espresso");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/usr/share/espresso/pseudo/Si.pz-vbc.UPF")),
                "needs Debian quantum-espresso-data (Si.pz-vbc.UPF)");
        Path recipe = dir.resolve("recipes/qe-si.yaml");
        Files.createDirectories(recipe.getParent());
        Files.writeString(recipe, "code: qe\npseudo_dir: /usr/share/espresso/pseudo\npseudopotentials: {Si: Si.pz-vbc.UPF}\necutwfc: 12\n"
                + "kpoint_spacing: 0.5\n");
        Path campaign = dir.resolve("recipes/c.yaml");
        Files.writeString(campaign, "name: si2-file\ncomposition: Si2\noracle: {type: pw.x, settings_file: qe-si.yaml}\n");
        CampaignRunner runner = new CampaignRunner(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), System::nanoTime, System.out,
                Map.of(), null);
        double a = 5.43;
        Cell fcc = new Cell(new double[] {0, a / 2, a / 2, a / 2, 0, a / 2, a / 2, a / 2, 0}, new boolean[] {true, true, true});
        Structure si2 = Structure.of(fcc, new int[] {14, 14}, new double[] {0, 0, 0, a / 4 + 0.05, a / 4, a / 4});
        List<LabelRecord> got = new ArrayList<>();
        String hash1;
        try (Oracle o = runner.oracle(CampaignConfigLoader.load(campaign), dir.resolve("run"))) {
            hash1 = o.settingsHash();
            o.label(List.of(OracleTask.of(si2, o, 0)), 0, "test", got::add);
        }
        assertEquals(LabelStatus.OK, got.get(0).status(), got.get(0).message());
        assertTrue(got.get(0).structure().labels().energy() < -200 && got.get(0).structure().labels().energy() > -230,
                "Si2 with Si.pz-vbc is about -214 eV: " + got.get(0).structure().labels().energy());
        // Another cutoff in the recipe is another settings hash: labels of different recipes never mix in a store.
        Files.writeString(recipe, Files.readString(recipe).replace("ecutwfc: 12", "ecutwfc: 14"));
        try (Oracle o = runner.oracle(CampaignConfigLoader.load(campaign), dir.resolve("run"))) {
            assertTrue(!o.settingsHash().equals(hash1), "the recipe's content enters the settings hash");
        }
        // A recipe error names the file and the field before anything runs.
        Files.writeString(recipe, "code: qe\npseudo_dir: /usr/share/espresso/pseudo\npseudopotentials: {Si: Si.pz-vbc.UPF}\necutwfc: -3\n");
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.crucible.driver.campaign.CampaignException.class,
                () -> runner.oracle(CampaignConfigLoader.load(campaign), dir.resolve("run")));
        assertTrue(e.getMessage().contains("oracle.settings_file") && e.getMessage().contains("qe-si.yaml") && e.getMessage().contains("ecutwfc"),
                e.getMessage());
    }
}
