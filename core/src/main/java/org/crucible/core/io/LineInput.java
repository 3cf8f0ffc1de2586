package org.crucible.core.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;

/** A line reader that knows the 1-based number of the last line it returned, for error messages. */
final class LineInput implements AutoCloseable {
    private final BufferedReader in;
    private final String source;
    private int lineNumber;
    private String pushedBack;

    LineInput(BufferedReader in, String source) {
        this.in = in;
        this.source = source;
    }

    /** The next line without its terminator, or null at the end of the input. */
    String next() {
        if (pushedBack != null) {
            String l = pushedBack;
            pushedBack = null;
            lineNumber++;
            return l;
        }
        try {
            String l = in.readLine();
            if (l != null) lineNumber++;
            return l;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + " after line " + lineNumber, e);
        }
    }

    /** Returns the line just read to the input; the next {@link #next()} gives it again. */
    void pushBack(String line) {
        if (pushedBack != null) throw new IllegalStateException("only one line can be pushed back");
        pushedBack = line;
        lineNumber--;
    }

    /** 1-based number of the line last returned (0 before the first). */
    int lineNumber() {
        return lineNumber;
    }

    String source() {
        return source;
    }

    FormatException error(String problem) {
        return new FormatException(source, lineNumber, problem);
    }

    FormatException error(int line, String problem) {
        return new FormatException(source, line, problem);
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + source, e);
        }
    }
}
