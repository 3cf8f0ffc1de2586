package org.crucible.config.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.crucible.core.config.ConfigurationException;

/** The {@code entropy} section and the {@code entropy-max} preset. */
class EntropyConfigTest {
    private static final String BASE = "name: w39\ncomposition: W39\noracle:\n  type: lj\nprotocol:\n  name: entropy-max\n  cycle0_batch: 4\n";

    @Test
    void defaultsAreThePapersSchedule() {
        CampaignConfig c = CampaignConfigLoader.parse(BASE, false, "e.yaml");
        assertEquals("entropy-max", c.protocol().name());
        assertEquals("entropy-anneal", c.protocol().stage("explorer"));
        assertEquals(CampaignConfig.Entropy.DEFAULTS, c.entropy());
        assertEquals(1000, c.entropy().kMaxEv());
        assertEquals(10_000, c.entropy().tStartK());
        assertEquals("cur", c.entropy().thinning());
        assertEquals(Math.sqrt(3) / 2 * 3.165, c.entropy().nearestNeighbourAngstrom(), 1e-12);
        assertEquals(2.86, CampaignConfigLoader.parse(BASE + "entropy:\n  nearest_neighbour: 2.86\n", false, "e.yaml").entropy().nearestNeighbourAngstrom());
        assertEquals("random", CampaignConfigLoader.parse(BASE + "entropy:\n  thinning: random\n", false, "e.yaml").entropy().thinning());
    }

    @Test
    void theExampleFileLoads() {
        CampaignConfig c = CampaignConfigLoader.load(Path.of("..", "examples", "w-entropy-eam.yaml"));
        assertEquals(List.of(9.54, 9.54, 14.31), c.entropy().cell());
        assertEquals(39, c.compositions().get(0).atoms());
        assertTrue(c.oracle() instanceof Oracle.Eam eam && eam.file().endsWith("W_zhou.eam.alloy"));
        assertEquals(100, c.entropy().repulsionEv());
    }

    @Test
    void badValuesAndUnknownKeysNameTheField() {
        String yaml = BASE + "entropy:\n  k_max: -1\n  cell: [9.5, 9.5]\n  repulsion: {strength: 10, hardcore: 2}\n  steps_per_cycle: 10\n  segments: 20\n  thinning: pca\n  nearest_neighbour: 0\n";
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> CampaignConfigLoader.parse(yaml, false, "e.yaml"));
        String m = e.getMessage();
        assertTrue(m.contains("entropy.k_max"), m);
        assertTrue(m.contains("entropy.cell"), m);
        assertTrue(m.contains("entropy.repulsion.hardcore") && m.contains("hard_core"), m);
        assertTrue(m.contains("entropy.segments"), m);
        assertTrue(m.contains("entropy.thinning") && m.contains("pca"), m);
        assertTrue(m.contains("entropy.nearest_neighbour"), m);
        assertEquals(6, e.problems().size(), m);
    }
}
