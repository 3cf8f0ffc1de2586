package org.crucible.core.config;

import java.util.List;

/**
 * A configuration file (campaign file, cluster profile, DFT recipe) is invalid. Thrown before anything starts;
 * {@link #problems()} lists every mistake found, each naming the line, the field path (e.g.
 * {@code protocol.selection.dbscan.eps}), the bad value, what is allowed and, for an unknown key or value, the
 * closest known one. Messages never name Java classes: the CLI prints them as they are and exits 2.
 */
public class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    public ConfigurationException(String source, List<Problem> problems) {
        super(format(source, problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigurationException(String message) {
        super(message);
        this.problems = List.of();
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of();
    }

    /** Every mistake found, in file order. */
    public List<Problem> problems() {
        return problems;
    }

    private static String format(String source, List<Problem> problems) {
        StringBuilder sb = new StringBuilder();
        sb.append(source).append(": ").append(problems.size()).append(problems.size() == 1 ? " problem" : " problems");
        for (Problem p : problems) sb.append("\n  ").append(p);
        return sb.toString();
    }

    /**
     * One mistake: the dotted field path, the 1-based line in the file (0 when unknown), and the message (which
     * quotes the bad value and says what is allowed).
     */
    public record Problem(String path, int line, String message) {
        @Override
        public String toString() {
            return (line > 0 ? "line " + line + ": " : "") + (path.isEmpty() ? "(top level)" : path) + ": " + message;
        }
    }
}
