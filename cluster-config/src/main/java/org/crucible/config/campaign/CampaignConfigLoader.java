package org.crucible.config.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.crucible.config.campaign.CampaignConfig.Evolution;
import org.crucible.config.campaign.CampaignConfig.Perturbation;
import org.crucible.config.campaign.CampaignConfig.Pools;
import org.crucible.config.campaign.CampaignConfig.PotentialSpec;
import org.crucible.config.campaign.CampaignConfig.Protocol;
import org.crucible.config.campaign.CampaignConfig.Relax;
import org.crucible.config.campaign.CampaignConfig.SearchPool;
import org.crucible.config.campaign.CampaignConfig.Selection;
import org.crucible.config.campaign.CampaignConfig.SparkSettings;
import org.crucible.config.campaign.CampaignConfig.Stopping;
import org.crucible.config.campaign.CampaignConfig.StoreSettings;
import org.crucible.config.campaign.CampaignConfig.TrainingPool;
import org.crucible.config.campaign.CampaignConfig.Validation;

import org.crucible.core.Elements;
import org.crucible.core.config.ConfigDocument;
import org.crucible.core.config.ConfigNode;
import org.crucible.core.config.ConfigNode.Parsed;
import org.crucible.core.config.ConfigurationException;

/**
 * Reads and validates a campaign file (YAML, or JSON: a JSON document is valid YAML and {@code .json} files are read
 * with the JSON parser). Every mistake of the file is collected and reported at once in a
 * {@link ConfigurationException}, each with the field path, the line, the bad value, what is allowed and "did you
 * mean" for unknown keys. Nothing is returned for an invalid file.
 */
public final class CampaignConfigLoader {
    /** The protocols this build knows ({@link Protocols#NAMES}). */
    public static final List<String> PROTOCOLS = Protocols.NAMES;
    /** Oracle types. */
    public static final List<String> ORACLES = List.of("sw", "tersoff", "lj", "eam", "pw.x", "cluster");
    /** The Spark master URLs a campaign may name (the driver checks availability of yarn and k8s separately). */
    public static final Pattern MASTER = Pattern.compile(
            "local(\\[(\\*|[1-9]\\d*)(,[1-9]\\d*)?])?|local-cluster\\[\\d+,\\d+,\\d+]|spark://[^\\s/:]+:\\d{1,5}(,[^\\s/:]+:\\d{1,5})*|yarn|k8s://\\S+");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private CampaignConfigLoader() {
    }

    /** Loads a file; the format follows the extension ({@code .json} is JSON, everything else YAML). */
    public static CampaignConfig load(Path file) {
        return load(file, null);
    }

    /**
     * Loads a file whose {@code oracle.settings_file}, when present, is replaced by {@code settingsFileOverride} (a
     * resumed campaign reads the copy of the recipe it started with, whatever happened to the original since).
     */
    public static CampaignConfig load(Path file, Path settingsFileOverride) {
        ConfigDocument doc = ConfigDocument.read(file, "campaign file");
        return read(doc, doc.base(), settingsFileOverride);
    }

    /** Parses text; {@code source} names it in messages. */
    public static CampaignConfig parse(String text, boolean json, String source) {
        return parse(text, json, source, null, null);
    }

    /**
     * Parses text; {@code source} names it in messages; a relative {@code oracle.settings_file} is resolved against
     * {@code baseDir} (null: the working directory), or replaced by {@code settingsFileOverride} when that is not null.
     */
    public static CampaignConfig parse(String text, boolean json, String source, Path baseDir, Path settingsFileOverride) {
        return read(ConfigDocument.parse(text, json, source, "campaign file"), baseDir, settingsFileOverride);
    }

    private static CampaignConfig read(ConfigDocument doc, Path baseDir, Path settingsFileOverride) {
        CampaignConfig cfg = read(doc.root(), doc.problems(), baseDir, settingsFileOverride, doc.source());
        doc.finish();
        return cfg;
    }

