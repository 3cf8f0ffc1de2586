package org.crucible.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Reads and finds cluster profiles.
 *
 * <p>Where {@code --cluster NAME} is looked up, first match wins:
 * <ol>
 *   <li>the file given with {@code --config FILE};</li>
 *   <li>{@code $CRUCIBLE_CLUSTERS/NAME.yaml} when the environment variable is set;</li>
 *   <li>{@code ~/.crucible/clusters/NAME.yaml};</li>
 *   <li>for {@code local} only: {@code <crucible home>/deploy/local-slurm/state/cluster.yaml} (written by up.sh).</li>
 * </ol>
 *
 * <p>YAML keys (camelCase), required unless a default is given: {@code name, transport (ssh | openssh | local), host, port (22), user,
 * identityFile | useAgent, passphraseEnv, knownHosts (~/.ssh/known_hosts), workRoot, scheduler (slurm),
 * submitCommand (sbatch), partition, account, qos, ntasks (1), cpusPerTask (1), packing (1), walltime (1h),
 * taskTimeout (= walltime), maxJobsInQueue (20), pollInterval (30s), maxResubmissions (2), accounting (true),
 * environment [], extraDirectives [], codes {code: {command}}, maxChannels (8), unreachableDeadline (6h), sshConfig
 * (~/.ssh/config), control_persist (10m; openssh transport)}. Unknown keys are errors (a typo must not silently fall back to a default). Errors name file, line
 * and field.
 *
 * <p>For the {@code ssh} transport, {@code host} is looked up in the OpenSSH config file
 * {@code sshConfig} (default {@code ~/.ssh/config}, skipped when that default does not exist) as {@code ssh host}
 * would: {@code HostName}, {@code Port}, {@code User}, {@code IdentityFile}, {@code UserKnownHostsFile} and
 * {@code ProxyJump} fill in what the profile does not set (keys set in the profile win, as options on the ssh command
 * line do). Each jump host is resolved through the same file (its own ProxyJump first); without its own
 * {@code IdentityFile} or {@code UserKnownHostsFile} it uses the profile's.
 */
public final class ClusterProfiles {
    private static final Set<String> KEYS = Set.of("name", "transport", "host", "port", "user", "identityFile", "passphraseEnv",
            "useAgent", "knownHosts", "workRoot", "scheduler", "submitCommand", "partition", "account", "qos", "ntasks",
            "cpusPerTask", "packing", "walltime", "taskTimeout", "maxJobsInQueue", "pollInterval", "maxResubmissions",
            "accounting", "environment", "extraDirectives", "codes", "maxChannels", "unreachableDeadline", "sshConfig",
            "control_persist");

    private ClusterProfiles() {
    }

    /**
     * Finds the profile of cluster {@code name}.
     *
     * @param configFile explicit file or null
     * @param env environment lookup ({@code System::getenv})
     * @param home the user's home directory
     * @param crucibleHome where Crucible is installed (repository root), or null
     */
    public static ClusterProfile find(String name, Path configFile, UnaryOperator<String> env, Path home, Path crucibleHome) {
        if (configFile != null) {
            ClusterProfile p = read(configFile);
            if (!p.name().equals(name)) {
                throw new ConfigurationException(configFile + ": profile is for cluster '" + p.name() + "', not '" + name + "'");
            }
            return p;
        }
        List<Path> tried = new ArrayList<>();
        String dir = env.apply("CRUCIBLE_CLUSTERS");
        if (dir != null && !dir.isBlank()) tried.add(Path.of(dir).resolve(name + ".yaml"));
        tried.add(home.resolve(".crucible/clusters").resolve(name + ".yaml"));
        if ("local".equals(name) && crucibleHome != null) tried.add(crucibleHome.resolve("deploy/local-slurm/state/cluster.yaml"));
        for (Path p : tried) {
            if (Files.isRegularFile(p)) return read(p);
        }
        throw new ConfigurationException("no profile for cluster '" + name + "'; looked in " + tried
                + ("local".equals(name) ? " (run deploy/local-slurm/up.sh to create the local one)" : "")
                + "; see docs/clusters.md");
    }

