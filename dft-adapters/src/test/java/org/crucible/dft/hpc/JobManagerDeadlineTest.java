package org.crucible.dft.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.crucible.dft.hpc.FarmState.TaskPhase;
import org.crucible.dft.hpc.testing.SiliconTasks;
import org.crucible.dft.qe.QeInputGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster that stops answering: the farm backs off, then stops at its deadline with the state of its last
 * successful poll saved, instead of polling forever. The connection failures are injected by a shell whose every
 * call fails the way {@link SshShell} does when the host is down; time moves on an injected clock.
 */
class JobManagerDeadlineTest {
    @TempDir
    Path local;

    static final class ManualClock extends Clock {
        final AtomicLong millis = new AtomicLong(Instant.parse("2026-12-05T09:00:00Z").toEpochMilli());

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }

    /** Every call fails with "Connection refused", counted. */
    static final class DownShell implements RemoteShell {
        final AtomicInteger calls = new AtomicInteger();

        private ConnectionLostException down() {
            calls.incrementAndGet();
            return new ConnectionLostException("ssh root@cluster.example:22: Connection refused", null);
        }

        @Override
        public CommandResult run(String commandLine, Duration timeout) throws RemoteException {
            throw down();
        }

        @Override
        public void put(Map<String, byte[]> files) throws RemoteException {
            throw down();
        }

        @Override
        public Map<String, byte[]> get(List<String> paths) throws RemoteException {
            throw down();
        }

        @Override
        public Map<String, byte[]> getIfPresent(List<String> paths) throws RemoteException {
            throw down();
        }

        @Override
        public String describe() {
            return "root@cluster.example:22 (down)";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void anUnreachableClusterStopsTheFarmAtItsDeadlineWithTheStateSaved() throws Exception {
        QeInputGenerator g = SiliconTasks.assumePwAndRecipe();
        ManualClock clock = new ManualClock();
        DownShell shell = new DownShell();
        FarmSettings fs = JobManagerIntegrationTest.settings("deadline", Path.of("/scratch/crucible"), 1, 2, Duration.ofMinutes(10), 1);
        try (JobManager m = new JobManager(fs, shell, new SlurmScheduler(), local, clock, d -> clock.millis.addAndGet(d.toMillis()))) {
            m.unreachableDeadline(Duration.ofMinutes(1));
            List<String> h = m.add(List.of(SiliconTasks.task(g, "a", SiliconTasks.si2(0.1))), JobManagerIntegrationTest.PW);
            ClusterUnreachableException e = assertThrows(ClusterUnreachableException.class, () -> m.run(p -> { }));
            assertTrue(e.silence().compareTo(Duration.ofMinutes(1)) > 0 && e.silence().compareTo(Duration.ofMinutes(2)) < 0, e.silence().toString());
            assertTrue(e.getMessage().contains("has not answered for") && e.getMessage().contains("Connection refused")
                    && e.getMessage().contains("resume to continue"), e.getMessage());
            // Backoff 1, 2, 4, 4, ... s (max poll interval 4 s): about 17 polls in 61 s, not thousands.
            assertTrue(shell.calls.get() >= 10 && shell.calls.get() <= 25, "polls: " + shell.calls.get());
            // The submission's fate is unknown (the connection may have dropped after sbatch): the batch stays PREPARED,
            // to be resolved against the queue on resume, never submitted twice.
            FarmState.TaskRecord t = m.state().tasks().get(h.get(0));
            assertEquals(TaskPhase.SUBMITTED, t.phase());
            assertEquals(FarmState.BatchPhase.PREPARED, m.state().batches().get(t.batch()).phase());
        }
        String events = Files.readString(local.resolve("events.log"));
        assertTrue(events.contains("giving up: the cluster has not answered"), events);
        assertTrue(Files.exists(local.resolve("state.json")), "the state is on disk for resume");
        assertThrows(IllegalArgumentException.class, () -> new JobManager(fs, shell, new SlurmScheduler(), local.resolve("x"), clock, d -> { })
                .unreachableDeadline(Duration.ZERO));
    }
}
