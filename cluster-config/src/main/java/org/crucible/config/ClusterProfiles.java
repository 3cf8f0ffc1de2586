package org.crucible.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.crucible.core.config.ConfigDocument;
import org.crucible.core.config.ConfigNode;
import org.crucible.core.config.ConfigurationException;
import org.crucible.dft.hpc.Backoff;

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
 * <p>YAML keys (snake_case, like every Crucible file; read by the shared {@link ConfigNode}), required unless a
 * default is given: {@code name, transport (ssh | openssh | local), host, port (22), user, identity_file | use_agent,
 * passphrase_env, known_hosts (~/.ssh/known_hosts), work_root, scheduler (slurm), submit_command (sbatch), partition,
 * account, qos, nodes, ntasks (1), ntasks_per_node, cpus_per_task (1), mem, gres, constraint, scale_with_atoms
 * {atoms_per_task, max_ntasks}, packing (1), walltime (1h), task_timeout (= walltime),
 * max_jobs_in_queue (20), poll_interval (30s), max_resubmissions (2), accounting (true), environment [],
 * extra_directives [] (none setting an option a key sets), codes {code: {command, and any resource key overriding the
 * profile's for that code}}, max_channels (8), unreachable_deadline (6h), ssh_config
 * (~/.ssh/config), control_persist (10m; openssh transport), array_submission (false), array_parallelism (with
 * array_submission: true; default max_jobs_in_queue), tasks_per_element (1; with array_submission: true), reconnect {attempts (8), initial_delay (1s), max_delay (60s),
 * factor (2)} (ssh transport)}. Unknown keys are errors (a typo must not silently fall
 * back to a default) with the closest known
 * key. Every problem is reported at once, each with file, line and field.
 *
 * <p>Profiles written before the keys became snake_case still load: each camelCase key of {@link #RENAMED} is read
 * as its new name with one warning naming file, line, old and new key; a file giving both spellings of one key is
 * refused, naming both lines.
 *
 * <p>For the {@code ssh} transport, {@code host} is looked up in the OpenSSH config file {@code ssh_config} (default
 * {@code ~/.ssh/config}, skipped when that default does not exist) as {@code ssh host} would: {@code HostName},
 * {@code Port}, {@code User}, {@code IdentityFile}, {@code UserKnownHostsFile} and {@code ProxyJump} fill in what the
 * profile does not set (keys set in the profile win, as options on the ssh command line do). Each jump host is
 * resolved through the same file (its own ProxyJump first); without its own {@code IdentityFile} or
 * {@code UserKnownHostsFile} it uses the profile's.
 */
public final class ClusterProfiles {
    /**
     * The profile keys renamed to snake_case, old spelling to new: the one alias table of the profile reader. Old
     * spellings are accepted with a warning (see {@link ConfigDocument#acceptRenamedKeys}); remove an entry once users
     * have had a release to rewrite their files.
     */
    static final Map<String, String> RENAMED = Map.ofEntries(
            Map.entry("identityFile", "identity_file"), Map.entry("passphraseEnv", "passphrase_env"),
            Map.entry("useAgent", "use_agent"), Map.entry("knownHosts", "known_hosts"), Map.entry("workRoot", "work_root"),
            Map.entry("submitCommand", "submit_command"), Map.entry("cpusPerTask", "cpus_per_task"),
            Map.entry("taskTimeout", "task_timeout"), Map.entry("maxJobsInQueue", "max_jobs_in_queue"),
            Map.entry("pollInterval", "poll_interval"), Map.entry("maxResubmissions", "max_resubmissions"),
            Map.entry("extraDirectives", "extra_directives"), Map.entry("maxChannels", "max_channels"),
            Map.entry("unreachableDeadline", "unreachable_deadline"), Map.entry("sshConfig", "ssh_config"));

    /** Where deprecation warnings go when the caller gives no sink: standard error, as the CLI prints them. */
    private static final Consumer<String> TO_STDERR = w -> System.err.println("warning: " + w);

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
        return find(name, configFile, env, home, crucibleHome, TO_STDERR);
    }

    /** As {@link #find(String, Path, UnaryOperator, Path, Path)}, deprecation warnings to {@code warn}. */
    public static ClusterProfile find(String name, Path configFile, UnaryOperator<String> env, Path home, Path crucibleHome,
            Consumer<String> warn) {
        if (configFile != null) {
            ClusterProfile p = read(configFile, warn);
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
            if (Files.isRegularFile(p)) return read(p, warn);
        }
        throw new ConfigurationException("no profile for cluster '" + name + "'; looked in " + tried
                + ("local".equals(name) ? " (run deploy/local-slurm/up.sh to create the local one)" : "")
                + "; see docs/clusters.md");
    }

    /** Reads one profile file, deprecation warnings to standard error. */
    public static ClusterProfile read(Path file) {
        return read(file, TO_STDERR);
    }

    /** Reads one profile file; {@code warn} receives one line per deprecated key spelling used. */
    public static ClusterProfile read(Path file, Consumer<String> warn) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigurationException("cannot read cluster profile " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file, warn);
    }

    /** Parses a profile, deprecation warnings to standard error; see {@link #parse(String, Path, Consumer)}. */
    public static ClusterProfile parse(String yaml, Path source) {
        return parse(yaml, source, TO_STDERR);
    }

    /**
     * Parses a profile; {@code source} is used in messages and to resolve relative key paths; {@code warn} receives
     * one line per deprecated key spelling used.
     */
    public static ClusterProfile parse(String yaml, Path source, Consumer<String> warn) {
        ConfigDocument doc = ConfigDocument.parse(yaml, false, source == null ? "cluster profile" : source.toString(), "cluster profile");
        Path base = source == null ? Path.of(".").toAbsolutePath() : source.toAbsolutePath().getParent();
        doc.acceptRenamedKeys(RENAMED, warn);
        ConfigNode r = doc.root();
        Duration walltime = duration(r, "walltime", Duration.ofHours(1));
        Map<String, CodeProfile> codes = codes(r);
        ResourceSpec resources = ResourceSpec.read(r);
        Backoff reconnect = reconnect(r);
        ClusterProfile profile = null;
        String invalid = null;
        try {
            String transport = r.choice("transport", "ssh", List.of("ssh", "openssh", "local"));
            String host = r.string("host", "localhost");
            Integer port = r.has("port") ? r.integer("port", 22, 1, 65535) : null;
            String user = r.string("user", null);
            Path identity = path(r, "identity_file", base);
            Path knownHosts = path(r, "known_hosts", base);
            SshRoute route = null;
            Path home = Path.of(System.getProperty("user.home"));
            Path cfgFile = r.has("ssh_config") ? pathOrNull(r.existingFile("ssh_config", base, null)) : null;
            if (!r.has("ssh_config") && Files.isRegularFile(home.resolve(".ssh/config"))) cfgFile = home.resolve(".ssh/config");
            if (cfgFile != null && !"local".equals(transport) && doc.problems().list().isEmpty()) {
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
            if (user == null) r.problems().add("user", "is required: the user name on the cluster (or User in the ssh config for this host)");
            profile = new ClusterProfile(r.requiredString("name", "the cluster's name, e.g. archer2"), transport, host,
                port == null ? 22 : port, user, identity, r.string("passphrase_env", null), r.bool("use_agent", false),
                knownHosts == null ? home.resolve(".ssh/known_hosts") : knownHosts,
                r.requiredString("work_root", "an absolute directory on the cluster for Crucible's task directories"),
                r.choice("scheduler", "slurm", List.of("slurm")), r.string("submit_command", "sbatch"),
                r.string("partition", null), r.string("account", null), r.string("qos", null),
                resources.job(0).tasks(), resources.job(0).cpusPerTask(),
                packing(r), walltime, duration(r, "task_timeout", walltime),
                r.integer("max_jobs_in_queue", 20, 1, Integer.MAX_VALUE), duration(r, "poll_interval", Duration.ofSeconds(30)),
                r.integer("max_resubmissions", 2, 0, Integer.MAX_VALUE), r.bool("accounting", true), lines(r, "environment"),
                lines(r, "extra_directives"), codes, r.integer("max_channels", 8, 1, Integer.MAX_VALUE),
                duration(r, "unreachable_deadline", Duration.ofHours(6)), source, route,
                duration(r, "control_persist", Duration.ofMinutes(10)), arrayParallelism(r), resources, reconnect);
        } catch (IllegalArgumentException | NullPointerException e) {
            invalid = String.valueOf(e.getMessage());
        }
        r.finish();
        if (invalid != null && doc.problems().list().isEmpty()) {
            // The record's own check (its message starts with the snake_case field name), reported like the others.
            int colon = invalid.indexOf(':');
            doc.problems().add(colon > 0 ? invalid.substring(0, colon) : "", colon > 0 ? invalid.substring(colon + 1).trim() : invalid);
        }
        doc.finish();
        return profile;
    }

    /**
     * {@code array_submission: true} with {@code array_parallelism: N} (default {@code max_jobs_in_queue}): N; 0 when
     * arrays are off. {@code array_parallelism} without {@code array_submission: true}, or {@code packing} other than 1
     * with it, is reported at its line.
     */
    private static int arrayParallelism(ConfigNode r) {
        boolean on = r.bool("array_submission", false);
        // packing and max_jobs_in_queue are read (and their bad values reported) by parse(): look at the raw values only
        JsonNode q = r.raw("max_jobs_in_queue");
        int queue = q != null && q.canConvertToInt() && q.intValue() >= 1 ? q.intValue() : 20;
        int n = r.integer("array_parallelism", queue, 1, Integer.MAX_VALUE);
        if (!on) {
            if (r.has("array_parallelism")) {
                r.problems().add(r.child("array_parallelism"), "applies only to job arrays; set array_submission: true or remove it");
            }
            return 0;
        }
        JsonNode packing = r.raw("packing");
        if (packing != null && packing.canConvertToInt() && packing.intValue() != 1) {
            r.problems().add(r.child("packing"), "must be 1 with array_submission: true (packing is for task-farm jobs); "
                    + "for several tasks in each array element use tasks_per_element");
        }
        return n;
    }

    /**
     * Tasks run one after another in one job: {@code packing} for task-farm jobs, {@code tasks_per_element} (1 to
     * {@value #MAX_TASKS_PER_ELEMENT}, default 1) for the elements of a job array ({@code array_submission: true}).
     * {@code tasks_per_element} without arrays is reported at its line.
     */
    private static int packing(ConfigNode r) {
        JsonNode arrays = r.raw("array_submission");
        boolean on = arrays != null && arrays.isBoolean() && arrays.booleanValue();
        int perElement = r.integer("tasks_per_element", 1, 1, MAX_TASKS_PER_ELEMENT);
        if (!on) {
            if (r.has("tasks_per_element")) {
                r.problems().add(r.child("tasks_per_element"), "applies only to job arrays; set array_submission: true, "
                        + "or use packing for several tasks in one task-farm job");
            }
            return r.integer("packing", 1, 1, Integer.MAX_VALUE);
        }
        r.integer("packing", 1, 1, Integer.MAX_VALUE); // its value with arrays is checked by arrayParallelism
        return perElement;
    }

    /** Most tasks one array element runs one after another (tasks_per_element). */
    static final int MAX_TASKS_PER_ELEMENT = 10_000;

    /**
     * {@code reconnect: {attempts, initial_delay, max_delay, factor}}: how the SSH client reconnects after a refused or
     * dropped connection before the command (and so the farm's poll) fails: {@code attempts} connections in all (1..1000),
     * the k-th retry after {@code min(initial_delay * factor^(k-1), max_delay)}. Defaults {@link Backoff#DEFAULT_RECONNECT}
     * (8, 1s, 60s, 2). Each bad value is reported at its own line; {@code max_delay} below {@code initial_delay} at
     * {@code max_delay}'s.
     */
    private static Backoff reconnect(ConfigNode r) {
        Backoff d = Backoff.DEFAULT_RECONNECT;
        if (!r.has("reconnect")) return d;
        ConfigNode c = r.object("reconnect");
        int before = r.problems().list().size();
        int attempts = c.integer("attempts", d.maxAttempts(), 1, 1000);
        Duration initial = duration(c, "initial_delay", d.initial());
        Duration max = duration(c, "max_delay", d.max());
        double factor = c.number("factor", d.factor(), 1, false, 100, "");
        c.finish();
        if (c.has("initial_delay") && initial.toMillis() < 1) {
            r.problems().add(c.child("initial_delay"), "'" + c.raw("initial_delay").asText() + "' must be at least 1ms");
        }
        if (r.problems().list().size() > before) return d;
        if (max.compareTo(initial) < 0) {
            r.problems().add(c.child(c.has("max_delay") ? "max_delay" : "initial_delay"), "max_delay (" + max.toMillis() + " ms" + (c.has("max_delay") ? "" : ", the default")
                    + ") is below initial_delay (" + initial.toMillis() + " ms" + (c.has("initial_delay") ? "" : ", the default")
                    + "); the delays grow from initial_delay up to max_delay");
            return d;
        }
        return new Backoff(initial, factor, max, attempts);
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

    private static Map<String, CodeProfile> codes(ConfigNode r) {
        Map<String, CodeProfile> codes = new LinkedHashMap<>();
        if (!r.has("codes")) {
            r.problems().add("codes", "is required: a mapping from code name to {command: ...}, e.g. qe: {command: \"srun pw.x -in {input}\"}");
            return codes;
        }
        ConfigNode c = r.object("codes");
        for (Iterator<String> it = r.raw("codes").fieldNames(); it.hasNext(); ) {
            String code = it.next();
            ConfigNode one = c.object(code);
            String cmd = one.requiredString("command", "the command line running the code, e.g. \"srun pw.x -in {input}\"");
            ResourceSpec resources = ResourceSpec.read(one);
            if (cmd != null) {
                try {
                    codes.put(code, new CodeProfile(cmd, resources));
                } catch (IllegalArgumentException ex) {
                    r.problems().add(one.child("command"), ex.getMessage());
                }
            }
            one.finish();
        }
        c.finish();
        return codes;
    }

    private static Path path(ConfigNode r, String key, Path base) {
        String v = r.string(key, null);
        return v == null ? null : ConfigNode.resolve(v, base);
    }

    private static Path pathOrNull(String file) {
        return file == null ? null : Path.of(file);
    }

    private static Duration duration(ConfigNode r, String key, Duration dflt) {
        return r.parsed(key, v -> {
            try {
                return ConfigNode.Parsed.ok(Durations.parse(v.asText()));
            } catch (IllegalArgumentException e) {
                return ConfigNode.Parsed.<Duration>error(e.getMessage());
            }
        }).orElse(dflt);
    }

    private static List<String> lines(ConfigNode r, String key) {
        return r.parsed(key, v -> {
            if (!v.isArray()) return ConfigNode.Parsed.<List<String>>error("expected a list of text lines, got " + ConfigNode.describe(v));
            List<String> out = new ArrayList<>();
            for (JsonNode e : v) {
                if (!e.isValueNode()) return ConfigNode.Parsed.<List<String>>error("entries must be text, got " + ConfigNode.describe(e));
                out.add(e.asText());
            }
            return ConfigNode.Parsed.ok(out);
        }).orElse(List.of());
    }
}
