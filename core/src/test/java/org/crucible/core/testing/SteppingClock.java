package org.crucible.core.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UTC clock for tests that advances one second every time it is read, so timestamps written by the code
 * under test are deterministic and strictly increasing. Thread-safe.
 */
public final class SteppingClock extends Clock {
    private final AtomicLong epochSecond;

    public SteppingClock(long startEpochSecond) {
        this.epochSecond = new AtomicLong(startEpochSecond);
    }

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
        return Instant.ofEpochSecond(epochSecond.getAndIncrement());
    }
}
