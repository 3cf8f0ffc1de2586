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
import java.util.function.UnaryOperator;
import org.crucible.core.config.ConfigDocument;
import org.crucible.core.config.ConfigNode;
import org.crucible.core.config.ConfigurationException;

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
 * default is given: {@code name, transport (ssh | local), host, port (22), user, identity_file | use_agent,
 * passphrase_env, known_hosts (~/.ssh/known_hosts), work_root, scheduler (slurm), submit_command (sbatch), partition,
 * account, qos, ntasks (1), cpus_per_task (1), packing (1), walltime (1h), task_timeout (= walltime),
 * max_jobs_in_queue (20), poll_interval (30s), max_resubmissions (2), accounting (true), environment [],
 * extra_directives [], codes {code: {command}}, max_channels (8), unreachable_deadline (6h)}. Unknown keys are errors
 * (a typo must not silently fall back to a default) with the closest known key, so a camelCase key of an older
 * profile is answered with its snake_case spelling. Every problem is reported at once, each with file, line and
 * field.
 */
public final class ClusterProfiles {
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
        ConfigDocument doc = ConfigDocument.parse(yaml, false, source == null ? "cluster profile" : source.toString(), "cluster profile");
        Path base = source == null ? Path.of(".").toAbsolutePath() : source.toAbsolutePath().getParent();
        ConfigNode r = doc.root();
        Duration walltime = duration(r, "walltime", Duration.ofHours(1));
        String identity = r.string("identity_file", null);
        ClusterProfile profile = null;
        String invalid = null;
        try {
            profile = new ClusterProfile(r.requiredString("name", "the cluster's name, e.g. archer2"),
                r.choice("transport", "ssh", List.of("ssh", "local")), r.string("host", "localhost"), r.integer("port", 22, 1, 65535),
                r.requiredString("user", "the user name on the cluster"), identity == null ? null : ConfigNode.resolve(identity, base),
                r.string("passphrase_env", null), r.bool("use_agent", false),
                ConfigNode.resolve(r.string("known_hosts", "~/.ssh/known_hosts"), base),
                r.requiredString("work_root", "an absolute directory on the cluster for Crucible's task directories"),
                r.choice("scheduler", "slurm", List.of("slurm")), r.string("submit_command", "sbatch"),
                r.string("partition", null), r.string("account", null), r.string("qos", null),
                r.integer("ntasks", 1, 1, Integer.MAX_VALUE), r.integer("cpus_per_task", 1, 1, Integer.MAX_VALUE),
                r.integer("packing", 1, 1, Integer.MAX_VALUE), walltime, duration(r, "task_timeout", walltime),
                r.integer("max_jobs_in_queue", 20, 1, Integer.MAX_VALUE), duration(r, "poll_interval", Duration.ofSeconds(30)),
                r.integer("max_resubmissions", 2, 0, Integer.MAX_VALUE), r.bool("accounting", true), lines(r, "environment"),
                lines(r, "extra_directives"), codes(r), r.integer("max_channels", 8, 1, Integer.MAX_VALUE),
                duration(r, "unreachable_deadline", Duration.ofHours(6)), source);
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
            if (cmd != null) {
                try {
                    codes.put(code, new CodeProfile(cmd));
                } catch (IllegalArgumentException ex) {
                    r.problems().add(one.child("command"), ex.getMessage());
                }
            }
            one.finish();
        }
        c.finish();
        return codes;
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
