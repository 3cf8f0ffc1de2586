package org.crucible.dft.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.crucible.core.config.ConfigDocument;
import org.crucible.core.config.ConfigNode;
import org.crucible.core.config.ConfigurationException;
import org.crucible.dft.DftInputException;

/**
 * A DFT recipe (settings mapping) read from YAML or JSON by the shared strict reader ({@link ConfigDocument}): a key
 * given twice in one mapping is refused with its line, and typed getters' errors name the file, the line and the
 * field path ({@code qe-si.yaml line 4: field 'ecutwfc': expected a positive number, got "abc"}). Every key read is
 * recorded so that {@link #rejectUnknown()} can refuse misspelt keys, with the closest accepted key, instead of
 * silently ignoring them. Numbers may be written as text in Fortran style ({@code "1d-6"}), as DFT codes print them.
 *
 * <p>Field errors are collected, not thrown one at a time: a getter given a bad value records the problem (with its
 * line) and returns its fallback, and {@link #rejectUnknown()} throws every problem of the mapping at once (one
 * {@link DftInputException} listing each, a single problem in the one-line form above). The same schema is read from a
 * recipe file ({@link #read}) and from a campaign file's inline {@code oracle.settings} ({@link #inline}); for the
 * inline form the problems go to the campaign file's list, so its loader reports them with the campaign's own.
 * Renamed keys ({@link DftRecipe#RENAMED}: {@code kspacing} is now {@code kpoint_spacing}) are read with one warning.
 */
public final class Settings {
    private final String source;
    private final String prefix;
    private final JsonNode node;
    private final ConfigNode.Problems lines;
    /** True when the problems belong to an enclosing file (inline settings of a campaign file) that reports them. */
    private final boolean enclosed;
    private final int problemsBefore;
    private final Set<String> used = new LinkedHashSet<>();

    private Settings(String source, String prefix, JsonNode node, ConfigNode.Problems lines, boolean enclosed, int problemsBefore) {
        this.source = source;
        this.prefix = prefix;
        this.node = node;
        this.lines = lines;
        this.enclosed = enclosed;
        this.problemsBefore = problemsBefore;
    }

    /** Where deprecation warnings go when the caller gives no sink: standard error, as the CLI prints them. */
    static final Consumer<String> TO_STDERR = w -> System.err.println("warning: " + w);

    /** Reads a YAML (or JSON, a subset of YAML) settings file; a parse error names file, line and column. */
    public static Settings read(Path file) {
        return read(file, TO_STDERR);
    }

    /** As {@link #read(Path)}, with deprecation warnings (a renamed key used) sent to {@code warn}. */
    public static Settings read(Path file, Consumer<String> warn) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new DftInputException("cannot read settings file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, String.valueOf(file), warn);
    }

    /**
     * Parses settings text; {@code source} names it in messages. Invalid YAML, a key given twice and a document that
     * is not a mapping are refused with the line; an empty document is an empty mapping.
     */
    public static Settings parse(String text, String source) {
        return parse(text, source, TO_STDERR);
    }

    /** As {@link #parse(String, String)}, with deprecation warnings (a renamed key used) sent to {@code warn}. */
    public static Settings parse(String text, String source, Consumer<String> warn) {
        ConfigDocument doc;
        try {
            doc = ConfigDocument.parse(text, false, source, null);
        } catch (ConfigurationException e) {
            throw new DftInputException(e.getMessage(), e);
        }
        doc.root().acceptRenamedKeys(DftRecipe.RENAMED, source, warn);
        return new Settings(source, "", doc.tree(), doc.problems(), false, 0);
    }

    /** Builds settings from a map (tests, programmatic use, a recorded resolved recipe). */
    public static Settings of(Map<String, ?> values, String source) {
        return new Settings(source, "", new ObjectMapper().valueToTree(values), new ConfigNode.Problems(new HashMap<>()), false, 0);
    }

