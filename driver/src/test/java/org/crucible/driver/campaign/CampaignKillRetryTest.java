package org.crucible.driver.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.driver.bench.KillHarness;
import org.crucible.driver.cli.CrucibleCommand;
import org.crucible.driver.oracle.OracleCallLedger;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.LabelStatus;
import org.crucible.driver.store.TrainingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Kills during retries of FAILED labels: {@code deploy/kill-harness/si8-sw-failing.yaml}, the kill harness's Si8 SW
 * campaign whose oracle really fails a seeded quarter of the tasks ({@code oracle.inject_failures}: the FAILED records
 * go through the campaign's oracle, ledger and store as any failure does) on every attempt, with
 * {@code oracle.max_attempts: 3}. Every resumed driver first sends the FAILED labels of earlier cycles again; the
 * harness kills {@value #KILLS_DEFAULT} times at seeded stages ({@code -Dcrucible.campaign.kills=N}) and
 * {@value #RETRY_KILLS_DEFAULT} more times while retries are in flight ({@code -Dcrucible.campaign.retry-kills=N}). The
 * assertions read the stores and the ledger themselves.
 */
class CampaignKillRetryTest {
    static final int KILLS_DEFAULT = 6;
    static final int RETRY_KILLS_DEFAULT = 2;
    static final int MAX_ATTEMPTS = 3;

    @TempDir
    Path tmp;

    @Test
    void killMinus9WhileFailedLabelsAreRetriedKeepsOneLabelPerTaskWithinTheBudget() throws Exception {
        int kills = Integer.getInteger("crucible.campaign.kills", KILLS_DEFAULT);
        int retryKills = Integer.getInteger("crucible.campaign.retry-kills", RETRY_KILLS_DEFAULT);
        Path config = TestEnvironment.repositoryRoot().resolve("deploy/kill-harness/si8-sw-failing.yaml");
        KillHarness.Settings settings = new KillHarness.Settings(config, tmp.resolve("runs"), kills, 0, 33, false, 1000, 600, retryKills);
        KillHarness.Report r = new KillHarness(settings, System::nanoTime, System.out).run();
        Path reference = tmp.resolve("runs/reference");
        Path killed = tmp.resolve("runs/killed");

        assertTrue(r.kills().size() >= kills + retryKills, "kills: " + r.kills().size());
        assertTrue(r.retryHits() >= 1, "a kill landed while a retry was in flight: " + r.kills());

        Map<String, LabelRecord> ref = new HashMap<>();
        Map<String, LabelRecord> got = new HashMap<>();
        TrainingStore.Verification v;
        try (TrainingStore a = TrainingStore.openReadOnly(reference.resolve("store").toUri(), new Configuration());
             TrainingStore b = TrainingStore.openReadOnly(killed.resolve("store").toUri(), new Configuration())) {
            a.all().forEach(x -> ref.put(x.taskHash(), x));
            b.all().forEach(x -> got.put(x.taskHash(), x));
            v = b.verify();
        }
        long failed = ref.values().stream().filter(x -> x.status() == LabelStatus.FAILED).count();
        assertTrue(failed >= 2, "the reference has failed labels: " + failed);
        assertTrue(ref.values().stream().filter(x -> x.status() == LabelStatus.FAILED).allMatch(x -> x.provenance().attempt() == 1),
                "the uninterrupted run never resumes, so never retries");

        // every task ends with exactly one live label, equal to the uninterrupted run's
        assertEquals(new TreeSet<>(ref.keySet()), new TreeSet<>(got.keySet()), "same task hashes");
        assertEquals(ref.size(), v.records());
        assertEquals(Map.of(), v.duplicates());
        assertTrue(v.clean(), v.toString());
        assertEquals(v.records() + v.superseded(), v.frames(), "frames on disk: one per label plus superseded failed attempts");
        for (var e : ref.entrySet()) {
            LabelRecord g = got.get(e.getKey());
            assertEquals(e.getValue().status(), g.status(), e.getKey());
            if (g.status() == LabelStatus.OK) {
                assertEquals(e.getValue().structure().labels().energy(), g.structure().labels().energy(), 1e-12, "energy of " + e.getKey());
                assertEquals(1, g.provenance().attempt(), "an OK label is never retried");
            }
        }

        // the budget: no task beyond max_attempts, in the store or in the ledger
        int transitions = 0;
        for (LabelRecord g : got.values()) {
            int at = g.provenance().attempt();
            assertTrue(at >= 1 && at <= MAX_ATTEMPTS, g.taskHash() + " at attempt " + at);
            assertEquals(at - 1, g.provenance().earlierFailures().size(), "the record carries every earlier failure");
            transitions += at - 1;
        }
        List<OracleCallLedger.Call> calls = OracleCallLedger.read(killed.resolve(OracleCallLedger.FILE)).labels();
        assertTrue(calls.stream().allMatch(c -> c.attempt() <= MAX_ATTEMPTS), "no oracle call beyond max_attempts");

        // the audit's retries: > 0, and one per FAILED -> next attempt transition the store records
        assertTrue(r.audit().retries() > 0, r.audit().describe());
        assertEquals(transitions, r.audit().retries(), "retries in the ledger = attempts beyond the first in the store");
        assertEquals(List.of(), r.audit().repeatedAfterStored());
        assertEquals(got.size() + transitions + r.audit().repeatedInterrupted(), calls.size(),
                "calls = labels + retries + calls repeated after an interrupted one");

        StringWriter out = new StringWriter();
        CommandLine cl = CrucibleCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        assertEquals(0, cl.execute("store", "verify", killed.toString()), out.toString());
        assertEquals(List.of(), r.violations());
        System.out.println("[campaign-kill-retry] " + r.kills().size() + " kills (" + r.retryHits() + " with retries in flight), stages " + r.stagesHit()
                + "; " + ref.size() + " labels, " + failed + " failed; " + calls.size() + " oracle label calls: " + transitions + " retries, "
                + r.audit().repeatedInterrupted() + " repeated after an interrupted call; superseded frames " + v.superseded());
    }
}
