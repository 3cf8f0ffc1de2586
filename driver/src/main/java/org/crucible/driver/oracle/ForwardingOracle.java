package org.crucible.driver.oracle;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.crucible.driver.store.LabelRecord;
import org.crucible.executors.calculators.Calculator;

/**
 * An {@link Oracle} that hands every call to another one: the base of decorators that add one concern (the call
 * ledger, a connection closed with the oracle, injected failures, a test's call counter) and override only the
 * methods that concern touches.
 */
public abstract class ForwardingOracle implements Oracle {
    /** The oracle every call goes to. */
    protected final Oracle delegate;

    protected ForwardingOracle(Oracle delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public String code() {
        return delegate.code();
    }

    @Override
    public String codeVersion() {
        return delegate.codeVersion();
    }

    @Override
    public String settingsHash() {
        return delegate.settingsHash();
    }

    @Override
    public void label(List<OracleTask> batch, int cycle, String selector, Consumer<LabelRecord> sink) {
        delegate.label(batch, cycle, selector, sink);
    }

    @Override
    public List<OracleRelaxation> relax(List<OracleTask> tasks, double fmaxEvPerAngstrom, int maxSteps) {
        return delegate.relax(tasks, fmaxEvPerAngstrom, maxSteps);
    }

    @Override
    public boolean runsInDriver() {
        return delegate.runsInDriver();
    }

    @Override
    public Optional<Calculator> calculator() {
        return delegate.calculator();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
