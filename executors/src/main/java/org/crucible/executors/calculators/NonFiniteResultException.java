package org.crucible.executors.calculators;

/** A calculation produced a non-finite energy, force or stress; relaxers report it as NON_FINITE. */
public class NonFiniteResultException extends CalculationException {
    private static final long serialVersionUID = 1L;

    public NonFiniteResultException(String message) {
        super(message);
    }
}
