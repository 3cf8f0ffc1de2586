package org.crucible.executors.calculators;

import java.nio.file.Path;
import java.util.List;
import org.crucible.core.Elements;

/**
 * Stillinger-Weber parameters for a set of elements, one {@link Entry} per ordered element triplet, as in a
 * LAMMPS {@code .sw} file: {@code e1 e2 e3 epsilon sigma a lambda gamma costheta0 A B p q tol}
 * (eV, Angstrom, dimensionless). The two-body term of the pair (e1, e2) uses entry (e1, e2, e2); the
 * three-body term centred on e1 uses lambda, epsilon, costheta0 of (e1, e2, e3) and sigma, a, gamma of
 * (e1, e2, e2) and (e1, e3, e3) for the two legs (LAMMPS {@code pair_style sw} semantics). {@code tol} is
 * read and ignored, as LAMMPS does.
 *
 * <p>{@link #silicon1985()} is F. H. Stillinger and T. A. Weber, Phys. Rev. B 31, 5262 (1985), the same numbers
 * as LAMMPS' {@code Si.sw}.
 */
public final class StillingerWeberParameters implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** Words per LAMMPS .sw entry: 3 symbols + 11 numbers. */
    public static final int WORDS = 14;

    /** One triplet's parameters (eV, Angstrom). */
    public record Entry(String e1, String e2, String e3, double epsilon, double sigma, double a, double lambda,
                        double gamma, double cosTheta0, double bigA, double bigB, double p, double q, double tol)
            implements java.io.Serializable {
        public Entry {
            check("epsilon", epsilon);
            check("sigma", sigma);
            check("a", a);
            check("lambda", lambda);
            check("gamma", gamma);
            check("A", bigA);
            check("B", bigB);
            check("p", p);
            check("q", q);
            check("tol", tol);
            if (!Double.isFinite(cosTheta0)) throw new IllegalArgumentException("costheta0 of " + e1 + " " + e2 + " " + e3 + " is not finite");
        }

        private void check(String name, double v) {
            if (!(v >= 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException("Stillinger-Weber " + name + " of " + e1 + " " + e2 + " " + e3
                        + " must be finite and >= 0, got " + v);
            }
        }

        /** Cutoff a * sigma (Angstrom). */
        public double cutoff() {
            return a * sigma;
        }
    }

    private final String source;
    private final String[] species;
    private final Entry[] table; // [i][j][k] flattened

    private StillingerWeberParameters(String source, String[] species, Entry[] table) {
        this.source = source;
        this.species = species;
        this.table = table;
    }

    /** The 1985 silicon parameters (identical to LAMMPS' Si.sw). */
    public static StillingerWeberParameters silicon1985() {
        Entry e = new Entry("Si", "Si", "Si", 2.1683, 2.0951, 1.80, 21.0, 1.20, -0.333333333333, 7.049556277,
                0.6022245584, 4.0, 0.0, 0.0);
        return new StillingerWeberParameters("Stillinger-Weber 1985 Si", new String[] {"Si"}, new Entry[] {e});
    }

    /** Reads a LAMMPS .sw file; every element mentioned must have all its triplets. */
    public static StillingerWeberParameters read(Path file) {
        return of(LammpsPotentialFile.read(file, WORDS), file.getFileName().toString());
    }

    /** Parses .sw text; {@code source} names it in messages. */
    public static StillingerWeberParameters parse(String text, String source) {
        return of(LammpsPotentialFile.parse(text, source, WORDS), source);
    }

    private static StillingerWeberParameters of(List<LammpsPotentialFile.Entry> raw, String source) {
        LammpsPotentialFile.TripletTable<Entry> t = LammpsPotentialFile.tabulate(raw, source, r -> {
            double[] v = r.values();
            return new Entry(r.e1(), r.e2(), r.e3(), v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]);
        }, Entry[]::new);
        return new StillingerWeberParameters(source, t.species(), t.table());
    }

    /** Where the parameters came from (file name or description). */
    public String source() {
        return source;
    }

    /** Elements in type order. */
    public String[] species() {
        return species.clone();
    }

    /** Entry for types (i, j, k). */
    public Entry get(int i, int j, int k) {
        int m = species.length;
        return table[(i * m + j) * m + k];
    }
}
