package org.crucible.dft;

import java.nio.file.Path;

/**
 * An output file that cannot be read as the code's format. The message always names the file and, where the
 * problem is on one line, the 1-based line number and its text.
 */
public class DftParseException extends DftException {
    private final String file;
    private final int line;

    public DftParseException(String file, int line, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message);
        this.file = file;
        this.line = line;
    }

    public DftParseException(Path file, int line, String message) {
        this(String.valueOf(file), line, message);
    }

    public DftParseException(String file, int line, String message, Throwable cause) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message, cause);
        this.file = file;
        this.line = line;
    }

    /** The file that could not be read. */
    public String file() {
        return file;
    }

    /** 1-based line number, or 0 when the problem concerns the whole file. */
    public int line() {
        return line;
    }
}
