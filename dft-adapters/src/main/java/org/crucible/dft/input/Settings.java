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
 */
public final class Settings {
    private final String source;
    private final String prefix;
    private final JsonNode node;
    private final ConfigNode.Problems lines;
    private final Set<String> used = new LinkedHashSet<>();

    private Settings(String source, String prefix, JsonNode node, ConfigNode.Problems lines) {
        this.source = source;
        this.prefix = prefix;
        this.node = node;
        this.lines = lines;
    }

    /** Reads a YAML (or JSON, a subset of YAML) settings file; a parse error names file, line and column. */
    public static Settings read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new DftInputException("cannot read settings file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, String.valueOf(file));
    }

    /**
     * Parses settings text; {@code source} names it in messages. Invalid YAML, a key given twice and a document that
     * is not a mapping are refused with the line; an empty document is an empty mapping.
     */
    public static Settings parse(String text, String source) {
        ConfigDocument doc;
        try {
            doc = ConfigDocument.parse(text, false, source, null);
        } catch (ConfigurationException e) {
            throw new DftInputException(e.getMessage(), e);
        }
        return new Settings(source, "", doc.tree(), doc.problems());
    }

    /** Builds settings from a map (tests, programmatic use). */
    public static Settings of(Map<String, ?> values, String source) {
        return new Settings(source, "", new ObjectMapper().valueToTree(values), new ConfigNode.Problems(new HashMap<>()));
    }

    private String path(String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    /** An error about one field, with its line when the settings came from text. */
    public DftInputException error(String key, String message) {
        return new DftInputException(where(path(key)) + ": field '" + path(key) + "': " + message);
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
        if (!v.isValueNode()) throw error(key, "expected a text value, got " + v);
        return v.asText();
    }

    public String requireString(String key) {
        String s = string(key, null);
        if (s == null || s.isBlank()) throw error(key, "is required");
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
                throw error(key, "expected a number, got \"" + v.asText() + "\"");
            }
        }
        throw error(key, "expected a number, got " + v);
    }

    public double requirePositive(String key) {
        Double d = number(key, null);
        if (d == null) throw error(key, "is required (a positive number)");
        if (!(d > 0) || !Double.isFinite(d)) throw error(key, "expected a positive number, got " + d);
        return d;
    }

    public Double positive(String key, Double fallback) {
        Double d = number(key, null);
        if (d == null) return fallback;
        if (!(d > 0) || !Double.isFinite(d)) throw error(key, "expected a positive number, got " + d);
        return d;
    }

    public Integer integer(String key, Integer fallback) {
        JsonNode v = get(key);
        if (v == null) return fallback;
        if (v.isIntegralNumber() || (v.isTextual() && v.asText().trim().matches("[-+]?\\d+"))) return Integer.parseInt(v.asText().trim());
        throw error(key, "expected an integer, got " + v);
    }

    public Boolean bool(String key, Boolean fallback) {
        JsonNode v = get(key);
        if (v == null) return fallback;
        if (v.isBoolean()) return v.booleanValue();
        throw error(key, "expected true or false, got " + v);
    }

    public int[] intTriple(String key) {
        JsonNode v = get(key);
        if (v == null) return null;
        if (!v.isArray() || v.size() != 3) throw error(key, "expected a list of 3 integers, got " + v);
        int[] out = new int[3];
        for (int i = 0; i < 3; i++) {
            if (!v.get(i).isIntegralNumber() || v.get(i).intValue() < 1) throw error(key, "expected 3 integers >= 1, got " + v);
            out[i] = v.get(i).intValue();
        }
        return out;
    }

    /** A mapping of scalar values (text form), in file order; empty when absent. */
    public Map<String, Object> scalarMap(String key) {
        JsonNode v = get(key);
        Map<String, Object> out = new LinkedHashMap<>();
        if (v == null) return out;
        if (!v.isObject()) throw error(key, "expected a mapping, got " + v);
        Iterator<Map.Entry<String, JsonNode>> it = v.fields();
        while (it.hasNext()) {
            var e = it.next();
            JsonNode x = e.getValue();
            if (x.isBoolean()) out.put(e.getKey(), x.booleanValue());
            else if (x.isIntegralNumber()) out.put(e.getKey(), x.longValue());
            else if (x.isNumber()) out.put(e.getKey(), x.doubleValue());
            else if (x.isTextual()) out.put(e.getKey(), x.asText());
            else throw error(key + "." + e.getKey(), "expected a scalar (number, text or boolean), got " + x);
        }
        return out;
    }

    /** A mapping of text values (e.g. species -> pseudopotential file); empty when absent. */
    public Map<String, String> stringMap(String key) {
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : scalarMap(key).entrySet()) out.put(e.getKey(), String.valueOf(e.getValue()));
        return out;
    }

    /** The k-point rule from {@code kpoint_spacing} (1/Angstrom, 2*pi included) or {@code kpoints: [n1, n2, n3]}. */
    public KpointMesh kpoints(double defaultSpacing) {
        Double spacing = positive("kpoint_spacing", null);
        int[] grid = intTriple("kpoints");
        if (spacing != null && grid != null) throw error("kpoints", "give either kpoint_spacing or kpoints, not both");
        if (grid != null) return new KpointMesh(null, grid);
        return KpointMesh.ofSpacing(spacing != null ? spacing : defaultSpacing);
    }

    /** Refuses keys that were never read (misspellings), naming them, the closest accepted key and the accepted ones. */
    public void rejectUnknown() {
        List<String> unknown = new ArrayList<>();
        node.fieldNames().forEachRemaining(k -> {
            if (!used.contains(k)) unknown.add(k);
        });
        if (!unknown.isEmpty()) {
            String first = unknown.get(0);
            throw new DftInputException(where(path(first)) + ": unknown field" + (unknown.size() > 1 ? "s " : " ") + unknown
                    + (prefix.isEmpty() ? "" : " in '" + prefix + "'") + ConfigNode.suggestion(first, new ArrayList<>(used))
                    + "; accepted: " + used);
        }
    }

    public String source() {
        return source;
    }
}
