package org.crucible.core.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.crucible.core.AtomProperties;
import org.crucible.core.AtomProperty;
import org.crucible.core.Cell;
import org.crucible.core.Element;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyzColumns.AtomLine;
import org.crucible.core.io.ExtendedXyzColumns.Column;

/**
 * Extended XYZ, with the conventions of ASE 3.22 ({@code ase.io.extxyz}) and libAtoms/QUIP, the lingua franca of
 * ML-potential training sets. A frame is
 *
 * <pre>
 * 2
 * Lattice="0 2.7 2.7 2.7 0 2.7 2.7 2.7 0" Properties=species:S:1:pos:R:3:forces:R:3 energy=-10.8 stress="..." pbc="T T T"
 * Si 0.0 0.0 0.0 0.01 0.0 0.0
 * Si 1.3575 1.3575 1.3575 -0.01 0.0 0.0
 * </pre>
 *
 * <p>Comment line: {@code key=value} pairs; values may be quoted with {@code "..."}, {@code '...'}, {@code {...}} or
 * {@code [...]}, a backslash escapes the next character, a key without value means {@code T}. Values are typed
 * as ASE types them: all tokens (split at whitespace and commas) integers gives Integer/Long or List&lt;Long&gt;
 * (one integer beyond the signed 64-bit range, as an unsigned seed above 2^63 ({@link SeedInfo}), its text),
 * else all Python floats gives Double or List&lt;Double&gt;, else all {@code T}/{@code F} gives Boolean or
 * List&lt;Boolean&gt;, {@code _JSON [...]} gives a flat list, anything else a String.
 * <ul>
 *   <li>{@code Lattice}: the lattice vectors a, b, c (Angstrom) one after another; absent for a molecule.</li>
 *   <li>{@code pbc}: periodic flags; default {@code T T T} with a Lattice, {@code F F F} without.</li>
 *   <li>{@code Properties}: the per-atom columns as {@code name:type:width} with type R (real), I (integer),
 *       S (string), L (logical, T/F). {@code species} (or {@code Z}) and {@code pos} (Angstrom) are required,
 *       {@code forces} (eV/Angstrom) go to {@link Labels}, every other column to {@link AtomProperties}.</li>
 *   <li>{@code energy} (eV) goes to {@link Labels#energy()}; {@code stress} (eV/Angstrom^3, ASE sign) as 9
 *       values (3x3, as ASE writes it) or 6 Voigt values (xx yy zz yz xz xy) to {@link Labels#stress()};
 *       without a stress, a {@code virial} W (eV, 9 or 6 values) becomes the stress -W/V.</li>
 *   <li>Every other key goes to {@link Structure#info()}.</li>
 * </ul>
 *
 * <p>Writing uses the same layout (Lattice, Properties, info, energy, stress as 3x3, pbc last) and prints every
 * real with the shortest decimal that reads back to the identical double, so Crucible -&gt; file -&gt;
 * Crucible is exact and ASE reads the same numbers. A one-element or string list is written in ASE's
 * {@code _JSON [...]} form so its type survives.
 *
 * <p>Parts: {@code ExtendedXyzHeader} parses and types the comment line, {@code ExtendedXyzColumns} the
 * Properties columns and atom lines, {@code ExtendedXyzWriter} writes; this class reads frames and is the public
 * entry point.
 *
 * <pre>{@code
 * List<Structure> frames = ExtendedXyz.read(Path.of("train.extxyz"));
 * try (StructureReader r = ExtendedXyz.open(Path.of("huge.extxyz"))) { while (r.hasNext()) use(r.next()); }
 * ExtendedXyz.write(Path.of("out.extxyz"), frames);
 * }</pre>
 */
public final class ExtendedXyz {
    private ExtendedXyz() {
    }

    /** Reads every frame of a file. */
    public static List<Structure> read(Path path) {
        return open(path).readAll();
    }

    /** Reads every frame of a string; {@code source} names it in error messages. */
    public static List<Structure> parse(String text, String source) {
        return open(new BufferedReader(new StringReader(text)), source).readAll();
    }

    /** Opens a file for streaming, one frame per {@link StructureReader#next()}. */
    public static StructureReader open(Path path) {
        try {
            return open(Files.newBufferedReader(path, StandardCharsets.UTF_8), path.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + path, e);
        }
    }

    /** Streams frames from a reader; {@code source} names it in error messages. The reader is closed with the result. */
    public static StructureReader open(BufferedReader in, String source) {
        return new FrameReader(new LineInput(in, source));
    }

