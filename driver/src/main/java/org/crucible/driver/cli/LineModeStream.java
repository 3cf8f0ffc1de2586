package org.crucible.driver.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Progress bars for files and pipes: a stream that turns carriage-return redraws ({@code \r[###...] 3/8 tasks}) into
 * whole lines. Text redrawn with {@code \r} is held back; the latest version is written as one line when the line
 * ends ({@code \n}), and at most every {@code interval} while it keeps being redrawn, so a log file gets one line per
 * stage (plus one every interval for long stages) instead of every redraw. Text without {@code \r} passes unchanged.
 *
 * <pre>{@code System.setErr(new PrintStream(new LineModeStream(new FileOutputStream(FileDescriptor.err), 30, TimeUnit.SECONDS, System::nanoTime), true)); }</pre>
 */
public final class LineModeStream extends OutputStream {
    private final OutputStream out;
    private final long intervalNanos;
    private final LongSupplier nanoTicker;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean redrawn;
    private boolean partialWritten;
    private long lastEmitted;

    public LineModeStream(OutputStream out, long interval, TimeUnit unit, LongSupplier nanoTicker) {
        if (interval <= 0) throw new IllegalArgumentException("interval must be > 0, got " + interval);
        this.out = out;
        this.intervalNanos = unit.toNanos(interval);
        this.nanoTicker = nanoTicker;
        this.lastEmitted = nanoTicker.getAsLong();
    }

    @Override
    public synchronized void write(int b) throws IOException {
        if (b == '\r') {
            if (partialWritten) {
                out.write('\n');
                partialWritten = false;
            }
            if (line.size() > 0 && !redrawn) {
                // plain text before the first redraw of this line stays (e.g. a message printed without newline)
                out.write(line.toByteArray());
                out.write('\n');
                lastEmitted = nanoTicker.getAsLong();
            } else if (redrawn && line.size() > 0 && nanoTicker.getAsLong() - lastEmitted >= intervalNanos) {
                out.write(line.toByteArray());
                out.write('\n');
                out.flush();
                lastEmitted = nanoTicker.getAsLong();
            }
            line.reset();
            redrawn = true;
            return;
        }
        if (b == '\n') {
            if (line.size() > 0 || !redrawn) {
                out.write(line.toByteArray());
                out.write('\n');
                lastEmitted = nanoTicker.getAsLong();
            }
            line.reset();
            redrawn = false;
            partialWritten = false;
            return;
        }
        line.write(b);
    }

    @Override
    public synchronized void flush() throws IOException {
        if (!redrawn && line.size() > 0) {
            out.write(line.toByteArray());
            line.reset();
            partialWritten = true;
        }
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        if (line.size() > 0) {
            out.write(line.toByteArray());
            out.write('\n');
            line.reset();
        }
        out.close();
    }

    /**
     * Whether file descriptor {@code fd} (1 standard output, 2 standard error) is a terminal; on Linux from
     * {@code /proc/self/fd}, elsewhere from {@link System#console()}.
     */
    public static boolean isTerminal(int fd) {
        Path link = Path.of("/proc/self/fd/" + fd);
        if (Files.exists(Path.of("/proc/self/fd"))) {
            try {
                String target = Files.readSymbolicLink(link).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
        return System.console() != null;
    }
}