    /** Reads one profile file. */
    public static ClusterProfile read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigurationException("cannot read cluster profile " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file);
    }

    /** Parses a profile; {@code source} is used in messages and to resolve relative key paths. */
    public static ClusterProfile parse(String yaml, Path source) {
        String where = source == null ? "cluster profile" : source.toString();
        YAMLFactory factory = new YAMLFactory();
        factory.enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        Map<String, Integer> lines = lines(factory, yaml, where);
        JsonNode root;
        try {
            root = new ObjectMapper(factory).readTree(yaml);
        } catch (IOException e) {
            throw new ConfigurationException(where + ": not valid YAML: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw new ConfigurationException(where + ": expected a mapping of keys");
        Reader r = new Reader(root, lines, where, source == null ? Path.of(".") : source.toAbsolutePath().getParent());
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) throw r.error(k, "unknown key '" + k + "' (known: " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
        }
        Duration walltime = r.duration("walltime", Duration.ofHours(1));
        Map<String, CodeProfile> codes = new LinkedHashMap<>();
        JsonNode codesNode = root.get("codes");
        if (codesNode == null || !codesNode.isObject()) throw r.error("codes", "codes must map code names to {command: ...}");
        for (Iterator<Map.Entry<String, JsonNode>> it = codesNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = "codes." + e.getKey();
            JsonNode cmd = e.getValue().get("command");
            if (cmd == null || !cmd.isTextual()) throw r.error(key, "needs command: \"...\"");
            try {
                codes.put(e.getKey(), new CodeProfile(cmd.asText()));
            } catch (IllegalArgumentException ex) {
                throw r.error(key + ".command", ex.getMessage());
            }
        }
        try {
            String transport = r.text("transport", "ssh");
            String host = r.text("host", "localhost");
            Path home = Path.of(System.getProperty("user.home"));
            Integer port = r.node("port").isPresent() ? r.integer("port", 22) : null;
            String user = r.text("user", null);
            Path identity = r.path("identityFile", null);
            Path knownHosts = r.path("knownHosts", null);
            SshRoute route = null;
            Path cfgFile = r.path("sshConfig", null);
            if (cfgFile != null && !Files.isRegularFile(cfgFile)) throw r.error("sshConfig", "'" + cfgFile + "' does not exist");
            if (cfgFile == null && Files.isRegularFile(home.resolve(".ssh/config"))) cfgFile = home.resolve(".ssh/config");
            if (cfgFile != null && !"local".equals(transport)) {
                SshConfig cfg = SshConfig.read(cfgFile, home, System.getProperty("user.name"));
                SshConfig.Host h = cfg.resolve(host);
                if (port == null) port = h.port();
                if (user == null) user = h.user();
                if (identity == null) identity = h.identityFile();
                if (knownHosts == null) knownHosts = h.knownHosts();
                Path kh = knownHosts == null ? home.resolve(".ssh/known_hosts") : knownHosts;
                List<SshHop> jumps = new ArrayList<>();
                for (String j : h.proxyJump()) jumps.addAll(jumpChain(cfg, j, identity, kh, 0));
                route = new SshRoute(cfgFile, host, jumps);
                host = h.hostName();
            }
            return new ClusterProfile(r.text("name", null), transport, host, port == null ? 22 : port, user,
                    identity, r.text("passphraseEnv", null), r.bool("useAgent", false),
                    knownHosts == null ? home.resolve(".ssh/known_hosts") : knownHosts,
                    r.text("workRoot", null), r.text("scheduler", "slurm"), r.text("submitCommand", "sbatch"),
                    r.text("partition", null), r.text("account", null), r.text("qos", null), r.integer("ntasks", 1),
                    r.integer("cpusPerTask", 1), r.integer("packing", 1), walltime, r.duration("taskTimeout", walltime),
                    r.integer("maxJobsInQueue", 20), r.duration("pollInterval", Duration.ofSeconds(30)),
                    r.integer("maxResubmissions", 2), r.bool("accounting", true), r.list("environment"),
                    r.list("extraDirectives"), codes, r.integer("maxChannels", 8), r.duration("unreachableDeadline", Duration.ofHours(6)), source, route,
                    r.duration("control_persist", Duration.ofMinutes(10)));
        } catch (IllegalArgumentException | NullPointerException e) {
            String msg = String.valueOf(e.getMessage());
            String field = msg.contains(":") ? msg.substring(0, msg.indexOf(':')) : msg;
            throw r.error(KEYS.contains(field) ? field : "", msg);
        }
    }

    /**
     * The hops to reach ProxyJump entry {@code entry}: its own jump hosts (resolved recursively) and then itself. An
     * entry's {@code user@} and {@code :port} win over its config block, as in OpenSSH.
     */
    private static List<SshHop> jumpChain(SshConfig cfg, String entry, Path identity, Path knownHosts, int depth) {
        if (depth > 8) throw new ConfigurationException(cfg.file() + ": ProxyJump chain through " + entry + " is more than 8 hops (a loop?)");
        String[] parts = SshConfig.splitJump(entry);
        SshConfig.Host h = cfg.resolve(parts[1]);
        List<SshHop> out = new ArrayList<>();
        for (String j : h.proxyJump()) out.addAll(jumpChain(cfg, j, identity, knownHosts, depth + 1));
        String user = parts[0] != null ? parts[0] : h.user() != null ? h.user() : System.getProperty("user.name");
        int port = parts[2] != null ? Integer.parseInt(parts[2]) : h.port() != null ? h.port() : 22;
        try {
            out.add(new SshHop(entry, h.hostName(), port, user, h.identityFile() != null ? h.identityFile() : identity,
                    h.knownHosts() != null ? h.knownHosts() : knownHosts));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(cfg.file() + ": ProxyJump " + entry + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Line (1-based) of every key path, e.g. {@code codes.qe.command}, from the YAML token stream. */
    private static Map<String, Integer> lines(YAMLFactory factory, String yaml, String where) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = factory.createParser(yaml)) {
            Deque<String> path = new ArrayDeque<>();
            Deque<Boolean> isObject = new ArrayDeque<>();
            String pending = null;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case FIELD_NAME -> {
                        pending = p.currentName();
                        String full = path.isEmpty() ? pending : String.join(".", reversed(path)) + "." + pending;
                        lines.putIfAbsent(full, p.currentLocation().getLineNr());
                    }
                    case START_OBJECT, START_ARRAY -> {
                        if (pending != null) path.push(pending);
                        isObject.push(pending != null);
                        pending = null;
                    }
                    case END_OBJECT, END_ARRAY -> {
                        if (!isObject.isEmpty() && isObject.pop() && !path.isEmpty()) path.pop();
                    }
                    default -> pending = null;
                }
            }
        } catch (IOException e) {
            throw new ConfigurationException(where + ": not valid YAML: " + e.getMessage(), e);
        }
        return lines;
    }

    private static List<String> reversed(Deque<String> d) {
        List<String> l = new ArrayList<>(d);
        java.util.Collections.reverse(l);
        return l;
    }

    /** Typed access to top-level keys with file/line/field messages. */
    private record Reader(JsonNode root, Map<String, Integer> lines, String where, Path base) {
        ConfigurationException error(String field, String message) {
            Integer line = lines.get(field);
            return new ConfigurationException(where + (line == null ? "" : " line " + line) + ": "
                    + (field.isEmpty() || message.startsWith(field + ":") ? "" : field + ": ") + message);
        }

        Optional<JsonNode> node(String key) {
            JsonNode n = root.get(key);
            return n == null || n.isNull() ? Optional.empty() : Optional.of(n);
        }

        String text(String key, String def) {
            Optional<JsonNode> n = node(key);
            if (n.isEmpty()) return def;
            if (!n.get().isValueNode() || n.get().isBoolean()) throw error(key, "expected text, got " + n.get());
            return n.get().asText();
        }

        int integer(String key, int def) {
            Optional<JsonNode> n = node(key);
            if (n.isEmpty()) return def;
            if (!n.get().canConvertToInt() || !n.get().isIntegralNumber()) {
                throw error(key, "'" + n.get().asText() + "' is not an integer");
            }
            return n.get().intValue();
        }

        boolean bool(String key, boolean def) {
            Optional<JsonNode> n = node(key);
            if (n.isEmpty()) return def;
            if (!n.get().isBoolean()) throw error(key, "'" + n.get().asText() + "' is not true or false");
            return n.get().booleanValue();
        }

        Duration duration(String key, Duration def) {
            String t = text(key, null);
            if (t == null) return def;
            try {
                return Durations.parse(t);
            } catch (IllegalArgumentException e) {
                throw error(key, e.getMessage());
            }
        }

        Path path(String key, String def) {
            String t = text(key, def);
            if (t == null) return null;
            if (t.startsWith("~/")) return Path.of(System.getProperty("user.home")).resolve(t.substring(2));
            Path p = Path.of(t);
            return p.isAbsolute() ? p : base.resolve(p).normalize();
        }

        List<String> list(String key) {
            Optional<JsonNode> n = node(key);
            if (n.isEmpty()) return List.of();
            if (!n.get().isArray()) throw error(key, "expected a list");
            List<String> out = new ArrayList<>();
            for (JsonNode e : n.get()) {
                if (!e.isValueNode()) throw error(key, "entries must be text, got " + e);
                out.add(e.asText());
            }
            return out;
        }
    }
}
