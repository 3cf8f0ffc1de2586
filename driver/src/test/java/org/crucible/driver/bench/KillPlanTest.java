package org.crucible.driver.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.crucible.driver.campaign.Stage;
import org.crucible.driver.oracle.OracleCallLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill harness's plan and its reading of a store's files: stage executions parsed from a campaign log, every
 * execution (or every stage kind) aimed at, the same plan for the same seed, the LABEL during which the store
 * compacts, and the compaction step told from the files a killed compaction leaves.
 */
public class KillPlanTest {
    /** A reference run's campaign log (load ~40): 13 stage executions of a two-cycle pool-relaxation campaign. */
    public static final String LOG = """
            2026-12-06T05:03:29Z campaign si8-kill on local[2] (16 partitions): next generate of cycle 0; store file:///x
            2026-12-06T05:03:35Z cycle 0: generate done in 6.5 s; next select
            2026-12-06T05:03:37Z cycle 0: select done in 1.7 s; next label
            2026-12-06T05:03:39Z cycle 0: label done in 2.1 s; next fit
            2026-12-06T05:03:40Z cycle 0: fit done in 0.6 s; next relax (cycle 1)
            2026-12-06T05:03:44Z cycle 1: relax done in 4.5 s; next describe
            2026-12-06T05:03:49Z cycle 1: describe done in 5.4 s; next select
            2026-12-06T05:03:53Z cycle 1: select done in 3.4 s; next label
            2026-12-06T05:03:55Z cycle 1: label done in 2.4 s; next fit
            2026-12-06T05:03:55Z cycle 1: fit done in 0.1 s; next relax (cycle 2)
            2026-12-06T05:04:00Z cycle 2: relax done in 4.4 s; next describe
            2026-12-06T05:04:02Z cycle 2: describe done in 2.3 s; next select
            2026-12-06T05:04:04Z cycle 2: select done in 2.2 s; next validate
            2026-12-06T05:04:09Z cycle 2: validate done in 0.6 s; next done
            """;

    @Test
    void everyExecutionIsAimedAtAndTheSameSeedGivesTheSamePlan() {
        List<KillPlan.Execution> e = KillPlan.executions(LOG);
        assertEquals(13, e.size());
        assertEquals(new KillPlan.Execution(1, Stage.DESCRIBE, 5.4), e.get(5));
        assertEquals("cycle 2: validate ...", e.get(12).startLine());
        KillPlan p = KillPlan.of(e, List.of(7), 20, 2, 20);
        assertEquals(20, p.targets().size());
        for (int i = 0; i < e.size(); i++) {
            int x = i;
            assertTrue(p.targets().stream().anyMatch(t -> t.execution() == x && !t.compaction()), "execution " + i + " aimed at");
        }
        assertEquals(2, p.targets().stream().filter(t -> t.compaction() && t.execution() == 7).count());
        for (int i = 1; i < p.targets().size(); i++) assertTrue(p.targets().get(i - 1).execution() <= p.targets().get(i).execution(), "in order");
        assertEquals(p.targets(), KillPlan.of(e, List.of(7), 20, 2, 20).targets());
        assertTrue(!p.targets().equals(KillPlan.of(e, List.of(7), 20, 2, 21).targets()), "another seed, other moments");
        assertEquals(7, p.executionOf(1, Stage.LABEL));
        assertEquals(13, p.executionOf(2, Stage.DONE));
    }

    @Test
    void fewerKillsThanExecutionsStillHitEveryStageKind() {
        List<KillPlan.Execution> e = KillPlan.executions(LOG);
        for (long seed = 0; seed < 20; seed++) {
            KillPlan p = KillPlan.of(e, List.of(), 7, 0, seed);
            assertEquals(7, p.targets().size());
            Set<Stage> kinds = EnumSet.noneOf(Stage.class);
            p.targets().forEach(t -> kinds.add(e.get(t.execution()).stage()));
            assertEquals(EnumSet.range(Stage.GENERATE, Stage.VALIDATE), kinds, "seed " + seed);
        }
    }

    @Test
    void anInstantLastExecutionIsNeverATarget() {
        // a HAL campaign's VALIDATE has nothing to validate (0.0 s): a kill aimed there races the driver's exit
        List<KillPlan.Execution> e = KillPlan.executions(LOG.replace("validate done in 0.6 s", "validate done in 0.0 s"));
        assertEquals(0.0, e.get(12).seconds());
        for (long seed = 0; seed < 20; seed++) {
            for (int kills : new int[] {7, 20}) {
                KillPlan p = KillPlan.of(e, List.of(), kills, 0, seed);
                assertEquals(kills, p.targets().size());
                assertTrue(p.targets().stream().noneMatch(t -> t.execution() == 12), "seed " + seed + ": " + p.targets());
            }
        }
        assertTrue(KillPlan.of(KillPlan.executions(LOG), List.of(), 20, 0, 1).targets().stream().anyMatch(t -> t.execution() == 12),
                "a last execution of 0.6 s is aimed at");
    }

