package org.crucible.core;

import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * One named per-atom column of a {@link Structure}: charges, magnetic moments, tags, per-atom energies, a
 * constraint mask, anything a file carries beside species, positions and forces. The extended-XYZ
 * {@code Properties=name:T:width} entry: a {@link Kind} (R real, I integer, S string, L logical) and a width
 * (values per atom, e.g. 3 for a vector). Values are stored flat, atom-major: value (atom i, component c) is at
 * {@code i * width + c}.
 *
 * <p>Immutable: the factories copy their arrays and the accessors never expose them. Units are whatever the
 * column means (Crucible reads and writes them unchanged).
 *
 * <pre>{@code
 * AtomProperty q = AtomProperty.reals("charges", 1, new double[] {0.4, -0.4});
 * double qi = q.real(1, 0);
 * }</pre>
 */
public final class AtomProperty {
    /** The extended-XYZ column types. */
    public enum Kind {
        REAL('R'), INTEGER('I'), STRING('S'), LOGICAL('L');

        private final char code;

        Kind(char code) {
            this.code = code;
        }

        /** The single-letter extended-XYZ code (R, I, S, L). */
        public char code() {
            return code;
        }

        /** The kind for an extended-XYZ code letter. */
        public static Kind ofCode(char c) {
            for (Kind k : values()) if (k.code == c) return k;
            throw new IllegalArgumentException("unknown property type '" + c + "' (expected R, I, S or L)");
        }
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_\\-.]*");

    private final String name;
    private final Kind kind;
    private final int width;
    private final double[] reals;
    private final long[] integers;
    private final String[] strings;
    private final boolean[] logicals;

    private AtomProperty(String name, Kind kind, int width, double[] r, long[] i, String[] s, boolean[] l, int length) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("per-atom property name '" + name
                    + "' must start with a letter or '_' and contain only letters, digits, '_', '-', '.'");
        }
        if (width < 1) throw new IllegalArgumentException("per-atom property '" + name + "': width must be >= 1, got " + width);
        if (length % width != 0) {
            throw new IllegalArgumentException("per-atom property '" + name + "': " + length + " values is not a multiple of width " + width);
        }
        this.name = name;
        this.kind = kind;
        this.width = width;
        this.reals = r;
        this.integers = i;
        this.strings = s;
        this.logicals = l;
    }

    /** A real (R) column; values flat atom-major, copied. NaN and infinities are allowed (a column may mark missing data). */
    public static AtomProperty reals(String name, int width, double[] values) {
        return new AtomProperty(name, Kind.REAL, width, values.clone(), null, null, null, values.length);
    }

    /** An integer (I) column. */
    public static AtomProperty integers(String name, int width, long[] values) {
        return new AtomProperty(name, Kind.INTEGER, width, null, values.clone(), null, null, values.length);
    }

    /** A string (S) column; values must be non-empty and free of whitespace (they are whitespace-separated in files). */
    public static AtomProperty strings(String name, int width, String[] values) {
        String[] copy = values.clone();
        for (int i = 0; i < copy.length; i++) {
            String v = copy[i];
            if (v == null || v.isEmpty() || v.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("per-atom property '" + name + "': value " + i + " '" + v
                        + "' must be non-empty and contain no whitespace");
            }
        }
        return new AtomProperty(name, Kind.STRING, width, null, null, copy, null, copy.length);
    }

    /** A logical (L) column. */
    public static AtomProperty logicals(String name, int width, boolean[] values) {
        return new AtomProperty(name, Kind.LOGICAL, width, null, null, null, values.clone(), values.length);
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    /** Values per atom. */
    public int width() {
        return width;
    }

    /** Number of atoms the column covers. */
    public int atoms() {
        return length() / width;
    }

    private int length() {
        return switch (kind) {
            case REAL -> reals.length;
            case INTEGER -> integers.length;
            case STRING -> strings.length;
            case LOGICAL -> logicals.length;
        };
    }

    public double real(int atom, int component) {
        return require(Kind.REAL).reals[index(atom, component)];
    }

    public long integer(int atom, int component) {
        return require(Kind.INTEGER).integers[index(atom, component)];
    }

    public String string(int atom, int component) {
        return require(Kind.STRING).strings[index(atom, component)];
    }

    public boolean logical(int atom, int component) {
        return require(Kind.LOGICAL).logicals[index(atom, component)];
    }

    /** Copy of a real column, flat atom-major. */
    public double[] reals() {
        return require(Kind.REAL).reals.clone();
    }

    /** Copy of an integer column, flat atom-major. */
    public long[] integers() {
        return require(Kind.INTEGER).integers.clone();
    }

    /** Copy of a string column, flat atom-major. */
    public String[] strings() {
        return require(Kind.STRING).strings.clone();
    }

    /** Copy of a logical column, flat atom-major. */
    public boolean[] logicals() {
        return require(Kind.LOGICAL).logicals.clone();
    }

    /** The rows of the given atoms, in that order (used when atoms are reordered or selected). */
    public AtomProperty select(int[] atomsInOrder) {
        int n = atomsInOrder.length;
        return switch (kind) {
            case REAL -> {
                double[] out = new double[n * width];
                for (int i = 0; i < n; i++) System.arraycopy(reals, atomsInOrder[i] * width, out, i * width, width);
                yield new AtomProperty(name, kind, width, out, null, null, null, out.length);
            }
            case INTEGER -> {
                long[] out = new long[n * width];
                for (int i = 0; i < n; i++) System.arraycopy(integers, atomsInOrder[i] * width, out, i * width, width);
                yield new AtomProperty(name, kind, width, null, out, null, null, out.length);
            }
            case STRING -> {
                String[] out = new String[n * width];
                for (int i = 0; i < n; i++) System.arraycopy(strings, atomsInOrder[i] * width, out, i * width, width);
                yield new AtomProperty(name, kind, width, null, null, out, null, out.length);
            }
            case LOGICAL -> {
                boolean[] out = new boolean[n * width];
                for (int i = 0; i < n; i++) System.arraycopy(logicals, atomsInOrder[i] * width, out, i * width, width);
                yield new AtomProperty(name, kind, width, null, null, null, out, out.length);
            }
        };
    }

    private int index(int atom, int component) {
        if (component < 0 || component >= width) {
            throw new IndexOutOfBoundsException("component " + component + " of per-atom property '" + name + "' (width " + width + ")");
        }
        return atom * width + component;
    }

    private AtomProperty require(Kind k) {
        if (kind != k) throw new IllegalStateException("per-atom property '" + name + "' is " + kind + ", not " + k);
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AtomProperty p && name.equals(p.name) && kind == p.kind && width == p.width
                && Arrays.equals(reals, p.reals) && Arrays.equals(integers, p.integers)
                && Arrays.equals(strings, p.strings) && Arrays.equals(logicals, p.logicals);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + kind.hashCode()) + width;
    }

    @Override
    public String toString() {
        return name + ":" + kind.code() + ":" + width + "[" + atoms() + " atoms]";
    }
}
