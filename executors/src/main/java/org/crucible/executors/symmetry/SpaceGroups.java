package org.crucible.executors.symmetry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The table of the 230 space-group types, read once from the committed resource
 * {@code org/crucible/executors/symmetry/spacegroups.txt}. The operations are those of the International Tables
 * standard settings (taken from spglib's database); the 1731 Wyckoff positions were derived from the operations
 * by {@code executors/scripts/generate_spacegroup_table.py} (site-symmetry groups of a 1/24 grid, their fixed
 * subspaces, grouped into orbits) and lettered by spglib. Thread-safe, immutable.
 */
public final class SpaceGroups {
    private static final String RESOURCE = "spacegroups.txt";
    private static final double DENOMINATOR = 24.0;
    private static volatile List<SpaceGroup> table;

    private SpaceGroups() {
    }

    /** All 230 groups, index i holding group number i + 1. */
    public static List<SpaceGroup> all() {
        List<SpaceGroup> t = table;
        if (t == null) {
            synchronized (SpaceGroups.class) {
                if (table == null) table = load();
                t = table;
            }
        }
        return t;
    }

    /** Space group by International Tables number (1..230). */
    public static SpaceGroup byNumber(int number) {
        if (number < 1 || number > 230) throw new IllegalArgumentException("space group number must be 1..230, got " + number);
        return all().get(number - 1);
    }

    /** Space group by short Hermann-Mauguin symbol as in the table (e.g. "Fd-3m", "P6_3/mmc"). */
    public static SpaceGroup bySymbol(String symbol) {
        for (SpaceGroup g : all()) if (g.symbol().equals(symbol)) return g;
        throw new IllegalArgumentException("unknown space-group symbol '" + symbol + "' (write e.g. Fd-3m, P6_3/mmc)");
    }

    private static List<SpaceGroup> load() {
        try (InputStream in = SpaceGroups.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("resource " + RESOURCE + " missing from the executors jar");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            List<SpaceGroup> out = new ArrayList<>(230);
            String[] head = null;
            List<SymOp> ops = new ArrayList<>();
            List<WyckoffPosition> wy = new ArrayList<>();
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] f = line.trim().split("\\s+");
                try {
                    switch (f[0]) {
                        case "group" -> {
                            if (head != null) out.add(build(head, ops, wy));
                            head = f;
                            ops = new ArrayList<>();
                            wy = new ArrayList<>();
                        }
                        case "op" -> {
                            int[] rot = new int[9];
                            for (int i = 0; i < 9; i++) rot[i] = Integer.parseInt(f[1 + i]);
                            double[] t = new double[3];
                            for (int i = 0; i < 3; i++) t[i] = Integer.parseInt(f[10 + i]) / DENOMINATOR;
                            ops.add(new SymOp(rot, t));
                        }
                        case "wyckoff" -> {
                            int dof = Integer.parseInt(f[4]);
                            double[] p = new double[3];
                            for (int i = 0; i < 3; i++) p[i] = Integer.parseInt(f[5 + i]) / DENOMINATOR;
                            int[][] basis = new int[dof][3];
                            for (int k = 0; k < dof; k++) {
                                for (int i = 0; i < 3; i++) basis[k][i] = Integer.parseInt(f[8 + 3 * k + i]);
                            }
                            wy.add(new WyckoffPosition(f[1].charAt(0), Integer.parseInt(f[2]), Integer.parseInt(f[3]), p, basis));
                        }
                        default -> throw new IllegalStateException("unknown record '" + f[0] + "'");
                    }
                } catch (RuntimeException e) {
                    throw new IllegalStateException(RESOURCE + " line " + lineNo + ": " + e.getMessage(), e);
                }
            }
            if (head != null) out.add(build(head, ops, wy));
            if (out.size() != 230) throw new IllegalStateException(RESOURCE + " holds " + out.size() + " groups, expected 230");
            for (int i = 0; i < 230; i++) {
                if (out.get(i).number() != i + 1) throw new IllegalStateException(RESOURCE + " is not in group order at " + (i + 1));
            }
            return Collections.unmodifiableList(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SpaceGroup build(String[] h, List<SymOp> ops, List<WyckoffPosition> wy) {
        int number = Integer.parseInt(h[1]);
        return new SpaceGroup(number, Integer.parseInt(h[2]), h[3], h[4].replace('~', ' '),
                h[5], h[6], CrystalSystem.ofSpaceGroup(number), h[8].equals("-") ? "" : h[8], ops, wy);
    }
}
