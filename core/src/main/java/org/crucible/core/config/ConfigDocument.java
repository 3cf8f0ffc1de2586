package org.crucible.core.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One configuration file parsed for {@link ConfigNode}: YAML (or JSON, a subset; {@code .json} files are read as
 * JSON), a key given twice in one mapping refused with its line, the line of every dotted key path kept for messages,
 * and the problems of the whole file collected until {@link #finish()}.
 *
 * <pre>{@code
 * ConfigDocument doc = ConfigDocument.parse("port: 22\n", false, "x.yaml", "cluster profile");
 * int port = doc.root().integer("port", 22, 1, 65535);
 * doc.finish();
 * }</pre>
 *
 * @param source names the file in messages
 * @param base directory against which relative file references resolve (null: the working directory)
 */
public record ConfigDocument(String source, JsonNode tree, ConfigNode.Problems problems, Path base) {

    /** Reads a file; {@code what} names the kind of file in messages ("campaign file", "cluster profile"). */
    public static ConfigDocument read(Path file, String what) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigurationException(file + ": cannot read the " + what + ": " + e.getMessage(), e);
        }
        boolean json = file.getFileName().toString().toLowerCase().endsWith(".json");
        return parse(text, json, file.toString(), what).withBase(file.toAbsolutePath().getParent());
    }

    /**
     * Parses text. An empty document is an empty mapping when {@code what} is null, otherwise refused ("the
     * campaign file is empty"); a document that is not a mapping is refused.
     */
    public static ConfigDocument parse(String text, boolean json, String source, String what) {
        JsonFactory factory = json ? new JsonFactory() : new YAMLFactory();
        // A key given twice is a mistake (the last one would silently win): rejected with its line.
        factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        JsonNode root;
        Map<String, Integer> lines;
        try {
            root = new ObjectMapper(factory).readTree(text);
            lines = lineIndex(factory, text);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            String m = e.getOriginalMessage();
            if (m != null && m.startsWith("Duplicate field ")) {
                throw new ConfigurationException(source + (line > 0 ? ":" + line : "") + ": key " + m.substring("Duplicate field ".length())
                        + " is given twice in the same mapping");
            }
            throw new ConfigurationException(source + (line > 0 ? ":" + line : "") + ": not valid " + (json ? "JSON" : "YAML") + ": " + m);
        } catch (IOException e) {
            throw new ConfigurationException(source + ": cannot parse: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            if (what != null) throw new ConfigurationException(source + ": the " + what + " is empty");
            root = new ObjectMapper().createObjectNode();
        }
        ConfigNode.Problems problems = new ConfigNode.Problems(lines);
        if (!root.isObject()) {
            problems.add("", "the " + (what == null ? "file" : what) + " must be a mapping of keys, got " + ConfigNode.describe(root));
            throw new ConfigurationException(source, problems.list());
        }
        return new ConfigDocument(source, root, problems, null);
    }

    /** The same document with relative file references resolved against {@code dir}. */
    public ConfigDocument withBase(Path dir) {
        return new ConfigDocument(source, tree, problems, dir);
    }

    /** The top-level mapping. */
    public ConfigNode root() {
        return new ConfigNode(tree, "", problems);
    }

    /**
     * Accepts the old spelling of renamed top-level keys, for files written before a rename: each old key present is
     * read as its new name (its line kept for messages) and reported once to {@code warn} as
     * {@code "<source> line 7: `cpusPerTask` is deprecated, write `cpus_per_task`"}; a mapping giving both spellings
     * of one key is a problem naming both lines (which value would win is not for Crucible to guess). Call before
     * reading {@link #root()}; keys keep their order in the file.
     *
     * @param renamed old key to new key
     * @param warn receives one line per deprecated key used
     */
    public void acceptRenamedKeys(Map<String, String> renamed, Consumer<String> warn) {
        root().acceptRenamedKeys(renamed, source, warn);
    }

    /** Throws every problem found so far as one {@link ConfigurationException}; returns when there is none. */
    public void finish() {
        if (!problems.list().isEmpty()) throw new ConfigurationException(source, problems.list());
    }

    /**
     * The 1-based line of each dotted key path (list items as {@code key[i]}), from a streaming pass over the text,
     * because the tree model does not keep locations.
     */
    static Map<String, Integer> lineIndex(JsonFactory factory, String text) throws IOException {
        Map<String, Integer> lines = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Deque<int[]> arrayIndex = new ArrayDeque<>();
        try (JsonParser p = factory.createParser(text)) {
            String pendingField = null;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case FIELD_NAME -> {
                        pendingField = p.getCurrentName();
                        String parent = stack.isEmpty() ? "" : stack.peek();
                        lines.putIfAbsent(parent.isEmpty() ? pendingField : parent + "." + pendingField, p.getTokenLocation().getLineNr());
                    }
                    case START_OBJECT, START_ARRAY -> {
                        String parent = stack.isEmpty() ? "" : stack.peek();
                        String here = childPath(parent, pendingField, arrayIndex, stack.isEmpty());
                        stack.push(here);
                        arrayIndex.push(new int[] {t == JsonToken.START_ARRAY ? 0 : -1});
                        pendingField = null;
                    }
                    case END_OBJECT, END_ARRAY -> {
                        stack.pop();
                        arrayIndex.pop();
                        if (!arrayIndex.isEmpty() && arrayIndex.peek()[0] >= 0) arrayIndex.peek()[0]++;
                    }
                    default -> {
                        if (!arrayIndex.isEmpty() && arrayIndex.peek()[0] >= 0) {
                            lines.putIfAbsent(stack.peek() + "[" + arrayIndex.peek()[0] + "]", p.getTokenLocation().getLineNr());
                            arrayIndex.peek()[0]++;
                        }
                        pendingField = null;
                    }
                }
            }
        }
        return lines;
    }

    private static String childPath(String parent, String field, Deque<int[]> arrayIndex, boolean top) {
        if (top) return "";
        if (field != null) return parent.isEmpty() ? field : parent + "." + field;
        int idx = arrayIndex.isEmpty() ? -1 : arrayIndex.peek()[0];
        return idx >= 0 ? parent + "[" + idx + "]" : parent;
    }
}
