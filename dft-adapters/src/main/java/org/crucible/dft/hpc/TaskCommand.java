package org.crucible.dft.hpc;

import org.crucible.dft.input.InputSet;

/**
 * The site's command line for one task, as a shell fragment run in the task's directory (e.g.
 * {@code srun pw.x -in 'pw.in'}); every value derived from the inputs must be quoted with {@link ShellQuote}. The
 * job script adds the redirection of standard output to {@link InputSet#stdoutFile()} and the per-task timeout.
 */
@FunctionalInterface
public interface TaskCommand {
    String commandLine(InputSet inputs);
}
