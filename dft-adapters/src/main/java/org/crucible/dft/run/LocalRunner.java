package org.crucible.dft.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.crucible.dft.DftParseException;
import org.crucible.dft.DftParsers;
import org.crucible.dft.DftResult;
import org.crucible.dft.DftRunException;
import org.crucible.dft.DftStatus;
import org.crucible.dft.input.InputSet;

/**
 * Runs a DFT code on this machine: writes the input set into a work directory, runs
 * {@code command + inputSet.arguments()} there with a timeout (standard output to
 * {@link InputSet#stdoutFile()}, standard error to {@code stderr.txt}), then parses the main output.
 *
 * <p>The command (e.g. {@code [pw.x]} or {@code [mpirun, -np, 4, pw.x]}) and environment (e.g.
 * {@code OMP_NUM_THREADS=1}) are the site's profile and are given by the caller. The process launcher and
 * clock are injected so tests are deterministic.
 *
 * <p>Status reconciliation: a timeout turns any non-ok parsed status into {@code incomplete}; an ok-looking
 * output with a non-zero exit status becomes {@code failed}, except the status with which a code ends a
 * relaxation at its step limit ({@link DftResult#endedNormallyWith(int)}: pw.x's 3); an output that cannot be parsed at all becomes a
 * {@code failed} result quoting the exit status and the end of standard error.
 *
 * <pre>{@code
 * LocalRunner r = new LocalRunner(List.of("pw.x"), Map.of("OMP_NUM_THREADS", "1"), Duration.ofMinutes(10));
 * DftResult res = r.run(new QeInputGenerator(settings).inputSet(si2), Path.of("runs/si2"));
 * }</pre>
 */
public final class LocalRunner implements DftRunner {
    /** Standard error file name in the work directory. */
    public static final String STDERR = "stderr.txt";
    private final List<String> command;
    private final Map<String, String> environment;
    private final Duration timeout;
    private final ProcessLauncher launcher;
    private final Clock clock;

    public LocalRunner(List<String> command, Map<String, String> environment, Duration timeout) {
        this(command, environment, timeout, ProcessLauncher.system(), Clock.systemUTC());
    }

    public LocalRunner(List<String> command, Map<String, String> environment, Duration timeout, ProcessLauncher launcher, Clock clock) {
        if (command == null || command.isEmpty()) throw new IllegalArgumentException("command must name a program");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.timeout = timeout;
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Writes the inputs and runs the program, without parsing. */
    public RunOutcome execute(InputSet inputs, Path workDir) {
        inputs.writeInput(workDir);
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(inputs.arguments());
        Path out = workDir.resolve(inputs.stdoutFile());
        Path err = workDir.resolve(STDERR);
        Instant start = clock.instant();
        ProcessLauncher.Running p;
        try {
            p = launcher.start(cmd, workDir, environment, out, err);
        } catch (IOException e) {
            throw new DftRunException("cannot start " + String.join(" ", cmd) + " in " + workDir + ": " + e.getMessage(), e);
        }
        boolean ended;
        try {
            ended = p.waitFor(timeout);
        } catch (InterruptedException e) {
            p.kill();
            Thread.currentThread().interrupt();
            throw new DftRunException("interrupted while running " + String.join(" ", cmd) + " in " + workDir + "; the process was stopped", e);
        }
        if (!ended) p.kill();
        double wall = Duration.between(start, clock.instant()).toNanos() * 1e-9;
        return new RunOutcome(cmd, workDir, ended ? p.exitValue() : -1, !ended, wall, out, err, tail(err));
    }

    @Override
    public DftResult run(InputSet inputs, Path workDir) {
        RunOutcome o = execute(inputs, workDir);
        return reconcile(inputs, o);
    }

    /** Combines the parsed output with how the process ended (see the class comment). */
    static DftResult reconcile(InputSet inputs, RunOutcome o) {
        Path main = o.workDir().resolve(inputs.mainOutput());
        DftResult r;
        try {
            r = DftParsers.forCode(inputs.code()).parse(main, false);
        } catch (DftParseException e) {
            String why = o.timedOut() ? "stopped at the timeout" : "exit status " + o.exitCode();
            return new DftResult(inputs.code(), null, o.timedOut() ? DftStatus.INCOMPLETE : DftStatus.FAILED,
                    String.join(" ", o.command()) + ": " + why + "; output unreadable (" + e.getMessage() + ")"
                            + (o.stderrTail().isBlank() ? "" : "; stderr: " + o.stderrTail()),
                    0, null, List.of(), o.wallSeconds(), main.toString());
        }
        Double wall = r.wallSeconds() != null ? r.wallSeconds() : o.wallSeconds();
        if (o.timedOut() && r.status() != DftStatus.OK) {
            return with(r, DftStatus.INCOMPLETE, "stopped at the timeout after " + Math.round(o.wallSeconds()) + " s"
                    + (r.message() == null ? "" : "; " + r.message()), wall);
        }
        if (r.status() == DftStatus.OK && !r.endedNormallyWith(o.exitCode()) && !o.timedOut()) {
            return with(r, DftStatus.FAILED, "exit status " + o.exitCode() + " although the output looks complete"
                    + (o.stderrTail().isBlank() ? "" : "; stderr: " + o.stderrTail()), wall);
        }
        return with(r, r.status(), r.message(), wall);
    }

    private static DftResult with(DftResult r, DftStatus status, String message, Double wall) {
        return new DftResult(r.code(), r.codeVersion(), status, message, r.nAtoms(), r.ionicConverged(), r.steps(), wall, r.source());
    }

    private static String tail(Path err) {
        try {
            if (!Files.exists(err)) return "";
            byte[] b = Files.readAllBytes(err);
            int from = Math.max(0, b.length - 2048);
            return new String(b, from, b.length - from, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(cannot read " + err + ": " + e.getMessage() + ")";
        }
    }
}
