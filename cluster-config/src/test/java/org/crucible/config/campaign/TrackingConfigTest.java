package org.crucible.config.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.crucible.core.config.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code tracking} section: reference files checked at load time, relax settings, the stop rule. */
class TrackingConfigTest {
    private static final String BASE = "name: si8\ncomposition: Si8\noracle:\n  type: sw\nprotocol:\n  name: gap-rss\n";
    private static final Path REFS = Path.of("..", "examples", "si-references").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    private static CampaignConfig parse(String yaml) {
        return CampaignConfigLoader.parse(yaml, false, "t.yaml", REFS.getParent(), null);
    }

    @Test
    void absentMeansNone() {
        CampaignConfig c = parse(BASE);
        assertEquals(TrackingConfig.NONE, c.tracking());
        assertFalse(c.tracking().enabled());
        assertFalse(c.tracking().stops());
    }

    @Test
    void referencesResolveAgainstTheFileAndGetTheirNames() {
        CampaignConfig c = parse(BASE + "tracking:\n  references: [si-references/diamond.xyz, si-references/beta-tin.xyz]\n"
                + "  relax: {fmax: 0.02, smax_gpa: 0.05, steps: 500}\n  stop: {tol_mev_per_atom: 8, cycles: 3}\n");
        TrackingConfig t = c.tracking();
        assertEquals(List.of(REFS.resolve("diamond.xyz").toString(), REFS.resolve("beta-tin.xyz").toString()), t.references());
        assertEquals(List.of("diamond", "beta-tin"), t.names());
        assertEquals(0.02, t.fmaxEvPerAngstrom());
        assertEquals(0.05, t.smaxGPa());
        assertEquals(500, t.steps());
        assertTrue(t.stops());
        assertEquals(8.0, t.stopTolMeVPerAtom());
        assertEquals(3, t.stopCycles());
    }

    @Test
    void theSiExampleTracksSevenCrystalsStopsOnFiveAndDrawsTheirCurves() {
        CampaignConfig c = CampaignConfigLoader.load(Path.of("..", "examples", "si-gaprss-sw.yaml"));
        assertEquals(List.of("diamond", "lonsdaleite", "beta-tin", "bc8", "sh", "fcc", "bcc"), c.tracking().names());
        assertEquals(List.of("diamond", "lonsdaleite", "beta-tin", "bc8", "sh"), c.tracking().stopNames());
        assertTrue(c.tracking().evCurves());
        assertEquals(9, c.tracking().evPoints());
        assertEquals(0.12, c.tracking().evRange());
    }

    @Test
    void theStopRuleWatchesAllReferencesUnlessNamedAndCurvesAreOff() {
        TrackingConfig t = parse(BASE + "tracking:\n  references: [si-references/diamond.xyz, si-references/fcc.xyz]\n  stop: {tol_mev_per_atom: 8}\n").tracking();
        assertEquals(List.of("diamond", "fcc"), t.stopNames());
        assertFalse(t.evCurves());
        TrackingConfig sub = parse(BASE + "tracking:\n  references: [si-references/diamond.xyz, si-references/fcc.xyz]\n"
                + "  stop: {tol_mev_per_atom: 8, references: [fcc, fcc]}\n  ev_curve: {points: 5}\n").tracking();
        assertEquals(List.of("fcc"), sub.stopNames());
        assertEquals(5, sub.evPoints());
        assertEquals(0.1, sub.evRange());
    }

    @Test
    void aStopReferenceThatIsNotTrackedAndBadCurvesAreRefusedAtTheirLines() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> parse(BASE
                + "tracking:\n  references: [si-references/diamond.xyz, si-references/fcc.xyz]\n"
                + "  stop: {tol_mev_per_atom: 8, references: [diamnd]}\n  ev_curve: {points: 2, range: 0.6}\n"));
        String m = e.getMessage();
        assertTrue(m.contains("tracking.stop.references[0]") && m.contains("'diamnd' is not a tracked reference") && m.contains("did you mean 'diamond'"), m);
        assertTrue(m.contains("tracking.ev_curve.points") && m.contains("tracking.ev_curve.range"), m);
        assertTrue(m.contains("line 9") && m.contains("line 10"), m);
        ConfigurationException none = assertThrows(ConfigurationException.class, () -> parse(BASE + "tracking:\n  ev_curve: {points: 5}\n"));
        assertTrue(none.getMessage().contains("energy-volume curves need tracking.references"), none.getMessage());
    }

    @Test
    void badFilesAndValuesAreReportedWithTheirFieldAndLine() throws Exception {
        Path two = tmp.resolve("two.xyz");
        String d = Files.readString(REFS.resolve("diamond.xyz"));
        Files.writeString(two, d + d);
        Path carbon = tmp.resolve("carbon.xyz");
        Files.writeString(carbon, d.replace("Si ", "C  "));
        String yaml = BASE + "tracking:\n  references:\n    - si-references/nonexistent.xyz\n    - " + two + "\n    - " + carbon + "\n"
                + "    - si-references/diamond.xyz\n    - si-references/diamond.xyz\n  relax: {fmax: 0, stepz: 3}\n  stop: {tol_mev_per_atom: -1}\n";
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> parse(yaml));
        String m = e.getMessage();
        assertTrue(m.contains("tracking.references[0]") && m.contains("nonexistent.xyz") && m.contains("does not exist"), m);
        assertTrue(m.contains("tracking.references[1]") && m.contains("holds 2 structures"), m);
        assertTrue(m.contains("tracking.references[2]") && m.contains("contains C"), m);
        assertTrue(m.contains("tracking.references[4]") && m.contains("'diamond'") && m.contains("references[3]"), m);
        assertTrue(m.contains("tracking.relax.fmax"), m);
        assertTrue(m.contains("tracking.relax.stepz") && m.contains("unknown key"), m);
        assertTrue(m.contains("tracking.stop.tol_mev_per_atom"), m);
        assertTrue(m.contains("line 9"), "the line of references[0]: " + m);
        assertEquals(7, e.problems().size(), m);
    }

    @Test
    void aStopRuleNeedsReferences() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> parse(BASE + "tracking:\n  stop: {tol_mev_per_atom: 10}\n"));
        assertTrue(e.getMessage().contains("tracking.stop") && e.getMessage().contains("tracking.references"), e.getMessage());
        ConfigurationException empty = assertThrows(ConfigurationException.class, () -> parse(BASE + "tracking:\n  references: []\n"));
        assertTrue(empty.getMessage().contains("tracking.references") && empty.getMessage().contains("non-empty list"), empty.getMessage());
    }
}
