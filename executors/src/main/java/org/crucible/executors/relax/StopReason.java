package org.crucible.executors.relax;

/** Why a relaxation stopped. */
public enum StopReason {
    /** Max atomic force norm &lt; fmax and (variable cell) max |sigma_ab + p delta_ab| &lt; smax. */
    CONVERGED,
    /** The step budget ran out. */
    MAX_STEPS,
    /** No new lowest enthalpy for {@code patience} consecutive steps. */
    PATIENCE,
    /** The pluggable early-stop predicate said stop (e.g. model uncertainty above a threshold). */
    EARLY_STOP,
    /** Energy, forces or stress became non-finite. */
    NON_FINITE,
    /** The calculator refused the structure ({@link org.crucible.executors.calculators.CalculationException}, e.g. coincident atoms). */
    CALCULATION_FAILED
}
