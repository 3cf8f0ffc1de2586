package org.crucible.dft.hpc;

/** A remote command ran and exited non-zero; the message quotes the command, exit status and stderr. */
public class RemoteCommandException extends RemoteException {
    private static final long serialVersionUID = 1L;
    private final transient CommandResult result;

    public RemoteCommandException(CommandResult result) {
        super(result.describe());
        this.result = result;
    }

    public CommandResult result() {
        return result;
    }
}
