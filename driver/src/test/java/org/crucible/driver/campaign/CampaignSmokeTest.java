package org.crucible.driver.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.crucible.driver.pool.PoolBackend;
import org.crucible.driver.store.TrainingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CampaignSmokeTest {
    @TempDir
    Path dir;

    @Test
    void runs() throws Exception {
        CampaignFixtures.init(dir);
        var runner = new CampaignRunner(CampaignFixtures.clock(), CampaignFixtures.ticker(), System.out, java.util.Map.of(), null);
        try (var oracle = runner.oracle(CampaignFixtures.config()); TrainingStore store = CampaignFixtures.store(dir)) {
            long t0 = System.nanoTime();
            CampaignState s = CampaignFixtures.open(dir, PoolBackend.local(), oracle, store, null).run();
            System.out.println(s.toJson());
            System.out.println("seconds " + (System.nanoTime() - t0) * 1e-9);
            assertEquals(Stage.DONE, s.next());
        }
    }
}
