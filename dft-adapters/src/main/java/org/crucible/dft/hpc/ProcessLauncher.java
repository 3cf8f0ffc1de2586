package org.crucible.dft.hpc;

import java.io.IOException;

/**
 * Starts a configured process. Injected into {@link OpenSshShell} so that what is run is decided in one place (a
 * test may record every command line, or put a wrapper in front of {@code ssh}); {@link #SYSTEM} in production.
 *
 * <p>Example: {@code ProcessLauncher logging = pb -> { log.add(pb.command()); return pb.start(); };}
 */
@FunctionalInterface
public interface ProcessLauncher {
    /** {@link ProcessBuilder#start()}. */
    ProcessLauncher SYSTEM = ProcessBuilder::start;

    /** Starts {@code builder} as configured (command, redirections) and returns the running process. */
    Process start(ProcessBuilder builder) throws IOException;
}
