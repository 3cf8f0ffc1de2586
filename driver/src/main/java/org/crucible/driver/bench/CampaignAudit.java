package org.crucible.driver.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.crucible.driver.oracle.OracleCallLedger;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.TrainingStore;

/**
 * Checks a campaign that was killed and resumed against an uninterrupted reference run of the same file: the final
 * store holds the reference's task hashes, each exactly once, with the same status and energies (within
 * {@link #ENERGY_TOLERANCE_EV} eV), {@code store verify} is clean, and the oracle-call ledger
 * ({@link OracleCallLedger}) shows no label call for a task whose label was already in the store when the calling
 * driver started. A call repeated because the driver that made the first one was killed before its label was
 * committed is allowed, and counted separately. Calls begun and never finished (the ledger's begin lines without their
 * call line: a driver killed during an in-driver calculation, paid for in part, no label from it) are listed apart: they
 * are neither labels nor repeated calls, and a completed call of the same task after one is not a duplicate.
 */
public final class CampaignAudit {
    /** Largest accepted difference of a label's energy between the two runs, eV. */
    public static final double ENERGY_TOLERANCE_EV = 1e-12;

    /**
     * @param referenceLabels      labels in the reference store
     * @param labels               labels (records) in the killed run's store
     * @param frames               frames on disk in the killed run's store (a duplicated label shows as frames &gt; labels)
     * @param lost                 reference task hashes missing from the killed run's store
     * @param extra                task hashes in the killed run's store the reference does not have
     * @param statusMismatches     labels whose status differs between the runs
     * @param maxEnergyDifferenceEv largest |E_killed - E_reference| over the OK labels of both, eV
     * @param verify               the killed run's {@code store verify}
     * @param labelCalls           label calls in the killed run's ledger
     * @param referenceLabelCalls  label calls in the reference's ledger
     * @param repeatedAfterStored  label calls for a task already stored when the calling driver started (must be 0)
     * @param repeatedInterrupted  label calls repeating one (same task, same attempt) whose driver was killed before the label was committed
     * @param retries              label calls that are a later attempt at a task whose earlier attempt FAILED ({@code oracle.max_attempts})
     * @param calledNotStored      tasks with a label call but no label in the final store (must be 0)
     * @param tornLedgerLines      ledger lines that could not be read
     * @param relaxCalls           final-validation relaxations in the killed run's ledger (not labels; repeated after a kill in VALIDATE)
     * @param begunNotFinished     calls of any kind begun and never finished in the killed run's ledger ({@link OracleCallLedger.Contents#unfinished}),
     *                             each as {@code kind task-hash attempt N (pid P)}
     */
    public record Result(int referenceLabels, int labels, long frames, List<String> lost, List<String> extra, int statusMismatches,
                         double maxEnergyDifferenceEv, TrainingStore.Verification verify, int labelCalls, int referenceLabelCalls,
                         List<String> repeatedAfterStored, int repeatedInterrupted, int retries, List<String> calledNotStored, int tornLedgerLines,
                         int relaxCalls, List<String> begunNotFinished) {
        public Result {
            begunNotFinished = List.copyOf(begunNotFinished);
            lost = List.copyOf(lost);
            extra = List.copyOf(extra);
            repeatedAfterStored = List.copyOf(repeatedAfterStored);
            calledNotStored = List.copyOf(calledNotStored);
        }

        /**
         * Labels stored more than once (frames beyond one per label and the superseded FAILED frames of retried labels,
         * and duplicated task hashes verify found).
         */
        public long duplicated() {
            return Math.max(frames - labels - verify.superseded(), verify.duplicates().size());
        }

        /** Everything that is wrong; empty when the killed run matches the reference. */
        public List<String> violations() {
            List<String> v = new ArrayList<>();
            if (!lost.isEmpty()) v.add(lost.size() + " label(s) of the reference lost: " + lost);
            if (!extra.isEmpty()) v.add(extra.size() + " label(s) the reference does not have: " + extra);
            if (duplicated() > 0) v.add(duplicated() + " label(s) stored more than once: " + verify.duplicates());
            if (statusMismatches > 0) v.add(statusMismatches + " label(s) with another status than in the reference");
            if (!(maxEnergyDifferenceEv <= ENERGY_TOLERANCE_EV)) v.add("energies differ from the reference by up to " + maxEnergyDifferenceEv + " eV");
            if (!verify.clean()) v.add("store verify is not clean: " + verify);
            if (!repeatedAfterStored.isEmpty()) v.add(repeatedAfterStored.size() + " oracle call(s) for a task whose label was already stored: " + repeatedAfterStored);
            if (!calledNotStored.isEmpty()) v.add(calledNotStored.size() + " task(s) the oracle labelled but the store does not hold: " + calledNotStored);
            return v;
        }

        /** A one-paragraph summary. */
        public String describe() {
            return String.format("audit: reference %d labels; killed run %d labels in %d frames, lost %d, extra %d, duplicated %d, status mismatches %d, "
                            + "max |dE| %.3g eV, verify %s; oracle label calls %d (reference %d), repeated after stored %d, repeated after an interrupted "
                            + "call %d, retries of failed labels %d, called but not stored %d, torn ledger lines %d, validation relaxations %d, calls begun and "
                            + "never finished %d",
                    referenceLabels, labels, frames, lost.size(), extra.size(), duplicated(), statusMismatches, maxEnergyDifferenceEv,
                    verify.clean() ? "clean" : "NOT clean", labelCalls, referenceLabelCalls, repeatedAfterStored.size(), repeatedInterrupted,
                    retries, calledNotStored.size(), tornLedgerLines, relaxCalls, begunNotFinished.size());
        }
    }

