package org.crucible.driver.interop;

import java.io.IOException;

/**
 * The i-PI server broke the protocol (an unknown header, a message out of order, a connection closed inside a
 * message) or sent a system the client cannot serve. {@link #badInput()} is true when the cause is the user's input
 * (the server's atom count differs from the structure file's), so the CLI exits 2 rather than 1.
 */
public final class IpiException extends IOException {
    private final boolean badInput;

    public IpiException(String message, boolean badInput) {
        super(message);
        this.badInput = badInput;
    }

    /** True when the structure file given to the client does not fit what the server sends. */
    public boolean badInput() {
        return badInput;
    }
}
