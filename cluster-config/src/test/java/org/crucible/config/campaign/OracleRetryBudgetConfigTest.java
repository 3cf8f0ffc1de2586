package org.crucible.config.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.crucible.core.config.ConfigurationException;
import org.junit.jupiter.api.Test;

/** {@code oracle.max_attempts}: the retry budget of FAILED labels, on every oracle type, validated with its line. */
class OracleRetryBudgetConfigTest {
    @Test
    void theBudgetDefaultsToTwoAndIsReadForEveryOracleType() {
        assertEquals(Oracle.DEFAULT_MAX_ATTEMPTS, CampaignConfigLoader.parse("name: x\ncomposition: Si8\noracle: {type: sw}\n", false, "c.yaml")
                .oracle().maxAttempts());
        assertEquals(2, Oracle.DEFAULT_MAX_ATTEMPTS);
        for (String oracle : new String[] {"{type: sw, max_attempts: 5}", "{type: lj, max_attempts: 5}",
                "{type: pw.x, max_attempts: 5, settings: {pseudopotentials: {Si: Si.pz-vbc.UPF}}}",
                "{type: cluster, profile: local, max_attempts: 5, settings: {pseudopotentials: {Si: Si.pz-vbc.UPF}}}"}) {
            Oracle o = CampaignConfigLoader.parse("name: x\ncomposition: Si8\noracle: " + oracle + "\n", false, "c.yaml").oracle();
            assertEquals(5, o.maxAttempts(), oracle);
        }
    }

    @Test
    void aBadBudgetIsRefusedWithItsFieldAndLine() {
        for (String bad : new String[] {"0", "101", "two", "1.5"}) {
            String yaml = "name: x\ncomposition: Si8\noracle:\n  type: sw\n  max_attempts: " + bad + "\n";
            ConfigurationException e = assertThrows(ConfigurationException.class, () -> CampaignConfigLoader.parse(yaml, false, "c.yaml"), bad);
            assertEquals(1, e.problems().size(), e.getMessage());
            assertEquals("oracle.max_attempts", e.problems().get(0).path());
            assertEquals(5, e.problems().get(0).line(), e.getMessage());
            assertTrue(e.getMessage().startsWith("c.yaml"), e.getMessage());
            assertFalse(e.getMessage().contains("Exception"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new Oracle.Embedded("sw", null, 0));
    }
    @Test
    void injectedFailuresAreReadAndBadValuesRefusedWithTheirFieldAndLine() {
        Oracle o = CampaignConfigLoader.parse("name: x\ncomposition: Si8\noracle:\n  type: sw\n  inject_failures: {fraction: 0.25, seed: 3, seconds: 0.4}\n",
                false, "c.yaml").oracle();
        Oracle.FailureInjection f = ((Oracle.Embedded) o).injectFailures();
        assertEquals(new Oracle.FailureInjection(0.25, 3, 0.4, Oracle.MAX_MAX_ATTEMPTS), f, "attempts defaults to every attempt");
        assertEquals(null, ((Oracle.Embedded) CampaignConfigLoader.parse("name: x\ncomposition: Si8\noracle: {type: sw}\n", false, "c.yaml").oracle())
                .injectFailures());
        for (String bad : new String[] {"fraction: 1.5", "seconds: -1", "attempts: 0", "fraction: x", "often: 3"}) {
            String yaml = "name: x\ncomposition: Si8\noracle:\n  type: sw\n  inject_failures:\n    " + bad + "\n";
            ConfigurationException e = assertThrows(ConfigurationException.class, () -> CampaignConfigLoader.parse(yaml, false, "c.yaml"), bad);
            assertEquals(1, e.problems().size(), e.getMessage());
            assertEquals("oracle.inject_failures." + bad.substring(0, bad.indexOf(':')), e.problems().get(0).path(), e.getMessage());
            assertEquals(6, e.problems().get(0).line(), e.getMessage());
            assertFalse(e.getMessage().contains("Exception"), e.getMessage());
        }
    }
}