    /**
     * The inline settings mapping of an enclosing file (a campaign file's {@code oracle.settings}): {@code settings}
     * reads the node (renamed keys accepted with a warning to {@code warn}); problems are added to the enclosing file's
     * list under the mapping's path (e.g. {@code oracle.settings.ecutwfc}) with their lines, and {@link #rejectUnknown()}
     * then throws a short exception only to stop the caller, the enclosing loader reporting the problems.
     */
    public static Settings inline(ConfigNode settings, JsonNode node, String source, Consumer<String> warn) {
        int before = settings.problems().list().size();
        settings.acceptRenamedKeys(DftRecipe.RENAMED, source, warn);
        return new Settings(source, settings.path(), node, settings.problems(), true, before);
    }

    private String path(String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    /** An error about one field, with its line when the settings came from text (thrown at once: prefer {@link #problem}). */
    public DftInputException error(String key, String message) {
        return new DftInputException(where(path(key)) + ": field '" + path(key) + "': " + message);
    }

    /** Records a problem with one field (reported with every other by {@link #rejectUnknown()}). */
    public void problem(String key, String message) {
        lines.add(path(key), message);
    }

    /** True when a problem was recorded for this mapping. */
    public boolean hasProblems() {
        return lines.list().size() > problemsBefore;
    }

    private String where(String path) {
        int line = lines.lineOf(path);
        return line > 0 ? source + " line " + line : source;
    }

    public boolean has(String key) {
        used.add(key);
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    private JsonNode get(String key) {
        used.add(key);
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v;
    }

    public String string(String key, String fallback) {
        JsonNode v = get(key);
        if (v == null) return fallback;
        if (!v.isValueNode()) {
            problem(key, "expected a text value, got " + v);
            return fallback;
        }
        return v.asText();
    }

    public String requireString(String key) {
        String s = string(key, null);
        if (s == null || s.isBlank()) {
            if (!has(key)) problem(key, "is required");
            else if (s != null) problem(key, "is required (got an empty value)");
            return "";
        }
        return s;
    }

    public Double number(String key, Double fallback) {
        JsonNode v = get(key);
        if (v == null) return fallback;
        if (v.isNumber()) return v.doubleValue();
        if (v.isTextual()) {
            try {
                return Double.parseDouble(v.asText().trim().replace('d', 'e').replace('D', 'E'));
            } catch (NumberFormatException e) {
                problem(key, "expected a number, got \"" + v.asText() + "\"");
                return null;
            }
        }
        problem(key, "expected a number, got " + v);
        return null;
    }

    /** A required positive number; a missing or bad value is recorded as a problem and 1.0 returned in its place. */
    public double requirePositive(String key) {
        int before = lines.list().size();
        Double d = number(key, null);
        if (d == null) {
            if (lines.list().size() == before) problem(key, "is required (a positive number)");
            return 1.0;
        }
        if (!(d > 0) || !Double.isFinite(d)) {
            problem(key, "expected a positive number, got " + d);
            return 1.0;
        }
        return d;
    }

    public Double positive(String key, Double fallback) {
        Double d = number(key, null);
        if (d == null) return fallback;
        if (!(d > 0) || !Double.isFinite(d)) {
            problem(key, "expected a positive number, got " + d);
            return fallback;
        }
        return d;
    }

    public Integer integer(String key, Integer fallback) {
        JsonNode v = get(key);
        if (v == null) return fallback;
        if (v.isIntegralNumber() || (v.isTextual() && v.asText().trim().matches("[-+]?\\d+"))) {
            try {
                return Integer.parseInt(v.asText().trim());
            } catch (NumberFormatException e) {
                problem(key, "expected an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE + ", got " + v.asText().trim());
                return fallback;
            }
        }
        problem(key, "expected an integer, got " + v);
        return fallback;
    }

    public Boolean bool(String key, Boolean fallback) {
        JsonNode v = get(key);
        if (v == null) return fallback;
        if (v.isBoolean()) return v.booleanValue();
        problem(key, "expected true or false, got " + v);
        return fallback;
    }

    public int[] intTriple(String key) {
        JsonNode v = get(key);
        if (v == null) return null;
        if (!v.isArray() || v.size() != 3) {
            problem(key, "expected a list of 3 integers, got " + v);
            return null;
        }
        int[] out = new int[3];
        for (int i = 0; i < 3; i++) {
            if (!v.get(i).isIntegralNumber() || !v.get(i).canConvertToInt() || v.get(i).intValue() < 1) {
                problem(key, "expected 3 integers >= 1, got " + v);
                return null;
            }
            out[i] = v.get(i).intValue();
        }
        return out;
    }

    /** A mapping of scalar values (text form), in file order; empty when absent. */
    public Map<String, Object> scalarMap(String key) {
        JsonNode v = get(key);
        Map<String, Object> out = new LinkedHashMap<>();
        if (v == null) return out;
        if (!v.isObject()) {
            problem(key, "expected a mapping, got " + v);
            return out;
        }
        Iterator<Map.Entry<String, JsonNode>> it = v.fields();
        while (it.hasNext()) {
            var e = it.next();
            JsonNode x = e.getValue();
            if (x.isBoolean()) out.put(e.getKey(), x.booleanValue());
            else if (x.isIntegralNumber()) out.put(e.getKey(), x.longValue());
            else if (x.isNumber()) out.put(e.getKey(), x.doubleValue());
            else if (x.isTextual()) out.put(e.getKey(), x.asText());
            else problem(key + "." + e.getKey(), "expected a scalar (number, text or boolean), got " + x);
        }
        return out;
    }

    /** A mapping of text values (e.g. species -> pseudopotential file); empty when absent. */
    public Map<String, String> stringMap(String key) {
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : scalarMap(key).entrySet()) out.put(e.getKey(), String.valueOf(e.getValue()));
        return out;
    }

    /**
     * The k-point rule from {@code kpoint_spacing} (1/Angstrom, 2*pi included; {@code defaultSpacing} when neither key
     * is given) or {@code kpoints: [n1, n2, n3]}.
     */
    public KpointMesh kpoints(double defaultSpacing) {
        Double spacing = positive("kpoint_spacing", null);
        int[] grid = intTriple("kpoints");
        if (spacing != null && grid != null) problem("kpoints", "give either kpoint_spacing or kpoints, not both");
        if (grid != null) return new KpointMesh(null, grid);
        return KpointMesh.ofSpacing(spacing != null ? spacing : defaultSpacing);
    }

    /**
     * Refuses keys that were never read (misspellings), naming them, the closest accepted key and the accepted ones,
     * and throws every problem recorded for this mapping at once, in file order: one line for a single problem
     * ({@code qe.yaml line 4: field 'ecutwfc': ...}), else {@code qe.yaml: 3 problems} and a line per problem. For
     * inline settings the problems stay in the enclosing file's list and the exception only stops the caller.
     */
    public void rejectUnknown() {
        List<String> unknown = new ArrayList<>();
        node.fieldNames().forEachRemaining(k -> {
            if (!used.contains(k)) unknown.add(k);
        });
        if (!unknown.isEmpty()) {
            String first = unknown.get(0);
            lines.add(path(first), "unknown field" + (unknown.size() > 1 ? "s " : " ") + unknown
                    + (prefix.isEmpty() ? "" : " in '" + prefix + "'") + ConfigNode.suggestion(first, new ArrayList<>(used))
                    + "; accepted: " + used);
        }
        if (!hasProblems()) return;
        List<ConfigurationException.Problem> mine = new ArrayList<>(lines.list().subList(problemsBefore, lines.list().size()));
        if (enclosed) throw new DftInputException(source + ": " + mine.size() + (mine.size() == 1 ? " problem" : " problems") + " in '" + prefix + "'");
        mine.sort(java.util.Comparator.comparingInt(ConfigurationException.Problem::line));
        if (mine.size() == 1) throw new DftInputException(line(mine.get(0), true));
        StringBuilder sb = new StringBuilder(source).append(": ").append(mine.size()).append(" problems");
        for (ConfigurationException.Problem p : mine) sb.append("\n  ").append(line(p, false));
        throw new DftInputException(sb.toString());
    }

    private String line(ConfigurationException.Problem p, boolean withSource) {
        String where = p.line() > 0 ? (withSource ? source + " line " : "line ") + p.line() : withSource ? source : "";
        boolean unknown = p.message().startsWith("unknown field");
        return where + (where.isEmpty() ? "" : ": ") + (unknown ? "" : "field '" + p.path() + "': ") + p.message();
    }

    /** The mapping as given (keys in file order), for a record of settings the reader does not resolve. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> asGiven() {
        return new ObjectMapper().convertValue(node, LinkedHashMap.class);
    }

    public String source() {
        return source;
    }
}