    private static CampaignConfig read(ConfigNode root, ConfigNode.Problems problems, Path baseDir, Path settingsFileOverride, String source) {
        String name = root.requiredString("name", "a campaign name (letters, digits, '.', '_', '-')");
        if (name != null && !NAME.matcher(name).matches()) {
            problems.add("name", "value '" + name + "' is not allowed: 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        long seed = root.unsignedLong("seed", 0L);
        List<Composition> compositions = compositions(root, problems);
        Pools pools = pools(root.object("pools"));
        PotentialSpec potential = potential(root.object("potential"));
        Protocol protocol = protocol(root.object("protocol"));
        Oracle oracle = OracleSection.oracle(root, problems, baseDir, settingsFileOverride, source);
        Stopping stopping = stopping(root.object("stopping"));
        Validation validation = validation(root.object("validation"), stopping.k());
        SparkSettings spark = spark(root.object("spark"), problems);
        StoreSettings store = new StoreSettings(store(root.object("store")));
        Evolution evolution = ProtocolSections.evolution(root.object("evolution"), problems);
        if (evolution != null && evolution.variableComposition()) {
            java.util.Set<String> named = new java.util.TreeSet<>();
            for (Composition c : compositions) named.addAll(c.counts().keySet());
            if (!named.equals(new java.util.TreeSet<>(evolution.composition().elements()))) {
                problems.add("evolution.composition.elements", "the elements " + evolution.composition().elements() + " must be exactly those of "
                        + "'composition' (" + named + "): the potential is fitted for the elements of 'composition'");
            }
            if (!"evolution".equals(protocol.stages().get("generator"))) {
                problems.add("evolution.composition", "variable composition needs the generator 'evolution' (protocol.name evolution-dopt), not '"
                        + protocol.stages().get("generator") + "'");
            }
        }
        GapRssSettings gap = protocol.gapRss();
        if (gap.mixedSizes()) {
            for (Composition c : compositions) {
                int unit = c.reduced().atoms();
                if ((gap.atomsMin() + unit - 1) / unit * unit > gap.atomsMax()) {
                    problems.add("protocol.gap_rss.atoms", "no multiple of the formula unit " + c.reduced().formula() + " of '" + c.formula() + "' ("
                            + unit + " atoms) has between " + gap.atomsMin() + " and " + gap.atomsMax() + " atoms; widen atoms.min..max");
                }
            }
        }
        CampaignConfig.Entropy entropy = ProtocolSections.entropy(root.object("entropy"));
        HalConfig hal = ProtocolSections.hal(root.object("hal"), problems, baseDir);
        TrackingConfig tracking = TrackingConfig.read(root.object("tracking"), baseDir, compositions);
        OracleSection.requireMolecules(oracle, protocol, hal, problems);
        if (protocol.selection().batch() < stopping.k()) {
            problems.add("protocol.selection.batch", "value " + protocol.selection().batch()
                    + " is smaller than stopping.k = " + stopping.k() + ": each batch must be able to hold the k best clusters");
        }
        int preselect = protocol.selection().preselect();
        if (preselect > 0 && preselect < protocol.selection().batch()) {
            problems.add("protocol.selection.preselect", "value " + preselect + " is smaller than protocol.selection.batch = "
                    + protocol.selection().batch() + ": use 0 (off) or keep at least one batch of structures for the clustering");
        }
        if (pools.training().size() < protocol.cycle0Batch()) {
            problems.add("protocol.cycle0_batch", "value " + protocol.cycle0Batch() + " exceeds pools.training.size = "
                    + pools.training().size() + ": cycle 0 draws its batch from the training pool");
        }
        root.finish();
        if (name == null || compositions.isEmpty() || oracle == null || tracking == null) return null;
        return new CampaignConfig(name, seed, compositions, pools, potential, protocol, oracle, stopping, validation, spark, store, entropy,
                evolution == null ? Evolution.DEFAULTS : evolution, hal, tracking);
    }

    private static List<Composition> compositions(ConfigNode root, ConfigNode.Problems problems) {
        JsonNode v = root.raw("composition");
        List<Composition> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            problems.add("composition", "is required: a formula such as Si16, or a list of formulas");
            return out;
        }
        List<JsonNode> items = new ArrayList<>();
        if (v.isArray()) v.forEach(items::add);
        else items.add(v);
        if (items.isEmpty()) problems.add("composition", "the list is empty: give at least one formula such as Si16");
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String path = v.isArray() ? "composition[" + i + "]" : "composition";
            if (!item.isTextual()) {
                problems.add(path, "expected a formula such as Si16, got " + ConfigNode.describe(item));
                continue;
            }
            try {
                Composition c = Composition.parse(item.asText());
                if (c.atoms() > 512) {
                    problems.add(path, "value '" + item.asText() + "' has " + c.atoms() + " atoms per cell: allowed 1 to 512");
                } else out.add(c);
            } catch (IllegalArgumentException e) {
                problems.add(path, "value '" + item.asText() + "' is not a formula: " + e.getMessage());
            }
        }
        return out;
    }

