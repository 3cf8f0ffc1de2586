package org.crucible.executors.symmetry;

import java.util.ArrayList;
import java.util.List;

/**
 * One of the 230 space-group types in its standard setting (the first Hall setting: unique axis b for monoclinic
 * groups, hexagonal axes for R groups, origin choice 1 where the International Tables give two), with all
 * operations of the conventional cell (centring translations included) and all Wyckoff positions.
 * Instances come from {@link SpaceGroups}.
 *
 * <pre>{@code
 * SpaceGroup fd3m = SpaceGroups.byNumber(227);
 * fd3m.operations().size();        // 192 = 48 point operations x 4 F-centring translations
 * fd3m.wyckoff('a').multiplicity(); // 8: diamond
 * }</pre>
 *
 * @param number      International Tables number, 1..230
 * @param hallNumber  spglib's Hall-setting serial number (1..530) of this setting
 * @param symbol      short Hermann-Mauguin symbol, e.g. "Fd-3m"
 * @param fullSymbol  full Hermann-Mauguin symbol, e.g. "F 4_1/d -3 2/m"
 * @param schoenflies Schoenflies symbol, e.g. "Oh^7"
 * @param pointGroup  Hermann-Mauguin symbol of the point group, e.g. "m-3m"
 * @param system      crystal system
 * @param choice      setting choice as in spglib ("1", "2", "H", "b", ... or "" for none)
 * @param operations  operations of the conventional cell, translations in [0, 1)
 * @param wyckoff     Wyckoff positions in order of increasing multiplicity (letter a first)
 */
public record SpaceGroup(int number, int hallNumber, String symbol, String fullSymbol, String schoenflies,
                         String pointGroup, CrystalSystem system, String choice, List<SymOp> operations,
                         List<WyckoffPosition> wyckoff) {
    public SpaceGroup {
        if (number < 1 || number > 230) throw new IllegalArgumentException("space group number must be 1..230, got " + number);
        operations = List.copyOf(operations);
        wyckoff = List.copyOf(wyckoff);
        if (operations.isEmpty()) throw new IllegalArgumentException("space group " + number + " has no operations");
    }

    /** Lattice centring letter of the conventional cell: P, A, C, I, F or R. */
    public char centring() {
        return symbol.charAt(0);
    }

    /** Number of operations in the conventional cell (centring included). */
    public int order() {
        return operations.size();
    }

    /** The pure translations of the conventional cell (the identity and the centring vectors). */
    public List<double[]> centringTranslations() {
        List<double[]> out = new ArrayList<>();
        for (SymOp op : operations) if (op.isTranslation()) out.add(op.translation());
        return out;
    }

    /** Order of the point group: operations per primitive cell. */
    public int pointGroupOrder() {
        return operations.size() / centringTranslations().size();
    }

    /** The general position (last Wyckoff letter). */
    public WyckoffPosition generalPosition() {
        return wyckoff.get(wyckoff.size() - 1);
    }

    /** The Wyckoff position with this letter. */
    public WyckoffPosition wyckoff(char letter) {
        for (WyckoffPosition w : wyckoff) if (w.letter() == letter) return w;
        throw new IllegalArgumentException("space group " + number + " (" + symbol + ") has no Wyckoff position " + letter);
    }

    /**
     * Rows are the primitive lattice vectors in conventional fractional coordinates (P: identity), so that the
     * primitive lattice matrix is {@code T * L_conv}. Standard choices (spglib/ITA): F = (0,1/2,1/2), (1/2,0,1/2),
     * (1/2,1/2,0); I = (-1/2,1/2,1/2), (1/2,-1/2,1/2), (1/2,1/2,-1/2); C = (1/2,-1/2,0), (1/2,1/2,0), (0,0,1);
     * A = (1,0,0), (0,1/2,-1/2), (0,1/2,1/2); R (obverse hexagonal) = (2/3,1/3,1/3), (-1/3,1/3,1/3), (-1/3,-2/3,1/3).
     */
    public double[] primitiveTransform() {
        return primitiveTransform(centring());
    }

    static double[] primitiveTransform(char centring) {
        double h = 0.5, t = 1.0 / 3.0;
        return switch (centring) {
            case 'P' -> new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1};
            case 'F' -> new double[] {0, h, h, h, 0, h, h, h, 0};
            case 'I' -> new double[] {-h, h, h, h, -h, h, h, h, -h};
            case 'C' -> new double[] {h, -h, 0, h, h, 0, 0, 0, 1};
            case 'A' -> new double[] {1, 0, 0, 0, h, -h, 0, h, h};
            case 'R' -> new double[] {2 * t, t, t, -t, t, t, -t, -2 * t, t};
            default -> throw new IllegalArgumentException("unknown centring " + centring);
        };
    }

    /**
     * The orbit of fractional point x: the distinct images g x wrapped into [0, 1), two images being the same when
     * their periodic fractional distance is below {@code tolerance} in every component.
     */
    public List<double[]> orbit(double[] x, double tolerance) {
        List<double[]> out = new ArrayList<>();
        double[] y = new double[3];
        for (SymOp op : operations) {
            op.apply(x, 0, y, 0);
            for (int k = 0; k < 3; k++) y[k] = SymOp.wrap(y[k]);
            boolean seen = false;
            for (double[] p : out) {
                if (periodicClose(p, y, tolerance)) {
                    seen = true;
                    break;
                }
            }
            if (!seen) out.add(y.clone());
        }
        return out;
    }

    static boolean periodicClose(double[] a, double[] b, double tol) {
        for (int k = 0; k < 3; k++) {
            double d = a[k] - b[k];
            d -= Math.rint(d);
            if (Math.abs(d) > tol) return false;
        }
        return true;
    }

    @Override
    public String toString() {
        return symbol + " (" + number + ")";
    }
}
