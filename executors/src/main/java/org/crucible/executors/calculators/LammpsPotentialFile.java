package org.crucible.executors.calculators;

import org.crucible.core.Elements;
import java.util.function.IntFunction;
import java.util.function.Function;
import java.util.Map;
import java.util.LinkedHashMap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the entries of a LAMMPS many-body parameter file ({@code .sw}, {@code .tersoff}): text where {@code #}
 * starts a comment, blank lines are ignored and each entry is a fixed number of whitespace-separated words
 * (three element symbols followed by numbers) that may span several lines, as LAMMPS' own reader accepts.
 *
 * <p>Errors name the file, the line where the entry starts and the offending word.
 */
public final class LammpsPotentialFile {
    /** One entry: three element symbols, the numbers after them, and where it started (for messages). */
    public record Entry(String e1, String e2, String e3, double[] values, String source, int line) {
        /** "Si Si C" */
        public String triplet() {
            return e1 + " " + e2 + " " + e3;
        }

        /** "Si.sw line 12" */
        public String where() {
            return source + " line " + line;
        }
    }

    private LammpsPotentialFile() {
    }

    /** Reads entries of {@code wordsPerEntry} words (3 symbols + numbers) from a file. */
    public static List<Entry> read(Path file, int wordsPerEntry) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read potential file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString(), wordsPerEntry);
    }

    /** Parses entries from text; {@code source} names the text in messages. */
    public static List<Entry> parse(String text, String source, int wordsPerEntry) {
        List<Entry> out = new ArrayList<>();
        List<String> words = new ArrayList<>();
        int entryLine = 0;
        String[] lines = text.split("\r?\n", -1);
        for (int ln = 0; ln < lines.length; ln++) {
            String line = lines[ln];
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash);
            line = line.strip();
            if (line.isEmpty()) continue;
            if (words.isEmpty()) entryLine = ln + 1;
            for (String w : line.split("\\s+")) words.add(w);
            if (words.size() > wordsPerEntry) {
                throw new IllegalArgumentException(source + " line " + (ln + 1) + ": entry starting at line " + entryLine
                        + " has more than " + wordsPerEntry + " words (3 element symbols and " + (wordsPerEntry - 3)
                        + " numbers); extra word '" + words.get(wordsPerEntry) + "'");
            }
            if (words.size() == wordsPerEntry) {
                out.add(toEntry(words, source, entryLine, wordsPerEntry));
                words.clear();
            }
        }
        if (!words.isEmpty()) {
            throw new IllegalArgumentException(source + " line " + entryLine + ": incomplete entry, " + words.size()
                    + " of " + wordsPerEntry + " words before the end of the file");
        }
        if (out.isEmpty()) throw new IllegalArgumentException(source + ": no parameter entries found");
        return out;
    }

    private static Entry toEntry(List<String> w, String source, int line, int n) {
        for (int i = 0; i < 3; i++) {
            if (!w.get(i).matches("[A-Z][a-z]?")) {
                throw new IllegalArgumentException(source + " line " + line + ": word " + (i + 1) + " '" + w.get(i)
                        + "' is not an element symbol");
            }
        }
        double[] v = new double[n - 3];
        for (int i = 3; i < n; i++) {
            try {
                v[i - 3] = Double.parseDouble(w.get(i));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(source + " line " + line + " (" + w.get(0) + " " + w.get(1) + " " + w.get(2)
                        + "): word " + (i + 1) + " '" + w.get(i) + "' is not a number");
            }
            if (!Double.isFinite(v[i - 3])) {
                throw new IllegalArgumentException(source + " line " + line + ": word " + (i + 1) + " '" + w.get(i) + "' is not finite");
            }
        }
        return new Entry(w.get(0), w.get(1), w.get(2), v, source, line);
    }

    /**
     * Species (in order of first appearance) and the complete triplet table of a multi-element potential, entry
     * (i, j, k) at index (i * m + j) * m + k, as LAMMPS' sw and tersoff styles require.
     */
    public record TripletTable<T>(String[] species, T[] table) {
    }

    /**
     * Builds the triplet table from raw entries: every element must be known, no triplet may appear twice, and
     * every triplet of the elements mentioned must be present. Errors name the file and line (or the missing
     * triplet); an error thrown by {@code make} is prefixed with the entry's file and line.
     */
    public static <T> TripletTable<T> tabulate(List<Entry> raw, String source, Function<Entry, T> make, IntFunction<T[]> newArray) {
        List<String> sp = new ArrayList<>();
        for (Entry r : raw) {
            for (String e : new String[] {r.e1(), r.e2(), r.e3()}) {
                if (!Elements.isSymbol(e)) throw new IllegalArgumentException(r.where() + ": unknown element '" + e + "'");
                if (!sp.contains(e)) sp.add(e);
            }
        }
        int m = sp.size();
        T[] table = newArray.apply(m * m * m);
        Map<String, Entry> seen = new LinkedHashMap<>();
        for (Entry r : raw) {
            Entry prev = seen.put(r.triplet(), r);
            if (prev != null) {
                throw new IllegalArgumentException(r.where() + ": duplicate entry " + r.triplet() + " (first at line " + prev.line() + ")");
            }
            T e;
            try {
                e = make.apply(r);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(r.where() + ": " + ex.getMessage(), ex);
            }
            table[(sp.indexOf(r.e1()) * m + sp.indexOf(r.e2())) * m + sp.indexOf(r.e3())] = e;
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                for (int k = 0; k < m; k++) {
                    if (table[(i * m + j) * m + k] == null) {
                        throw new IllegalArgumentException(source + ": missing entry " + sp.get(i) + " " + sp.get(j) + " " + sp.get(k)
                                + " (every triplet of the elements " + sp + " is needed)");
                    }
                }
            }
        }
        return new TripletTable<>(sp.toArray(new String[0]), table);
    }
}