    private static Pools pools(ConfigNode n) {
        ConfigNode t = n.object("training");
        TrainingPool training = new TrainingPool(
                t.integer("size", 1000, 1, 100_000_000),
                t.choice("generator", "random", List.of("random")),
                t.number("min_separation_factor", 1.8, 0.5, false, 4.0, "(times the mean covalent radius of a pair)"),
                t.choice("volume", "covalent", List.of("covalent", "metallic")),
                t.number("volume_spread", 0.05, 0.0, false, 0.9, "(relative half-width of the volume range)"));
        t.finish();
        ConfigNode s = n.object("search");
        List<Integer> groups = s.parsed("space_groups", CampaignConfigLoader::spaceGroups).orElse(List.of());
        SearchPool search = new SearchPool(
                s.integer("per_group", 30, 0, 1_000_000),
                s.choice("generator", "space-group", List.of("space-group")),
                groups,
                s.number("min_separation_factor", 1.8, 0.5, false, 4.0, "(times the mean covalent radius of a pair)"),
                s.choice("volume", "covalent", List.of("covalent", "metallic")),
                s.number("volume_spread", 0.05, 0.0, false, 0.9, "(relative half-width of the volume range)"));
        s.finish();
        String uri = n.string("uri", "pools");
        if (uri.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !uri.matches("(file|hdfs|viewfs|s3a|abfs|abfss|gs|o3fs|ofs|webhdfs):.*")) {
            reportScheme(n, uri);
        }
        n.finish();
        return new Pools(training, search, uri);
    }

    private static Parsed<List<Integer>> spaceGroups(JsonNode v) {
        if (v.isTextual() && v.asText().equals("all")) return Parsed.ok(List.of());
        if (!v.isArray() || v.isEmpty()) {
            return Parsed.error("expected 'all' or a non-empty list of space-group numbers 1 to 230, got " + ConfigNode.describe(v));
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode g : v) {
            if (!g.isIntegralNumber() || g.intValue() < 1 || g.intValue() > 230) {
                return Parsed.error("entry " + g + " is not a space-group number: allowed integers 1 to 230");
            }
            if (out.contains(g.intValue())) return Parsed.error("space group " + g.intValue() + " is listed twice");
            out.add(g.intValue());
        }
        return Parsed.ok(out);
    }

    private static PotentialSpec potential(ConfigNode n) {
        ConfigNode b = n.object("basis");
        String type = b.choice("type", "ace", List.of("ace"));
        double cutoff = b.number("cutoff", 5.0, 1.0, false, 12.0, "Angstrom");
        double inner = b.number("inner_cutoff", 0.0, 0.0, false, 11.0, "Angstrom");
        if (inner >= cutoff) b.parsed("inner_cutoff", v -> Parsed.error("value " + v.asText() + " must be below basis.cutoff = " + cutoff + " Angstrom"));
        List<Integer> degrees = b.parsed("max_degree", CampaignConfigLoader::degrees).orElse(List.of(14, 12, 10));
        int lMax = b.integer("l_max", 6, 0, 12);
        double wL = b.number("w_l", 1.5, 0.0, true, 10.0, "");
        b.finish();
        PotentialSpec p = new PotentialSpec(type, cutoff, inner, degrees, lMax, wL,
                n.integer("committee", 8, 2, 64),
                n.choice("fit", "brr", List.of("brr", "ard")),
                n.number("outlier_sigmas", 3.0, 0.0, true, 1e6, "(standard deviations of the per-structure max force)"));
        n.finish();
        return p;
    }

    private static Parsed<List<Integer>> degrees(JsonNode v) {
        if (!v.isArray() || v.isEmpty() || v.size() > 3) {
            return Parsed.error("expected a list of 1 to 3 total-degree bounds (one per correlation order), got " + ConfigNode.describe(v));
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode d : v) {
            if (!d.isIntegralNumber() || d.intValue() < 0 || d.intValue() > 60) return Parsed.error("entry " + d + " is not allowed: integers 0 to 60");
            out.add(d.intValue());
        }
        return Parsed.ok(out);
    }

