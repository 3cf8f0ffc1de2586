package org.crucible.driver.oracle;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.crucible.core.Labels;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.LabelStatus;
import org.crucible.driver.store.Provenance;
import org.crucible.executors.calculators.CalculationException;
import org.crucible.executors.calculators.Calculator;

/**
 * An embedded reference calculator (Stillinger-Weber, Tersoff, Lennard-Jones) as an {@link Oracle}: each task is
 * one {@link Calculator#calculate} call in the driver's JVM. A {@link CalculationException} or a result without
 * energy and forces becomes a FAILED record. Wall time comes from the injected nanosecond ticker, timestamps from
 * the injected clock, so tests control both.
 */
public final class CalculatorOracle extends ProvenancedOracle {
    private final Calculator calculator;
    private final LongSupplier nanoTicker;

    /**
     * @param settings what determines the calculator's results (name, parameter file contents hash...), hashed into
     *                 every task hash
     */
    public CalculatorOracle(Calculator calculator, String version, Map<String, ?> settings, String host, Clock clock, LongSupplier nanoTicker) {
        super(version, settings, host, clock);
        this.calculator = calculator;
        this.nanoTicker = nanoTicker;
    }

    /** The calculator itself (validation relaxes with it). */
    @Override
    public java.util.Optional<Calculator> calculator() {
        return java.util.Optional.of(calculator);
    }

    @Override
    public String code() {
        return Oracle.token(calculator.name());
    }

    @Override
    public void label(List<OracleTask> batch, int cycle, String selector, Consumer<LabelRecord> sink) {
        for (OracleTask t : batch) {
            long t0 = nanoTicker.getAsLong();
            LabelRecord r;
            try {
                Labels l = calculator.calculate(t.structure());
                double wall = (nanoTicker.getAsLong() - t0) * 1e-9;
                if (!l.hasEnergy() || !l.hasForces()) {
                    r = LabelRecord.failed(t.taskHash(), t.structure(), LabelStatus.FAILED, code() + " returned no energy or forces", prov(cycle, selector, wall));
                } else {
                    r = LabelRecord.ok(t.taskHash(), t.structure().withLabels(l), prov(cycle, selector, wall));
                }
            } catch (CalculationException e) {
                double wall = (nanoTicker.getAsLong() - t0) * 1e-9;
                r = LabelRecord.failed(t.taskHash(), t.structure(), LabelStatus.FAILED, e.getMessage(), prov(cycle, selector, wall));
            }
            sink.accept(r);
        }
    }

    private Provenance prov(int cycle, String selector, double wall) {
        return provenance("-", cycle, selector, wall);
    }
}
