package org.crucible.dft.io;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crucible.dft.DftParseException;

/**
 * The lines of a text output with its name, and number reading that always reports file and line on failure.
 * Numbers may use Fortran exponents ({@code 1.0D-09}) and may be run together as Fortran fixed formats print
 * them ({@code 0.2500-0.2500}); a field of asterisks (Fortran overflow) is an error, never a silent NaN.
 *
 * <p>Line indices in this API are 0-based; messages print 1-based line numbers as editors show them.
 */
public final class TextLines {
    private static final Pattern NUMBER = Pattern.compile("[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[EeDd][-+]?\\d+)?");
    private static final Pattern MULTI = Pattern.compile("(?:[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[EeDd][-+]?\\d+)?)+");
    private static final Pattern SEPARATORS = Pattern.compile("[\\s,()=;]+");
    private final String name;
    private final List<String> lines;

    public TextLines(String name, List<String> lines) {
        this.name = name;
        this.lines = List.copyOf(lines);
    }

    /**
     * Reads a file as UTF-8, falling back to ISO-8859-1 for bytes that are not UTF-8 (old outputs carry Latin-1
     * symbols such as the Angstrom sign). A binary file or a directory is reported as a parse error.
     */
    public static TextLines read(Path file) {
        if (!Files.isRegularFile(file)) throw new DftParseException(file, 0, "not a regular file");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DftParseException(String.valueOf(file), 0, "cannot read: " + e.getMessage(), e);
        }
        for (int i = 0; i < Math.min(bytes.length, 4096); i++) {
            if (bytes[i] == 0) throw new DftParseException(file, 0, "binary data (NUL byte at offset " + i + "), not a text output");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            text = new String(bytes, StandardCharsets.ISO_8859_1);
        }
        return new TextLines(String.valueOf(file), text.lines().toList());
    }

    public String name() {
        return name;
    }

    public int size() {
        return lines.size();
    }

    public String get(int i) {
        return lines.get(i);
    }

    public List<String> lines() {
        return lines;
    }

    /** Index of the first line at or after {@code from} containing {@code needle}, or -1. */
    public int find(String needle, int from) {
        for (int i = Math.max(0, from); i < lines.size(); i++) if (lines.get(i).contains(needle)) return i;
        return -1;
    }

    /** Index of the last line containing {@code needle}, or -1. */
    public int findLast(String needle) {
        for (int i = lines.size() - 1; i >= 0; i--) if (lines.get(i).contains(needle)) return i;
        return -1;
    }

    /** True when any line contains {@code needle}. */
    public boolean contains(String needle) {
        return find(needle, 0) >= 0;
    }

    /** A parse error at line index {@code i} (0-based), quoting the line. */
    public DftParseException error(int i, String message) {
        String text = i >= 0 && i < lines.size() ? " [" + lines.get(i).strip() + "]" : "";
        return new DftParseException(name, i + 1, message + text);
    }

    /**
     * Every number in {@code text} (in order), reading whitespace-separated tokens strictly: a token that is
     * not a number, or not several numbers run together by a Fortran format, is an error at line i (so
     * {@code -12.3x} is refused, not read as -12.3). Asterisk overflow fields are errors too. Non-numeric words
     * (units, labels) are skipped only when {@code skipWords}.
     */
    public double[] numbers(int i, String text, boolean skipWords) {
        return numbers(i, text, skipWords, Integer.MAX_VALUE);
    }

    private double[] numbers(int i, String text, boolean skipWords, int limit) {
        List<Double> out = new ArrayList<>();
        for (String tok : SEPARATORS.split(text.strip())) {
            if (out.size() >= limit) break;
            if (tok.isEmpty()) continue;
            if (tok.contains("***")) throw error(i, "a number overflowed its Fortran field (asterisks)");
            String bare = tok.toLowerCase(java.util.Locale.ROOT).replaceFirst("^[-+]", "");
            if (bare.equals("nan") || bare.equals("inf") || bare.equals("infinity")) throw error(i, "number is not finite: '" + tok + "'");
            if (MULTI.matcher(tok).matches()) {
                Matcher m = NUMBER.matcher(tok);
                while (m.find()) out.add(parse(i, m.group()));
            } else if (!skipWords || Character.isDigit(tok.charAt(0)) || ((tok.charAt(0) == '-' || tok.charAt(0) == '+' || tok.charAt(0) == '.') && tok.length() > 1 && Character.isDigit(tok.charAt(1)))) {
                throw error(i, "cannot read a number from '" + tok + "'");
            }
        }
        double[] a = new double[out.size()];
        for (int k = 0; k < a.length; k++) a[k] = out.get(k);
        return a;
    }

    /** {@link #numbers(int, String, boolean)} skipping words such as units. */
    public double[] numbers(int i, String text) {
        return numbers(i, text, true);
    }

    /** Exactly {@code count} trailing numbers of the text after {@code marker} on line i. */
    public double[] numbersAfter(int i, String marker, int count) {
        String line = lines.get(i);
        int at = line.indexOf(marker);
        if (at < 0) throw error(i, "expected '" + marker + "'");
        double[] all = numbers(i, line.substring(at + marker.length()), true, count);
        if (all.length < count) throw error(i, "expected " + count + " numbers after '" + marker + "', found " + all.length);
        double[] out = new double[count];
        System.arraycopy(all, 0, out, 0, count);
        return out;
    }

    /** The first number after {@code marker} on line i. */
    public double numberAfter(int i, String marker) {
        return numbersAfter(i, marker, 1)[0];
    }

    /** One number token (Fortran D exponents accepted); errors name file and line. */
    public double parse(int i, String token) {
        try {
            double v = Double.parseDouble(token.replace('D', 'E').replace('d', 'e'));
            if (!Double.isFinite(v)) throw error(i, "number is not finite: '" + token + "'");
            return v;
        } catch (NumberFormatException e) {
            throw error(i, "cannot read a number from '" + token + "'");
        }
    }

    /** The whitespace-separated fields of line i. */
    public String[] fields(int i) {
        String s = lines.get(i).strip();
        return s.isEmpty() ? new String[0] : s.split("\\s+");
    }

    /**
     * Parses a duration such as {@code 10.68s}, {@code 2m35.12s}, {@code 1h 3m}, {@code 2d 3h 1m} (the forms
     * QE prints) into seconds; null if the text holds none.
     */
    public static Double durationSeconds(String text) {
        Matcher m = Pattern.compile("(?:(\\d+)\\s*d)?\\s*(?:(\\d+)\\s*h)?\\s*(?:(\\d+)\\s*m)?\\s*(?:([\\d.]+)\\s*s)?").matcher(text.strip());
        if (!m.matches() || text.isBlank()) return null;
        double s = 0;
        if (m.group(1) != null) s += 86400.0 * Integer.parseInt(m.group(1));
        if (m.group(2) != null) s += 3600.0 * Integer.parseInt(m.group(2));
        if (m.group(3) != null) s += 60.0 * Integer.parseInt(m.group(3));
        if (m.group(4) != null) s += Double.parseDouble(m.group(4));
        return s;
    }
}
