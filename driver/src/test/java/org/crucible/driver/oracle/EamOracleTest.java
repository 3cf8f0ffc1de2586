package org.crucible.driver.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.driver.campaign.CampaignException;
import org.crucible.driver.campaign.CampaignRunner;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.LabelStatus;
import org.crucible.executors.calculators.Eam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The campaign oracle {@code type: eam}: built from the configuration, labels equal to the EAM's, elements checked. */
class EamOracleTest {
    static final String CUNI = "/usr/share/lammps/potentials/CuNi.eam.alloy";

    @TempDir
    Path dir;

    private CampaignRunner runner() {
        return new CampaignRunner(Clock.fixed(Instant.parse("2026-12-05T08:00:00Z"), ZoneOffset.UTC), () -> 0L, System.out, Map.of(), null);
    }

    private CampaignConfig config(String composition, String file) throws Exception {
        Path c = dir.resolve("c.yaml");
        Files.writeString(c, "name: eam-test\ncomposition: " + composition + "\noracle: {type: eam, file: " + file + "}\n");
        return CampaignConfigLoader.load(c);
    }

    @Test
    void eamOracleLabelsWithTheEamCalculator() throws Exception {
        TestEnvironment.assumeExecutable("lmp", "lammps");
        Oracle o = runner().oracle(config("Cu2Ni2", CUNI), dir);
        double a = 3.56;
        Structure s = Structure.of(Cell.cubic(a), new int[] {29, 28, 29, 28},
                new double[] {0, 0, 0, a / 2 + 0.05, a / 2, 0, a / 2, 0, a / 2, 0, a / 2, a / 2 - 0.03});
        List<LabelRecord> out = new ArrayList<>();
        o.label(List.of(OracleTask.of(s, o, 0)), 1, "test", out::add);
        assertEquals(1, out.size());
        assertEquals(LabelStatus.OK, out.get(0).status(), out.get(0).message());
        var ref = Eam.fromFile(Path.of(CUNI)).calculate(s);
        assertEquals(ref.energy(), out.get(0).structure().labels().energy(), 0.0);
        assertTrue(o.code().contains("eam"), o.code());
        // another potential file, another settings hash: labels are never mixed up
        Path copy = dir.resolve("CuNi-copy.eam.alloy");
        Files.writeString(copy, Files.readString(Path.of(CUNI)).replaceFirst("Cu-Ni EAM", "Cu-Ni EAM (copy)"));
        assertNotEquals(o.settingsHash(), runner().oracle(config("Cu2Ni2", copy.toString()), dir).settingsHash());
    }

    @Test
    void compositionOutsideThePotentialIsRefusedNamingTheField() throws Exception {
        TestEnvironment.assumeExecutable("lmp", "lammps");
        CampaignException e = assertThrows(CampaignException.class, () -> runner().oracle(config("Al4", CUNI), dir));
        assertTrue(e.getMessage().startsWith("oracle.file:") && e.getMessage().contains("Al") && e.getMessage().contains("Ni, Cu"), e.getMessage());
        Path bad = dir.resolve("bad.eam.alloy");
        Files.writeString(bad, "c\nc\nc\n1 Cu\n10 0.1 10 x 0.9\n");
        e = assertThrows(CampaignException.class, () -> runner().oracle(config("Cu4", bad.toString()), dir));
        assertTrue(e.getMessage().startsWith("oracle.file:") && e.getMessage().contains("bad.eam.alloy line 5"), e.getMessage());
    }
}
