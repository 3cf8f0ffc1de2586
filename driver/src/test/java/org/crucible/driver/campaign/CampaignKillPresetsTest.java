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
 * each kill. By default each run has {@value #KILLS_DEFAULT} kills, aimed by {@link KillPlan} at the stage kinds whose
 * code is the preset's own ({@link #PRESET_KINDS}: generator, explorer, describer, selector); LABEL, FIT and VALIDATE run
 * the engine's code, the same for every preset ({@code ExactlyOnceLabelling}, {@code FitStep}, {@code FinalValidation}),
 * and are killed in {@link CampaignKillTest} (which asserts a kill landed in every stage kind) and
 * {@link CampaignKillHalTest}. With {@code -Dcrucible.presets.kills=7} every stage kind of each preset is aimed at
 * (the CI budget was 4 minutes for the three runs on 2 idle cores: each kill costs a driver JVM with a Spark context).
 * Each test asserts that its reference executed every stage kind of the loop ({@link Stage} but DONE), that the plan
 * aimed at the first {@code kills} of them in {@link Stage} order (VALIDATE only when it is not an instant last step,
 * which the harness never aims at: see {@link KillPlan#MIN_LAST_SECONDS}), that a kill landed inside the preset's
 * explorer (RELAX), and the assertions every campaign kill test makes ({@link KillRunAssertions}).
 */
class CampaignKillPresetsTest {
    /** The stage kinds that run a preset's own stages; the first four of {@link Stage}, so a plan of 4 kills aims at them. */
    static final Set<Stage> PRESET_KINDS = EnumSet.of(Stage.GENERATE, Stage.RELAX, Stage.DESCRIBE, Stage.SELECT);
    static final int KILLS_DEFAULT = 4;

    @TempDir
    Path tmp;

    @Test
    void gapRssKilledInItsGeneratorExplorerDescriberAndSelectorLosesAndRepeatsNoLabel() throws Exception {
        killInEveryPresetStage("deploy/kill-harness/si8-gaprss-ci.yaml", 14, "gap-rss");
    }

    @Test
    void evolutionDoptKilledInItsGeneratorExplorerDescriberAndSelectorLosesAndRepeatsNoLabel() throws Exception {
        killInEveryPresetStage("deploy/kill-harness/si8-evolution-sw.yaml", 15, "evolution-dopt");
    }

    @Test
    void entropyMaxKilledInItsGeneratorExplorerDescriberAndSelectorLosesAndRepeatsNoLabel() throws Exception {
        killInEveryPresetStage("deploy/kill-harness/si8-entropy-sw.yaml", 16, "entropy-max");
    }

    private void killInEveryPresetStage(String file, long seed, String preset) throws Exception {
        int kills = Integer.getInteger("crucible.presets.kills", KILLS_DEFAULT);
        Path config = TestEnvironment.repositoryRoot().resolve(file);
        Path runs = tmp.resolve("runs");
        long t0 = System.nanoTime();
        KillHarness.Report r = new KillHarness(new KillHarness.Settings(config, runs, kills, 0, seed, false, 1500, 600), System::nanoTime, System.out).run();

        KillRunAssertions.aimedAtFirstKinds(r, kills, preset);
        if (kills >= KILLS_DEFAULT) assertTrue(r.stagesAimed().containsAll(PRESET_KINDS), preset + ": every stage of the preset's own aimed at");

        int labels = KillRunAssertions.sameStoreAsReference(runs, r);
        assertTrue(labels >= 4, preset + ": labels in cycles 0 and 1: " + labels);
        System.out.printf("[campaign-kill-%s] %d kills aimed at %s, landed in %s; %d labels (%d oracle calls repeated after an interrupted one); "
                        + "reference %.0f s, killed run %.0f s, test %.0f s%n", preset, r.kills().size(), r.stagesAimed(), r.stagesHit(), labels,
                r.audit().repeatedInterrupted(), r.referenceSeconds(), r.killedSeconds(), (System.nanoTime() - t0) * 1e-9);
    }
}
