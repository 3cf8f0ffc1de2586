package org.crucible.dft.hpc;

/**
 * Public-key authentication cannot succeed as configured (missing or unreadable key, passphrase variable not
 * set, wrong passphrase, key not authorised, no agent). Never retried; the message never contains the passphrase.
 */
public final class SshAuthException extends RemoteException {
    private static final long serialVersionUID = 1L;

    public SshAuthException(String message, Throwable cause) {
        super(message, cause);
    }
}
