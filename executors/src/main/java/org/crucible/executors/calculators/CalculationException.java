package org.crucible.executors.calculators;

/**
 * A calculation could not produce a result for a structure; the message names the structure (formula or
 * content hash) and the reason (unknown element, coincident atoms, non-finite energy).
 */
public class CalculationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CalculationException(String message) {
        super(message);
    }

    public CalculationException(String message, Throwable cause) {
        super(message, cause);
    }
}
