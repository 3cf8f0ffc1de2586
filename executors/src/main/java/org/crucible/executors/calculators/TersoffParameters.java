package org.crucible.executors.calculators;

import java.nio.file.Path;
import java.util.List;

/**
 * Tersoff parameters, one {@link Entry} per ordered element triplet, as in a LAMMPS {@code .tersoff} file:
 * {@code e1 e2 e3 m gamma lambda3 c d costheta0 n beta lambda2 B R D lambda1 A} (eV, Angstrom, 1/Angstrom).
 * The pair terms of (e1, e2) use entry (e1, e2, e2) (n, beta, lambda2, B, R, D, lambda1, A); the bond-order
 * term zeta_ij over a third atom k uses (e1, e2, e3) (m, gamma, lambda3, c, d, costheta0, R, D) --
 * LAMMPS {@code pair_style tersoff} semantics.
 *
 * <p>Validated as LAMMPS does: c, d, n, beta, lambda2, B, R, D, lambda1, A, gamma &gt;= 0, D &lt;= R, and m
 * 1 or 3.
 */
public final class TersoffParameters implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** Words per LAMMPS .tersoff entry: 3 symbols + 14 numbers. */
    public static final int WORDS = 17;

    /** One triplet's parameters. */
    public record Entry(String e1, String e2, String e3, double m, double gamma, double lambda3, double c, double d,
                        double h, double n, double beta, double lambda2, double bigB, double bigR, double bigD,
                        double lambda1, double bigA) implements java.io.Serializable {
        public Entry {
            String t = e1 + " " + e2 + " " + e3;
            nonNegative(t, "c", c);
            nonNegative(t, "d", d);
            nonNegative(t, "n", n);
            nonNegative(t, "beta", beta);
            nonNegative(t, "lambda2", lambda2);
            nonNegative(t, "B", bigB);
            nonNegative(t, "R", bigR);
            nonNegative(t, "D", bigD);
            nonNegative(t, "lambda1", lambda1);
            nonNegative(t, "A", bigA);
            nonNegative(t, "gamma", gamma);
            if (bigD > bigR) throw new IllegalArgumentException("Tersoff " + t + ": D = " + bigD + " exceeds R = " + bigR);
            if (m != 1.0 && m != 3.0) throw new IllegalArgumentException("Tersoff " + t + ": m must be 1 or 3, got " + m);
            if (d == 0 && c != 0) throw new IllegalArgumentException("Tersoff " + t + ": d = 0 with c != 0");
        }

        private static void nonNegative(String t, String name, double v) {
            if (!(v >= 0)) throw new IllegalArgumentException("Tersoff " + t + ": " + name + " must be >= 0, got " + v);
        }

        /** Outer cutoff R + D (Angstrom). */
        public double cutoff() {
            return bigR + bigD;
        }
    }

    private final String source;
    private final String[] species;
    private final Entry[] table;

    private TersoffParameters(String source, String[] species, Entry[] table) {
        this.source = source;
        this.species = species;
        this.table = table;
    }

    /** Reads a LAMMPS .tersoff file; every element mentioned must have all its triplets. */
    public static TersoffParameters read(Path file) {
        return of(LammpsPotentialFile.read(file, WORDS), file.getFileName().toString());
    }

    /** Parses .tersoff text; {@code source} names it in messages. */
    public static TersoffParameters parse(String text, String source) {
        return of(LammpsPotentialFile.parse(text, source, WORDS), source);
    }

    private static TersoffParameters of(List<LammpsPotentialFile.Entry> raw, String source) {
        LammpsPotentialFile.TripletTable<Entry> t = LammpsPotentialFile.tabulate(raw, source, r -> {
            double[] v = r.values();
            return new Entry(r.e1(), r.e2(), r.e3(), v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10],
                    v[11], v[12], v[13]);
        }, Entry[]::new);
        return new TersoffParameters(source, t.species(), t.table());
    }

    public String source() {
        return source;
    }

    public String[] species() {
        return species.clone();
    }

    public Entry get(int i, int j, int k) {
        int m = species.length;
        return table[(i * m + j) * m + k];
    }
}
