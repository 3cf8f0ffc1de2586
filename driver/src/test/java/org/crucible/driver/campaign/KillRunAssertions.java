package org.crucible.driver.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.crucible.driver.bench.KillHarness;
import org.crucible.driver.bench.KillPlan;
import org.crucible.driver.cli.CrucibleCommand;
import org.crucible.driver.oracle.OracleCallLedger;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.TrainingStore;
import picocli.CommandLine;

/**
 * What every kill -9 test of a campaign asserts after {@link KillHarness#run()}, reading the stores and the ledger itself
 * (never the harness's verdict on trust): the killed run's final store holds the reference's task hashes, each once on
 * disk, with equal statuses and energies (1e-12 eV); {@code store verify} is clean, also through the command line; the
 * oracle-call ledger shows no call for a label already stored, and calls = labels + calls repeated after an interrupted
 * one; the calls begun and never finished (begin lines without their call) are no more than the kills (a driver makes one
 * in-driver call at a time), in the reference none, and each such label call's task was labelled by a later driver.
 * {@link #aimedAtFirstKinds} asserts where the kills were aimed and landed, for the tests that kill a campaign at a
 * few of its stage kinds.
 */
final class KillRunAssertions {
    /** Every stage kind a campaign executes. */
    static final Set<Stage> KINDS = EnumSet.complementOf(EnumSet.of(Stage.DONE));

    private KillRunAssertions() {
    }

    /**
     * The reference executed every stage kind of the loop ({@link Stage} but DONE); the plan aimed at the first
     * {@code kills} of them in {@link Stage} order ({@link KillPlan}: one execution per kind first; VALIDATE only when it
     * is not an instant last step, which the harness never aims at, {@link KillPlan#MIN_LAST_SECONDS}); every planned kill
     * landed, one inside the explorer (RELAX); the driver was resumed after every kill.
     */
    static void aimedAtFirstKinds(KillHarness.Report r, int kills, String what) {
        assertEquals(KINDS, r.stagesExecuted(), what + ": the reference executed every stage kind");
        List<KillPlan.Execution> ex = r.plan().executions();
        Set<Stage> aimable = aimableKinds(r);
        assertTrue(aimable.containsAll(EnumSet.complementOf(EnumSet.of(Stage.DONE, Stage.VALIDATE))), what + ": " + ex);
        Set<Stage> expected = EnumSet.noneOf(Stage.class);
        aimable.stream().limit(kills).forEach(expected::add);
        assertEquals(expected, r.stagesAimed(), what + ": kills aimed at the first " + kills + " stage kinds (plan " + r.plan().targets() + ")");
        assertEquals(kills + r.lateReaims(), r.kills().size(), what + ": every planned kill landed: " + r.kills());
        assertTrue(r.stagesHit().containsKey(Stage.RELAX), what + ": a kill landed inside the explorer (RELAX): " + r.stagesHit());
        assertTrue(r.driverStarts() >= r.kills().size() + 1, what + ": resumed after every kill");
    }

    /**
     * The stage kinds of the reference run a kill can be aimed at: every kind it executed but an instant last step
     * ({@link KillPlan#MIN_LAST_SECONDS}), in {@link Stage} order.
     */
    static Set<Stage> aimableKinds(KillHarness.Report r) {
        List<KillPlan.Execution> ex = r.plan().executions();
        Set<Stage> aimable = EnumSet.noneOf(Stage.class);
        for (int i = 0; i < ex.size(); i++) {
            if (i < ex.size() - 1 || ex.get(i).seconds() >= KillPlan.MIN_LAST_SECONDS) aimable.add(ex.get(i).stage());
        }
        return aimable;
    }

    /**
     * Issue 14's "one kill -9 test per stage kind": a kill landed (by {@code state.json} after the kill) in every stage kind
     * the reference executed that a kill can be aimed at ({@link #aimableKinds}).
     */
    static void landedInEveryKind(KillHarness.Report r, String what) {
        Set<Stage> missing = EnumSet.noneOf(Stage.class);
        missing.addAll(aimableKinds(r));
        missing.removeAll(r.stagesHit().keySet());
        assertEquals(Set.of(), missing, what + ": a kill landed in every stage kind of the reference; landed " + r.stagesHit() + ", kills " + r.kills());
    }

    /** The assertions above for the harness's {@code runs} directory; returns the number of labels of the reference. */
    static int sameStoreAsReference(Path runs, KillHarness.Report r) {
        Path reference = runs.resolve("reference");
        Path killed = runs.resolve("killed");
        Map<String, LabelRecord> ref = new HashMap<>();
        Map<String, LabelRecord> got = new HashMap<>();
        TrainingStore.Verification v;
        try (TrainingStore a = TrainingStore.openReadOnly(reference.resolve("store").toUri(), new Configuration());
             TrainingStore b = TrainingStore.openReadOnly(killed.resolve("store").toUri(), new Configuration())) {
            a.all().forEach(x -> ref.put(x.taskHash(), x));
            b.all().forEach(x -> got.put(x.taskHash(), x));
            v = b.verify();
        }
        assertEquals(new TreeSet<>(ref.keySet()), new TreeSet<>(got.keySet()), "same task hashes");
        assertEquals(ref.size(), v.records());
        assertEquals(ref.size(), v.frames(), "each label exactly once on disk");
        assertTrue(v.clean(), v.toString());
        for (var e : ref.entrySet()) {
            LabelRecord g = got.get(e.getKey());
            assertEquals(e.getValue().status(), g.status(), "status of " + e.getKey());
            assertEquals(e.getValue().structure().labels().energy(), g.structure().labels().energy(), 1e-12, "energy of " + e.getKey());
        }
        StringWriter out = new StringWriter();
        CommandLine cl = CrucibleCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        assertEquals(0, cl.execute("store", "verify", killed.toString()), out.toString());
        assertTrue(out.toString().contains("clean"), out.toString());

        List<OracleCallLedger.Call> calls = OracleCallLedger.read(killed.resolve(OracleCallLedger.FILE)).labels();
        assertEquals(ref.size(), OracleCallLedger.read(reference.resolve(OracleCallLedger.FILE)).labels().size(), "the reference paid once per label");
        assertEquals(List.of(), r.audit().repeatedAfterStored(), "no oracle call for a task whose label was already stored");
        assertEquals(ref.keySet(), Set.copyOf(calls.stream().map(OracleCallLedger.Call::taskHash).toList()), "every label was paid for, nothing else");
        assertEquals(ref.size() + r.audit().repeatedInterrupted(), calls.size(), "calls = labels + calls repeated after an interrupted one");
        OracleCallLedger.Contents ledger = OracleCallLedger.read(killed.resolve(OracleCallLedger.FILE));
        assertEquals(r.audit().begunNotFinished().size(), ledger.unfinished().size());
        assertTrue(ledger.unfinished().size() <= r.kills().size(), "at most one call cut per kill: " + ledger.unfinished() + " for " + r.kills().size() + " kills");
        assertEquals(List.of(), OracleCallLedger.read(reference.resolve(OracleCallLedger.FILE)).unfinished(), "the reference was never killed");
        for (OracleCallLedger.Begin b : ledger.unfinishedLabels()) assertTrue(got.containsKey(b.taskHash()), "the cut call's task was labelled later: " + b);
        assertEquals(List.of(), r.violations());
        return ref.size();
    }
}
