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
import org.crucible.driver.store.TrainingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

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
    static final int KILLS_DEFAULT = 20;

    @TempDir
    Path tmp;

    @Test
    void killMinus9AtEveryStepBesideASecondWriterLosesRepeatsAndDuplicatesNothing() throws Exception {
        int kills = Integer.getInteger("crucible.campaign.kills", KILLS_DEFAULT);
        Path config = TestEnvironment.repositoryRoot().resolve("deploy/kill-harness/si8-sw.yaml");
        KillHarness.Settings settings = new KillHarness.Settings(config, tmp.resolve("runs"), kills, 2, 20, true, 1500, 600);
        KillHarness.Report r = new KillHarness(settings, System::nanoTime, System.out).run();
        Path reference = tmp.resolve("runs/reference");
        Path killed = tmp.resolve("runs/killed");

        // coverage: the number of kills and where they landed
        assertTrue(r.kills().size() >= kills, "kills: " + r.kills().size());
        for (Stage s : List.of(Stage.GENERATE, Stage.RELAX, Stage.DESCRIBE, Stage.SELECT, Stage.LABEL, Stage.FIT, Stage.VALIDATE)) {
            assertTrue(r.stagesHit().containsKey(s), "a kill landed in " + s + ": " + r.stagesHit());
        }
        assertTrue(r.compactionHits() >= 1, "a kill landed inside a store compaction: " + r.kills());
        assertTrue(r.driverStarts() >= r.kills().size() + 1, "resumed after every kill");

        // the final store against the reference, read here
        Map<String, LabelRecord> ref = new HashMap<>();
        Map<String, LabelRecord> got = new HashMap<>();
        TrainingStore.Verification v;
        try (TrainingStore a = TrainingStore.openReadOnly(reference.resolve("store").toUri(), new Configuration());
             TrainingStore b = TrainingStore.openReadOnly(killed.resolve("store").toUri(), new Configuration())) {
            a.all().forEach(x -> ref.put(x.taskHash(), x));
            b.all().forEach(x -> got.put(x.taskHash(), x));
            v = b.verify();
        }
        assertTrue(ref.size() >= 16, "the reference labels enough to compact once: " + ref.size());
        assertEquals(new TreeSet<>(ref.keySet()), new TreeSet<>(got.keySet()), "same task hashes");
        assertEquals(ref.size(), v.records());
        assertEquals(ref.size(), v.frames(), "each label exactly once on disk");
        assertTrue(v.clean(), v.toString());
        for (var e : ref.entrySet()) {
            LabelRecord g = got.get(e.getKey());
            assertEquals(e.getValue().status(), g.status());
            assertEquals(e.getValue().structure().labels().energy(), g.structure().labels().energy(), 1e-12, "energy of " + e.getKey());
        }
        StringWriter out = new StringWriter();
        CommandLine cl = CrucibleCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        assertEquals(0, cl.execute("store", "verify", killed.toString()), out.toString());
        assertTrue(out.toString().contains("clean"), out.toString());

        // the oracle's own count: no call for a label already stored; repeats only after an interrupted call
        List<OracleCallLedger.Call> calls = OracleCallLedger.read(killed.resolve(OracleCallLedger.FILE)).labels();
        assertEquals(ref.size(), OracleCallLedger.read(reference.resolve(OracleCallLedger.FILE)).labels().size(), "the reference paid once per label");
        assertEquals(List.of(), r.audit().repeatedAfterStored(), "no oracle call for a task whose label was already stored");
        assertEquals(ref.keySet(), new TreeSet<>(calls.stream().map(OracleCallLedger.Call::taskHash).toList()).stream()
                .collect(java.util.stream.Collectors.toSet()), "every label was paid for, nothing else");
        assertEquals(ref.size() + r.audit().repeatedInterrupted(), calls.size(), "calls = labels + calls repeated after an interrupted one");
        System.out.println("[campaign-kill] " + r.kills().size() + " kills, stages " + r.stagesHit() + ", " + r.compactionHits() + " in a compaction; "
                + calls.size() + " oracle label calls for " + ref.size() + " labels (" + r.audit().repeatedInterrupted() + " repeated after an interrupted call)");

        // the second writer: refused while a driver held the lease, naming it; never added anything
        KillHarness.WriterLog w = r.writer();
        assertTrue(w.refused() >= 1, "the second writer was refused at least once: " + w);
        assertEquals(w.refused(), w.refusedNamingADriver(), "every refusal names a campaign driver as holder: " + w.badRefusals());
        assertEquals(0, w.appendedAdded(), "the second writer added nothing: " + w);
        assertEquals(List.of(), w.errors());
        assertEquals(List.of(), r.violations());
    }
}
