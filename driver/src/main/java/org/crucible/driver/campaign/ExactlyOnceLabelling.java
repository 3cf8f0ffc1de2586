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
import org.crucible.driver.store.LabelStatus;
import org.crucible.driver.store.TrainingStore;

/**
 * The LABEL step of every protocol, exactly once per task: the cycle's batch (selected entries after the protocol's
 * perturbation, each with its task hash) is written to {@code cycles/NNN/batch.json} before any task is sent; on
 * resume the recorded batch is read back and only tasks whose hash is not in the store are sent; each result is
 * appended to the store as it arrives; a task without a result fails the step.
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
            store.append(List.of(rec));
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
}
