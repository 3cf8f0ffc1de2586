package org.crucible.dft.hpc;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A POSIX shell on the machine where jobs are submitted: a cluster login node over SSH ({@link SshShell}) or
 * this machine ({@link LocalShell}). Commands are strings for {@code sh -c}; build them with {@link ShellQuote}
 * (or call {@link #exec(List)}) so that no argument can inject commands.
 *
 * <p>File transfers are all-or-nothing per file and verified: {@link #put(Map)} writes each file under a
 * temporary name, checks its SHA-256 on the remote side and renames it into place, so a reader never sees a
 * half-written input and a corrupted transfer is an error, not a wrong calculation.
 */
public interface RemoteShell extends AutoCloseable {
    /** Default limit for one command. */
    Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    /**
     * Runs {@code commandLine} with {@code sh -c} semantics.
     *
     * @throws RemoteException when it cannot be started, times out, or the connection is lost
     *     ({@link ConnectionLostException}: whether it ran is then unknown)
     */
    CommandResult run(String commandLine, Duration timeout) throws RemoteException;

    /** Writes files (absolute remote path to content), creating parent directories; verified by SHA-256. */
    void put(Map<String, byte[]> files) throws RemoteException;

    /** Reads files (absolute remote paths), verified by SHA-256; a missing file is an error naming it. */
    Map<String, byte[]> get(List<String> paths) throws RemoteException;

    /**
     * Reads the files among {@code paths} that exist (regular files), verified by SHA-256; missing ones are
     * absent from the result. Used to fetch outputs a failed run may not have written.
     */
    Map<String, byte[]> getIfPresent(List<String> paths) throws RemoteException;

    /** Where commands run, for messages, e.g. {@code root@127.0.0.1:2222}; never contains secrets. */
    String describe();

    @Override
    void close();

    /** Runs the argument vector, every argument shell-quoted. */
    default CommandResult exec(List<String> argv) throws RemoteException {
        return run(ShellQuote.join(argv), DEFAULT_TIMEOUT);
    }

    /** {@link #run(String, Duration)} with {@link #DEFAULT_TIMEOUT}. */
    default CommandResult run(String commandLine) throws RemoteException {
        return run(commandLine, DEFAULT_TIMEOUT);
    }
}
