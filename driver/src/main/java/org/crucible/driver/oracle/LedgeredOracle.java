package org.crucible.driver.oracle;

import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.TaskHash;

/**
 * An {@link Oracle} whose every evaluation is written to an {@link OracleCallLedger} before anyone sees its result:
 * each label goes to the ledger (fsynced) and only then to the sink that stores it; each final-validation relaxation
 * goes to the ledger with its number of single points. For an oracle that {@link Oracle#runsInDriver runs in the
 * driver}, each task is sent on its own, after a fsynced begin line ({@link OracleCallLedger#begin}), so a call killed
 * midway is on record as begun and never finished (such oracles label one task after another anyway, so sending them
 * one at a time changes neither order nor results). A batch labelled with the selector {@link OracleCallLedger#REFERENCE}
 * (tracked reference crystals) is recorded with that kind, so the audit of training labels does not count it. Everything else is the wrapped oracle's. The campaign driver
 * wraps its oracle in one, so the ledger counts what the oracle did, independently of what the store kept.
 */
public final class LedgeredOracle extends ForwardingOracle {
    private final OracleCallLedger ledger;
    private final long pid;
    private final Clock clock;

    /** @param ledger closed with this oracle */
    public LedgeredOracle(Oracle oracle, OracleCallLedger ledger, Clock clock) {
        super(oracle);
        this.ledger = ledger;
        this.pid = ProcessHandle.current().pid();
        this.clock = clock;
    }

    /** {@code oracle} recording to the ledger of the campaign directory {@code dir} ({@link OracleCallLedger#FILE}), opened for appending. */
    public static LedgeredOracle inCampaign(Oracle oracle, java.nio.file.Path dir, Clock clock) {
        return new LedgeredOracle(oracle, OracleCallLedger.open(dir.resolve(OracleCallLedger.FILE)), clock);
    }

    @Override
    public void label(List<OracleTask> batch, int cycle, String selector, Consumer<LabelRecord> sink) {
        String kind = OracleCallLedger.REFERENCE.equals(selector) ? OracleCallLedger.REFERENCE : "label";
        if (!delegate.runsInDriver()) {
            labelRecorded(batch, cycle, selector, kind, sink);
            return;
        }
        for (OracleTask t : batch) {
            ledger.begin(new OracleCallLedger.Begin(kind, t.taskHash(), t.attempt(), cycle, pid, clock.instant()));
            labelRecorded(List.of(t), cycle, selector, kind, sink);
        }
    }

    private void labelRecorded(List<OracleTask> batch, int cycle, String selector, String kind, Consumer<LabelRecord> sink) {
        java.util.Map<String, OracleTask> tasks = new java.util.HashMap<>();
        for (OracleTask t : batch) tasks.put(t.taskHash(), t);
        delegate.label(batch, cycle, selector, rec -> {
            OracleTask t = tasks.get(rec.taskHash());
            String structure = t != null ? t.structure().contentHash() : rec.structure().contentHash();
            ledger.record(new OracleCallLedger.Call(kind, rec.taskHash(), structure, rec.status().name(), cycle, 1, pid, clock.instant(),
                    t != null ? t.attempt() : 1));
            sink.accept(rec);
        });
    }

    @Override
    public List<OracleRelaxation> relax(List<OracleTask> tasks, double fmaxEvPerAngstrom, int maxSteps) {
        if (!delegate.runsInDriver()) return relaxRecorded(tasks, fmaxEvPerAngstrom, maxSteps);
        List<OracleRelaxation> out = new java.util.ArrayList<>();
        for (OracleTask t : tasks) {
            ledger.begin(new OracleCallLedger.Begin("relax", t.taskHash(), 1, -1, pid, clock.instant()));
            out.addAll(relaxRecorded(List.of(t), fmaxEvPerAngstrom, maxSteps));
        }
        return out;
    }

    private List<OracleRelaxation> relaxRecorded(List<OracleTask> tasks, double fmaxEvPerAngstrom, int maxSteps) {
        List<OracleRelaxation> out = delegate.relax(tasks, fmaxEvPerAngstrom, maxSteps);
        for (int i = 0; i < out.size(); i++) {
            OracleRelaxation r = out.get(i);
            OracleTask t = i < tasks.size() ? tasks.get(i) : null;
            String task = t != null ? t.taskHash() : TaskHash.of(r.relaxed(), delegate.settingsHash());
            String structure = t != null ? t.structure().contentHash() : r.relaxed().contentHash();
            ledger.record(new OracleCallLedger.Call("relax", task, structure, r.stopReason(), -1, Math.max(0, r.singlePoints()), pid, clock.instant()));
        }
        return out;
    }

    @Override
    public void close() {
        try {
            super.close();
        } finally {
            ledger.close();
        }
    }
}
