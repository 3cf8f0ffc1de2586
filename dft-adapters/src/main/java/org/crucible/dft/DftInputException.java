package org.crucible.dft;

/** Bad settings or a structure a code cannot take; the message names the file, field and offending value. */
public class DftInputException extends DftException {
    public DftInputException(String message) {
        super(message);
    }

    public DftInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
