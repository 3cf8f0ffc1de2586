package org.crucible.core.io;

/**
 * A structure file could not be parsed (the parse phase of Crucible's error taxonomy, like ASE's
 * {@code ReadError}). The message names the file, the 1-based line and the problem, e.g.
 * {@code "si8.extxyz, line 7: expected 4 columns (species:S:1 pos:R:3) but found 3"}.
 *
 * <p>Unchecked, so that it can escape the streaming frame iterators; callers at a user boundary (the CLI) turn
 * it into their bad-input error.
 */
public final class FormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final String problem;

    /**
     * @param source  the file name or another description of the input
     * @param line    1-based line number, or 0 when the problem is not tied to one line (e.g. an empty file)
     * @param problem what is wrong, quoting the offending value
     */
    public FormatException(String source, int line, String problem) {
        this(source, line, problem, null);
    }

    public FormatException(String source, int line, String problem, Throwable cause) {
        super(source + (line > 0 ? ", line " + line : "") + ": " + problem, cause);
        this.source = source;
        this.line = line;
        this.problem = problem;
    }

    /** The file name or input description. */
    public String source() {
        return source;
    }

    /** 1-based line number, 0 when not tied to one line. */
    public int line() {
        return line;
    }

    /** The problem, without file and line. */
    public String problem() {
        return problem;
    }
}