    private static final class FrameReader implements StructureReader {
        private final LineInput in;
        private Structure next;
        private boolean done;

        FrameReader(LineInput in) {
            this.in = in;
        }

        @Override
        public boolean hasNext() {
            if (next == null && !done) {
                next = readFrame(in);
                if (next == null) {
                    done = true;
                    in.close();
                }
            }
            return next != null;
        }

        @Override
        public Structure next() {
            if (!hasNext()) throw new NoSuchElementException("no more frames in " + in.source());
            Structure s = next;
            next = null;
            return s;
        }

        @Override
        public void close() {
            done = true;
            in.close();
        }
    }

    // ------------------------------------------------------------------------------------------------ reading

    /** Reads one frame, or returns null at the end of the input (blank lines between frames are skipped). */
    static Structure readFrame(LineInput in) {
        String countLine;
        do {
            countLine = in.next();
            if (countLine == null) return null;
        } while (countLine.isBlank());
        int frameLine = in.lineNumber();
        String countText = countLine.trim();
        if (!Values.isInteger(countText) || Long.parseLong(countText) < 0 || Long.parseLong(countText) > Integer.MAX_VALUE / 3) {
            throw in.error("expected the number of atoms (a non-negative integer) at the start of a frame, found '" + abbreviate(countText) + "'");
        }
        int n = Integer.parseInt(countText);
        String comment = in.next();
        if (comment == null) throw in.error("end of file after the atom count: the comment line is missing");
        int commentLine = in.lineNumber();
        Map<String, Object> info;
        try {
            info = ExtendedXyzHeader.parseComment(comment);
        } catch (IllegalArgumentException e) {
            throw in.error(commentLine, "comment line: " + e.getMessage());
        }

        // cell and periodicity
        double[] lattice = null;
        Object latticeValue = info.remove("Lattice");
        if (latticeValue != null) {
            lattice = ExtendedXyzHeader.numbers(latticeValue);
            if (lattice == null || lattice.length != 9) {
                throw in.error(commentLine, "Lattice must hold 9 numbers (a, b, c as rows, Angstrom), found '" + latticeValue + "'");
            }
        }
        boolean[] pbc = lattice != null ? new boolean[] {true, true, true} : new boolean[] {false, false, false};
        Object pbcValue = info.remove("pbc");
        if (pbcValue != null) {
            if (pbcValue instanceof Boolean b) {
                pbc = new boolean[] {b, b, b};
            } else if (pbcValue instanceof List<?> l && l.size() == 3 && l.stream().allMatch(x -> x instanceof Boolean)) {
                for (int a = 0; a < 3; a++) pbc[a] = (Boolean) l.get(a);
            } else {
                throw in.error(commentLine, "pbc must be 3 flags T/F (e.g. pbc=\"T T T\"), found '" + pbcValue + "'");
            }
        }
        Cell cell;
        if (lattice == null) {
            if (pbc[0] || pbc[1] || pbc[2]) throw in.error(commentLine, "pbc has a periodic axis but there is no Lattice");
            cell = Cell.NONE;
        } else {
            try {
                cell = new Cell(lattice, pbc);
            } catch (IllegalArgumentException e) {
                throw in.error(commentLine, "Lattice: " + e.getMessage());
            }
        }

        // columns
        Object propsValue = info.remove("Properties");
        String props = propsValue == null ? "species:S:1:pos:R:3" : String.valueOf(propsValue);
        List<Column> columns = ExtendedXyzColumns.parseProperties(props, in, commentLine);
        int totalColumns = 0;
        for (Column c : columns) totalColumns += c.width();
        Column species = ExtendedXyzColumns.find(columns, "species"), zColumn = ExtendedXyzColumns.find(columns, "Z"), pos = ExtendedXyzColumns.find(columns, "pos"), forces = ExtendedXyzColumns.find(columns, "forces");
        if (species == null && zColumn == null) throw in.error(commentLine, "Properties has neither species:S:1 nor Z:I:1: '" + props + "'");
        if (species != null && (species.kind() != AtomProperty.Kind.STRING || species.width() != 1)) {
            throw in.error(commentLine, "species must be S:1, found " + species.spec());
        }
        if (zColumn != null && (zColumn.kind() != AtomProperty.Kind.INTEGER || zColumn.width() != 1)) {
            throw in.error(commentLine, "Z must be I:1, found " + zColumn.spec());
        }
        if (pos == null || pos.kind() != AtomProperty.Kind.REAL || pos.width() != 3) {
            throw in.error(commentLine, "Properties needs pos:R:3, found '" + props + "'");
        }
        if (forces != null && (forces.kind() != AtomProperty.Kind.REAL || forces.width() != 3)) {
            throw in.error(commentLine, "forces must be R:3, found " + forces.spec());
        }

        // Arrays grow with the atom lines actually read, so a header claiming 700,000,000 atoms over a short file
        // ends in a FormatException at the end of the file, not in an OutOfMemoryError before reading anything.
        int cap = Math.min(n, 1 << 12);
        int[] z = new int[cap];
        double[] xyz = new double[3 * cap];
        double[] f = forces == null ? null : new double[3 * cap];
        List<Object> extra = new ArrayList<>(); // one flat array per extra column
        List<Column> extraColumns = new ArrayList<>();
        for (Column c : columns) {
            if (c == species || c == pos || c == forces || (c == zColumn && species == null)) continue;
            if (c == zColumn) continue; // Z beside species: redundant, checked for consistency below
            extraColumns.add(c);
            extra.add(switch (c.kind()) {
                case REAL -> new double[cap * c.width()];
                case INTEGER -> new long[cap * c.width()];
                case STRING -> new String[cap * c.width()];
                case LOGICAL -> new boolean[cap * c.width()];
            });
        }
        AtomLine tok = new AtomLine(totalColumns);
        Element lastElement = null;
        for (int i = 0; i < n; i++) {
            if (i == cap) {
                cap = (int) Math.min(n, 2L * cap);
                z = java.util.Arrays.copyOf(z, cap);
                xyz = java.util.Arrays.copyOf(xyz, 3 * cap);
                if (f != null) f = java.util.Arrays.copyOf(f, 3 * cap);
                for (int c = 0; c < extra.size(); c++) {
                    Object a = extra.get(c);
                    int len = cap * extraColumns.get(c).width();
                    extra.set(c, switch (extraColumns.get(c).kind()) {
                        case REAL -> java.util.Arrays.copyOf((double[]) a, len);
                        case INTEGER -> java.util.Arrays.copyOf((long[]) a, len);
                        case STRING -> java.util.Arrays.copyOf((String[]) a, len);
                        case LOGICAL -> java.util.Arrays.copyOf((boolean[]) a, len);
                    });
                }
            }
            String line = in.next();
            if (line == null) throw in.error("end of file in the middle of a frame: " + i + " of " + n + " atom lines read (frame starts at line " + frameLine + ")");
            int found = tok.split(line);
            if (found != totalColumns) {
                throw in.error("atom " + (i + 1) + " of " + n + ": expected " + totalColumns + " columns (" + ExtendedXyzColumns.specs(columns)
                        + ") but found " + found);
            }
            if (species != null) {
                int c = species.first();
                if (lastElement == null || !tok.is(c, lastElement.symbol())) {
                    String sym = tok.text(c);
                    Element e = ExtendedXyzColumns.element(sym);
                    if (e == null) throw in.error("atom " + (i + 1) + ": unknown element symbol '" + abbreviate(sym) + "' in column " + (species.first() + 1));
                    lastElement = e;
                }
                z[i] = lastElement.z();
            }
            if (zColumn != null) {
                long zi = ExtendedXyzColumns.integer(in, tok, zColumn, 0, i);
                if (species == null) {
                    if (zi < 1 || zi > 118) throw in.error("atom " + (i + 1) + ": atomic number " + zi + " out of range 1..118");
                    z[i] = (int) zi;
                } else if (zi != z[i]) {
                    throw in.error("atom " + (i + 1) + ": Z column says " + zi + " but species is " + tok.text(species.first()));
                }
            }
            for (int k = 0; k < 3; k++) xyz[3 * i + k] = ExtendedXyzColumns.finiteReal(in, tok, pos, k, i);
            if (f != null) for (int k = 0; k < 3; k++) f[3 * i + k] = ExtendedXyzColumns.finiteReal(in, tok, forces, k, i);
            for (int c = 0; c < extraColumns.size(); c++) {
                Column col = extraColumns.get(c);
                Object arr = extra.get(c);
                for (int k = 0; k < col.width(); k++) {
                    int at = i * col.width() + k;
                    switch (col.kind()) {
                        case REAL -> ((double[]) arr)[at] = ExtendedXyzColumns.real(in, tok, col, k, i);
                        case INTEGER -> ((long[]) arr)[at] = ExtendedXyzColumns.integer(in, tok, col, k, i);
                        case STRING -> ((String[]) arr)[at] = tok.text(col.first() + k);
                        case LOGICAL -> {
                            String t = tok.text(col.first() + k);
                            if (t.equals("T") || t.equals("True")) {
                                ((boolean[]) arr)[at] = true;
                            } else if (t.equals("F") || t.equals("False")) {
                                ((boolean[]) arr)[at] = false;
                            } else {
                                throw in.error("atom " + (i + 1) + ", column " + (col.first() + k + 1) + " (" + col.spec() + "): expected T or F, found '" + abbreviate(t) + "'");
                            }
                        }
                    }
                }
            }
        }
        AtomProperties properties = AtomProperties.NONE;
        for (int c = 0; c < extraColumns.size(); c++) {
            Column col = extraColumns.get(c);
            Object arr = extra.get(c);
            try {
                properties = properties.with(switch (col.kind()) {
                    case REAL -> AtomProperty.reals(col.name(), col.width(), (double[]) arr);
                    case INTEGER -> AtomProperty.integers(col.name(), col.width(), (long[]) arr);
                    case STRING -> AtomProperty.strings(col.name(), col.width(), (String[]) arr);
                    case LOGICAL -> AtomProperty.logicals(col.name(), col.width(), (boolean[]) arr);
                });
            } catch (IllegalArgumentException e) {
                throw in.error(commentLine, e.getMessage());
            }
        }

        // labels
        Double energy = null;
        Object e = info.remove("energy");
        if (e != null) {
            if (!(e instanceof Number num) || !Double.isFinite(num.doubleValue())) {
                throw in.error(commentLine, "energy must be a finite number (eV), found '" + e + "'");
            }
            energy = num.doubleValue();
        }
        double[] stress = null;
        Object st = info.remove("stress");
        if (st != null) {
            stress = ExtendedXyzHeader.voigt(ExtendedXyzHeader.numbers(st));
            if (stress == null) throw in.error(commentLine, "stress must hold 9 (3x3) or 6 (Voigt) finite numbers in eV/Angstrom^3, found '" + st + "'");
        } else if (info.containsKey("virial")) {
            Object vir = info.remove("virial");
            double[] w = ExtendedXyzHeader.voigt(ExtendedXyzHeader.numbers(vir));
            if (w == null) throw in.error(commentLine, "virial must hold 9 (3x3) or 6 (Voigt) finite numbers in eV, found '" + vir + "'");
            if (!cell.hasVolume()) throw in.error(commentLine, "virial given but the frame has no cell volume to turn it into a stress");
            stress = new double[6];
            for (int k = 0; k < 6; k++) stress[k] = -w[k] / cell.volume();
        }
        Labels labels = energy == null && f == null && stress == null ? Labels.NONE : new Labels(energy, f, stress);
        try {
            return Structure.of(cell, z, xyz, info, labels, properties);
        } catch (IllegalArgumentException ex) {
            throw in.error(frameLine, "frame: " + ex.getMessage());
        }
    }

    /**
     * Parses an extended-XYZ comment line into an ordered map of typed values (see the class comment).
     *
     * @throws IllegalArgumentException for an unterminated quote or a bad key
     */
    public static Map<String, Object> parseComment(String line) {
        return ExtendedXyzHeader.parseComment(line);
    }

    // ------------------------------------------------------------------------------------------------ writing

    /** Writes frames to a file (created or replaced), UTF-8. */
    public static void write(Path path, List<Structure> frames) {
        try (Writer w = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
            for (Structure s : frames) write(w, s);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    /** The text of these frames. */
    public static String toString(List<Structure> frames) {
        StringBuilder sb = new StringBuilder();
        try {
            for (Structure s : frames) write(sb, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sb.toString();
    }

    /**
     * Appends one frame.
     *
     * @throws IllegalArgumentException when an info key collides with a key the writer emits (Lattice, Properties,
     *                                  pbc, energy, stress) or is not a valid extended-XYZ key
     */
    public static void write(Appendable out, Structure s) throws IOException {
        ExtendedXyzWriter.write(out, s);
    }

    /** A value quoted in an error message, cut to 60 characters (shared by the structure readers of this package). */
    static String abbreviate(String s) {
        return s == null ? "null" : s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
