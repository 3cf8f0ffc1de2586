package org.crucible.driver.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.crucible.driver.cli.CrucibleCommand;
import org.crucible.driver.spark.SparkContexts;

/**
 * A {@code crucible} command, or another main class of this application, in its own JVM: this JVM's java, class
 * path and {@code CRUCIBLE_HOME}, the module flags Spark needs on Java 17 ({@link SparkContexts#JAVA17_OPENS}), the
 * client compiler only ({@link #JIT}), output (stdout and stderr together) to a file. Used by the kill harness and by
 * tests that kill a real driver.
 *
 * <pre>{@code
 * Process p = DriverProcess.crucible(List.of("run", "c.yaml", "--dir", "d"), Path.of("run.out"));
 * p.destroyForcibly(); // SIGKILL on Linux
 * }</pre>
 */
public final class DriverProcess {
    /** Heap of a child JVM. */
    public static final String HEAP = "-Xmx1g";

    /**
     * JIT of a child JVM: C1 only. These drivers live seconds to a minute (the kill harness starts 21 of them per
     * campaign) and spend most of that starting Spark, where the C2 compiler threads only compete for the CPUs:
     * {@code deploy/kill-harness/si8-sw.yaml} run uninterrupted took 50.2 CPU s with tiered compilation and 28.5 CPU s
     * with C1 only (docs/benchmarks.md, "CI time, session 36"). A user's own {@code crucible} is not started here.
     */
    public static final String JIT = "-XX:TieredStopAtLevel=1";

    private DriverProcess() {
    }

    /** The command line of {@code crucible args...} in a new JVM. */
    public static List<String> command(List<String> args) {
        return javaCommand(CrucibleCommand.class.getName(), HEAP, args);
    }

    /** The command line running {@code mainClass} with {@code args} in a new JVM with heap option {@code heap}. */
    public static List<String> javaCommand(String mainClass, String heap, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(SparkContexts.JAVA17_OPENS.split(" ")));
        cmd.add(heap);
        cmd.add(JIT);
        String home = System.getProperty("CRUCIBLE_HOME");
        if (home != null) cmd.add("-DCRUCIBLE_HOME=" + home);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(args);
        return cmd;
    }

    /** Starts {@code crucible args...} with its output going to {@code out}. */
    public static Process crucible(List<String> args, Path out) throws IOException {
        return start(command(args), out);
    }

    /** Starts {@code cmd} with stdout and stderr going to {@code out} (overwritten). */
    public static Process start(List<String> cmd, Path out) throws IOException {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }
}