    /** {@code protocol.selection.preselect}: {@code auto} (the default), 0 (off) or a row count. */
    private static int preselect(ConfigNode s) {
        return s.parsed("preselect", v -> {
            if (v.isTextual() && v.asText().equals("auto")) return ConfigNode.Parsed.ok(Selection.AUTO_PRESELECT);
            if (v.isIntegralNumber() && v.canConvertToInt() && v.intValue() >= 0 && v.intValue() <= 100_000_000) return ConfigNode.Parsed.ok(v.intValue());
            return ConfigNode.Parsed.error("expected auto, 0 (off) or an integer in [1, 100000000], got " + ConfigNode.describe(v));
        }).orElse(Selection.AUTO_PRESELECT);
    }

    private static Protocol protocol(ConfigNode n) {
        String name = n.choice("name", "pool-relaxation", PROTOCOLS);
        Map<String, String> stages = stages(n.object("stages"), name);
        int cycle0 = n.integer("cycle0_batch", 100, 1, 1_000_000);
        ConfigNode r = n.object("relax");
        Relax relax = new Relax(
                r.choice("optimizer", "fire", List.of("fire", "bfgs")),
                r.number("fmax", 0.05, 0.0, true, 10.0, "eV/Angstrom"),
                r.integer("steps", 300, 0, 1_000_000),
                r.integer("patience", 20, 1, 1_000_000),
                r.number("max_uncertainty", 0.5, 0.0, true, 1e3, "(U = max sigma_F / max |F|, dimensionless)"),
                r.integer("trajectory_tail", 5, 1, 1000),
                r.number("min_separation_factor", 0.7, 0.0, false, 1.0, "(fraction of the sum of covalent radii)"),
                r.number("training_separation_factor", 0.9, 0.0, false, 1.0, "(fraction of the shortest distance of the pair in the training set)"),
                r.integer("uncertainty_every", 1, 1, 1_000_000));
        r.finish();
        ConfigNode s = n.object("selection");
        ConfigNode d = s.object("dbscan");
        double eps = d.number("eps", 0.5, 0.0, true, 1e6, "(standardised descriptor units)");
        int minSamples = d.integer("min_samples", 2, 1, 100_000);
        String metric = d.choice("metric", "rms", List.of("rms", "euclidean"));
        d.finish();
        Selection selection = new Selection(eps, minSamples, metric,
                s.number("omega_f", 0.5, 0.0, false, 100.0, "Angstrom (weight of max|F| in the score)"),
                s.integer("batch", 100, 1, 1_000_000),
                s.choice("noise", "singletons", List.of("singletons", "drop")),
                preselect(s));
        s.finish();
        ConfigNode p = n.object("perturbation");
        Perturbation perturbation = new Perturbation(
                p.number("amplitude", 0.4, 0.0, false, 2.0, "Angstrom"),
                p.number("decay", 0.6, 0.0, false, 1.0, ""));
        p.finish();
        GapRssSettings gapRss = ProtocolSections.gapRss(n.object("gap_rss"));
        n.finish();
        return new Protocol(name, stages, cycle0, relax, selection, perturbation, gapRss);
    }

    /** {@code protocol.stages}: the preset's stages with the file's overrides, each checked against the known names. */
    private static Map<String, String> stages(ConfigNode n, String preset) {
        Map<String, String> out = new LinkedHashMap<>(Protocols.preset(preset));
        for (String kind : Protocols.KINDS) out.put(kind, n.choice(kind, out.get(kind), Protocols.STAGES.get(kind)));
        if ("pre-exploration".equals(out.get("initial_selector")) && !"evolution".equals(out.get("generator"))) {
            n.parsed("initial_selector", v -> ConfigNode.Parsed.error("'pre-exploration' grades the random pool of the generator 'evolution', not '"
                    + out.get("generator") + "': use protocol.name evolution-dopt or protocol.stages.generator: evolution"));
        }
        n.finish();
        return out;
    }

