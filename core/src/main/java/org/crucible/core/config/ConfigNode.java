package org.crucible.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A strict reader over one mapping of a configuration tree: the one reader of Crucible's configuration files
 * (campaign files, cluster profiles, DFT recipe files; documents come from {@link ConfigDocument}). Every getter
 * records the key as known; {@link #finish()} reports each key that was never asked for, with the closest known key by
 * edit distance. An enumerated value outside its set gets the closest allowed value ({@link #choice}). A referenced
 * file is checked when the file is read ({@link #existingFile}). Problems are collected (not thrown) so a user sees
 * every mistake of a file at once; {@link ConfigDocument#finish()} throws them as one {@link ConfigurationException}.
 *
 * <pre>{@code
 * ConfigDocument doc = ConfigDocument.read(Path.of("cluster.yaml"), "cluster profile");
 * ConfigNode n = doc.root();
 * int port = n.integer("port", 22, 1, 65535);
 * n.finish();
 * doc.finish();   // throws every problem, each with line, field path and did-you-mean
 * }</pre>
 *
 * <p>Keys are snake_case in every Crucible file.
 */
public final class ConfigNode {
    private final JsonNode node;
    private final String path;
    private final Problems problems;
    private final Set<String> known = new LinkedHashSet<>();

    public ConfigNode(JsonNode node, String path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    public String path() {
        return path;
    }

    public String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public boolean has(String key) {
        known.add(key);
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    public JsonNode raw(String key) {
        known.add(key);
        return node.get(key);
    }

    /** A nested mapping; an absent key gives an empty mapping (all defaults). */
    public ConfigNode object(String key) {
        known.add(key);
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) return new ConfigNode(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), child(key), problems);
        if (!v.isObject()) {
            problems.add(child(key), "expected a mapping of settings, got " + describe(v));
            return new ConfigNode(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), child(key), problems);
        }
        return new ConfigNode(v, child(key), problems);
    }

    public int integer(String key, int dflt, int min, int max) {
        known.add(key);
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) return dflt;
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            problems.add(child(key), "expected an integer in [" + min + ", " + max + "], got " + describe(v));
            return dflt;
        }
        int i = v.intValue();
        if (i < min || i > max) {
            problems.add(child(key), "value " + i + " is out of range: allowed integers " + min + " to " + max);
            return dflt;
        }
        return i;
    }

    public long longValue(String key, long dflt, long min, long max) {
        known.add(key);
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) return dflt;
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            problems.add(child(key), "expected an integer in [" + min + ", " + max + "], got " + describe(v));
            return dflt;
        }
        long i = v.longValue();
        if (i < min || i > max) {
            problems.add(child(key), "value " + i + " is out of range: allowed integers " + min + " to " + max);
            return dflt;
        }
        return i;
    }

    /**
     * An integer in [0, 2^64 - 1] (a seed), returned as the {@code long} with the same 64 bits, so
     * {@link Long#toUnsignedString(long)} prints what the user wrote.
     */
    public long unsignedLong(String key, long dflt) {
        known.add(key);
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) return dflt;
        if (v.isIntegralNumber()) {
            java.math.BigInteger b = v.bigIntegerValue();
            if (b.signum() >= 0 && b.bitLength() <= 64) return b.longValue();
        }
        problems.add(child(key), "expected an integer in [0, 18446744073709551615], got " + describe(v));
        return dflt;
    }

    /** A finite real number in [min, max] (use exclusive bounds with {@code minExclusive}). */
    public double number(String key, double dflt, double min, boolean minExclusive, double max, String unit) {
        known.add(key);
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) return dflt;
        String u = unit.isEmpty() ? "" : " " + unit;
        String range = (minExclusive ? "(" : "[") + fmt(min) + ", " + fmt(max) + "]" + u;
        if (!v.isNumber()) {
            problems.add(child(key), "expected a number in " + range + ", got " + describe(v));
            return dflt;
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d) || d < min || d > max || (minExclusive && d == min)) {
            problems.add(child(key), "value " + v.asText() + " is out of range: allowed " + range);
            return dflt;
        }
        return d;
    }

    public boolean bool(String key, boolean dflt) {
        known.add(key);
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) return dflt;
        if (!v.isBoolean()) {
            problems.add(child(key), "expected true or false, got " + describe(v));
            return dflt;
        }
        return v.booleanValue();
    }

    public String string(String key, String dflt) {
        known.add(key);
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) return dflt;
        if (!v.isTextual() || v.asText().isBlank()) {
            problems.add(child(key), "expected a non-empty string, got " + describe(v));
            return dflt;
        }
        return v.asText();
    }

    /** A required string; reports its absence. */
    public String requiredString(String key, String what) {
        if (!has(key)) {
            problems.add(child(key), "is required: " + what);
            return null;
        }
        return string(key, null);
    }

    /** One of a fixed set of words; a near miss gets a suggestion. */
    public String choice(String key, String dflt, List<String> allowed) {
        String s = string(key, null);
        if (s == null) return dflt;
        if (!allowed.contains(s)) {
            problems.add(child(key), "value '" + s + "' is not allowed: one of " + allowed + suggestion(s, allowed));
            return dflt;
        }
        return s;
    }

    /** A value parsed by {@code parser}, which returns an error message or the value. */
    public <T> Optional<T> parsed(String key, Function<JsonNode, Parsed<T>> parser) {
        known.add(key);
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) return Optional.empty();
        Parsed<T> p = parser.apply(v);
        if (p.error() != null) {
            problems.add(child(key), p.error());
            return Optional.empty();
        }
        return Optional.of(p.value());
    }

    /**
     * A file named by {@code key}, checked now (a missing file is a mistake of the configuration, not of the run that
     * would find it hours later): {@code ~/} expands to the home directory, a relative path is resolved against
     * {@code baseDir} (the directory of the file being read; null: the working directory). Returns the absolute,
     * normalised path, or null when absent (reported when {@code required} names what is expected) or unreadable.
     */
    public String existingFile(String key, Path baseDir, String required) {
        String f = required == null ? string(key, null) : requiredString(key, required);
        if (f == null) return null;
        Path p = resolve(f, baseDir);
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            problems.add(child(key), "file '" + f + "' (" + p + ") does not exist or is not readable");
            return null;
        }
        return p.toString();
    }

    /** {@code ~/} expanded, relative paths resolved against {@code baseDir} (null: working directory), normalised. */
    public static Path resolve(String file, Path baseDir) {
        Path p = Path.of(file.replaceFirst("^~(?=/|$)", java.util.regex.Matcher.quoteReplacement(System.getProperty("user.home"))));
        if (!p.isAbsolute() && baseDir != null) p = baseDir.resolve(p);
        return p.toAbsolutePath().normalize();
    }

    /**
     * Accepts the old spelling of renamed keys of this mapping, for files written before a rename: each old key present
     * is read as its new name (its line kept for messages) and reported once to {@code warn} as
     * {@code "<source> line 7: `oracle.settings.kspacing` is deprecated, write `oracle.settings.kpoint_spacing`"}
     * (paths below the top level are dotted); a mapping giving both spellings of one key is a problem naming both lines
     * (which value would win is not for Crucible to guess). Call before reading the keys; keys keep their order.
     *
     * @param renamed old key to new key
     * @param source  names the file in the warning
     * @param warn    receives one line per deprecated key used
     */
    public void acceptRenamedKeys(Map<String, String> renamed, String source, java.util.function.Consumer<String> warn) {
        if (!(node instanceof com.fasterxml.jackson.databind.node.ObjectNode top) || renamed.keySet().stream().noneMatch(top::has)) return;
        Map<String, JsonNode> fields = new java.util.LinkedHashMap<>();
        top.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
        top.removeAll();
        for (Map.Entry<String, JsonNode> e : fields.entrySet()) {
            String key = e.getKey();
            String now = renamed.get(key);
            if (now == null) {
                top.set(key, e.getValue());
            } else if (fields.containsKey(now)) {
                problems.add(child(now), "given twice: as `" + key + "` (line " + problems.lineOf(child(key)) + ", the deprecated spelling) and as `"
                        + now + "` (line " + problems.lineOf(child(now)) + "); keep only `" + now + "`");
            } else {
                int line = problems.lineOf(child(key));
                warn.accept(source + (line > 0 ? " line " + line : "") + ": `" + child(key) + "` is deprecated, write `" + child(now) + "`");
                problems.renamePath(child(key), child(now));
                top.set(now, e.getValue());
            }
        }
    }

    /** The problems this node reports into (shared by the whole document). */
    public Problems problems() {
        return problems;
    }

    /** Reports keys never asked for, each with the closest known key. Call after reading every field. */
    public void finish() {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            String k = it.next().getKey();
            if (!known.contains(k)) {
                problems.add(child(k), "unknown key '" + k + "'" + suggestion(k, new ArrayList<>(known))
                        + " (known keys here: " + String.join(", ", known) + ")");
            }
        }
    }

    public static String suggestion(String word, List<String> candidates) {
        return candidates.stream()
                .filter(c -> editDistance(word.toLowerCase(), c.toLowerCase()) <= Math.max(2, c.length() / 3)
                        || (Math.min(word.length(), c.length()) >= 3 && (word.startsWith(c) || c.startsWith(word))))
                .min(Comparator.comparingInt((String c) -> editDistance(word.toLowerCase(), c.toLowerCase())))
                .map(c -> "; did you mean '" + c + "'?")
                .orElse("");
    }

    /** Levenshtein distance (insertions, deletions, substitutions each cost 1). */
    public static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    public static String describe(JsonNode v) {
        if (v.isTextual()) return "the string '" + v.asText() + "'";
        if (v.isNumber()) return "the number " + v.asText();
        if (v.isBoolean()) return "the boolean " + v.asText();
        if (v.isArray()) return "a list " + v;
        if (v.isObject()) return "a mapping " + v;
        return v.toString();
    }

    private static String fmt(double d) {
        if (d == Double.MAX_VALUE || d == Double.POSITIVE_INFINITY) return "inf";
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
        return Double.toString(d);
    }

    /** The result of parsing one value: either a value or an error message. */
    public record Parsed<T>(T value, String error) {
        public static <T> Parsed<T> ok(T v) {
            return new Parsed<>(v, null);
        }

        public static <T> Parsed<T> error(String message) {
            return new Parsed<>(null, message);
        }
    }

    /** The problems of one file, with a path-to-line map from the parser. */
    public static final class Problems {
        private final List<ConfigurationException.Problem> list = new ArrayList<>();
        private final Map<String, Integer> lines;

        public Problems(Map<String, Integer> lines) {
            this.lines = lines;
        }

        public void add(String path, String message) {
            list.add(new ConfigurationException.Problem(path, lineOf(path), message));
        }

        /** The 1-based line of {@code path} or of its nearest enclosing key; 0 when unknown. */
        public int lineOf(String path) {
            String p = path;
            while (true) {
                Integer l = lines.get(p);
                if (l != null) return l;
                int dot = p.lastIndexOf('.');
                if (dot < 0) return 0;
                p = p.substring(0, dot);
            }
        }

        /** Gives the lines of key path {@code from} and of everything below it to {@code to} (a renamed key). */
        public void renamePath(String from, String to) {
            for (Map.Entry<String, Integer> e : List.copyOf(lines.entrySet())) {
                String k = e.getKey();
                if (k.equals(from) || k.startsWith(from + ".") || k.startsWith(from + "[")) {
                    lines.putIfAbsent(to + k.substring(from.length()), e.getValue());
                }
            }
        }

        public List<ConfigurationException.Problem> list() {
            return list;
        }
    }
}
