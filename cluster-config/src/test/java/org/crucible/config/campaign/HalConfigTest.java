package org.crucible.config.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.crucible.core.config.ConfigurationException;

/** The {@code hal} section and the {@code hal} preset. */
class HalConfigTest {
    private static final String BASE = "name: si8\ncomposition: Si8\noracle:\n  type: sw\nprotocol:\n  name: hal\n  cycle0_batch: 4\n";

    @Test
    void defaultsAndPreset() {
        CampaignConfig c = CampaignConfigLoader.parse(BASE, false, "h.yaml");
        assertEquals("hal", c.protocol().name());
        assertEquals("hal-md", c.protocol().stage("explorer"));
        assertEquals("seed-structures", c.protocol().stage("generator"));
        assertEquals("hal-triggered", c.protocol().stage("selector"));
        assertEquals("cycle0-seeds", c.protocol().stage("initial_selector"));
        assertEquals(HalConfig.DEFAULTS, c.hal());
        assertEquals(0.5, c.hal().softmaxTolerance());
        assertFalse(c.hal().hasPressure());
    }

    @Test
    void valuesAreRead() {
        CampaignConfig c = CampaignConfigLoader.parse(BASE + "hal:\n  tau_r: 0.05\n  s_tol: 0.2\n  temperature_k: 3000\n  pressure_gpa: 0.1\n"
                + "  swap_every: 10\n  volume_every: 20\n  max_steps: 500\n  burn_in: 50\n  window: 40\n  random_occupancy: true\n", false, "h.yaml");
        HalConfig h = c.hal();
        assertEquals(0.05, h.tauRelative());
        assertEquals(0.2, h.softmaxTolerance());
        assertEquals(3000, h.temperatureK());
        assertTrue(h.hasPressure());
        assertEquals(0.1, h.pressureGPa());
        assertEquals(10, h.swapEvery());
        assertEquals(20, h.volumeEvery());
        assertEquals(500, h.maxSteps());
        assertEquals(50, h.burnIn());
        assertEquals(40, h.window());
        assertTrue(h.randomOccupancy());
    }

    @Test
    void theExampleFilesLoad() {
        CampaignConfig si = CampaignConfigLoader.load(Path.of("..", "examples", "si-hal-sw.yaml"));
        assertTrue(si.hal().seeds().endsWith("si8-diamond.extxyz"), si.hal().seeds());
        CampaignConfig alcu = CampaignConfigLoader.load(Path.of("..", "examples", "alcu-hal-eam.yaml"));
        assertTrue(alcu.hal().swapEvery() > 0);
        assertTrue(alcu.hal().randomOccupancy());
    }

    @Test
    void badValuesUnknownKeysAndMissingSeedsNameTheField() {
        String yaml = BASE + "hal:\n  tau_r: 1.5\n  s_tol: 1.0\n  temperature_k: -3\n  max_steps: 0\n  seeds: /nonexistent/seeds.xyz\n  tau: 0.1\n";
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> CampaignConfigLoader.parse(yaml, false, "h.yaml"));
        String m = e.getMessage();
        assertTrue(m.contains("hal.tau_r"), m);
        assertTrue(m.contains("hal.s_tol"), m);
        assertTrue(m.contains("hal.temperature_k"), m);
        assertTrue(m.contains("hal.max_steps"), m);
        assertTrue(m.contains("hal.seeds") && m.contains("/nonexistent/seeds.xyz"), m);
        assertTrue(m.contains("hal.tau") && m.contains("unknown key"), m);
        assertEquals(6, e.problems().size(), m);
    }
}
