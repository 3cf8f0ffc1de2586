package org.crucible.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.crucible.core.config.ConfigurationException;

/**
 * The subset of an OpenSSH client configuration file ({@code ~/.ssh/config}, ssh_config(5)) that says how to reach a
 * host: {@code HostName}, {@code User}, {@code Port}, {@code IdentityFile}, {@code UserKnownHostsFile} and
 * {@code ProxyJump}, so that a cluster profile can name {@code host: myalias} and reach it the way {@code ssh myalias}
 * does.
 *
 * <p>OpenSSH's rules, as implemented: keywords are case-insensitive and separated from their value by blanks or
 * {@code =}; values may be double-quoted; a {@code Host} line starts a block that applies when one of its patterns
 * ({@code *}, {@code ?} globs) matches the name given and none of its {@code !}-negated ones does; the <em>first</em>
 * value found for a keyword wins, so specific blocks go before {@code Host *}; {@code Include} inserts files in place
 * (relative names are below {@code ~/.ssh}; globs in the file name). {@code Match} blocks are skipped (their
 * conditions need a running ssh to evaluate): put such settings in a {@code Host} block. {@code ProxyCommand} is
 * refused (Crucible's client does not run local commands to connect). Tokens {@code %h %p %r %u %d %%} and a leading {@code ~} are expanded in file names and {@code HostName}.
 *
 * <p>Example: {@code SshConfig.read(Path.of(home, ".ssh/config"), home, "jdoe").resolve("archer2")}.
 */
public final class SshConfig {
    private static final Pattern JUMP = Pattern.compile("(?:([^@\\s]+)@)?(\\[[^\\]]+]|[^:\\s]+)(?::(\\d+))?");

    /** One {@code keyword value} line inside the block it belongs to. */
    private record Line(Path file, int number, String keyword, List<String> args) {
    }

    private record Block(List<String> patterns, List<Line> lines) {
        boolean matches(String host) {
            boolean any = false;
            for (String p : patterns) {
                if (p.startsWith("!")) {
                    if (glob(p.substring(1), host)) return false;
                } else if (glob(p, host)) {
                    any = true;
                }
            }
            return any;
        }
    }

    /**
     * What the file says about one name given to ssh.
     *
     * @param alias the name looked up
     * @param hostName the host to connect to ({@code HostName}, else the alias)
     * @param port the port, or null when not set
     * @param user the user, or null when not set
     * @param identityFile the first {@code IdentityFile}, or null
     * @param knownHosts the first {@code UserKnownHostsFile}, or null
     * @param proxyJump the jump hosts in order, as written ({@code [user@]host[:port]}), empty for none
     * @param where file and line of each setting used, for messages
     */
    public record Host(String alias, String hostName, Integer port, String user, Path identityFile, Path knownHosts,
            List<String> proxyJump, Map<String, String> where) {
        public Host {
            proxyJump = List.copyOf(proxyJump);
            where = Map.copyOf(where);
        }
    }

    private final Path file;
    private final Path home;
    private final String localUser;
    private final List<Block> blocks;

    private SshConfig(Path file, Path home, String localUser, List<Block> blocks) {
        this.file = file;
        this.home = home;
        this.localUser = localUser;
        this.blocks = blocks;
    }

    /** The file read (for messages). */
    public Path file() {
        return file;
    }

