package org.crucible.config.campaign;

import java.util.List;

/**
 * A campaign file is invalid. Thrown before anything starts; {@link #problems()} lists every mistake found, each
 * naming the field path (e.g. {@code protocol.selection.dbscan.eps}), the bad value, what is allowed and, for an
 * unknown key, the closest known key.
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
