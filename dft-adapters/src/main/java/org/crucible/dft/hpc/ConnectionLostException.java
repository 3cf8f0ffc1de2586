package org.crucible.dft.hpc;

/**
 * The connection dropped after a command had been sent, so whether it ran is unknown. Callers that submit
 * jobs must not simply retry: they re-read the remote record (see {@code JobManager}) to decide.
 */
public final class ConnectionLostException extends RemoteException {
    private static final long serialVersionUID = 1L;

    public ConnectionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
