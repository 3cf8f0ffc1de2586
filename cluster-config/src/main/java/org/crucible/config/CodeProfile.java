package org.crucible.config;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a site runs one DFT code: a command line template, a shell fragment the site's profile author writes (e.g.
 * {@code srun pw.x -nk 2 -in {input}}). Placeholders are replaced by shell-quoted values, so file names can never
 * inject commands: {@code {input}} (input file name), {@code {output}} (output file name), {@code {ntasks}},
 * {@code {cpus}} (cores per task).
 *
 * @param command the template; must contain {@code {input}}
 */
public record CodeProfile(String command) {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)}");
    private static final java.util.Set<String> KNOWN = java.util.Set.of("input", "output", "ntasks", "cpus");

    public CodeProfile {
        if (command == null || command.isBlank()) throw new IllegalArgumentException("command is empty");
        if (command.indexOf('\n') >= 0) throw new IllegalArgumentException("command must be one line: '" + command + "'");
        Matcher m = PLACEHOLDER.matcher(command);
        boolean input = false;
        while (m.find()) {
            if (!KNOWN.contains(m.group(1))) {
                throw new IllegalArgumentException("unknown placeholder {" + m.group(1) + "} in '" + command
                        + "' (known: {input}, {output}, {ntasks}, {cpus})");
            }
            input |= m.group(1).equals("input");
        }
        if (!input) throw new IllegalArgumentException("command '" + command + "' has no {input} placeholder");
    }

    /** The command with placeholders replaced by the given values, each shell-quoted with {@code quote}. */
    public String render(Map<String, String> values, java.util.function.UnaryOperator<String> quote) {
        Matcher m = PLACEHOLDER.matcher(command);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) throw new IllegalArgumentException("no value for {" + m.group(1) + "} in '" + command + "'");
            m.appendReplacement(sb, Matcher.quoteReplacement(quote.apply(v)));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
