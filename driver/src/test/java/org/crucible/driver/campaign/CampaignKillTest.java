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
 * Issue 20's whole-campaign kill harness at CI size: {@code deploy/kill-harness/si8-sw.yaml} (Si8, Stillinger-Weber
 * oracle, pool-relaxation, two cycles) run once in a real {@code crucible run} JVM as the reference, then again in
 * driver JVMs killed with SIGKILL {@value #KILLS_DEFAULT} times (more with {@code -Dcrucible.campaign.kills=N}) at
 * seeded moments of every loop step and of the store's compaction, resumed each time, while a second writer process
 * keeps trying to append to the same store. The final store must equal the reference's (same task hashes, each once,
 * same energies to 1e-12 eV), {@code store verify} must pass, the oracle-call ledger must show no call for a label
 * that was already stored, and every refusal of the second writer must name the campaign driver holding the lease.
 * The assertions below read the stores and the ledger themselves; they do not take the harness's verdict on trust.
 */
class CampaignKillTest {
    /** 2 timed on the compaction and 10 timed kills over the 13 stage executions, every stage kind among them. */
    static final int KILLS_DEFAULT = 12;

    @TempDir
    Path tmp;

    @Test
    void killMinus9AtEveryStepBesideASecondWriterLosesRepeatsAndDuplicatesNothing() throws Exception {
        int kills = Integer.getInteger("crucible.campaign.kills", KILLS_DEFAULT);
        Path config = TestEnvironment.repositoryRoot().resolve("deploy/kill-harness/si8-sw.yaml");
        KillHarness.Settings settings = new KillHarness.Settings(config, tmp.resolve("runs"), kills, 2, 20, true, 1500, 600);
        KillHarness.Report r = new KillHarness(settings, System::nanoTime, System.out).run();
        Path killed = tmp.resolve("runs/killed");

        // coverage: the number of kills and where they landed
        assertTrue(r.kills().size() >= kills, "kills: " + r.kills().size());
        for (Stage s : List.of(Stage.GENERATE, Stage.RELAX, Stage.DESCRIBE, Stage.SELECT, Stage.LABEL, Stage.FIT, Stage.VALIDATE)) {
            assertTrue(r.stagesHit().containsKey(s), "a kill landed in " + s + ": " + r.stagesHit());
        }
        assertTrue(r.compactionHits() >= 1, "a kill landed inside a store compaction: " + r.kills());
        assertTrue(r.driverStarts() >= r.kills().size() + 1, "resumed after every kill");

        // the final store and the ledger against the reference, read here
        int labels = KillRunAssertions.sameStoreAsReference(tmp.resolve("runs"), r);
        assertTrue(labels >= 16, "the reference labels enough to compact once: " + labels);
        List<OracleCallLedger.Call> calls = OracleCallLedger.read(killed.resolve(OracleCallLedger.FILE)).labels();
        System.out.println("[campaign-kill] " + r.kills().size() + " kills, stages " + r.stagesHit() + ", " + r.compactionHits() + " in a compaction; "
                + calls.size() + " oracle label calls for " + labels + " labels (" + r.audit().repeatedInterrupted() + " repeated after an interrupted call)");

        // the second writer: refused while a driver held the lease, naming it; never added anything
        KillHarness.WriterLog w = r.writer();
        assertTrue(w.refused() >= 1, "the second writer was refused at least once: " + w);
        assertEquals(w.refused(), w.refusedNamingADriver(), "every refusal names a campaign driver as holder: " + w.badRefusals());
        assertEquals(0, w.appendedAdded(), "the second writer added nothing: " + w);
        assertEquals(List.of(), w.errors());
        assertEquals(List.of(), r.violations());
    }
}
