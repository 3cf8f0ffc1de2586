package org.crucible.config;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a site runs one DFT code: a command line template, a shell fragment the site's profile author writes (e.g.
 * {@code srun pw.x -nk 2 -in {input}}). Placeholders are replaced by shell-quoted values, so file names can never
 * inject commands: {@code {input}} (main input file name), {@code {output}} (standard output file name),
 * {@code {ntasks}}, {@code {cpus}} (cores per task). Without {@code {input}} the code's own arguments (QE:
 * {@code -in pw.in}; VASP: none) are appended, quoted.
 *
 * <p>A code's section may also override the profile's resources for this code ({@link ResourceSpec}: {@code
 * ntasks_per_node}, {@code mem}, {@code scale_with_atoms}, ...), e.g. {@code qe: {command: "srun pw.x -in {input}",
 * ntasks_per_node: 4}}.
 *
 * @param command the template
 * @param resources this code's resource overrides ({@link ResourceSpec#NONE}: the profile's)
 */
public record CodeProfile(String command, ResourceSpec resources) {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)}");
    private static final java.util.Set<String> KNOWN = java.util.Set.of("input", "output", "ntasks", "cpus");

    /** A code run with the profile's resources. */
    public CodeProfile(String command) {
        this(command, ResourceSpec.NONE);
    }

    public CodeProfile {
        if (resources == null) resources = ResourceSpec.NONE;
        if (command == null || command.isBlank()) throw new IllegalArgumentException("command is empty");
        if (command.indexOf('\n') >= 0) throw new IllegalArgumentException("command must be one line: '" + command + "'");
        Matcher m = PLACEHOLDER.matcher(command);
        while (m.find()) {
            if (!KNOWN.contains(m.group(1))) {
                throw new IllegalArgumentException("unknown placeholder {" + m.group(1) + "} in '" + command
                        + "' (known: {input}, {output}, {ntasks}, {cpus})");
            }
        }
    }

    /** Whether the template places the input file itself (else the code's arguments are appended). */
    public boolean placesInput() {
        return command.contains("{input}");
    }

    /**
     * The executable the template runs, skipping launchers and their options and environment assignments
     * ({@code srun --hint=nomultithread pw.x -in {input}} gives {@code pw.x}), for checking that it exists.
     */
    public String executable() {
        java.util.Set<String> launchers = java.util.Set.of("srun", "mpirun", "mpiexec", "ibrun", "aprun", "env", "time",
                "nice", "numactl", "stdbuf", "timeout");
        boolean afterLauncher = false;
        for (String tok : command.trim().split("\\s+")) {
            String base = tok.substring(tok.lastIndexOf('/') + 1);
            if (launchers.contains(base)) {
                afterLauncher = true;
                continue;
            }
            if (tok.startsWith("-") || tok.contains("=")) continue;
            if (afterLauncher && tok.matches("\\d+")) continue; // e.g. "mpirun -np 4": the 4
            return tok;
        }
        return command.trim().split("\\s+")[0];
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
