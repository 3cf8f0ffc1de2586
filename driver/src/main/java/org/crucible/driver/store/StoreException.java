package org.crucible.driver.store;

/** The training store cannot be read or written; the message names the file (and line for a bad shard). */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
