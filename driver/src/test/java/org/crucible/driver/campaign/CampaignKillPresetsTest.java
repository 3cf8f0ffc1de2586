package org.crucible.driver.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.driver.bench.KillHarness;
import org.crucible.driver.bench.KillPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One kill -9 test per protocol preset not covered elsewhere (pool-relaxation: {@link CampaignKillTest}; hal:
 * {@link CampaignKillHalTest}): gap-rss, evolution-dopt and entropy-max, each a small Si8 campaign with the embedded
 * Stillinger-Weber oracle under {@code deploy/kill-harness/} (one cycle after cycle 0), run once in a real
 * {@code crucible run} JVM as the reference and then SIGKILLed through the real {@link KillHarness} once per stage kind
 * and resumed each time. Each test asserts that its reference executed every stage kind of the loop
 * ({@link Stage} but DONE), that the kill plan aimed at every one of them (VALIDATE only when it is not an instant last
 * step, which the harness never aims at: see {@link KillPlan#MIN_LAST_SECONDS}), that a kill landed inside the
 * preset's explorer (RELAX), and the assertions every campaign kill test makes ({@link KillRunAssertions}). The
 * number of kills per run can be raised with {@code -Dcrucible.presets.kills=N}.
 */
class CampaignKillPresetsTest {
    /** Every stage kind a campaign executes. */
    static final Set<Stage> KINDS = EnumSet.complementOf(EnumSet.of(Stage.DONE));

    @TempDir
    Path tmp;

    @Test
    void gapRssKilledInEveryStageKindLosesAndRepeatsNoLabel() throws Exception {
        killEveryStageKind("deploy/kill-harness/si8-gaprss-ci.yaml", 7, 14, "gap-rss");
    }

    @Test
    void evolutionDoptKilledInEveryStageKindLosesAndRepeatsNoLabel() throws Exception {
        killEveryStageKind("deploy/kill-harness/si8-evolution-sw.yaml", 7, 15, "evolution-dopt");
    }

    @Test
    void entropyMaxKilledInEveryStageKindLosesAndRepeatsNoLabel() throws Exception {
        killEveryStageKind("deploy/kill-harness/si8-entropy-sw.yaml", 6, 16, "entropy-max");
    }

    private void killEveryStageKind(String file, int defaultKills, long seed, String preset) throws Exception {
        int kills = Integer.getInteger("crucible.presets.kills", defaultKills);
        Path config = TestEnvironment.repositoryRoot().resolve(file);
        Path runs = tmp.resolve("runs");
        long t0 = System.nanoTime();
        KillHarness.Report r = new KillHarness(new KillHarness.Settings(config, runs, kills, 0, seed, false, 1500, 600), System::nanoTime, System.out).run();

        assertEquals(KINDS, r.stagesExecuted(), preset + ": the reference executed every stage kind");
        List<KillPlan.Execution> ex = r.plan().executions();
        Set<Stage> aimable = EnumSet.noneOf(Stage.class);
        for (int i = 0; i < ex.size(); i++) {
            if (i < ex.size() - 1 || ex.get(i).seconds() >= KillPlan.MIN_LAST_SECONDS) aimable.add(ex.get(i).stage());
        }
        assertTrue(aimable.containsAll(EnumSet.complementOf(EnumSet.of(Stage.DONE, Stage.VALIDATE))), preset + ": " + ex);
        assertEquals(aimable, r.stagesAimed(), preset + ": a kill aimed at every stage kind (plan " + r.plan().targets() + ")");
        assertEquals(kills, r.kills().size(), preset + ": every planned kill landed: " + r.kills());
        assertTrue(r.stagesHit().containsKey(Stage.RELAX), preset + ": a kill landed inside the explorer (RELAX): " + r.stagesHit());
        assertTrue(r.driverStarts() >= r.kills().size() + 1, "resumed after every kill");

        int labels = KillRunAssertions.sameStoreAsReference(runs, r);
        assertTrue(labels >= 4, preset + ": labels in cycles 0 and 1: " + labels);
        System.out.printf("[campaign-kill-%s] %d kills aimed at %s, landed in %s; %d labels (%d oracle calls repeated after an interrupted one); "
                        + "reference %.0f s, killed run %.0f s, test %.0f s%n", preset, r.kills().size(), r.stagesAimed(), r.stagesHit(), labels,
                r.audit().repeatedInterrupted(), r.referenceSeconds(), r.killedSeconds(), (System.nanoTime() - t0) * 1e-9);
    }
}
