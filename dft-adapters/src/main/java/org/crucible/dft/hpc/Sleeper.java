package org.crucible.dft.hpc;

import java.time.Duration;

/**
 * Waits. Injected wherever code waits (polling, reconnect backoff) so tests move time instead of sleeping.
 * {@link #SYSTEM} is {@link Thread#sleep(long)}.
 */
@FunctionalInterface
public interface Sleeper {
    Sleeper SYSTEM = d -> Thread.sleep(Math.max(0, d.toMillis()));

    void sleep(Duration duration) throws InterruptedException;
}
