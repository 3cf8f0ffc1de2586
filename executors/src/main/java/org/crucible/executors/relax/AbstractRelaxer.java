package org.crucible.executors.relax;

import java.util.ArrayList;
import java.util.List;
import org.crucible.core.Structure;
import org.crucible.executors.calculators.CalculationException;
import org.crucible.executors.calculators.Calculator;
import org.crucible.executors.calculators.NonFiniteResultException;

/**
 * The relaxation loop shared by all optimisers: evaluate the frame at x, apply the stop rules in the order
 * NON_FINITE / CALCULATION_FAILED, CONVERGED, EARLY_STOP, MAX_STEPS, PATIENCE, then let the optimiser move x.
 * Subclasses supply only the step rule ({@link Stepper}) on the generalised vector of a {@link UnitCellFilter}.
 */
public abstract class AbstractRelaxer implements Relaxer, java.io.Serializable {
    private static final long serialVersionUID = 1L;


    /**
     * One run's optimiser state; moves x in place given the generalised forces g = -dH/dx, H, and the current
     * frame (with labels; preconditioners read its geometry).
     */
    protected interface Stepper {
        void step(double[] x, double[] g, double enthalpy, Structure current);
    }

    /**
     * A fresh optimiser state for a vector of {@code dimension} values (rows of 3: atoms, then the 3 cell rows
     * when {@code filter.relaxesCell()}).
     */
    protected abstract Stepper newStepper(int dimension, UnitCellFilter filter);

    @Override
    public final RelaxResult relax(Structure start, Calculator calculator, RelaxSettings settings) {
        UnitCellFilter filter = new UnitCellFilter(start, settings.relaxCell(), settings.pressureGPa());
        double[] x = filter.initial();
        double[] g = new double[x.length];
        Stepper stepper = newStepper(x.length, filter);
        List<Structure> trajectory = new ArrayList<>();
        int every = settings.trajectoryEvery();
        Structure lowest = null, last = null, current;
        double startH = Double.NaN, lowestH = Double.POSITIVE_INFINITY, lastH = Double.NaN;
        int sinceBest = 0, steps = 0, evaluations = 0;
        StopReason reason;
        String message = "";
        while (true) {
            Structure frame;
            try {
                frame = filter.structureAt(x);
            } catch (IllegalArgumentException e) {
                reason = StopReason.NON_FINITE;
                message = "step " + steps + ": " + e.getMessage();
                break;
            }
            try {
                evaluations++;
                current = frame.withLabels(calculator.calculate(frame));
            } catch (NonFiniteResultException e) {
                reason = StopReason.NON_FINITE;
                message = "step " + steps + ": " + e.getMessage();
                break;
            } catch (CalculationException e) {
                reason = StopReason.CALCULATION_FAILED;
                message = "step " + steps + ": " + e.getMessage();
                break;
            }
            if (!current.labels().hasEnergy() || !current.labels().hasForces() || (filter.relaxesCell() && !current.labels().hasStress())) {
                throw new IllegalArgumentException("relaxation with " + calculator.name() + " needs energy, forces"
                        + (filter.relaxesCell() ? " and stress" : "") + "; got " + current.labels());
            }
            double h = filter.enthalpy(current);
            filter.generalisedForces(current, g);
            last = current;
            lastH = h;
            if (steps == 0) startH = h;
            if (h < lowestH) {
                lowestH = h;
                lowest = current;
                sinceBest = 0;
            } else {
                sinceBest++;
            }
            if (every > 0 && steps % every == 0) trajectory.add(current.wrapped());
            if (current.labels().maxForce() < settings.fmax() && filter.maxStressDeviationGPa(current) < settings.smaxGPa()) {
                reason = StopReason.CONVERGED;
                break;
            }
            if (settings.earlyStop().shouldStop(current, steps)) {
                reason = StopReason.EARLY_STOP;
                break;
            }
            if (steps >= settings.maxSteps()) {
                reason = StopReason.MAX_STEPS;
                break;
            }
            if (settings.patience() > 0 && sinceBest >= settings.patience()) {
                reason = StopReason.PATIENCE;
                break;
            }
            stepper.step(x, g, h, current);
            steps++;
        }
        if (last == null) {
            // the very first evaluation failed: nothing was computed, report the start as it was
            Structure s = start;
            return new RelaxResult(s, s, reason, steps, evaluations, Double.NaN, Double.NaN, Double.NaN, trajectory, message);
        }
        Structure lastWrapped = last.wrapped();
        if (every > 0 && (trajectory.isEmpty() || steps % every != 0)) trajectory.add(lastWrapped);
        boolean lastFailed = reason == StopReason.NON_FINITE || reason == StopReason.CALCULATION_FAILED;
        return new RelaxResult(lastWrapped, lowest == last ? lastWrapped : lowest.wrapped(), reason, steps, evaluations, startH,
                lastFailed ? Double.NaN : lastH, lowestH, trajectory, message);
    }

    /** Scales dx so that no row of 3 (an atom's move, or a cell row) is longer than maxStep; returns the factor. */
    static double limitRows(double[] dx, double maxStep) {
        double longest = 0;
        for (int i = 0; i < dx.length; i += 3) {
            longest = Math.max(longest, dx[i] * dx[i] + dx[i + 1] * dx[i + 1] + dx[i + 2] * dx[i + 2]);
        }
        longest = Math.sqrt(longest);
        if (longest > maxStep) {
            double f = maxStep / longest;
            for (int i = 0; i < dx.length; i++) dx[i] *= f;
            return f;
        }
        return 1.0;
    }
}
