package org.crucible.dft.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Starts an operating-system process. Injected into {@link LocalRunner} so that unit tests can replace real
 * programs with deterministic fakes; {@link #system()} is the real one.
 */
@FunctionalInterface
public interface ProcessLauncher {
    /**
     * Starts {@code command} in {@code workDir} with extra environment variables, standard output and error
     * redirected to the given files (standard input is empty).
     */
    Running start(List<String> command, Path workDir, Map<String, String> environment, Path stdout, Path stderr) throws IOException;

    /** A started process. */
    interface Running {
        /** Waits up to {@code timeout}; true when the process has ended. */
        boolean waitFor(Duration timeout) throws InterruptedException;

        /** Exit status; only valid after {@link #waitFor} returned true. */
        int exitValue();

        /** Stops the process and everything it started (MPI ranks, OpenMP helpers). */
        void kill();
    }

    /** The real launcher ({@link ProcessBuilder}); kill stops descendants first, then the process. */
    static ProcessLauncher system() {
        return (command, workDir, env, stdout, stderr) -> {
            ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            return new Running() {
                @Override
                public boolean waitFor(Duration timeout) throws InterruptedException {
                    return p.waitFor(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
                }

                @Override
                public int exitValue() {
                    return p.exitValue();
                }

                @Override
                public void kill() {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    try {
                        p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
        };
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
