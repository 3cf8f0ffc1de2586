package org.crucible.dft.hpc;

/**
 * The scheduler refused or failed a request (submission rejected, controller not responding, unparsable
 * answer). The message quotes the command and the scheduler's output.
 */
public class SchedulerException extends RemoteException {
    private static final long serialVersionUID = 1L;

    public SchedulerException(String message) {
        super(message);
    }
}