    /**
     * Reads {@code file} and the files it includes.
     *
     * @param home the user's home directory ({@code ~}, and where relative {@code Include}s are looked up)
     * @param localUser the local user name ({@code %u})
     * @throws ConfigurationException naming file and line when the file cannot be read or a line is malformed
     */
    public static SshConfig read(Path file, Path home, String localUser) {
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Block(List.of("*"), new ArrayList<>())); // lines before the first Host apply to every host
        load(file, home, blocks, 0);
        return new SshConfig(file, home, localUser, blocks);
    }

    private static void load(Path file, Path home, List<Block> blocks, int depth) {
        if (depth > 8) throw new ConfigurationException(file + ": Include nested more than 8 deep (a loop?)");
        List<String> text;
        try {
            text = Files.readAllLines(file);
        } catch (IOException e) {
            throw new ConfigurationException("cannot read ssh config " + file + ": " + e.getMessage(), e);
        }
        boolean inMatch = false;
        for (int i = 0; i < text.size(); i++) {
            String raw = text.get(i).strip();
            if (raw.isEmpty() || raw.startsWith("#")) continue;
            int n = i + 1;
            String[] kv = raw.split("\\s*=\\s*|\\s+", 2);
            String keyword = kv[0].toLowerCase(Locale.ROOT);
            List<String> args = kv.length < 2 ? List.of() : words(kv[1], file, n);
            if (args.isEmpty()) throw new ConfigurationException(file + " line " + n + ": " + kv[0] + " has no value");
            switch (keyword) {
                case "host" -> {
                    blocks.add(new Block(args, new ArrayList<>()));
                    inMatch = false;
                }
                case "match" -> {
                    System.getLogger(SshConfig.class.getName()).log(System.Logger.Level.WARNING,
                            "{0} line {1}: Match block skipped (Crucible reads Host blocks only)",
                            file, n);
                    inMatch = true;
                }
                case "include" -> {
                    if (inMatch) continue;
                    for (String pattern : args) {
                        for (Path inc : expandInclude(pattern, home, file, n)) load(inc, home, blocks, depth + 1);
                    }
                }
                default -> {
                    if (!inMatch) blocks.get(blocks.size() - 1).lines().add(new Line(file, n, keyword, args));
                }
            }
        }
    }

    private static List<Path> expandInclude(String pattern, Path home, Path file, int line) {
        String p = pattern.startsWith("~/") ? home.resolve(pattern.substring(2)).toString() : pattern;
        Path path = Path.of(p).isAbsolute() ? Path.of(p) : home.resolve(".ssh").resolve(p);
        String name = path.getFileName().toString();
        if (!name.contains("*") && !name.contains("?")) return Files.isRegularFile(path) ? List.of(path) : List.of();
        if (!Files.isDirectory(path.getParent())) return List.of();
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(path.getParent(), name)) {
            ds.forEach(out::add);
        } catch (IOException e) {
            throw new ConfigurationException(file + " line " + line + ": cannot list Include " + pattern + ": " + e.getMessage(), e);
        }
        out.sort(null);
        return out;
    }

    /** Blank-separated words, double quotes grouping. */
    private static List<String> words(String s, Path file, int line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        boolean inWord = false;
        for (char c : s.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                inWord = true;
            } else if (!quoted && Character.isWhitespace(c)) {
                if (inWord) out.add(w.toString());
                w.setLength(0);
                inWord = false;
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (quoted) throw new ConfigurationException(file + " line " + line + ": unbalanced double quote");
        if (inWord) out.add(w.toString());
        return out;
    }

    static boolean glob(String pattern, String s) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return s.matches(re.toString());
    }

    /** What the file says for {@code alias} (a name with no matching block gives just the alias as host name). */
    public Host resolve(String alias) {
        Map<String, Line> first = new LinkedHashMap<>();
        for (Block b : blocks) {
            if (!b.matches(alias)) continue;
            for (Line l : b.lines()) first.putIfAbsent(l.keyword(), l);
        }
        Map<String, String> where = new LinkedHashMap<>();
        first.forEach((k, l) -> where.put(k, l.file() + " line " + l.number()));
        Line proxyCommand = first.get("proxycommand");
        if (proxyCommand != null && !"none".equalsIgnoreCase(proxyCommand.args().get(0))) {
            throw new ConfigurationException(at(proxyCommand) + ": ProxyCommand (for " + alias + ") is not supported by "
                    + "Crucible's SSH client; use ProxyJump");
        }
        Integer port = null;
        if (first.containsKey("port")) {
            Line l = first.get("port");
            try {
                port = Integer.parseInt(l.args().get(0));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) throw new ConfigurationException(at(l) + ": Port '" + l.args().get(0) + "' is not in 1..65535");
        }
        String user = first.containsKey("user") ? first.get("user").args().get(0) : null;
        String hostName = alias;
        if (first.containsKey("hostname")) {
            hostName = expand(first.get("hostname"), first.get("hostname").args().get(0), alias, alias, port, user);
        }
        Path identity = first.containsKey("identityfile")
                ? Path.of(expand(first.get("identityfile"), first.get("identityfile").args().get(0), alias, hostName, port, user))
                : null;
        Path knownHosts = first.containsKey("userknownhostsfile")
                ? Path.of(expand(first.get("userknownhostsfile"), first.get("userknownhostsfile").args().get(0), alias, hostName, port, user))
                : null;
        List<String> jumps = new ArrayList<>();
        Line pj = first.get("proxyjump");
        if (pj != null && !"none".equalsIgnoreCase(pj.args().get(0))) {
            for (String j : String.join(",", pj.args()).split(",")) {
                if (!JUMP.matcher(j.strip()).matches()) {
                    throw new ConfigurationException(at(pj) + ": ProxyJump entry '" + j + "' is not [user@]host[:port]");
                }
                jumps.add(j.strip());
            }
        }
        return new Host(alias, hostName, port, user, identity, knownHosts, jumps, where);
    }

    /**
     * Splits one ProxyJump entry {@code [user@]host[:port]} into its parts: {@code [user or null, host, port or null]}.
     */
    public static String[] splitJump(String entry) {
        var m = JUMP.matcher(entry);
        if (!m.matches()) throw new IllegalArgumentException("ProxyJump entry '" + entry + "' is not [user@]host[:port]");
        String host = m.group(2).startsWith("[") ? m.group(2).substring(1, m.group(2).length() - 1) : m.group(2);
        return new String[] {m.group(1), host, m.group(3)};
    }

    private String expand(Line l, String value, String alias, String hostName, Integer port, String user) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '%') {
                sb.append(c);
                continue;
            }
            if (i + 1 >= value.length()) throw new ConfigurationException(at(l) + ": '" + value + "' ends with a lone %");
            char t = value.charAt(++i);
            switch (t) {
                case '%' -> sb.append('%');
                case 'h' -> sb.append(hostName);
                case 'n' -> sb.append(alias);
                case 'p' -> sb.append(port == null ? 22 : port);
                case 'r' -> sb.append(user == null ? localUser : user);
                case 'u' -> sb.append(localUser);
                case 'd' -> sb.append(home);
                default -> throw new ConfigurationException(at(l) + ": token %" + t + " in '" + value
                        + "' is not supported (supported: %h %n %p %r %u %d %%)");
            }
        }
        String s = sb.toString();
        if (s.equals("~")) return home.toString();
        if (s.startsWith("~/")) return home.resolve(s.substring(2)).toString();
        return s;
    }

    private static String at(Line l) {
        return l.file() + " line " + l.number();
    }
}
