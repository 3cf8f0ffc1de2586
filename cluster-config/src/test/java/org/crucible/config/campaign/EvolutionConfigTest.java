package org.crucible.config.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.crucible.core.config.ConfigurationException;

/** The {@code evolution} section and the {@code evolution-dopt} preset of a campaign file. */
class EvolutionConfigTest {
    private static final String MINIMAL = "name: c8\ncomposition: C8\noracle:\n  type: sw\n";

    @Test
    void defaultsAreThePapersThresholdsAndThePresetNamesItsStages() {
        CampaignConfig c = CampaignConfigLoader.parse(MINIMAL + "protocol: {name: evolution-dopt}\n", false, "t.yaml");
        assertEquals(2.0, c.evolution().gammaSelect());
        assertEquals(10.0, c.evolution().gammaBreak());
        assertEquals(20, c.evolution().population());
        assertEquals("evolution", c.protocol().stage("generator"));
        assertEquals("relax-dopt", c.protocol().stage("explorer"));
        assertEquals("maxvol", c.protocol().stage("selector"));
    }

    @Test
    void valuesAreReadFromTheSection() {
        CampaignConfig c = CampaignConfigLoader.parse(MINIMAL + "evolution:\n  population: 40\n  gamma_select: 3\n  gamma_break: 12\n"
                + "  operators: {heredity: 1, permutation: 0}\n", false, "t.yaml");
        assertEquals(40, c.evolution().population());
        assertEquals(3.0, c.evolution().gammaSelect());
        assertEquals(12.0, c.evolution().gammaBreak());
        assertEquals(1.0, c.evolution().heredity());
        assertEquals(0.0, c.evolution().permutation());
    }

