package org.crucible.executors.relax;

import java.util.List;
import org.crucible.core.Structure;

/**
 * Outcome of one relaxation.
 *
 * @param last           the final frame (positions wrapped into the cell) with its labels
 * @param lowest         the frame of lowest enthalpy seen, with its labels (equals {@code last} for most converged runs)
 * @param reason         why it stopped
 * @param steps          optimiser steps taken
 * @param evaluations    calculator calls made
 * @param startEnthalpy  H = E + pV of the first frame (eV)
 * @param lastEnthalpy   H of {@code last} (eV); NaN when the last evaluation failed
 * @param lowestEnthalpy H of {@code lowest} (eV)
 * @param trajectory     frames kept every k steps (with the first and last), empty when not requested
 * @param message        details for NON_FINITE and CALCULATION_FAILED, else empty
 */
public record RelaxResult(Structure last, Structure lowest, StopReason reason, int steps, int evaluations, double startEnthalpy,
                          double lastEnthalpy, double lowestEnthalpy, List<Structure> trajectory, String message) {
    public RelaxResult {
        if (last == null || lowest == null || reason == null) throw new IllegalArgumentException("last, lowest and reason are required");
        trajectory = List.copyOf(trajectory);
        if (message == null) message = "";
    }

    /** True when stopped by the force and stress criteria (ASE's {@code Optimizer.run} return value). */
    public boolean converged() {
        return reason == StopReason.CONVERGED;
    }
}
