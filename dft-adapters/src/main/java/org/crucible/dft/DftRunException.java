package org.crucible.dft;

/** A DFT program could not be started or was stopped (timeout); the message names the command and directory. */
public class DftRunException extends DftException {
    public DftRunException(String message) {
        super(message);
    }

    public DftRunException(String message, Throwable cause) {
        super(message, cause);
    }
}
