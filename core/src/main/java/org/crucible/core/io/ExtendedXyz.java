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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.crucible.core.AtomProperties;
import org.crucible.core.AtomProperty;
import org.crucible.core.Cell;
import org.crucible.core.Element;
import org.crucible.core.Elements;
import org.crucible.core.Labels;
import org.crucible.core.Structure;

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
 * as ASE types them: all tokens (split at whitespace and commas) integers gives Integer/Long or List&lt;Long&gt;,
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
 * <pre>{@code
 * List<Structure> frames = ExtendedXyz.read(Path.of("train.extxyz"));
 * try (StructureReader r = ExtendedXyz.open(Path.of("huge.extxyz"))) { while (r.hasNext()) use(r.next()); }
 * ExtendedXyz.write(Path.of("out.extxyz"), frames);
 * }</pre>
 */
public final class ExtendedXyz {
    private ExtendedXyz() {
    }

    /** Comment-line keys the writer emits itself; an info entry with one of these names is refused. */
    private static final Set<String> WRITER_KEYS = Set.of("Lattice", "Properties", "pbc", "energy", "stress");

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

    private record Column(String name, AtomProperty.Kind kind, int width, int first) {
        String spec() {
            return name + ":" + kind.code() + ":" + width;
        }
    }

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
            info = parseComment(comment);
        } catch (IllegalArgumentException e) {
            throw in.error(commentLine, "comment line: " + e.getMessage());
        }

        // cell and periodicity
        double[] lattice = null;
        Object latticeValue = info.remove("Lattice");
        if (latticeValue != null) {
            lattice = numbers(latticeValue);
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
        List<Column> columns = parseProperties(props, in, commentLine);
        int totalColumns = 0;
        for (Column c : columns) totalColumns += c.width;
        Column species = find(columns, "species"), zColumn = find(columns, "Z"), pos = find(columns, "pos"), forces = find(columns, "forces");
        if (species == null && zColumn == null) throw in.error(commentLine, "Properties has neither species:S:1 nor Z:I:1: '" + props + "'");
        if (species != null && (species.kind != AtomProperty.Kind.STRING || species.width != 1)) {
            throw in.error(commentLine, "species must be S:1, found " + species.spec());
        }
        if (zColumn != null && (zColumn.kind != AtomProperty.Kind.INTEGER || zColumn.width != 1)) {
            throw in.error(commentLine, "Z must be I:1, found " + zColumn.spec());
        }
        if (pos == null || pos.kind != AtomProperty.Kind.REAL || pos.width != 3) {
            throw in.error(commentLine, "Properties needs pos:R:3, found '" + props + "'");
        }
        if (forces != null && (forces.kind != AtomProperty.Kind.REAL || forces.width != 3)) {
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
            extra.add(switch (c.kind) {
                case REAL -> new double[cap * c.width];
                case INTEGER -> new long[cap * c.width];
                case STRING -> new String[cap * c.width];
                case LOGICAL -> new boolean[cap * c.width];
            });
        }
        for (int i = 0; i < n; i++) {
            if (i == cap) {
                cap = (int) Math.min(n, 2L * cap);
                z = java.util.Arrays.copyOf(z, cap);
                xyz = java.util.Arrays.copyOf(xyz, 3 * cap);
                if (f != null) f = java.util.Arrays.copyOf(f, 3 * cap);
                for (int c = 0; c < extra.size(); c++) {
                    Object a = extra.get(c);
                    int len = cap * extraColumns.get(c).width;
                    extra.set(c, switch (extraColumns.get(c).kind) {
                        case REAL -> java.util.Arrays.copyOf((double[]) a, len);
                        case INTEGER -> java.util.Arrays.copyOf((long[]) a, len);
                        case STRING -> java.util.Arrays.copyOf((String[]) a, len);
                        case LOGICAL -> java.util.Arrays.copyOf((boolean[]) a, len);
                    });
                }
            }
            String line = in.next();
            if (line == null) throw in.error("end of file in the middle of a frame: " + i + " of " + n + " atom lines read (frame starts at line " + frameLine + ")");
            String[] tok = line.trim().split("\\s+");
            if (tok.length != totalColumns || (tok.length == 1 && tok[0].isEmpty())) {
                int found = tok.length == 1 && tok[0].isEmpty() ? 0 : tok.length;
                throw in.error("atom " + (i + 1) + " of " + n + ": expected " + totalColumns + " columns (" + specs(columns)
                        + ") but found " + found);
            }
            if (species != null) {
                String sym = tok[species.first];
                Element e = element(sym);
                if (e == null) throw in.error("atom " + (i + 1) + ": unknown element symbol '" + abbreviate(sym) + "' in column " + (species.first + 1));
                z[i] = e.z();
            }
            if (zColumn != null) {
                long zi = integer(in, tok, zColumn, 0, i);
                if (species == null) {
                    if (zi < 1 || zi > 118) throw in.error("atom " + (i + 1) + ": atomic number " + zi + " out of range 1..118");
                    z[i] = (int) zi;
                } else if (zi != z[i]) {
                    throw in.error("atom " + (i + 1) + ": Z column says " + zi + " but species is " + tok[species.first]);
                }
            }
            for (int k = 0; k < 3; k++) xyz[3 * i + k] = finiteReal(in, tok, pos, k, i);
            if (f != null) for (int k = 0; k < 3; k++) f[3 * i + k] = finiteReal(in, tok, forces, k, i);
            for (int c = 0; c < extraColumns.size(); c++) {
                Column col = extraColumns.get(c);
                Object arr = extra.get(c);
                for (int k = 0; k < col.width; k++) {
                    int at = i * col.width + k;
                    String t = tok[col.first + k];
                    switch (col.kind) {
                        case REAL -> ((double[]) arr)[at] = real(in, tok, col, k, i);
                        case INTEGER -> ((long[]) arr)[at] = integer(in, tok, col, k, i);
                        case STRING -> ((String[]) arr)[at] = t;
                        case LOGICAL -> {
                            if (t.equals("T") || t.equals("True")) {
                                ((boolean[]) arr)[at] = true;
                            } else if (t.equals("F") || t.equals("False")) {
                                ((boolean[]) arr)[at] = false;
                            } else {
                                throw in.error("atom " + (i + 1) + ", column " + (col.first + k + 1) + " (" + col.spec() + "): expected T or F, found '" + abbreviate(t) + "'");
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
                properties = properties.with(switch (col.kind) {
                    case REAL -> AtomProperty.reals(col.name, col.width, (double[]) arr);
                    case INTEGER -> AtomProperty.integers(col.name, col.width, (long[]) arr);
                    case STRING -> AtomProperty.strings(col.name, col.width, (String[]) arr);
                    case LOGICAL -> AtomProperty.logicals(col.name, col.width, (boolean[]) arr);
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
            stress = voigt(numbers(st));
            if (stress == null) throw in.error(commentLine, "stress must hold 9 (3x3) or 6 (Voigt) finite numbers in eV/Angstrom^3, found '" + st + "'");
        } else if (info.containsKey("virial")) {
            Object vir = info.remove("virial");
            double[] w = voigt(numbers(vir));
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

    private static Element element(String sym) {
        if (sym.isEmpty()) return null;
        String norm = sym.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + sym.substring(1).toLowerCase(java.util.Locale.ROOT);
        try {
            return Elements.bySymbol(norm);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static double real(LineInput in, String[] tok, Column c, int k, int atom) {
        String t = tok[c.first + k];
        if (!Values.isFloat(t)) {
            throw in.error("atom " + (atom + 1) + ", column " + (c.first + k + 1) + " (" + c.spec() + "): '" + abbreviate(t) + "' is not a number");
        }
        return Values.parseFloat(t);
    }

    private static double finiteReal(LineInput in, String[] tok, Column c, int k, int atom) {
        double v = real(in, tok, c, k, atom);
        if (!Double.isFinite(v)) {
            throw in.error("atom " + (atom + 1) + ", column " + (c.first + k + 1) + " (" + c.spec() + "): value is not finite: '" + tok[c.first + k] + "'");
        }
        return v;
    }

    private static long integer(LineInput in, String[] tok, Column c, int k, int atom) {
        String t = tok[c.first + k];
        if (!Values.isInteger(t)) {
            throw in.error("atom " + (atom + 1) + ", column " + (c.first + k + 1) + " (" + c.spec() + "): '" + abbreviate(t) + "' is not an integer");
        }
        return Long.parseLong(t);
    }

    private static Column find(List<Column> columns, String name) {
        for (Column c : columns) if (c.name.equals(name)) return c;
        return null;
    }

    private static String specs(List<Column> columns) {
        StringBuilder sb = new StringBuilder();
        for (Column c : columns) sb.append(sb.length() == 0 ? "" : " ").append(c.spec());
        return sb.toString();
    }

    private static List<Column> parseProperties(String props, LineInput in, int line) {
        String[] f = props.split(":", -1);
        if (f.length % 3 != 0 || props.isEmpty()) {
            throw in.error(line, "Properties must be name:type:width triples, found '" + props + "'");
        }
        List<Column> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int first = 0;
        for (int i = 0; i < f.length; i += 3) {
            String name = f[i];
            if (name.isEmpty() || !seen.add(name)) throw in.error(line, "Properties: empty or repeated column name '" + name + "' in '" + props + "'");
            if (f[i + 1].length() != 1 || "RISL".indexOf(f[i + 1].charAt(0)) < 0) {
                throw in.error(line, "Properties: column '" + name + "' has type '" + f[i + 1] + "' (expected R, I, S or L)");
            }
            if (!Values.isInteger(f[i + 2]) || Long.parseLong(f[i + 2]) < 1 || Long.parseLong(f[i + 2]) > 1000) {
                throw in.error(line, "Properties: column '" + name + "' has width '" + f[i + 2] + "' (expected a positive integer)");
            }
            int w = Integer.parseInt(f[i + 2]);
            out.add(new Column(name, AtomProperty.Kind.ofCode(f[i + 1].charAt(0)), w, first));
            first += w;
        }
        return out;
    }

    /** Numbers of an info value (scalar or list), or null when it is not numeric. */
    private static double[] numbers(Object v) {
        if (v instanceof Number n) return new double[] {n.doubleValue()};
        if (v instanceof List<?> l) {
            double[] out = new double[l.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(l.get(i) instanceof Number n)) return null;
                out[i] = n.doubleValue();
            }
            return out;
        }
        return null;
    }

    /** 3x3 (as written, column-major like ASE, which for the symmetric tensors here is the same) or Voigt 6 to Voigt. */
    private static double[] voigt(double[] v) {
        if (v == null) return null;
        for (double x : v) if (!Double.isFinite(x)) return null;
        if (v.length == 6) return v.clone();
        // ASE reshapes with Fortran order: m[i][j] = v[i + 3 j]; Voigt takes m00, m11, m22, m12, m02, m01 as ASE does.
        if (v.length == 9) return new double[] {v[0], v[4], v[8], v[7], v[6], v[3]};
        return null;
    }

    /**
     * Parses an extended-XYZ comment line into an ordered map of typed values (see the class comment).
     *
     * @throws IllegalArgumentException for an unterminated quote or a bad key
     */
    public static Map<String, Object> parseComment(String line) {
        List<String[]> pairs = new ArrayList<>();
        StringBuilder key = new StringBuilder();
        StringBuilder value = null; // null while reading the key
        boolean escaped = false;
        char close = 0;
        boolean any = false;
        String s = line.strip();
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length()) {
                if (close != 0) {
                    throw new IllegalArgumentException("unterminated quote or bracket (expected '" + close + "') in '" + abbreviate(s) + "'");
                }
                if (key.length() > 0 || value != null || any) pairs.add(new String[] {key.toString(), value == null ? null : value.toString()});
                break;
            }
            char c = s.charAt(i);
            StringBuilder cur = value == null ? key : value;
            if (escaped) {
                cur.append(c);
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
                any = true;
            } else if (close != 0) {
                if (c == close) close = 0;
                else cur.append(c);
            } else if (c == '"' || c == '\'' || c == '{' || c == '[') {
                close = c == '{' ? '}' : c == '[' ? ']' : c;
                any = true;
            } else if (Character.isWhitespace(c)) {
                // whitespace ends a pair unless we are right before or after '='
                int j = i;
                while (j < s.length() && Character.isWhitespace(s.charAt(j))) j++;
                boolean nextIsEquals = j < s.length() && s.charAt(j) == '=';
                boolean afterEquals = value != null && value.length() == 0 && !any;
                if (nextIsEquals || afterEquals) {
                    i = j - 1;
                    continue;
                }
                if (key.length() > 0 || any) {
                    pairs.add(new String[] {key.toString(), value == null ? null : value.toString()});
                }
                key = new StringBuilder();
                value = null;
                any = false;
                i = j - 1;
            } else if (c == '=' && value == null) {
                value = new StringBuilder();
                any = false;
            } else {
                cur.append(c);
                any = true;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String[] p : pairs) {
            if (p[0].isEmpty()) throw new IllegalArgumentException("a value '" + abbreviate(p[1]) + "' has no key");
            out.put(p[0], p[1] == null ? Boolean.TRUE : typed(p[0], p[1]));
        }
        return out;
    }

    /** Types a comment-line value as ASE's key_val_str_to_dict does. */
    static Object typed(String key, String value) {
        if (key.equalsIgnoreCase("uid") || key.equals("Properties")) return value;
        String[] tok = value.strip().isEmpty() ? new String[0] : value.strip().split("[\\s,]+");
        if (tok.length > 0) {
            boolean ints = true, floats = true, bools = true;
            for (String t : tok) {
                ints &= Values.isInteger(t);
                floats &= Values.isFloat(t);
                bools &= t.equals("T") || t.equals("F");
            }
            if (ints) {
                if (tok.length == 1) {
                    long v = Long.parseLong(tok[0]);
                    return v == (int) v ? (Object) (int) v : (Object) v;
                }
                List<Long> l = new ArrayList<>();
                for (String t : tok) l.add(Long.parseLong(t));
                return List.copyOf(l);
            }
            if (floats) {
                if (tok.length == 1) return Values.parseFloat(tok[0]);
                List<Double> l = new ArrayList<>();
                for (String t : tok) l.add(Values.parseFloat(t));
                return List.copyOf(l);
            }
            if (bools) {
                if (tok.length == 1) return tok[0].equals("T");
                List<Boolean> l = new ArrayList<>();
                for (String t : tok) l.add(t.equals("T"));
                return List.copyOf(l);
            }
        }
        if (value.startsWith("_JSON ")) {
            List<Object> flat = Json.flatArray(value.substring(6));
            if (flat != null) return flat;
        }
        return value;
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
        int n = s.size();
        StringBuilder head = new StringBuilder();
        head.append(n).append('\n');
        double[] m = s.cell().matrix();
        boolean anyLattice = false;
        for (double v : m) anyLattice |= v != 0;
        if (anyLattice) {
            head.append("Lattice=\"");
            for (int i = 0; i < 9; i++) head.append(i == 0 ? "" : " ").append(Values.exact(m[i]));
            head.append("\" ");
        }
        Labels labels = s.labels();
        AtomProperties props = s.atomProperties();
        head.append("Properties=species:S:1:pos:R:3");
        for (AtomProperty p : props.list()) head.append(':').append(p.name()).append(':').append(p.kind().code()).append(':').append(p.width());
        if (labels.hasForces()) head.append(":forces:R:3");
        for (Map.Entry<String, Object> e : s.info().entrySet()) {
            String k = e.getKey();
            if (WRITER_KEYS.contains(k)) {
                throw new IllegalArgumentException("info key '" + k + "' collides with the extended-XYZ key the writer emits;"
                        + " put energy/stress in Labels, the cell in Cell");
            }
            if (!k.matches("[A-Za-z_][A-Za-z0-9_\\-.]*")) {
                throw new IllegalArgumentException("info key '" + k + "' is not a valid extended-XYZ key (letters, digits, _ - .)");
            }
            head.append(' ').append(k).append('=').append(formatInfo(e.getValue()));
        }
        if (labels.hasEnergy()) head.append(" energy=").append(Values.exact(labels.energy()));
        if (labels.hasStress()) {
            double[] v = labels.stress();
            double[] t = {v[0], v[5], v[4], v[5], v[1], v[3], v[4], v[3], v[2]};
            head.append(" stress=\"");
            for (int i = 0; i < 9; i++) head.append(i == 0 ? "" : " ").append(Values.exact(t[i]));
            head.append('"');
        }
        boolean[] pbc = s.cell().pbc();
        head.append(" pbc=\"").append(pbc[0] ? 'T' : 'F').append(' ').append(pbc[1] ? 'T' : 'F').append(' ').append(pbc[2] ? 'T' : 'F').append("\"\n");
        out.append(head);
        double[] f = labels.forces();
        StringBuilder row = new StringBuilder(128);
        for (int i = 0; i < n; i++) {
            row.setLength(0);
            row.append(String.format("%-2s", s.symbol(i)));
            for (int k = 0; k < 3; k++) real(row, s.coordinate(i, k));
            for (AtomProperty p : props.list()) {
                for (int k = 0; k < p.width(); k++) {
                    switch (p.kind()) {
                        case REAL -> real(row, p.real(i, k));
                        case INTEGER -> pad(row, Long.toString(p.integer(i, k)), 8);
                        case STRING -> row.append(' ').append(p.string(i, k));
                        case LOGICAL -> row.append(' ').append(p.logical(i, k) ? 'T' : 'F');
                    }
                }
            }
            if (f != null) for (int k = 0; k < 3; k++) real(row, f[3 * i + k]);
            row.append('\n');
            out.append(row);
        }
    }

    private static void real(StringBuilder row, double v) {
        pad(row, Values.exact(v), 22);
    }

    private static void pad(StringBuilder row, String text, int width) {
        row.append(' ');
        for (int k = text.length(); k < width; k++) row.append(' ');
        row.append(text);
    }

    static String formatInfo(Object v) {
        if (v instanceof Boolean b) return b ? "T" : "F";
        if (v instanceof Integer || v instanceof Long) return v.toString();
        if (v instanceof Double d) return Values.exact(d);
        if (v instanceof String str) return quote(str);
        if (v instanceof List<?> l) {
            if (l.size() == 1 || l.isEmpty() || l.get(0) instanceof String) return quote("_JSON " + Json.array(l));
            StringBuilder sb = new StringBuilder("\"");
            for (int i = 0; i < l.size(); i++) {
                Object x = l.get(i);
                sb.append(i == 0 ? "" : " ");
                if (x instanceof Boolean b) sb.append(b ? 'T' : 'F');
                else if (x instanceof Double d) sb.append(Values.exact(d));
                else sb.append(x);
            }
            return sb.append('"').toString();
        }
        throw new IllegalArgumentException("info value of type " + (v == null ? "null" : v.getClass().getSimpleName()) + " cannot be written");
    }

    private static String quote(String s) {
        boolean needs = s.isEmpty();
        for (int i = 0; i < s.length() && !needs; i++) {
            char c = s.charAt(i);
            needs = Character.isWhitespace(c) || "\"'{}[]=\\".indexOf(c) >= 0;
        }
        if (!needs) return s;
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String abbreviate(String s) {
        return s == null ? "null" : s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
