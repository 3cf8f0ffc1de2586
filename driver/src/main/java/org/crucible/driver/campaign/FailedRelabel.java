package org.crucible.driver.campaign;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.driver.oracle.Oracle;
import org.crucible.driver.store.LabelStatus;
import org.crucible.driver.store.TrainingStore;

/**
 * {@code crucible relabel DIR --failed}: sends again, once, every FAILED label of a started campaign's recorded batches
 * that has had fewer than the budget's attempts ({@link ExactlyOnceLabelling#retryFailed}: the same pass a start or
 * resume makes), whether the campaign is finished or stopped, without Spark. The budget replaces
 * {@code oracle.max_attempts} for this pass only; the campaign file itself cannot change. Each result replaces its
 * FAILED record in the store (once, under the writer lease, so never beside a running driver) and is a line of the
 * oracle-call ledger; the campaign's state is not changed.
 *
 * <pre>{@code
 * FailedRelabel.Pass p = new CampaignRunner(clock, System::nanoTime, System.out, Map.of(), null).retryFailed(dir, 5);
 * }</pre>
 */
public final class FailedRelabel {
    /**
     * What a pass did: FAILED labels sent again, the budget it used, and the store's FAILED labels before and after (of
     * which {@code exhausted} have used every attempt of that budget).
     */
    public record Pass(int sent, int maxAttempts, int failedBefore, int failedAfter, int exhausted) {
    }

    private FailedRelabel() {
    }

    /**
     * Runs the pass on the campaign in {@code dir} with the oracle {@code oracle} makes (the campaign's, wrapped in its
     * ledger here and closed here); {@code maxAttempts} null: the file's {@code oracle.max_attempts}.
     */
    static Pass run(Path dir, CampaignConfig cfg, Supplier<Oracle> oracle, Integer maxAttempts, Clock clock, LongSupplier nanoTicker, PrintStream console) {
        int max = maxAttempts != null ? maxAttempts : cfg.oracle().maxAttempts();
        List<Path> batches = new ArrayList<>();
        try (var cycles = Files.list(dir.resolve("cycles"))) {
            cycles.map(c -> c.resolve("batch.json")).filter(Files::exists).sorted().forEach(batches::add);
        } catch (NoSuchFileException e) {
            // no cycle recorded a batch yet: nothing to retry
        } catch (IOException e) {
            throw new CampaignException("cannot list " + dir.resolve("cycles") + ": " + e.getMessage(), e);
        }
        CampaignLog log = new CampaignLog(dir.resolve("campaign.log"), clock, console);
        try (Oracle ledgered = org.crucible.driver.oracle.LedgeredOracle.inCampaign(oracle.get(), dir, clock);
             TrainingStore store = TrainingStore.open(CampaignRunner.storeUri(cfg, dir), new Configuration())) {
            int before = failed(store, Integer.MAX_VALUE);
            log.info("relabel --failed: " + before + " FAILED label(s) in the store; budget " + max + " attempt(s)"
                    + (maxAttempts != null ? " (--max-attempts; oracle.max_attempts is " + cfg.oracle().maxAttempts() + ")" : " (oracle.max_attempts)"));
            int sent = batches.isEmpty() ? 0 : new ExactlyOnceLabelling(ledgered, store, log, null, nanoTicker).retryFailed(batches, max);
            return new Pass(sent, max, before, failed(store, Integer.MAX_VALUE), failed(store, max));
        }
    }

    /** FAILED records in {@code store} that have had at least {@code attempts} attempts ({@code Integer.MAX_VALUE}: every FAILED record). */
    private static int failed(TrainingStore store, int attempts) {
        return (int) store.entries().values().stream()
                .filter(e -> e.status() == LabelStatus.FAILED && (attempts == Integer.MAX_VALUE || e.attempt() >= attempts)).count();
    }
}
