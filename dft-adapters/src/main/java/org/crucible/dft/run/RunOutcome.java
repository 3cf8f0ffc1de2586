package org.crucible.dft.run;

import java.nio.file.Path;
import java.util.List;

/**
 * What happened when a program ran: the command, where, its exit status, whether it was stopped at the timeout,
 * the measured wall time in seconds and the files holding its standard output and error.
 *
 * @param exitCode    exit status, or -1 when the process was killed at the timeout
 * @param stderrTail  the last lines of standard error (at most 2 kB), for messages
 */
public record RunOutcome(List<String> command, Path workDir, int exitCode, boolean timedOut, double wallSeconds,
                         Path stdout, Path stderr, String stderrTail) {
    public RunOutcome {
        command = List.copyOf(command);
    }

    /** True when the program ended by itself with status 0. */
    public boolean succeeded() {
        return !timedOut && exitCode == 0;
    }
}
