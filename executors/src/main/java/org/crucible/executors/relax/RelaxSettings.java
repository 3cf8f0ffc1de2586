package org.crucible.executors.relax;

/**
 * Settings of one relaxation, in human units at the boundary.
 *
 * @param fmax            force tolerance: converged when every atom's force norm is below it (eV/Angstrom, &gt; 0)
 * @param smaxGPa         stress tolerance for variable-cell runs: converged when every component of
 *                        sigma + p I is below it in magnitude (GPa, &gt; 0)
 * @param maxSteps        optimiser step budget (&gt;= 0; ASE's {@code run(steps=...)})
 * @param pressureGPa     external pressure p (GPa); the relaxation minimises H = E + pV
 * @param relaxCell       true to relax cell and positions together (ASE UnitCellFilter semantics), false for
 *                        positions only
 * @param patience        stop with {@link StopReason#PATIENCE} after this many steps without a new lowest
 *                        enthalpy; 0 disables the rule
 * @param trajectoryEvery keep every k-th frame (plus the first and last) in the result; 0 keeps none
 * @param earlyStop       predicate evaluated on every frame
 */
public record RelaxSettings(double fmax, double smaxGPa, int maxSteps, double pressureGPa, boolean relaxCell, int patience,
                            int trajectoryEvery, EarlyStop earlyStop) {
    /** Defaults: fmax 0.01 eV/A, smax 0.01 GPa, 1000 steps, 0 GPa, variable cell, patience 20, no trajectory. */
    public static final RelaxSettings DEFAULT = new RelaxSettings(0.01, 0.01, 1000, 0.0, true, 20, 0, EarlyStop.NEVER);

    public RelaxSettings {
        if (!(fmax > 0) || !Double.isFinite(fmax)) throw new IllegalArgumentException("fmax must be > 0 eV/Angstrom, got " + fmax);
        if (!(smaxGPa > 0) || !Double.isFinite(smaxGPa)) throw new IllegalArgumentException("smax must be > 0 GPa, got " + smaxGPa);
        if (maxSteps < 0) throw new IllegalArgumentException("maxSteps must be >= 0, got " + maxSteps);
        if (!Double.isFinite(pressureGPa)) throw new IllegalArgumentException("pressure must be finite GPa, got " + pressureGPa);
        if (patience < 0) throw new IllegalArgumentException("patience must be >= 0 (0 disables it), got " + patience);
        if (trajectoryEvery < 0) throw new IllegalArgumentException("trajectoryEvery must be >= 0 (0 keeps no trajectory), got " + trajectoryEvery);
        if (earlyStop == null) earlyStop = EarlyStop.NEVER;
    }

    public RelaxSettings withFmax(double v) {
        return new RelaxSettings(v, smaxGPa, maxSteps, pressureGPa, relaxCell, patience, trajectoryEvery, earlyStop);
    }

    public RelaxSettings withSmaxGPa(double v) {
        return new RelaxSettings(fmax, v, maxSteps, pressureGPa, relaxCell, patience, trajectoryEvery, earlyStop);
    }

    public RelaxSettings withMaxSteps(int v) {
        return new RelaxSettings(fmax, smaxGPa, v, pressureGPa, relaxCell, patience, trajectoryEvery, earlyStop);
    }

    public RelaxSettings withPressureGPa(double v) {
        return new RelaxSettings(fmax, smaxGPa, maxSteps, v, relaxCell, patience, trajectoryEvery, earlyStop);
    }

    public RelaxSettings withRelaxCell(boolean v) {
        return new RelaxSettings(fmax, smaxGPa, maxSteps, pressureGPa, v, patience, trajectoryEvery, earlyStop);
    }

    public RelaxSettings withPatience(int v) {
        return new RelaxSettings(fmax, smaxGPa, maxSteps, pressureGPa, relaxCell, v, trajectoryEvery, earlyStop);
    }

    public RelaxSettings withTrajectoryEvery(int v) {
        return new RelaxSettings(fmax, smaxGPa, maxSteps, pressureGPa, relaxCell, patience, v, earlyStop);
    }

    public RelaxSettings withEarlyStop(EarlyStop v) {
        return new RelaxSettings(fmax, smaxGPa, maxSteps, pressureGPa, relaxCell, patience, trajectoryEvery, v);
    }
}
