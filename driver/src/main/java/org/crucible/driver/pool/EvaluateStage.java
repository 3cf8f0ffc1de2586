package org.crucible.driver.pool;

import java.io.Serializable;
import org.crucible.core.Labels;
import org.crucible.executors.calculators.CalculationException;
import org.crucible.executors.calculators.Calculator;

/**
 * Single-point evaluation of every structure with a broadcast calculator: sets the energy (eV) and max|F|
 * (eV/Angstrom); uncertainty stays NaN (a plain calculator has none). A structure the calculator rejects gets status
 * {@code failed} and keeps NaN values, which selection skips. The calculator must be {@link Serializable}.
 */
public record EvaluateStage() implements PoolStage<EvaluateStage.Model> {
    private static final long serialVersionUID = 1L;

    /** A serializable calculator wrapper for broadcasting. */
    public record Model(Calculator calculator) implements Serializable {
        private static final long serialVersionUID = 1L;

        public Model {
            if (!(calculator instanceof Serializable)) {
                throw new IllegalArgumentException("calculator " + calculator.name() + " is not Serializable and cannot be broadcast");
            }
        }
    }

    @Override
    public PoolEntry apply(PoolEntry entry, Model model, long seed) {
        try {
            Labels l = model.calculator().calculate(entry.structure());
            return entry.withExploration(l.energy(), Double.NaN, l.maxForce(), 0, "evaluated", new double[0][]);
        } catch (CalculationException e) {
            return entry.withExploration(Double.NaN, Double.NaN, Double.NaN, 0, "failed", new double[0][]);
        }
    }
}
