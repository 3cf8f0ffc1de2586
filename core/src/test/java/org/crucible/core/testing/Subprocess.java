package org.crucible.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a reference program from a test (Debian's Python with ASE, spglib or numpy, found with
 * {@link TestEnvironment#assumeDebianPython}) and returns what it printed. Standard output and error go to
 * temporary files, not pipes, so a chatty child never blocks on a full pipe and the timeout holds even when the
 * child hangs with its output open. The test fails, naming the command and quoting standard error, when the program
 * exits non-zero or outlives the timeout (it is then killed).
 *
 * <pre>{@code
 * Path py = TestEnvironment.assumeDebianPython("numpy");
 * String out = Subprocess.output(Duration.ofSeconds(60), py.toString(), "-c", "import numpy; print(numpy.pi)");
 * }</pre>
 */
public final class Subprocess {
    private Subprocess() {
    }

    /** Standard output (UTF-8) of {@code command}, which must exit 0 within {@code timeout}. */
    public static String output(Duration timeout, String... command) throws IOException, InterruptedException {
        return output(timeout, List.of(command));
    }

    /** As {@link #output(Duration, String...)}. */
    public static String output(Duration timeout, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("crucible-test-stdout", ".txt");
        Path err = Files.createTempFile("crucible-test-stderr", ".txt");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("timed out after " + timeout.toSeconds() + " s: " + command + "\n" + Files.readString(err, StandardCharsets.UTF_8));
            }
            if (p.exitValue() != 0) {
                fail("exit code " + p.exitValue() + ": " + command + "\n" + Files.readString(err, StandardCharsets.UTF_8));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