    @Test
    void badValuesNameTheFieldAndTheLine() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> CampaignConfigLoader.parse(MINIMAL
                + "evolution:\n  gamma_select: 5\n  gamma_break: 3\n", false, "c.yaml"));
        assertTrue(e.getMessage().contains("evolution.gamma_break") && e.getMessage().contains("line 7"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> CampaignConfigLoader.parse(MINIMAL + "evolution:\n  populaton: 5\n", false, "c.yaml"));
        assertTrue(e.getMessage().contains("unknown key 'populaton'") && e.getMessage().contains("population"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> CampaignConfigLoader.parse(MINIMAL + "evolution:\n  random_fraction: 1.5\n", false, "c.yaml"));
        assertTrue(e.getMessage().contains("evolution.random_fraction"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> CampaignConfigLoader.parse(MINIMAL
                + "evolution:\n  operators: {heredity: 0, lattice_mutation: 0, permutation: 0, coordinate_mutation: 0}\n", false, "c.yaml"));
        assertTrue(e.getMessage().contains("evolution.operators"), e.getMessage());
    }

    @Test
    void preExplorationIsAnInitialSelectorWithItsOwnSection() {
        CampaignConfig c = CampaignConfigLoader.parse(MINIMAL + "protocol: {name: evolution-dopt, stages: {initial_selector: pre-exploration}}\n"
                + "evolution:\n  gamma_select: 3\n  pre_exploration: {pool: 5000, rounds: 2}\n", false, "t.yaml");
        assertEquals("pre-exploration", c.protocol().stage("initial_selector"));
        assertEquals(5000, c.evolution().preExploration().pool());
        assertEquals(2, c.evolution().preExploration().rounds());
        assertEquals(3.0, c.evolution().preExploration().gammaSelect(), "defaults to evolution.gamma_select");
        assertEquals(100_000, CampaignConfigLoader.parse(MINIMAL, false, "t.yaml").evolution().preExploration().pool());
        assertTrue(!c.evolution().preExploration().labelActiveSet(), "label: batch (at most protocol.cycle0_batch) by default");
        assertTrue(CampaignConfigLoader.parse(MINIMAL + "evolution:\n  pre_exploration: {label: active-set}\n", false, "t.yaml").evolution().preExploration()
                .labelActiveSet());
        ConfigurationException bad = assertThrows(ConfigurationException.class, () -> CampaignConfigLoader.parse(MINIMAL
                + "evolution:\n  pre_exploration: {label: active}\n", false, "c.yaml"));
        assertTrue(bad.getMessage().contains("evolution.pre_exploration.label") && bad.getMessage().contains("line 6") && bad.getMessage().contains("active-set"),
                bad.getMessage());
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> CampaignConfigLoader.parse(MINIMAL
                + "protocol: {name: pool-relaxation, stages: {initial_selector: pre-exploration}}\n", false, "c.yaml"));
        assertTrue(e.getMessage().contains("protocol.stages.initial_selector") && e.getMessage().contains("evolution"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> CampaignConfigLoader.parse(MINIMAL + "evolution:\n  pre_exploration: {pool: 0}\n", false,
                "c.yaml"));
        assertTrue(e.getMessage().contains("evolution.pre_exploration.pool") && e.getMessage().contains("line 6"), e.getMessage());
    }

    @Test
    void theExamplesLoad() {
        for (String f : new String[] {"c8-evolution-tersoff.yaml", "si16-evolution-sw.yaml", "c8-evolution-tersoff-pre.yaml"}) {
            CampaignConfig c = CampaignConfigLoader.load(Path.of("..", "examples", f));
            assertEquals("evolution-dopt", c.protocol().name(), f);
        }
    }

    @Test
    void variableCompositionIsReadAndCheckedAgainstTheCampaignsElements() {
        String sic = "name: sic\ncomposition: Si2C2\noracle:\n  type: sw\nprotocol: {name: evolution-dopt}\n";
        CampaignConfig c = CampaignConfigLoader.parse(sic + "evolution:\n  composition: {elements: [Si, C], min_atoms: 2, max_atoms: 8}\n", false, "t.yaml");
        assertTrue(c.evolution().variableComposition());
        assertEquals(java.util.List.of("Si", "C"), c.evolution().composition().elements());
        assertEquals(8, c.evolution().composition().maxAtoms());
        assertEquals(2, c.evolution().composition().minAtoms());
        assertEquals(1.0, c.evolution().composition().maxFraction());
        assertTrue(!CampaignConfigLoader.parse(sic, false, "t.yaml").evolution().variableComposition(), "fixed composition without the key");

        ConfigurationException e = assertThrows(ConfigurationException.class, () -> CampaignConfigLoader.parse(sic
                + "evolution:\n  composition: {elements: [Si, C], min_atom: 2}\n", false, "c.yaml"));
        assertTrue(e.getMessage().contains("unknown key 'min_atom'") && e.getMessage().contains("min_atoms") && e.getMessage().contains("line 7"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> CampaignConfigLoader.parse(sic
                + "evolution:\n  composition: {elements: [Si, C], min_atoms: 6, max_atoms: 4}\n", false, "c.yaml"));
        assertTrue(e.getMessage().contains("evolution.composition.max_atoms"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> CampaignConfigLoader.parse(sic
                + "evolution:\n  composition: {elements: [Si, Xx]}\n", false, "c.yaml"));
        assertTrue(e.getMessage().contains("evolution.composition.elements") && e.getMessage().contains("'Xx'"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> CampaignConfigLoader.parse(sic
                + "evolution:\n  composition: {elements: [Si, Ge]}\n", false, "c.yaml"));
        assertTrue(e.getMessage().contains("evolution.composition.elements") && e.getMessage().contains("exactly those of 'composition'"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> CampaignConfigLoader.parse(sic.replace("evolution-dopt", "pool-relaxation")
                + "evolution:\n  composition: {elements: [Si, C]}\n", false, "c.yaml"));
        assertTrue(e.getMessage().contains("evolution.composition") && e.getMessage().contains("generator 'evolution'"), e.getMessage());
    }
}
