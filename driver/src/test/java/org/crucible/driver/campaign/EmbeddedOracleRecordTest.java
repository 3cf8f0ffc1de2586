package org.crucible.driver.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.driver.cli.CrucibleCommand;
import org.crucible.driver.oracle.Oracle;
import org.crucible.driver.oracle.OracleFactory;
import org.crucible.driver.oracle.OracleSettingsRecord;
import org.crucible.driver.store.TaskHash;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The settings record of embedded calculators ({@code oracle-settings.resolved.json}, identity {@code embedded}): a
 * campaign with the Tersoff, SW, LJ or EAM oracle records at creation what its settings hash is computed from (the
 * parameter file's SHA-256, or the LJ specification), and a resume or {@code relabel --failed} after the parameter
 * file changed is refused with the file and both hashes, before Spark or the oracle start, instead of labelling with
 * another calculator under new task hashes. A campaign created before such records gets one on its first resume.
 */
class EmbeddedOracleRecordTest {
    private static final Path TERSOFF = Path.of(OracleFactory.DEFAULT_TERSOFF);

    @TempDir
    Path tmp;

    private final CampaignRunner runner = new CampaignRunner(CampaignFixtures.clock(), CampaignFixtures.ticker(), new PrintStream(PrintStream.nullOutputStream()),
            Map.of(), null);

    private Path configFile(String oracle) throws Exception {
        Path f = tmp.resolve("si8.yaml");
        Files.writeString(f, "name: si8-embedded\ncomposition: Si8\noracle: " + oracle + "\nspark: {master: \"local[1]\", ui: false, progress: false}\n");
        return f;
    }

    private String settingsHash(CampaignConfig cfg, Path dir) {
        try (Oracle o = runner.oracle(cfg, dir)) {
            return o.settingsHash();
        }
    }

    @Test
    void aResumeAfterTheTersoffParameterFileChangedIsRefusedNamingFileAndHashes() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(TERSOFF), "needs Debian's lammps-data (" + TERSOFF + ")");
        Path params = tmp.resolve("params/Si.tersoff");
        Files.createDirectories(params.getParent());
        String original = Files.readString(TERSOFF);
        Files.writeString(params, original);
        Path config = configFile("{type: tersoff, parameter_file: " + params + "}");
        Path dir = tmp.resolve("campaign");
        CampaignConfig cfg = CampaignConfigLoader.load(config);
        CampaignDirectory.create(cfg, config, dir, null);

        OracleSettingsRecord r = OracleSettingsRecord.read(dir).orElseThrow();
        assertEquals("tersoff", r.code());
        assertEquals(OracleSettingsRecord.EMBEDDED, r.identity());
        assertEquals(TaskHash.sha256(original), r.settings().get("parameters"));
        assertEquals(params.toAbsolutePath().normalize().toString(), r.settings().get("parameter_file"));
        OracleFactory.recordOrCheck(CampaignRunner.config(dir), dir); // unchanged: passes

        String before = settingsHash(cfg, dir);
        assertTrue(original.contains("3264.7"), "the Si Tersoff file's D parameter");
        String edited = original.replace("3264.7", "3300.0");
        Files.writeString(params, edited);
        assertNotEquals(before, settingsHash(cfg, dir), "the changed file would give every task a new hash");

        CampaignException e = assertThrows(CampaignException.class, () -> runner.resume(dir, null));
        assertTrue(e.getMessage().contains("tersoff oracle changed since the campaign started"), e.getMessage());
        assertTrue(e.getMessage().contains(params.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(TaskHash.sha256(original)) && e.getMessage().contains(TaskHash.sha256(edited)), e.getMessage());
        assertFalse(Files.exists(dir.resolve("store")), "refused before the store was opened");
        assertThrows(CampaignException.class, () -> runner.retryFailed(dir, null), "relabel --failed is refused as well");

        StringWriter err = new StringWriter();
        CommandLine cl = CrucibleCommand.commandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        assertEquals(1, cl.execute("resume", dir.toString()), err.toString());
        assertTrue(err.toString().contains("changed since the campaign started"), err.toString());
        assertFalse(err.toString().contains("Exception") || err.toString().contains("\tat "), err.toString());
        assertEquals(r, OracleSettingsRecord.read(dir).orElseThrow(), "the record is never rewritten to the new file");

        Files.writeString(params, original);
        FailedRelabel.Pass p = runner.retryFailed(dir, null);
        assertEquals(0, p.sent(), "with the file restored the campaign's oracle is accepted again: " + p);
    }

    @Test
    void swLjAndEamCampaignsAreRecordedAndAnOldCampaignGetsItsRecordOnResume() throws Exception {
        // the built-in SW parameters: nothing to hash but the name; a campaign without a record gets one
        Path sw = tmp.resolve("sw");
        Files.createDirectories(sw);
        CampaignConfig swCfg = CampaignConfigLoader.load(configFile("{type: sw}"));
        OracleFactory.recordOrCheck(swCfg, sw);
        OracleSettingsRecord r = OracleSettingsRecord.read(sw).orElseThrow();
        assertEquals(new OracleSettingsRecord("sw", OracleSettingsRecord.EMBEDDED, Map.of("type", "sw", "parameters", "builtin-silicon")), r);

        CampaignConfig lj = CampaignConfigLoader.load(configFile("{type: lj, epsilon: 0.2, sigma: 2.1, cutoff: 6.0}"));
        OracleSettingsRecord ljRecord = OracleFactory.settingsRecord(lj, tmp).orElseThrow();
        assertEquals("lj", ljRecord.code());
        assertEquals("Si:eps=0.2,sigma=2.1,rc=6.0", ljRecord.settings().get("spec"));
        CampaignConfig lj2 = CampaignConfigLoader.load(configFile("{type: lj, epsilon: 0.3, sigma: 2.1, cutoff: 6.0}"));
        CampaignException e = assertThrows(CampaignException.class, () -> ljRecord.requireSameCalculator(OracleFactory.settingsRecord(lj2, tmp).orElseThrow(), tmp));
        assertTrue(e.getMessage().contains("eps=0.3"), e.getMessage());

        Path eamFile = Path.of("/usr/share/lammps/potentials/W_zhou.eam.alloy");
        Assumptions.assumeTrue(Files.isReadable(eamFile), "needs Debian's lammps-data (" + eamFile + ")");
        Files.writeString(tmp.resolve("w.yaml"), "name: w\ncomposition: W4\noracle: {type: eam, file: " + eamFile + "}\n");
        OracleSettingsRecord eam = OracleFactory.settingsRecord(CampaignConfigLoader.load(tmp.resolve("w.yaml")), tmp).orElseThrow();
        assertEquals(TaskHash.sha256(Files.readString(eamFile)), eam.settings().get("parameters"));
        assertEquals(eamFile.toString(), eam.settings().get("parameter_file"));
        // the same parameters read from another path (the campaign's copy resolving a relative path) are the same calculator
        eam.requireSameCalculator(new OracleSettingsRecord("eam", OracleSettingsRecord.EMBEDDED,
                Map.of("type", "eam", "parameters", eam.settings().get("parameters"), "parameter_file", "/elsewhere/W_zhou.eam.alloy")), tmp);
    }
}
