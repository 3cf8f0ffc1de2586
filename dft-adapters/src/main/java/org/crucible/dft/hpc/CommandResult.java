package org.crucible.dft.hpc;

import java.util.Objects;

/**
 * What one command run by a {@link RemoteShell} produced.
 *
 * @param command the command line as sent (already quoted)
 * @param exitCode the shell's exit status
 * @param stdout standard output, UTF-8
 * @param stderr standard error, UTF-8
 */
public record CommandResult(String command, int exitCode, String stdout, String stderr) {
    public CommandResult {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
    }

    public boolean ok() {
        return exitCode == 0;
    }

    /** This result, or a {@link RemoteCommandException} quoting the command and its output when it failed. */
    public CommandResult orThrow() throws RemoteCommandException {
        if (!ok()) throw new RemoteCommandException(this);
        return this;
    }

    /** A short description for messages: command, exit status and the first lines of stderr. */
    public String describe() {
        String err = stderr.strip();
        if (err.length() > 600) err = err.substring(0, 600) + " ...";
        return "`" + abbreviate(command) + "` exited with " + exitCode + (err.isEmpty() ? "" : ": " + err);
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + " ...";
    }
}
