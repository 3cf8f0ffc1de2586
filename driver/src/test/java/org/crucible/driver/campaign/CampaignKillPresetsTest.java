package org.crucible.driver.campaign;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
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
 * {@code crucible run} JVM as the reference and then SIGKILLed through the real {@link KillHarness} and resumed after
 * each kill. By default each run has one kill per stage kind a kill can be aimed at (7; 6 for entropy-max, whose
 * VALIDATE is an instant last step, {@link KillPlan#MIN_LAST_SECONDS}), aimed by {@link KillPlan} at one execution of
 * each kind: the preset's own stages ({@link #PRESET_KINDS}: generator, explorer, describer, selector) and the engine's
 * (LABEL, FIT, VALIDATE: {@code ExactlyOnceLabelling}, {@code FitStep}, {@code FinalValidation}), as issue 14 asks
 * ("one kill -9 test per stage kind"). {@code -Dcrucible.presets.kills=N} sets another number (N &lt; 7 aims at the
 * first N kinds and asserts only those). Each test asserts that its reference executed every stage kind of the loop
 * ({@link Stage} but DONE), that the plan aimed at the first {@code kills} of them in {@link Stage} order, that every
 * planned kill landed, that a kill landed in every kind aimed at (the harness paces each kill by the killed run's own
 * speed, {@code RunPace}, so a load that changed since the reference does not push a kill past its stage), and the
 * assertions every campaign kill test makes ({@link KillRunAssertions}).
 */
class CampaignKillPresetsTest {
    /** The stage kinds that run a preset's own stages; the first four of {@link Stage}, so a plan of 4 kills aims at them. */
    static final Set<Stage> PRESET_KINDS = EnumSet.of(Stage.GENERATE, Stage.RELAX, Stage.DESCRIBE, Stage.SELECT);
    /** Kills of the gap-rss and evolution-dopt runs by default: one per stage kind. */
    static final int KILLS_DEFAULT = 7;

    @TempDir
    Path tmp;

    @Test
    void gapRssKilledInItsGeneratorExplorerDescriberAndSelectorLosesAndRepeatsNoLabel() throws Exception {
        killInEveryPresetStage("deploy/kill-harness/si8-gaprss-ci.yaml", 14, "gap-rss", KILLS_DEFAULT);
    }

    @Test
    void evolutionDoptKilledInItsGeneratorExplorerDescriberAndSelectorLosesAndRepeatsNoLabel() throws Exception {
        killInEveryPresetStage("deploy/kill-harness/si8-evolution-sw.yaml", 15, "evolution-dopt", KILLS_DEFAULT);
    }

    @Test
    void entropyMaxKilledInItsGeneratorExplorerDescriberAndSelectorLosesAndRepeatsNoLabel() throws Exception {
        killInEveryPresetStage("deploy/kill-harness/si8-entropy-sw.yaml", 16, "entropy-max", KILLS_DEFAULT - 1); // VALIDATE is instant
    }

    private void killInEveryPresetStage(String file, long seed, String preset, int defaultKills) throws Exception {
        int kills = Integer.getInteger("crucible.presets.kills", defaultKills);
        Path config = TestEnvironment.repositoryRoot().resolve(file);
        Path runs = tmp.resolve("runs");
        long t0 = System.nanoTime();
        KillHarness.Report r = new KillHarness(new KillHarness.Settings(config, runs, kills, 0, seed, false, 1500, 600), System::nanoTime, System.out).run();

        KillRunAssertions.aimedAtFirstKinds(r, kills, preset);
        if (kills >= PRESET_KINDS.size()) assertTrue(r.stagesAimed().containsAll(PRESET_KINDS), preset + ": every stage of the preset's own aimed at");
        if (kills >= defaultKills) KillRunAssertions.landedInEveryKind(r, preset);
        else assertTrue(r.stagesHit().keySet().containsAll(r.stagesAimed()), preset + ": a kill landed in every kind aimed at: " + r.kills());

        int labels = KillRunAssertions.sameStoreAsReference(runs, r);
        assertTrue(labels >= 4, preset + ": labels in cycles 0 and 1: " + labels);
        System.out.printf("[campaign-kill-%s] %d kills aimed at %s, landed in %s; %d labels (%d oracle calls repeated after an interrupted one); "
                        + "reference %.0f s, killed run %.0f s, test %.0f s%n", preset, r.kills().size(), r.stagesAimed(), r.stagesHit(), labels,
                r.audit().repeatedInterrupted(), r.referenceSeconds(), r.killedSeconds(), (System.nanoTime() - t0) * 1e-9);
    }
}
