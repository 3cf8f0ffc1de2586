package org.crucible.dft.hpc;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.crucible.dft.DftCode;
import org.crucible.dft.input.InputSet;

/**
 * A task farm's whole life in its own JVM, for {@link FarmDurabilityTest} to trace its system calls: a new state
 * directory, one task added (inputs recorded), submitted through the real job script by
 * {@link JobManagerRelaxationTest.ImmediateScheduler} over {@link LocalShell}, its outputs fetched into a new directory
 * and judged (the command writes an output pw.x's parser refuses: recorded FAILED as invalid output, not retried).
 *
 * <pre>{@code java ... org.crucible.dft.hpc.FarmWriterProcess STATE_DIR REMOTE_WORK_ROOT}</pre>
 */
public final class FarmWriterProcess {
    private FarmWriterProcess() {
    }

    /** The one task the process adds (its hash names its directory under {@code tasks/}). */
    static DftTask task() {
        return new DftTask("durable", new InputSet(DftCode.QE, Map.of("pw.in", "&control\n/\n"), List.of("pw.in"), "pw.out", "pw.out"));
    }

    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]);
        Path remote = Path.of(args[1]);
        FarmSettings fs = new FarmSettings("durable", remote.toString(), null, null, null, 1, 1, Duration.ofMinutes(10), List.of(),
                List.of(), 1, 1, Duration.ofMillis(10), Duration.ofMillis(20), 1, Duration.ofMinutes(5), false);
        try (JobManager m = new JobManager(fs, new LocalShell(), new JobManagerRelaxationTest.ImmediateScheduler(), state, Clock.systemUTC(),
                Sleeper.SYSTEM)) {
            m.add(List.of(task()), i -> "echo 'not a pw.x output' > pw.out");
            Map<String, TaskOutcome> out = m.run(p -> { });
            System.out.println("FARM " + out.values().iterator().next().phase());
        }
    }
}
