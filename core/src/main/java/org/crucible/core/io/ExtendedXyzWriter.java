package org.crucible.core.io;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crucible.core.AtomProperties;
import org.crucible.core.AtomProperty;
import org.crucible.core.Labels;
import org.crucible.core.Structure;

/**
 * Writes extended-XYZ frames in the layout {@link ExtendedXyz} describes: Lattice, Properties, info, energy,
 * stress as 3x3, pbc last; header reals as {@link Values#exact(double)}, atom columns as the shortest decimal that
 * reads back to the same double ({@link Values#shortest(double)}), right-aligned in 22 characters.
 */
final class ExtendedXyzWriter {
    private ExtendedXyzWriter() {
    }

    /** Comment-line keys the writer emits itself; an info entry with one of these names is refused. */
    private static final Set<String> WRITER_KEYS = Set.of("Lattice", "Properties", "pbc", "energy", "stress");

    /**
     * Appends one frame.
     *
     * @throws IllegalArgumentException when an info key collides with a key the writer emits (Lattice, Properties,
     *                                  pbc, energy, stress) or is not a valid extended-XYZ key
     */
    static void write(Appendable out, Structure s) throws IOException {
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
            String sym = s.symbol(i);
            row.append(sym);
            for (int k = sym.length(); k < 2; k++) row.append(' ');
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
        pad(row, Values.shortest(v), 22);
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
}
