package org.crucible.dft;

/**
 * Base of the DFT adapter failures, one subclass per phase (ASE's taxonomy): {@link DftInputException} before a
 * run (settings, structure, pseudopotentials), {@link DftRunException} while running (launch, timeout, exit
 * status) and {@link DftParseException} after it (an output that cannot be read). An unconverged SCF is not an
 * exception: it is a {@link DftStatus} of a parsed result, so nothing computed is lost.
 */
public class DftException extends RuntimeException {
    public DftException(String message) {
        super(message);
    }

    public DftException(String message, Throwable cause) {
        super(message, cause);
    }
}
