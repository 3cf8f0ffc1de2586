package org.crucible.driver.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * JSON as the CLI prints it (Jackson, keys in map order): {@link #line} for one object per line (headers, JSON
 * lines) and {@link #pretty} for documents. Values are maps, lists, arrays, strings, numbers, booleans and null.
 */
final class CliJson {
    private static final ObjectMapper COMPACT = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CliJson() {
    }

    /** On one line, e.g. {@code {"nMax":8,"species":["Si"]}}. */
    static String line(Object value) {
        return write(COMPACT, value);
    }

    /** Indented over several lines. */
    static String pretty(Object value) {
        return write(PRETTY, value);
    }

    private static String write(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // only maps, lists and scalars are passed in: a failure is a programming error, not bad input
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
