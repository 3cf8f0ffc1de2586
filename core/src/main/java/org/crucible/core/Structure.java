package org.crucible.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable atomic structure: species (atomic numbers), Cartesian positions (Angstrom), a {@link Cell}, an
 * info map of scalar metadata and optional reference {@link Labels} (energy eV, forces eV/Angstrom, stress
 * eV/Angstrom^3 ASE convention). The periodic analogue of ASE's {@code Atoms}; all "with" methods return copies.
 *
 * <p>Info values are restricted to String, Boolean, Integer, Long, Double and lists: List&lt;Double&gt; (any list
 * of numbers that is not all Long, or a double[]), List&lt;Long&gt; (all-Long lists, int[] or long[]),
 * List&lt;Boolean&gt; and List&lt;String&gt;, so that a structure is serialisable to extended XYZ and safe to share
 * between threads. Extra per-atom columns (charges, tags, masks...) travel as {@link AtomProperties}; they are
 * kept by every "with" copy (like ASE's {@code Atoms.arrays}) and do not enter the {@link #contentHash}.
 *
 * <pre>{@code
 * Structure si2 = Structure.of(Cell.fromParameters(3.84, 3.84, 3.84, 60, 60, 60),
 *         new int[] {14, 14}, new double[] {0, 0, 0, 1.3575, 1.3575, 1.3575});
 * Structure moved = si2.withPositions(newXyz);
 * }</pre>
 */
public final class Structure {
    /** Positions and lattice vectors are rounded to this many Angstrom before hashing ({@link #contentHash}). */
    public static final double HASH_TOLERANCE_ANGSTROM = 1e-6;

    private final Cell cell;
    private final int[] z;
    private final double[] xyz;
    private final Map<String, Object> info;
    private final Labels labels;
    private final AtomProperties atomProperties;
    private transient String hash;

    private Structure(Cell cell, int[] z, double[] xyz, Map<String, Object> info, Labels labels, boolean trusted) {
        this(cell, z, xyz, info, labels, AtomProperties.NONE, trusted);
    }

    private Structure(Cell cell, int[] z, double[] xyz, Map<String, Object> info, Labels labels, AtomProperties props, boolean trusted) {
        if (cell == null) throw new IllegalArgumentException("cell is null (use Cell.NONE for a molecule)");
        if (z == null || xyz == null) throw new IllegalArgumentException("species and positions are required");
        if (xyz.length != 3 * z.length) {
            throw new IllegalArgumentException("positions need 3 values per atom: " + z.length + " atoms but " + xyz.length + " values");
        }
        if (!trusted) {
            for (int i = 0; i < z.length; i++) Elements.byZ(z[i]);
            for (int i = 0; i < xyz.length; i++) {
                if (!Double.isFinite(xyz[i])) {
                    throw new IllegalArgumentException("position of atom " + (i / 3) + " (" + Elements.byZ(z[i / 3]).symbol()
                            + ") component " + "xyz".charAt(i % 3) + " is not finite: " + xyz[i]);
                }
            }
            z = z.clone();
            xyz = xyz.clone();
            info = copyInfo(info);
        }
        if (labels == null) labels = Labels.NONE;
        if (labels.hasForces() && labels.forces().length != xyz.length) {
            throw new IllegalArgumentException("forces are for " + labels.forces().length / 3 + " atoms but the structure has " + z.length);
        }
        this.cell = cell;
        this.z = z;
        this.xyz = xyz;
        this.info = info;
        this.labels = labels;
        if (props == null) props = AtomProperties.NONE;
        if (!props.isEmpty() && props.atoms() != z.length) {
            throw new IllegalArgumentException("per-atom properties " + props.names() + " cover " + props.atoms()
                    + " atoms but the structure has " + z.length);
        }
        this.atomProperties = props;
    }

    /** A structure with no info and no labels; arrays are copied. */
    public static Structure of(Cell cell, int[] atomicNumbers, double[] positionsFlat) {
        return new Structure(cell, atomicNumbers, positionsFlat, Map.of(), Labels.NONE, false);
    }

    /** A structure from element symbols and positions given as rows. */
    public static Structure of(Cell cell, List<String> symbols, double[][] positions) {
        int[] zs = new int[symbols.size()];
        for (int i = 0; i < zs.length; i++) zs[i] = Elements.bySymbol(symbols.get(i)).z();
        if (positions.length != zs.length) {
            throw new IllegalArgumentException(zs.length + " symbols but " + positions.length + " positions");
        }
        double[] flat = new double[3 * zs.length];
        for (int i = 0; i < zs.length; i++) {
            if (positions[i].length != 3) throw new IllegalArgumentException("position " + i + " needs 3 components");
            System.arraycopy(positions[i], 0, flat, 3 * i, 3);
        }
        return of(cell, zs, flat);
    }

    /** The full constructor: info values are validated and copied. */
    public static Structure of(Cell cell, int[] atomicNumbers, double[] positionsFlat, Map<String, ?> info, Labels labels) {
        return new Structure(cell, atomicNumbers, positionsFlat, info == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(info)), labels, false);
    }

    /** The full constructor with extra per-atom columns (see {@link AtomProperties}). */
    public static Structure of(Cell cell, int[] atomicNumbers, double[] positionsFlat, Map<String, ?> info, Labels labels,
            AtomProperties atomProperties) {
        return new Structure(cell, atomicNumbers, positionsFlat, info == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(info)),
                labels, atomProperties, false);
    }

    private static Map<String, Object> copyInfo(Map<String, ?> in) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : in.entrySet()) out.put(e.getKey(), checkInfoValue(e.getKey(), e.getValue()));
        return Collections.unmodifiableMap(out);
    }

    private static Object checkInfoValue(String key, Object v) {
        if (key == null || key.isEmpty()) throw new IllegalArgumentException("info key is empty");
        if (v instanceof String || v instanceof Boolean || v instanceof Integer || v instanceof Long) return v;
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof Float f) return f.doubleValue();
        if (v instanceof double[] arr) {
            Double[] boxed = new Double[arr.length];
            for (int i = 0; i < arr.length; i++) boxed[i] = arr[i];
            return List.of(boxed);
        }
        if (v instanceof long[] arr) {
            Long[] boxed = new Long[arr.length];
            for (int i = 0; i < arr.length; i++) boxed[i] = arr[i];
            return List.of(boxed);
        }
        if (v instanceof int[] arr) {
            Long[] boxed = new Long[arr.length];
            for (int i = 0; i < arr.length; i++) boxed[i] = (long) arr[i];
            return List.of(boxed);
        }
        if (v instanceof boolean[] arr) {
            Boolean[] boxed = new Boolean[arr.length];
            for (int i = 0; i < arr.length; i++) boxed[i] = arr[i];
            return List.of(boxed);
        }
        if (v instanceof String[] arr) return checkStrings(key, List.of(arr));
        if (v instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(x -> x instanceof String)) return checkStrings(key, list);
        if (v instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(x -> x instanceof Boolean)) return List.copyOf(list);
        if (v instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(x -> x instanceof Long)) return List.copyOf(list);
        if (v instanceof List<?> list) {
            Double[] boxed = new Double[list.size()];
            for (int i = 0; i < boxed.length; i++) {
                if (!(list.get(i) instanceof Number n)) {
                    throw new IllegalArgumentException("info '" + key + "': list values must be numbers, got " + list.get(i));
                }
                boxed[i] = n.doubleValue();
            }
            return List.of(boxed);
        }
        throw new IllegalArgumentException("info '" + key + "': unsupported value type "
                + (v == null ? "null" : v.getClass().getSimpleName())
                + " (allowed: String, Boolean, Integer, Long, Double, lists of numbers, of Long, of Boolean or of String)");
    }

    private static List<Object> checkStrings(String key, List<?> list) {
        for (Object o : list) {
            if (o == null) throw new IllegalArgumentException("info '" + key + "': list contains null");
        }
        return List.copyOf(list);
    }

    public Cell cell() {
        return cell;
    }

    public int size() {
        return z.length;
    }

    public int atomicNumber(int i) {
        return z[i];
    }

    public Element element(int i) {
        return Elements.byZ(z[i]);
    }

    public String symbol(int i) {
        return Elements.byZ(z[i]).symbol();
    }

    /** Copy of the atomic numbers. */
    public int[] atomicNumbers() {
        return z.clone();
    }

    /** Copy of the Cartesian positions, flat (x0, y0, z0, x1, ...), Angstrom. */
    public double[] positions() {
        return xyz.clone();
    }

    /** Position of atom i (new array), Angstrom. */
    public double[] position(int i) {
        return new double[] {xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2]};
    }

    /** Component k (0 = x, 1 = y, 2 = z) of atom i, Angstrom: no copy. */
    public double coordinate(int i, int k) {
        return xyz[3 * i + k];
    }

    /** Fractional coordinates, flat (needs a cell with volume). */
    public double[] fractionalPositions() {
        return cell.toFractionalAll(xyz);
    }

    public Map<String, Object> info() {
        return info;
    }

    public Labels labels() {
        return labels;
    }

    /** Extra per-atom columns (never null; {@link AtomProperties#NONE} when there are none). */
    public AtomProperties atomProperties() {
        return atomProperties;
    }

    /** A copy carrying these per-atom columns instead of the current ones. */
    public Structure withAtomProperties(AtomProperties props) {
        return new Structure(cell, z, xyz, info, labels, props, true);
    }

    /** A copy with one per-atom column added or replaced. */
    public Structure withAtomProperty(AtomProperty property) {
        return withAtomProperties(atomProperties.with(property));
    }

    /** Volume per atom (Angstrom^3), NaN without a cell. */
    public double volumePerAtom() {
        return cell.hasVolume() && z.length > 0 ? cell.volume() / z.length : Double.NaN;
    }

    /** Element symbol -> count, in order of first appearance. */
    public Map<String, Integer> composition() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int zi : z) out.merge(Elements.byZ(zi).symbol(), 1, Integer::sum);
        return out;
    }

    /** Chemical formula in Hill order (C, H, then alphabetical; alphabetical without carbon): "Si16", "ClNa". */
    public String formula() {
        Map<String, Integer> counts = new TreeMap<>(composition());
        StringBuilder sb = new StringBuilder();
        if (counts.containsKey("C")) {
            append(sb, "C", counts.remove("C"));
            if (counts.containsKey("H")) append(sb, "H", counts.remove("H"));
        }
        counts.forEach((s, n) -> append(sb, s, n));
        return sb.toString();
    }

    private static void append(StringBuilder sb, String s, int n) {
        sb.append(s);
        if (n != 1) sb.append(n);
    }

    /** A copy with new Cartesian positions (flat, 3n, Angstrom); labels are dropped (they belonged to the old positions). */
    public Structure withPositions(double[] positionsFlat) {
        if (positionsFlat.length != xyz.length) {
            throw new IllegalArgumentException("expected " + xyz.length + " position values, got " + positionsFlat.length);
        }
        Structure s = new Structure(cell, z, positionsFlat.clone(), info, Labels.NONE, atomProperties, true);
        s.checkFinite();
        return s;
    }

    private void checkFinite() {
        for (int i = 0; i < xyz.length; i++) {
            if (!Double.isFinite(xyz[i])) throw new IllegalArgumentException("position of atom " + (i / 3) + " is not finite: " + xyz[i]);
        }
    }

    /**
     * A copy with a new cell; labels are dropped.
     *
     * @param scaleAtoms when true the fractional coordinates are kept (atoms move with the cell), otherwise the
     *                   Cartesian positions are kept
     */
    public Structure withCell(Cell newCell, boolean scaleAtoms) {
        double[] p = scaleAtoms ? newCell.toCartesianAll(cell.toFractionalAll(xyz)) : xyz;
        return new Structure(newCell, z, p == xyz ? xyz : p, info, Labels.NONE, atomProperties, true);
    }

    /** A copy carrying these labels. */
    public Structure withLabels(Labels newLabels) {
        return new Structure(cell, z, xyz, info, newLabels, atomProperties, true);
    }

    /** A copy with one info entry added or replaced. */
    public Structure withInfo(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(info);
        m.put(key, checkInfoValue(key, value));
        return new Structure(cell, z, xyz, Collections.unmodifiableMap(m), labels, atomProperties, true);
    }

    /** A copy with the whole info map replaced. */
    public Structure withInfo(Map<String, ?> newInfo) {
        return new Structure(cell, z, xyz, copyInfo(newInfo), labels, atomProperties, true);
    }

    /** A copy with positions wrapped into the cell along periodic axes. Labels are kept (wrapping changes nothing physical). */
    public Structure wrapped() {
        return new Structure(cell, z, cell.wrap(xyz), info, labels, atomProperties, true);
    }

    /**
     * SHA-256 (hex) of what determines the physics of this structure: atomic numbers in order, periodic flags,
     * lattice vectors and Cartesian positions each rounded to {@link #HASH_TOLERANCE_ANGSTROM}. Info and labels
     * do not enter. Used for idempotent DFT jobs and de-duplication; two structures that differ by less than
     * the tolerance usually, but not always (rounding boundaries), share a hash.
     */
    public String contentHash() {
        String h = hash;
        if (h == null) {
            try {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                ByteBuffer buf = ByteBuffer.allocate(16 + 4 * z.length + 8 * (9 + xyz.length));
                buf.putInt(z.length);
                for (boolean p : cell.pbc()) buf.put((byte) (p ? 1 : 0));
                buf.put((byte) 0);
                for (int zi : z) buf.putInt(zi);
                for (double v : cell.matrix()) buf.putLong(round(v));
                for (double v : xyz) buf.putLong(round(v));
                md.update("crucible-structure-v1".getBytes(StandardCharsets.US_ASCII));
                md.update(buf.array(), 0, buf.position());
                h = HexFormat.of().formatHex(md.digest());
                hash = h;
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 unavailable", e);
            }
        }
        return h;
    }

    private static long round(double v) {
        long r = Math.round(v / HASH_TOLERANCE_ANGSTROM);
        return r == 0 ? 0 : r; // folds -0
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Structure s && cell.equals(s.cell) && Arrays.equals(z, s.z) && Arrays.equals(xyz, s.xyz)
                && info.equals(s.info) && labels.equals(s.labels) && atomProperties.equals(s.atomProperties);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * cell.hashCode() + Arrays.hashCode(z)) + Arrays.hashCode(xyz);
    }

    @Override
    public String toString() {
        return "Structure[" + formula() + ", " + size() + " atoms, " + cell + "]";
    }
}