    private CampaignAudit() {
    }

    /**
     * Audits the campaign directory {@code killed} against {@code reference}.
     *
     * @param storedAtStart per driver pid of the killed run, the task hashes its store held when that driver started, other
     *                      than FAILED ones (which that driver may send again as retries)
     */
    public static Result audit(Path reference, Path killed, Map<Long, Set<String>> storedAtStart) {
        Map<String, LabelRecord> ref = records(reference.resolve("store"));
        Map<String, LabelRecord> got = records(killed.resolve("store"));
        TrainingStore.Verification verify;
        try (TrainingStore ro = TrainingStore.openReadOnly(killed.resolve("store").toUri(), new Configuration())) {
            verify = ro.verify();
        }
        List<String> lost = new ArrayList<>(new TreeSet<>(ref.keySet()));
        lost.removeAll(got.keySet());
        List<String> extra = new ArrayList<>(new TreeSet<>(got.keySet()));
        extra.removeAll(ref.keySet());
        int status = 0;
        double maxDe = 0;
        for (Map.Entry<String, LabelRecord> e : ref.entrySet()) {
            LabelRecord g = got.get(e.getKey());
            if (g == null) continue;
            if (g.status() != e.getValue().status()) {
                status++;
                continue;
            }
            Double a = e.getValue().structure().labels() == null ? null : e.getValue().structure().labels().energy();
            Double b = g.structure().labels() == null ? null : g.structure().labels().energy();
            if (a == null && b == null) continue;
            if (a == null || b == null) {
                status++;
                continue;
            }
            maxDe = Math.max(maxDe, Math.abs(a - b));
        }
        OracleCallLedger.Contents ledger = OracleCallLedger.read(killed.resolve(OracleCallLedger.FILE));
        OracleCallLedger.Contents refLedger = OracleCallLedger.read(reference.resolve(OracleCallLedger.FILE));
        List<String> afterStored = new ArrayList<>();
        int interrupted = 0;
        int retries = 0;
        Map<String, Integer> seen = new HashMap<>(); // task hash and attempt -> calls
        Set<String> called = new TreeSet<>();
        for (OracleCallLedger.Call c : ledger.labels()) {
            called.add(c.taskHash());
            Set<String> atStart = storedAtStart.get(c.pid());
            if (atStart != null && atStart.contains(c.taskHash())) {
                afterStored.add(c.taskHash() + " (pid " + c.pid() + ")");
            } else if (seen.containsKey(c.taskHash() + "#" + c.attempt())) {
                interrupted++;
            } else if (c.attempt() > 1) {
                retries++;
            }
            seen.merge(c.taskHash() + "#" + c.attempt(), 1, Integer::sum);
        }
        List<String> calledNotStored = new ArrayList<>(called);
        calledNotStored.removeAll(got.keySet());
        int relax = (int) ledger.calls().stream().filter(c -> c.kind().equals("relax")).count();
        List<String> unfinished = ledger.unfinished().stream()
                .map(b -> b.kind() + " " + b.taskHash() + " attempt " + b.attempt() + " (pid " + b.pid() + ")").toList();
        return new Result(ref.size(), got.size(), verify.frames(), lost, extra, status, maxDe, verify, ledger.labels().size(), refLedger.labels().size(),
                afterStored, interrupted, retries, calledNotStored, ledger.tornLines(), relax, unfinished);
    }

    private static Map<String, LabelRecord> records(Path store) {
        Map<String, LabelRecord> m = new HashMap<>();
        try (TrainingStore ro = TrainingStore.openReadOnly(store.toUri(), new Configuration())) {
            for (LabelRecord r : ro.all()) m.put(r.taskHash(), r);
        }
        return m;
    }
}
