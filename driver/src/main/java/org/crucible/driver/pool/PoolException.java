package org.crucible.driver.pool;

/** A pool cannot be read, written or processed; the message names the pool directory or entry. */
public class PoolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PoolException(String message) {
        super(message);
    }

    public PoolException(String message, Throwable cause) {
        super(message, cause);
    }
}
