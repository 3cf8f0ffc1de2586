package org.crucible.driver.campaign;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.crucible.driver.oracle.Oracle;
import org.crucible.driver.oracle.OracleTask;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.protocol.Perturbation;
import org.crucible.driver.spark.ProgressBar;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.LabelStatus;
import org.crucible.driver.store.TrainingStore;

/**
 * The LABEL step of every protocol, exactly once per task: the cycle's batch (selected entries after the protocol's
 * perturbation, each with its task hash) is written to {@code cycles/NNN/batch.json} before any task is sent; on
 * resume the recorded batch is read back and only tasks whose hash is not in the store are sent; each result is
 * appended to the store as it arrives; a task without a result fails the step.
 *
 * <p>A task whose stored label FAILED is sent again by {@link #retryFailed} (the campaign calls it when it starts or
 * resumes), up to {@code oracle.max_attempts} attempts in all. The attempts are counted from the store (the attempt
 * number in the stored record's provenance), so the budget holds across resumes and kill -9: an attempt counts once its
 * record is stored; an attempt killed before that is made again. The new record replaces the FAILED one in the store
 * ({@link TrainingStore#append}) and carries the reasons of the earlier failures; an OK record is never replaced. Each
 * retry is a line in the oracle-call ledger with its attempt number.
 */
final class ExactlyOnceLabelling {
    private final Oracle oracle;
    private final TrainingStore store;
    private final CampaignLog log;
    private final PrintStream progress;
    private final java.util.function.LongSupplier nanoTicker;

    /** {@code nanoTicker} times the progress line (elapsed, labels per second, ETA); it decides nothing. */
    ExactlyOnceLabelling(Oracle oracle, TrainingStore store, CampaignLog log, PrintStream progress, java.util.function.LongSupplier nanoTicker) {
        this.oracle = oracle;
        this.store = store;
        this.log = log;
        this.progress = progress;
        this.nanoTicker = nanoTicker;
    }

    /** Labels the entries {@code selection} of {@code pool} (loaded only when no batch was recorded) chosen by {@code selector} in {@code cycle}. */
    void label(Path batchFile, java.util.function.Supplier<Pool> pool, List<Long> selection, Perturbation perturbation, int cycle, String selector) {
        List<OracleTask> batch;
        if (Files.exists(batchFile)) {
            batch = CampaignFiles.readBatch(batchFile);
            log.info("cycle " + cycle + ": resuming the recorded oracle batch of " + batch.size() + " tasks");
        } else {
            batch = new ArrayList<>();
            for (PoolEntry p : pool.get().fetch(selection)) batch.add(OracleTask.of(perturbation.perturb(p.structure(), p.id(), cycle), oracle, p.id()));
            CampaignFiles.writeBatch(batchFile, batch);
        }
        List<OracleTask> pending = batch.stream().filter(t -> !store.contains(t.taskHash())).toList();
        log.info(String.format("cycle %d: labelling %d structures with %s (%d already stored)", cycle, pending.size(), oracle.code(),
                batch.size() - pending.size()));
        int[] counts = new int[2];
        long started = nanoTicker.getAsLong();
        oracle.label(pending, cycle, selector, rec -> {
            store(rec);
            counts[0]++;
            if (rec.status() != LabelStatus.OK) counts[1]++;
            if (progress != null) {
                progress.print("\r" + ProgressBar.render(pending.size(), counts[0], 0, "oracle " + oracle.code() + " cycle " + cycle
                        + (counts[1] > 0 ? " (" + counts[1] + " failed)" : ""), 30, nanoTicker.getAsLong() - started).replace(" tasks", " labels"));
                if (counts[0] == pending.size()) progress.println();
                progress.flush();
            }
        });
        for (OracleTask t : batch) {
            if (!store.contains(t.taskHash())) throw new CampaignException("label: the oracle returned no result for task " + t.taskHash() + " (pool id " + t.poolId() + ")");
        }
    }

    /**
     * Sends again every task of the recorded batches {@code batchFiles} whose stored label FAILED and that has had fewer
     * than {@code maxAttempts} attempts, each as its next attempt, in the cycle and with the selector of its stored
     * record; returns the number sent. One pass: a retry that fails again waits for the next resume.
     */
    int retryFailed(List<Path> batchFiles, int maxAttempts) {
        java.util.Map<List<Object>, List<OracleTask>> groups = new java.util.LinkedHashMap<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        int exhausted = 0;
        for (Path f : batchFiles) {
            for (OracleTask t : CampaignFiles.readBatch(f)) {
                TrainingStore.Entry e = store.lookup(t.taskHash()).orElse(null);
                if (e == null || e.status() != LabelStatus.FAILED || !seen.add(t.taskHash())) continue;
                if (e.attempt() >= maxAttempts) {
                    exhausted++;
                    continue;
                }
                groups.computeIfAbsent(List.of(e.cycle(), e.selector()), k -> new ArrayList<>()).add(t.asAttempt(e.attempt() + 1));
            }
        }
        int n = groups.values().stream().mapToInt(List::size).sum();
        if (n == 0 && exhausted == 0) return 0;
        log.info(String.format("retrying %d failed label(s) (oracle.max_attempts %d; %d failed label(s) have used all their attempts)", n, maxAttempts,
                exhausted));
        for (java.util.Map.Entry<List<Object>, List<OracleTask>> g : groups.entrySet()) {
            int cycle = (Integer) g.getKey().get(0);
            String selector = (String) g.getKey().get(1);
            java.util.Map<String, OracleTask> byHash = new java.util.HashMap<>();
            for (OracleTask t : g.getValue()) byHash.put(t.taskHash(), t);
            oracle.label(g.getValue(), cycle, selector, rec -> {
                LabelRecord stored = store(rec);
                OracleTask t = byHash.get(rec.taskHash());
                log.info(String.format("cycle %d: retry of task %s (pool id %d): attempt %d of %d %s%s", cycle, rec.taskHash().substring(0, 16),
                        t == null ? -1 : t.poolId(), stored.provenance().attempt(), maxAttempts, stored.status().label(),
                        stored.status() == LabelStatus.OK ? "" : " (" + stored.message() + ")"));
            });
        }
        return n;
    }

    /**
     * Appends one oracle result; a result for a task whose stored record FAILED becomes the next attempt after it
     * ({@link LabelRecord#retryOf}). Returns the record as appended.
     */
    private LabelRecord store(LabelRecord rec) {
        TrainingStore.Entry e = store.lookup(rec.taskHash()).orElse(null);
        LabelRecord out = rec;
        if (e != null && e.status() == LabelStatus.FAILED) out = rec.retryOf(store.get(rec.taskHash()).orElseThrow());
        store.append(List.of(out));
        return out;
    }
}
