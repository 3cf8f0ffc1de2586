package org.crucible.driver.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.config.campaign.Protocols;
import org.crucible.driver.protocol.StageRegistry.Kind;
import org.junit.jupiter.api.Test;

class StageRegistryTest {
    static final String YAML = "name: si8\ncomposition: Si8\noracle: {type: sw}\n";

    @Test
    void theBuiltInRegistryImplementsExactlyTheNamesCampaignFilesMayUse() {
        StageRegistry r = StageRegistry.builtIn();
        assertEquals(new TreeSet<>(Protocols.KINDS), new TreeSet<>(r.kinds()));
        for (String kind : Protocols.KINDS) assertEquals(new TreeSet<>(Protocols.STAGES.get(kind)), new TreeSet<>(r.names(kind)), kind);
    }

    @Test
    void everyPresetBuildsAndEveryRegisteredStageIsConstructible() {
        CampaignConfig cfg = CampaignConfigLoader.parse(YAML, false, "c.yaml");
        Protocol p = Protocol.of(cfg, StageRegistry.builtIn());
        assertInstanceOf(SpaceGroupPools.class, p.generator());
        assertInstanceOf(DbscanSelector.class, p.selector());
        assertInstanceOf(RandomTrainingPick.class, p.initialSelector());
        assertEquals("dbscan", p.stage("selector"));
        StageRegistry r = StageRegistry.builtIn();
        int built = 0;
        for (String kind : Protocols.KINDS) {
            for (String name : r.names(kind)) {
                Kind<?> k = new Kind<>(kind, Object.class);
                assertTrue(r.create(k, name, cfg) != null, kind + " " + name);
                built++;
            }
        }
        assertEquals(Protocols.STAGES.values().stream().mapToInt(java.util.List::size).sum(), built);
    }

    @Test
    void aSwappedStageIsBuiltFromTheCampaignFile() {
        CampaignConfig cfg = CampaignConfigLoader.parse(YAML + "protocol: {stages: {selector: lowest-score, perturbation: none}}\n", false, "c.yaml");
        Protocol p = Protocol.of(cfg, StageRegistry.builtIn());
        assertInstanceOf(LowestScoreSelector.class, p.selector());
        var s = org.crucible.core.Structure.of(new org.crucible.core.Cell(new double[] {3, 0, 0, 0, 3, 0, 0, 0, 3}, new boolean[] {true, true, true}),
                new int[] {14}, new double[] {0.1, 0.2, 0.3});
        org.junit.jupiter.api.Assertions.assertSame(s, p.perturbation().perturb(s, 7, 3), "'none' labels the selected structure as it is");
    }

    @Test
    void aNameRegisteredTwiceOrNeverIsRefused() {
        StageRegistry r = StageRegistry.builtIn();
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> r.register(Kind.SELECTOR, "dbscan", c -> null));
        assertTrue(twice.getMessage().contains("selector 'dbscan' is registered twice"), twice.getMessage());
        CampaignConfig cfg = CampaignConfigLoader.parse(YAML, false, "c.yaml");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> r.create(Kind.FITTER, "gap", cfg));
        assertTrue(unknown.getMessage().contains("protocol.stages.fitter: no stage 'gap'"), unknown.getMessage());
        Set<String> fitters = r.names("fitter");
        assertTrue(unknown.getMessage().contains(fitters.toString()), unknown.getMessage());
    }
}
