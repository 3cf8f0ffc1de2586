package org.crucible.driver.cli;

/**
 * Bad input given on the command line or in a file it names; the message names the file, line and problem.
 * The CLI maps it to exit code 2.
 */
public class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
