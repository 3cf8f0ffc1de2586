package org.crucible.dft.hpc;

/**
 * The server's host key is not in the configured known_hosts file, or differs from the one recorded there. The
 * connection is refused; the message says how to add the key after checking its fingerprint.
 */
public final class HostKeyException extends RemoteException {
    private static final long serialVersionUID = 1L;

    public HostKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
