package org.crucible.driver.oracle;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.crucible.config.campaign.Oracle.FailureInjection;
import org.crucible.dft.hpc.Sleeper;
import org.crucible.driver.campaign.CampaignException;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.LabelStatus;
import org.crucible.driver.store.Provenance;
import org.crucible.driver.store.TaskHash;

/**
 * An oracle whose seeded subset of tasks fails ({@code oracle.inject_failures}, {@link FailureInjection}): the
 * reliability tests' way to make FAILED labels that a resumed campaign retries, through the campaign's real path
 * (oracle, ledger, store). A chosen task's attempts {@code 1..attempts} take {@code seconds} s (the injected
 * {@link Sleeper}) and return a FAILED record with the reason; every other call, and a chosen task's later attempts,
 * go to the wrapped oracle. Which tasks fail depends only on the seed and the task hash, so a killed and resumed
 * campaign fails the same tasks as an uninterrupted one. The settings hash is the wrapped oracle's: the labels' physics
 * is unchanged.
 *
 * <pre>{@code
 * Oracle o = new FailureInjectingOracle(calculatorOracle, new FailureInjection(0.2, 3, 0.5, 100), host, clock, Sleeper.SYSTEM);
 * }</pre>
 */
final class FailureInjectingOracle extends ForwardingOracle {
    private final FailureInjection injection;
    private final String host;
    private final Clock clock;
    private final Sleeper sleeper;

    FailureInjectingOracle(Oracle delegate, FailureInjection injection, String host, Clock clock, Sleeper sleeper) {
        super(delegate);
        this.injection = injection;
        this.host = host;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** True when {@code taskHash} is among the tasks that fail: SHA-256(seed:hash) as a fraction of 2^256 below the share. */
    static boolean chosen(FailureInjection f, String taskHash) {
        BigInteger h = new BigInteger(TaskHash.sha256(f.seed() + ":" + taskHash), 16);
        return h.doubleValue() / Math.pow(2, 256) < f.fraction();
    }

    @Override
    public void label(List<OracleTask> batch, int cycle, String selector, Consumer<LabelRecord> sink) {
        List<OracleTask> pass = new ArrayList<>();
        for (OracleTask t : batch) {
            if (!chosen(injection, t.taskHash()) || t.attempt() > injection.attempts()) {
                pass.add(t);
                continue;
            }
            // Results are handed over in batch order: the tasks before this one that pass go first.
            if (!pass.isEmpty()) {
                delegate.label(pass, cycle, selector, sink);
                pass = new ArrayList<>();
            }
            try {
                sleeper.sleep(Duration.ofNanos(Math.round(injection.seconds() * 1e9)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CampaignException("interrupted while failing task " + t.taskHash(), e);
            }
            Provenance p = new Provenance(code(), codeVersion(), settingsHash(), "-", host, cycle, selector, injection.seconds(), Instant.now(clock));
            sink.accept(LabelRecord.failed(t.taskHash(), t.structure(), LabelStatus.FAILED,
                    "injected failure (oracle.inject_failures, attempt " + t.attempt() + ")", p));
        }
        if (!pass.isEmpty()) delegate.label(pass, cycle, selector, sink);
    }
}
