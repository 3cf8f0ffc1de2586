package org.crucible.dft.hpc;

import java.util.List;
import java.util.stream.Collectors;

/**
 * POSIX shell quoting. Every argument that reaches a remote shell goes through {@link #quote(String)}: the
 * result is a single-quoted word in which only the single quote itself needs treatment ({@code '\''}), so
 * spaces, {@code ;}, {@code $(...)}, backticks, globs and newlines are inert. NUL cannot be passed through a
 * shell word at all and is rejected.
 *
 * <p>Example: {@code ShellQuote.join(List.of("ls", "a b; rm -rf x"))} is {@code 'ls' 'a b; rm -rf x'}.
 */
public final class ShellQuote {
    private ShellQuote() {
    }

    /** One shell word with exactly the characters of {@code s}. */
    public static String quote(String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a shell argument cannot contain NUL: " + s.replace("\0", "\\0"));
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** The argument vector as one command line, each argument quoted. */
    public static String join(List<String> argv) {
        if (argv.isEmpty()) throw new IllegalArgumentException("empty command");
        return argv.stream().map(ShellQuote::quote).collect(Collectors.joining(" "));
    }

    /** Convenience for {@link #join(List)}. */
    public static String join(String... argv) {
        return join(List.of(argv));
    }
}
