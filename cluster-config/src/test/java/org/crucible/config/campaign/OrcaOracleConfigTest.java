package org.crucible.config.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.crucible.core.config.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code oracle.code: orca} in a campaign: molecules and clusters only, refused for periodic cells when the file is read. */
class OrcaOracleConfigTest {
    @TempDir
    Path dir;

    private Path campaign(String protocol, String seedsPbc) throws Exception {
        Files.writeString(dir.resolve("orca.yaml"), "code: orca\nmethod: revPBE\nbasis: def2-TZVP\nkeywords: D3BJ\n");
        if (seedsPbc != null) {
            Files.writeString(dir.resolve("co.extxyz"), "2\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3 pbc=\"" + seedsPbc
                    + "\"\nC 0 0 0\nO 1.13 0 0\n");
        }
        String yaml = "name: co\ncomposition: C1O1\n" + protocol
                + "oracle:\n  type: cluster\n  profile: local\n  code: orca\n  settings_file: orca.yaml\n";
        return Files.writeString(dir.resolve("campaign.yaml"), yaml);
    }

    @Test
    void moleculeSeedsLoad() throws Exception {
        CampaignConfig c = CampaignConfigLoader.load(campaign("protocol: {name: hal, cycle0_batch: 1}\nhal: {seeds: co.extxyz}\n", "F F F"));
        Oracle.Cluster o = (Oracle.Cluster) c.oracle();
        assertEquals("orca", o.code());
        assertEquals(dir.resolve("orca.yaml").toString(), o.settingsFile());
    }

    @Test
    void periodicCellsAreRefusedAtValidation() throws Exception {
        Path f = campaign("", null);
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> CampaignConfigLoader.load(f));
        assertEquals(f + ": 1 problem\n  line 6: oracle.code: orca labels molecules and clusters (no periodic axis), but the generator "
                + "'space-group-pools' makes periodic cells; use protocol.name hal with hal.seeds naming an extended XYZ file of non-periodic "
                + "structures (pbc=\"F F F\"), or a periodic code (qe, vasp, castep)", e.getMessage());
        Path g = campaign("protocol: {name: hal, cycle0_batch: 1}\n", null);
        e = assertThrows(ConfigurationException.class, () -> CampaignConfigLoader.load(g));
        assertEquals(g + ": 1 problem\n  line 7: oracle.code: orca labels molecules and clusters (no periodic axis), but the generator "
                + "'seed-structures' without hal.seeds makes random periodic cells; use protocol.name hal with hal.seeds naming an extended "
                + "XYZ file of non-periodic structures (pbc=\"F F F\"), or a periodic code (qe, vasp, castep)", e.getMessage());
        Path h = campaign("protocol: {name: hal, cycle0_batch: 1}\nhal: {seeds: co.extxyz}\n", "T T F");
        e = assertThrows(ConfigurationException.class, () -> CampaignConfigLoader.load(h));
        assertEquals(h + ": 1 problem\n  line 4: hal.seeds: frame 0 (CO) of '" + dir.resolve("co.extxyz") + "' is periodic (pbc T T F): "
                + "oracle.code orca labels molecules and clusters only; write the seeds with pbc=\"F F F\" or use a periodic code (qe, vasp, "
                + "castep)", e.getMessage());
    }
}
