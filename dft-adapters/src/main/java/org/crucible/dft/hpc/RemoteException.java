package org.crucible.dft.hpc;

import java.io.IOException;

/**
 * The remote side could not be reached or did not answer as expected (connection, authentication, host key,
 * transfer). Distinct from {@link RemoteCommandException}, where a command ran and failed.
 */
public class RemoteException extends IOException {
    private static final long serialVersionUID = 1L;

    public RemoteException(String message) {
        super(message);
    }

    public RemoteException(String message, Throwable cause) {
        super(message, cause);
    }
}
