package org.crucible.dft.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.dft.DftCode;
import org.crucible.dft.DftResult;
import org.crucible.dft.DftRunException;
import org.crucible.dft.DftStatus;
import org.crucible.dft.input.InputSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LocalRunner with a scripted launcher: deterministic, no real program. */
class LocalRunnerTest {
    /** A clock that advances by a fixed step at every reading. */
    static final class SteppingClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");
        private final Duration step;

        SteppingClock(Duration step) {
            this.step = step;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            Instant t = now;
            now = now.plus(step);
            return t;
        }
    }

    /** Writes a given output to the stdout file, then "ends" with an exit code or never ends. */
    static final class FakeLauncher implements ProcessLauncher {
        final String output;
        final int exit;
        final boolean hang;
        final List<List<String>> commands = new ArrayList<>();
        Map<String, String> env;
        boolean killed;

        FakeLauncher(String output, int exit, boolean hang) {
            this.output = output;
            this.exit = exit;
            this.hang = hang;
        }

        @Override
        public Running start(List<String> command, Path workDir, Map<String, String> environment, Path stdout, Path stderr) throws IOException {
            commands.add(command);
            env = environment;
            if (output != null) Files.writeString(stdout, output);
            Files.writeString(stderr, exit != 0 ? "Note: floating-point exceptions\n" : "");
            return new Running() {
                @Override
                public boolean waitFor(Duration timeout) {
                    return !hang;
                }

                @Override
                public int exitValue() {
                    return exit;
                }

                @Override
                public void kill() {
                    killed = true;
                }
            };
        }
    }

    static InputSet qeSet() {
        return new InputSet(DftCode.QE, Map.of("pw.in", "&control\n/\n"), List.of("-in", "pw.in"), "pw.out", "pw.out");
    }

    static String sample(String rel) throws IOException {
        return Files.readString(TestEnvironment.assumeShared(rel));
    }

    @Test
    void okRunIsParsedAndCommandIsProfilePlusArguments(@TempDir Path tmp) throws IOException {
        FakeLauncher l = new FakeLauncher(sample("dft-samples/qe/nacl_scf_forces_stress_qe67/nacl_scf_forces_stress.out"), 0, false);
        LocalRunner r = new LocalRunner(List.of("mpirun", "-np", "2", "pw.x"), Map.of("OMP_NUM_THREADS", "1"), Duration.ofMinutes(1), l,
                new SteppingClock(Duration.ofSeconds(3)));
        DftResult res = r.run(qeSet(), tmp);
        assertEquals(List.of(List.of("mpirun", "-np", "2", "pw.x", "-in", "pw.in")), l.commands);
        assertEquals(Map.of("OMP_NUM_THREADS", "1"), l.env);
        assertEquals("&control\n/\n", Files.readString(tmp.resolve("pw.in")));
        assertEquals(DftStatus.OK, res.status());
        assertEquals(10.68, res.wallSeconds(), 1e-9, "wall time from the code's own report");
        RunOutcome o = r.execute(qeSet(), tmp);
        assertEquals(3.0, o.wallSeconds(), 1e-9, "measured with the injected clock");
        assertTrue(o.succeeded());
    }

    @Test
    void timeoutKillsAndReportsIncomplete(@TempDir Path tmp) throws IOException {
        String full = sample("dft-samples/qe/nacl_scf_forces_stress_qe67/nacl_scf_forces_stress.out");
        FakeLauncher l = new FakeLauncher(full.substring(0, full.indexOf("End of self-consistent")), 0, true);
        LocalRunner r = new LocalRunner(List.of("pw.x"), Map.of(), Duration.ofSeconds(5), l, new SteppingClock(Duration.ofSeconds(5)));
        DftResult res = r.run(qeSet(), tmp);
        assertTrue(l.killed);
        assertEquals(DftStatus.INCOMPLETE, res.status());
        assertTrue(res.message().contains("timeout"), res.message());
        assertNull(res.energy());
    }

    @Test
    void nonZeroExitWithCompleteLookingOutputIsFailed(@TempDir Path tmp) throws IOException {
        FakeLauncher l = new FakeLauncher(sample("dft-samples/qe/nacl_scf_forces_stress_qe67/nacl_scf_forces_stress.out"), 137, false);
        DftResult res = new LocalRunner(List.of("pw.x"), Map.of(), Duration.ofMinutes(1), l, Clock.systemUTC()).run(qeSet(), tmp);
        assertEquals(DftStatus.FAILED, res.status());
        assertTrue(res.message().contains("exit status 137") && res.message().contains("floating-point"), res.message());
        assertFalse(res.isOk());
        assertEquals(-121.66517403 * org.crucible.core.units.Units.RY_TO_EV, res.energy(), 1e-6, "what was computed is kept");
    }

    @Test
    void scfNotConvergedKeepsItsStatusDespiteExitCode(@TempDir Path tmp) throws IOException {
        FakeLauncher l = new FakeLauncher(sample("dft-samples/qe/nacl_scf_not_converged_qe67/nacl_scf_not_converged.out"), 2, false);
        DftResult res = new LocalRunner(List.of("pw.x"), Map.of(), Duration.ofMinutes(1), l, Clock.systemUTC()).run(qeSet(), tmp);
        assertEquals(DftStatus.SCF_NOT_CONVERGED, res.status());
    }

    @Test
    void noOutputIsFailedWithStderr(@TempDir Path tmp) {
        FakeLauncher l = new FakeLauncher(null, 127, false);
        DftResult res = new LocalRunner(List.of("pw.x"), Map.of(), Duration.ofMinutes(1), l, Clock.systemUTC()).run(qeSet(), tmp);
        assertEquals(DftStatus.FAILED, res.status());
        assertTrue(res.message().contains("exit status 127") && res.message().contains("pw.out"), res.message());
    }

    @Test
    void unstartableProgramIsARunException(@TempDir Path tmp) {
        LocalRunner r = new LocalRunner(List.of(tmp.resolve("no-such-program").toString()), Map.of(), Duration.ofSeconds(5));
        DftRunException e = assertThrows(DftRunException.class, () -> r.run(qeSet(), tmp));
        assertTrue(e.getMessage().contains("no-such-program"), e.getMessage());
    }

    @Test
    void realProcessTimeoutWithSleep(@TempDir Path tmp) {
        Path sleep = TestEnvironment.assumeExecutable("sleep", "coreutils");
        InputSet set = new InputSet(DftCode.QE, Map.of(), List.of("30"), "pw.out", "pw.out");
        LocalRunner r = new LocalRunner(List.of(sleep.toString()), Map.of(), Duration.ofMillis(300));
        RunOutcome o = r.execute(set, tmp);
        assertTrue(o.timedOut());
        assertEquals(-1, o.exitCode());
        assertTrue(o.wallSeconds() < 15, "killed promptly, took " + o.wallSeconds());
    }
}