    private static Stopping stopping(ConfigNode n) {
        Stopping s = new Stopping(
                n.integer("k", 3, 1, 1000),
                n.number("epsilon", 0.01, 0.0, true, 10.0, "eV/atom"),
                n.integer("cycles_compared", 1, 1, 100),
                n.integer("max_cycles", 15, 1, 10_000),
                n.integer("max_oracle_calls", 0, 0, Integer.MAX_VALUE),
                n.number("oracle_agreement", 0.0, 0.0, false, 10.0, "eV/atom"));
        n.finish();
        return s;
    }

    private static Validation validation(ConfigNode n, int k) {
        Validation v = new Validation(
                n.integer("top_k", k, 0, 1000),
                n.number("fmax", 0.05, 0.0, true, 10.0, "eV/Angstrom"),
                n.integer("steps", 500, 1, 1_000_000),
                n.number("symmetry_tolerance", 0.1, 0.0, true, 2.0, "Angstrom"));
        n.finish();
        return v;
    }

    /** Keys Crucible sets itself from other fields; {@code spark.conf} may not set them behind the field's back. */
    static final List<String> SPARK_KEYS_WITH_FIELDS = List.of("spark.master", "spark.app.name", "spark.ui.enabled", "spark.ui.port");

    /**
     * {@code spark.conf}: a mapping of Spark settings (every key starts with {@code spark.}; values are scalars, given
     * to Spark as text). Checked here so a typo such as {@code spark.exector.memory} still reaches Spark (Spark ignores
     * unknown keys) but a non-Spark key or a nested value is refused with its path.
     */
    static Map<String, String> sparkConf(JsonNode v, String path, ConfigNode.Problems problems) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (v == null || v.isNull()) return out;
        if (!v.isObject()) {
            problems.add(path, "expected a mapping of spark.* settings, got " + ConfigNode.describe(v));
            return out;
        }
        var it = v.fields();
        while (it.hasNext()) {
            var e = it.next();
            String key = e.getKey();
            if (!key.startsWith("spark.") || key.length() == "spark.".length()) {
                problems.add(path + "." + key, "'" + key + "' is not a Spark setting (keys start with 'spark.', e.g. spark.executor.memory)");
            } else if (SPARK_KEYS_WITH_FIELDS.contains(key)) {
                problems.add(path + "." + key, "'" + key + "' has its own field under spark: (master, ui, ui_port) or is set by Crucible");
            } else if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                problems.add(path + "." + key, "expected a value (text, number or boolean), got " + ConfigNode.describe(e.getValue()));
            } else {
                out.put(key, e.getValue().asText());
            }
        }
        return out;
    }

    private static SparkSettings spark(ConfigNode n, ConfigNode.Problems problems) {
        String master = n.string("master", "local[*]");
        if (!MASTER.matcher(master).matches()) {
            problems.add("spark.master", "value '" + master + "' is not a Spark master URL: allowed local, local[N], local[*], "
                    + "spark://HOST:PORT, yarn or k8s://URL");
            master = "local[*]";
        }
        SparkSettings s = new SparkSettings(master,
                n.integer("partitions", 0, 0, 1_000_000),
                n.bool("ui", true),
                n.integer("ui_port", 4040, 1024, 65535),
                n.bool("progress", true),
                sparkConf(n.raw("conf"), n.child("conf"), problems));
        n.finish();
        return s;
    }

    private static String store(ConfigNode n) {
        String uri = n.string("uri", "store");
        if (uri.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !uri.matches("(file|hdfs|viewfs|s3a|abfs|abfss|gs|o3fs|ofs|webhdfs):.*")) {
            reportScheme(n, uri);
        } else if (uri.matches("(s3a|abfs|abfss|gs):.*")) {
            // The store commits a shard by writing a temporary file and renaming it; object stores copy instead of
            // renaming, so a crash mid-commit could leave half a shard visible or a label stored twice.
            n.parsed("uri", v -> Parsed.error("value '" + uri + "' is an object store: its rename is a copy, not atomic, so the training store "
                    + "cannot commit labels exactly once there; keep the store on a shared POSIX filesystem or HDFS and copy exports to "
                    + "object storage ('crucible store export')"));
        }
        n.finish();
        return uri;
    }

    private static void reportScheme(ConfigNode n, String uri) {
        n.parsed("uri", v -> Parsed.error("value '" + uri + "' has an unsupported scheme: allowed a path or a file:, hdfs:, viewfs:, "
                + "s3a:, abfs:, abfss:, gs:, o3fs:, ofs: or webhdfs: URI"));
    }
}
