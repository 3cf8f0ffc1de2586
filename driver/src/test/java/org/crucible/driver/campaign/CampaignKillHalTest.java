package org.crucible.driver.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.driver.bench.KillHarness;
import org.crucible.driver.oracle.OracleCallLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The campaign kill harness on a protocol other than pool-relaxation: {@code deploy/kill-harness/si8-hal-sw.yaml}
 * (hyperactive learning, Si8, Stillinger-Weber oracle, two HAL cycles), whose RELAX stage is the hal-md explorer (biased
 * Langevin MD on the executors) and whose cycle-0 selection is the seed rattler. The reference runs once in a real
 * {@code crucible run} JVM; the same campaign is then SIGKILLed {@value #KILLS_DEFAULT} times, one per stage kind a kill
 * can be aimed at (VALIDATE is an instant last step here; more kills with {@code -Dcrucible.hal.kills=N}) at seeded
 * moments, and resumed each time; a kill must land in every one of those kinds, hal-md (RELAX) included. The final
 * store must equal the reference's (same task hashes, each once, same energies to 1e-12 eV: HAL's trajectories are
 * seeded, so a resumed hal-md triggers the same configurations), {@code verify} must pass, and the ledger must show no
 * oracle call for a label already stored ({@link KillRunAssertions}).
 */
class CampaignKillHalTest {
    static final int KILLS_DEFAULT = 6;

    @TempDir
    Path tmp;

    @Test
    void killMinus9InsideHalMdAndEveryOtherStepChangesNoLabel() throws Exception {
        int kills = Integer.getInteger("crucible.hal.kills", KILLS_DEFAULT);
        Path config = TestEnvironment.repositoryRoot().resolve("deploy/kill-harness/si8-hal-sw.yaml");
        KillHarness.Settings settings = new KillHarness.Settings(config, tmp.resolve("runs"), kills, 0, 11, false, 1500, 600);
        KillHarness.Report r = new KillHarness(settings, System::nanoTime, System.out).run();
        Path killed = tmp.resolve("runs/killed");

        assertEquals(kills + r.lateReaims(), r.kills().size(), "every planned kill landed: " + r.kills());
        assertTrue(r.stagesHit().containsKey(Stage.RELAX), "a kill landed inside hal-md (the RELAX stage): " + r.stagesHit());
        if (kills >= KILLS_DEFAULT) KillRunAssertions.landedInEveryKind(r, "hal");
        assertTrue(r.driverStarts() >= r.kills().size() + 1, "resumed after every kill");

        int labels = KillRunAssertions.sameStoreAsReference(tmp.resolve("runs"), r);
        assertTrue(labels > 4, "hal-md triggered labels beyond cycle 0's: " + labels);
        List<OracleCallLedger.Call> calls = OracleCallLedger.read(killed.resolve(OracleCallLedger.FILE)).labels();
        System.out.println("[campaign-kill-hal] " + r.kills().size() + " kills, stages " + r.stagesHit() + "; " + calls.size() + " oracle label calls for "
                + labels + " labels (" + r.audit().repeatedInterrupted() + " repeated after an interrupted call); reference "
                + String.format("%.0f s, killed run %.0f s", r.referenceSeconds(), r.killedSeconds()));
    }
}
