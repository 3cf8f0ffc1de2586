package org.crucible.executors.evolution;

import java.util.ArrayList;
import java.util.List;
import org.crucible.core.Elements;
import org.crucible.core.Structure;

/**
 * The compositions a variable-composition search of a binary A-B may visit (USPEX; Lyakhov et al., Comput. Phys.
 * Commun. 184, 1172 (2013)): cells of {@code minAtoms} to {@code maxAtoms} atoms, a of element {@code zA} and b of
 * {@code zB}, with the fraction of B, x = b / (a + b), in [{@code minFraction}, {@code maxFraction}]. The elemental ends
 * (x = 0, x = 1) are compositions like any other when the fraction bounds include them.
 *
 * <pre>{@code
 * BinaryRange r = new BinaryRange(14, 6, 2, 8, 0, 1);   // Si_a C_b, 2 <= a + b <= 8
 * r.allows(2, 2);                                        // true
 * }</pre>
 */
public record BinaryRange(int zA, int zB, int minAtoms, int maxAtoms, double minFraction, double maxFraction) {
    private static final double EPS = 1e-12;

    public BinaryRange {
        if (zA == zB || zA < 1 || zB < 1) throw new IllegalArgumentException("a binary needs two different elements, got Z = " + zA + " and " + zB);
        if (minAtoms < 1 || maxAtoms < minAtoms) throw new IllegalArgumentException("need 1 <= minAtoms <= maxAtoms, got " + minAtoms + ", " + maxAtoms);
        if (!(minFraction >= 0 && minFraction <= maxFraction && maxFraction <= 1)) {
            throw new IllegalArgumentException("need 0 <= minFraction <= maxFraction <= 1, got " + minFraction + ", " + maxFraction);
        }
    }

    /** From element symbols, e.g. {@code of("Si", "C", 2, 8, 0, 1)}. */
    public static BinaryRange of(String a, String b, int minAtoms, int maxAtoms, double minFraction, double maxFraction) {
        return new BinaryRange(Elements.bySymbol(a).z(), Elements.bySymbol(b).z(), minAtoms, maxAtoms, minFraction, maxFraction);
    }

    /** Whether a cell of {@code a} atoms A and {@code b} atoms B is inside the range. */
    public boolean allows(int a, int b) {
        int n = a + b;
        if (a < 0 || b < 0 || n < minAtoms || n > maxAtoms) return false;
        double x = (double) b / n;
        return x >= minFraction - EPS && x <= maxFraction + EPS;
    }

    /** Whether {@code s} holds only A and B in an allowed composition. */
    public boolean allows(Structure s) {
        int[] ab = counts(s);
        return ab[0] + ab[1] == s.size() && allows(ab[0], ab[1]);
    }

    /** {a, b}: the atoms of A and of B in {@code s} (other elements not counted). */
    public int[] counts(Structure s) {
        int a = 0, b = 0;
        for (int i = 0; i < s.size(); i++) {
            if (s.atomicNumber(i) == zA) a++;
            else if (s.atomicNumber(i) == zB) b++;
        }
        return new int[] {a, b};
    }

    /** The fraction of B in {@code s}, x = b / (a + b). */
    public double fraction(Structure s) {
        int[] ab = counts(s);
        return (double) ab[1] / (ab[0] + ab[1]);
    }

    /** Every allowed {a, b}, by atoms then by b. */
    public List<int[]> compositions() {
        List<int[]> out = new ArrayList<>();
        for (int n = minAtoms; n <= maxAtoms; n++) for (int b = 0; b <= n; b++) if (allows(n - b, b)) out.add(new int[] {n - b, b});
        return out;
    }

    /** The formula of {a, b}, e.g. {@code Si2C2}, {@code C4} (an absent element is left out). */
    public String formula(int a, int b) {
        return (a > 0 ? Elements.byZ(zA).symbol() + a : "") + (b > 0 ? Elements.byZ(zB).symbol() + b : "");
    }
}
