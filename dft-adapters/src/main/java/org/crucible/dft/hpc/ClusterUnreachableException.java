package org.crucible.dft.hpc;

import java.time.Duration;

/**
 * The cluster (SSH or its scheduler) did not answer for longer than the farm's deadline. The farm's state was saved
 * at its last successful poll; resuming the campaign continues from there without resubmitting anything.
 */
public final class ClusterUnreachableException extends RemoteException {
    private static final long serialVersionUID = 1L;

    private final Duration silence;

    public ClusterUnreachableException(String message, Duration silence, Throwable cause) {
        super(message, cause);
        this.silence = silence;
    }

    /** How long the cluster had not answered when the farm gave up. */
    public Duration silence() {
        return silence;
    }
}
