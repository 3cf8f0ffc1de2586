package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.crucible.driver.spark.ProgressBar;
import org.junit.jupiter.api.Test;

/** Carriage-return redraws become whole lines in files and pipes; other text passes unchanged. */
class LineModeStreamTest {
    @Test
    void redrawsCollapseToTheFinalLinePlusOneEveryInterval() {
        AtomicLong now = new AtomicLong();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new LineModeStream(sink, 30, TimeUnit.SECONDS, now::get), true, StandardCharsets.UTF_8);
        out.println("cycle 1: relax ...");
        for (int i = 0; i <= 10; i++) {
            out.print("\r[" + i + "/10]");
            out.flush();
            now.addAndGet(TimeUnit.SECONDS.toNanos(4)); // 40 s in all: one intermediate line at >= 30 s
        }
        out.println();
        out.print("plain text without newline");
        out.flush();
        out.println(" ends here");
        String text = sink.toString(StandardCharsets.UTF_8);
        assertEquals("cycle 1: relax ...\n[7/10]\n[10/10]\nplain text without newline ends here\n", text);
        assertFalse(text.contains("\r"));
    }

    @Test
    void progressBarRendersElapsedRateAndEta() {
        String line = ProgressBar.render(24, 12, 0, "relax cycle 3", 10, 6_000_000_000L);
        assertEquals("[#####.....] 12/24 tasks  relax cycle 3  (0:06, 2.00 tasks/s, ETA 0:06)", line);
        assertEquals("[..........] 0/24 tasks  relax cycle 3  (0:00)", ProgressBar.render(24, 0, 0, "relax cycle 3", 10, 0));
        assertEquals("1:01:01", ProgressBar.clock(3661));
    }
}
