package org.crucible.dft.hpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link RemoteShell} decorator that records every command and transfer it forwards, to measure how many
 * remote calls a poll costs (the report of {@code JobManager}) and to let tests check that no command was sent
 * per job. Thread-safe.
 */
public final class RecordingShell implements RemoteShell {
    private final RemoteShell delegate;
    private final List<String> commands = new ArrayList<>();
    private int transfers;

    public RecordingShell(RemoteShell delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public CommandResult run(String commandLine, Duration timeout) throws RemoteException {
        synchronized (this) {
            commands.add(commandLine);
        }
        return delegate.run(commandLine, timeout);
    }

    @Override
    public void put(Map<String, byte[]> files) throws RemoteException {
        synchronized (this) {
            transfers++;
        }
        delegate.put(files);
    }

    @Override
    public Map<String, byte[]> get(List<String> paths) throws RemoteException {
        synchronized (this) {
            transfers++;
        }
        return delegate.get(paths);
    }

    @Override
    public Map<String, byte[]> getIfPresent(List<String> paths) throws RemoteException {
        synchronized (this) {
            transfers++;
        }
        return delegate.getIfPresent(paths);
    }

    /** The commands sent so far (top-level calls only, in order). */
    public synchronized List<String> commands() {
        return List.copyOf(commands);
    }

    /** Number of {@link #put}/{@link #get} calls so far. */
    public synchronized int transfers() {
        return transfers;
    }

    public synchronized void reset() {
        commands.clear();
        transfers = 0;
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