    @Test
    void aLateKillIsAimedAgainAtItsKindsNextExecution() {
        KillPlan p = KillPlan.of(KillPlan.executions(LOG), List.of(), 7, 0, 1);
        KillPlan.Target cycle1Relax = new KillPlan.Target(4, 0.9, false);
        assertEquals(java.util.Optional.of(new KillPlan.Target(9, 0.3, false)), p.afterLateKill(cycle1Relax, 5, 0.3),
                "landed in cycle 1 DESCRIBE: aimed at cycle 2 RELAX");
        assertEquals(java.util.Optional.empty(), p.afterLateKill(cycle1Relax, 4, 0.3), "landed in its own execution");
        assertEquals(java.util.Optional.empty(), p.afterLateKill(cycle1Relax, 9, 0.3), "landed in a later execution of its kind");
        KillPlan.Target cycle2Relax = new KillPlan.Target(9, 0.9, false);
        assertEquals(java.util.Optional.empty(), p.afterLateKill(cycle2Relax, 10, 0.3), "the last RELAX: nothing left");
        KillPlan.Target cycle0Select = new KillPlan.Target(1, 0.96, false);
        assertEquals(java.util.Optional.of(new KillPlan.Target(6, 0.5, false)), p.afterLateKill(cycle0Select, 2, 0.5), "cycle 0 SELECT late: cycle 1 SELECT");
        KillPlan.Target cycle2Select = new KillPlan.Target(11, 0.5, false);
        assertEquals(java.util.Optional.empty(), p.afterLateKill(cycle2Select, 12, 0.5), "no SELECT after the last");
        assertEquals(java.util.Optional.empty(), p.afterLateKill(new KillPlan.Target(7, 0, true), 8, 0.5), "compaction kills are not timed");
        assertEquals(java.util.Optional.empty(), p.afterLateKill(cycle2Select, 13, 0.5), "the campaign finished (DONE)");
    }

    @Test
    void theCompactingLabelIsWhereTheReferenceCrossesTheFanIn() {
        List<KillPlan.Execution> e = KillPlan.executions(LOG);
        List<OracleCallLedger.Call> calls = new ArrayList<>();
        for (int i = 0; i < 18; i++) calls.add(new OracleCallLedger.Call("label", "t" + i, "s" + i, "OK", i < 12 ? 0 : 1, 1, 1, Instant.EPOCH));
        assertEquals(List.of(7), KillHarness.compactionLabels(e, new OracleCallLedger.Contents(calls, 0)), "labels 13-18 in cycle 1 reach 16");
        assertEquals(List.of(), KillHarness.compactionLabels(e, new OracleCallLedger.Contents(calls.subList(0, 15), 0)));
    }

    @Test
    void theCompactionStepIsToldFromTheStoresFiles(@TempDir Path store) throws Exception {
        Files.createDirectories(store.resolve("_tmp"));
        Files.createDirectories(store.resolve("shards"));
        Files.createDirectories(store.resolve("index"));
        for (int i = 1; i <= 16; i++) Files.writeString(store.resolve(String.format("shards/shard-%06d.extxyz", i)), "x");
        assertEquals("", CompactionProbe.step(store));
        Files.writeString(store.resolve("_tmp/shard-000001-000016.extxyz"), "x");
        assertEquals("merged shard being written", CompactionProbe.step(store));
        Files.writeString(store.resolve("_tmp/shard-000001-000016.idx"), "x");
        assertEquals("index written, not committed", CompactionProbe.step(store));
        Files.delete(store.resolve("_tmp/shard-000001-000016.idx"));
        Files.move(store.resolve("_tmp/shard-000001-000016.extxyz"), store.resolve("shards/shard-000001-000016.extxyz"));
        assertEquals("merged shard published, not committed", CompactionProbe.step(store));
        Files.writeString(store.resolve("index/shard-000001-000016.idx"), "x");
        assertEquals("committed, inputs being deleted", CompactionProbe.step(store));
        for (int i = 1; i <= 16; i++) Files.delete(store.resolve(String.format("shards/shard-%06d.extxyz", i)));
        assertEquals("", CompactionProbe.step(store));
    }
}
