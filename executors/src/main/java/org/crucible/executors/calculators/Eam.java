package org.crucible.executors.calculators;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.crucible.core.Elements;

/**
 * The embedded-atom method (Daw and Baskes, PRB 29, 6443 (1984)) with LAMMPS' tabulated functions and
 * interpolation, so that energies, forces and stresses agree with LAMMPS' {@code pair_style eam}, {@code eam/alloy}
 * and {@code eam/fs} to round-off:
 * <pre>
 *   E = sum_i F_a(rho_i) + 1/2 sum_{i != j} phi_ab(r_ij),     rho_i = sum_{j != i} rho_{b -> a}(r_ij)
 * </pre>
 * a, b the elements of i and j; {@code eam/alloy} uses rho_{b -> a} = rho_b, {@code eam/fs} (Finnis-Sinclair,
 * Phil. Mag. A 50, 45 (1984), as in Ackland et al.) one density function per (b, a). Units: F in eV, rho
 * dimensionless (the file's), r in Angstrom, tabulated r phi in eV Angstrom.
 *
 * <p>Files:
 * <ul>
 *   <li>{@linkplain #readSetfl setfl} ({@code .eam.alloy}, DYNAMO format): three comment lines; {@code N el1 .. elN};
 *       {@code Nrho drho Nr dr cutoff}; per element {@code Z mass a0 lattice}, F(rho) (Nrho values), rho(r) (Nr
 *       values); then r phi(r) for every pair (i, j &lt;= i);</li>
 *   <li>{@linkplain #readFs eam/fs}: as setfl with N density functions per element;</li>
 *   <li>{@linkplain #readFuncfl funcfl} ({@code .eam}, one element): a comment line; {@code Z mass a0 lattice};
 *       {@code Nrho drho Nr dr cutoff}; F(rho), Z(r), rho(r). LAMMPS' conversion applies: r phi =
 *       27.2 * 0.529 * Z_i(r) Z_j(r), and the tables are re-interpolated (4-point Lagrange) onto a grid of
 *       Nr - 1 and Nrho - 1 points as LAMMPS' {@code PairEAM::file2array} does.</li>
 * </ul>
 * Arrays are read as LAMMPS reads them: each array starts on a new line and words after the last needed value on
 * a line are ignored.
 *
 * <p>Interpolation (LAMMPS {@code PairEAM::interpolate}): on each grid interval m a cubic in the fraction
 * p = r/dr + 1 - m, with slopes from the 5-point finite difference (f[m-2] - f[m+2] + 8 (f[m+1] - f[m-1])) / 12
 * and one-sided differences at the ends. Densities beyond the F table are extrapolated linearly (F(rho_max) +
 * F'(rho_max) (rho - rho_max)), as LAMMPS does. The interaction range is the file's cutoff.
 *
 * <p>Usage: {@code Eam.fromFile(Path.of("/usr/share/lammps/potentials/CuNi.eam.alloy")).calculate(structure)}.
 * Immutable and safe to share between threads.
 */
public final class Eam extends ShortRangeCalculator {
    private static final long serialVersionUID = 1L;
    private static final int C = 7;

    /** The three file formats (LAMMPS pair style names). */
    public enum Style {
        FUNCFL("eam"), SETFL("eam/alloy"), FS("eam/fs");

        private final String lammpsName;

        Style(String lammpsName) {
            this.lammpsName = lammpsName;
        }

        /** The LAMMPS pair style reading this format. */
        public String lammpsName() {
            return lammpsName;
        }
    }

    private final Style style;
    private final String source;
    private final double[] masses;
    private final int nrho;
    private final int nr;
    private final double rdr;
    private final double rdrho;
    private final double rhomax;
    private final double cut;
    private final double cutsq;
    private final double[][] frho; // per element, (nrho + 1) * 7, 1-based rows as in LAMMPS
    private final double[][] rhor;
    private final double[][] z2r;
    private final int[][] rhorIndex; // LAMMPS type2rhor[a][b]
    private final int[][] z2rIndex;

    private Eam(Style style, String source, String[] elements, double[] masses, int nrho, double drho, int nr, double dr,
                double cut, double[][] frhoTab, double[][] rhorTab, double[][] z2rTab) {
        super(elements);
        this.style = style;
        this.source = source;
        this.masses = masses.clone();
        this.nrho = nrho;
        this.nr = nr;
        this.rdr = 1.0 / dr;
        this.rdrho = 1.0 / drho;
        this.rhomax = (nrho - 1) * drho;
        this.cut = cut;
        this.cutsq = cut * cut;
        int n = elements.length;
        frho = new double[n][];
        for (int i = 0; i < n; i++) frho[i] = spline(nrho, drho, frhoTab[i]);
        rhor = new double[rhorTab.length][];
        for (int i = 0; i < rhorTab.length; i++) rhor[i] = spline(nr, dr, rhorTab[i]);
        z2r = new double[z2rTab.length][];
        for (int i = 0; i < z2rTab.length; i++) z2r[i] = spline(nr, dr, z2rTab[i]);
        rhorIndex = new int[n][n];
        z2rIndex = new int[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                rhorIndex[a][b] = style == Style.FS ? a * n + b : a;
                int hi = Math.max(a, b), lo = Math.min(a, b);
                z2rIndex[a][b] = hi * (hi + 1) / 2 + lo;
            }
        }
    }

    /** Reads a potential file, choosing the format by name: {@code *.eam.fs}, {@code *.eam.alloy} / setfl, else funcfl ({@code *.eam}). */
    public static Eam fromFile(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".fs")) return readFs(file);
        if (name.endsWith(".eam")) return readFuncfl(file);
        return readSetfl(file);
    }

    /** The file format. */
    public Style style() {
        return style;
    }

    /** Element symbols in file order. */
    public String[] elements() {
        return species();
    }

    /** The masses given in the file (atomic mass units), in element order; LAMMPS' eam styles set type masses from them. */
    public double[] masses() {
        return masses.clone();
    }

    @Override
    public double cutoff() {
        return cut;
    }

    @Override
    public String name() {
        return style.lammpsName() + "(" + source + ")";
    }

    // ---------------------------------------------------------------- evaluation

    /** Per-thread scratch of the pairs within the cutoff (entry, r, table row offset, fraction), reused between calls. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        int[] entry = new int[0];
        int[] i = new int[0];
        int[] offset = new int[0];
        double[] r = new double[0];
        double[] p = new double[0];

        void ensure(int size) {
            if (entry.length >= size) return;
            int cap = Math.max(size, entry.length * 3 / 2);
            entry = new int[cap];
            i = new int[cap];
            offset = new int[cap];
            r = new double[cap];
            p = new double[cap];
        }
    }

    /** Pair terms only: the half list (the skip of j &lt; i below is then never taken; it keeps a full list correct). */
    @Override
    protected boolean pairTermsOnly() {
        return true;
    }

    @Override
    protected void accumulate(PairList nl, int[] type, Accumulator acc) {
        int n = nl.atoms();
        double[] rho = new double[n];
        Scratch sc = SCRATCH.get();
        sc.ensure(nl.start[n]);
        int pairs = 0;
        // densities (LAMMPS' first loop); the pairs within the cutoff and their table positions are kept for the forces
        for (int i = 0; i < n; i++) {
            int ti = type[i];
            for (int k = nl.start[i], end = nl.start[i + 1]; k < end; k++) {
                int j = nl.nbr[k];
                if (j < i || (j == i && !nl.positiveImage(k))) continue;
                double dx = nl.d[3 * k], dy = nl.d[3 * k + 1], dz = nl.d[3 * k + 2];
                double rsq = dx * dx + dy * dy + dz * dz;
                if (rsq >= cutsq) continue;
                int tj = type[j];
                double r = Math.sqrt(rsq);
                double p = r * rdr + 1.0;
                int m = (int) p;
                m = Math.min(m, nr - 1);
                p -= m;
                p = Math.min(p, 1.0);
                int o = m * C;
                double[] c = rhor[rhorIndex[tj][ti]];
                rho[i] += ((c[o + 3] * p + c[o + 4]) * p + c[o + 5]) * p + c[o + 6];
                c = rhor[rhorIndex[ti][tj]];
                rho[j] += ((c[o + 3] * p + c[o + 4]) * p + c[o + 5]) * p + c[o + 6];
                sc.entry[pairs] = k;
                sc.i[pairs] = i;
                sc.offset[pairs] = o;
                sc.r[pairs] = r;
                sc.p[pairs] = p;
                pairs++;
            }
        }
        double[] fp = new double[n];
        double energy = 0;
        double[] ae = acc.atomEnergy;
        for (int i = 0; i < n; i++) {
            double p = rho[i] * rdrho + 1.0;
            int m = (int) p;
            m = Math.max(1, Math.min(m, nrho - 1));
            p -= m;
            p = Math.min(p, 1.0);
            double[] c = frho[type[i]];
            int o = m * C;
            fp[i] = (c[o] * p + c[o + 1]) * p + c[o + 2];
            double phi = ((c[o + 3] * p + c[o + 4]) * p + c[o + 5]) * p + c[o + 6];
            if (rho[i] > rhomax) phi += fp[i] * (rho[i] - rhomax);
            energy += phi;
            ae[i] += phi;
        }
        double[] f = acc.forces;
        double w0 = 0, w1 = 0, w2 = 0, w4 = 0, w5 = 0, w8 = 0;
        for (int q = 0; q < pairs; q++) {
            int k = sc.entry[q], i = sc.i[q], j = nl.nbr[k];
            int ti = type[i], tj = type[j];
            double dx = nl.d[3 * k], dy = nl.d[3 * k + 1], dz = nl.d[3 * k + 2];
            double r = sc.r[q], p = sc.p[q];
            int o = sc.offset[q];
            double[] c = rhor[rhorIndex[ti][tj]];
            double rhoip = (c[o] * p + c[o + 1]) * p + c[o + 2];
            c = rhor[rhorIndex[tj][ti]];
            double rhojp = (c[o] * p + c[o + 1]) * p + c[o + 2];
            c = z2r[z2rIndex[ti][tj]];
            double z2p = (c[o] * p + c[o + 1]) * p + c[o + 2];
            double z2 = ((c[o + 3] * p + c[o + 4]) * p + c[o + 5]) * p + c[o + 6];
            double recip = 1.0 / r;
            double phi = z2 * recip;
            double phip = z2p * recip - phi * recip;
            double psip = fp[i] * rhojp + fp[j] * rhoip + phip;
            double g = psip * recip; // (dE/dr) / r: force g d on i, -g d on j, virial g d (x) d (symmetric)
            energy += phi;
            ae[i] += 0.5 * phi;
            ae[j] += 0.5 * phi;
            double gx = g * dx, gy = g * dy, gz = g * dz;
            f[3 * i] += gx;
            f[3 * i + 1] += gy;
            f[3 * i + 2] += gz;
            f[3 * j] -= gx;
            f[3 * j + 1] -= gy;
            f[3 * j + 2] -= gz;
            w0 += gx * dx;
            w1 += gx * dy;
            w2 += gx * dz;
            w4 += gy * dy;
            w5 += gy * dz;
            w8 += gz * dz;
        }
        double[] w = acc.virial;
        w[0] += w0;
        w[1] += w1;
        w[2] += w2;
        w[3] += w1;
        w[4] += w4;
        w[5] += w5;
        w[6] += w2;
        w[7] += w5;
        w[8] += w8;
        acc.energy += energy;
    }

    /**
     * LAMMPS' {@code PairEAM::interpolate}: rows m = 1..n of 7 coefficients; [6] value, [5] slope per interval,
     * [4], [3] cubic terms, [2], [1], [0] the derivative's coefficients divided by the grid step.
     */
    private static double[] spline(int n, double delta, double[] f) {
        double[] s = new double[(n + 1) * C];
        for (int m = 1; m <= n; m++) s[m * C + 6] = f[m];
        s[C + 5] = s[2 * C + 6] - s[C + 6];
        s[2 * C + 5] = 0.5 * (s[3 * C + 6] - s[C + 6]);
        s[(n - 1) * C + 5] = 0.5 * (s[n * C + 6] - s[(n - 2) * C + 6]);
        s[n * C + 5] = s[n * C + 6] - s[(n - 1) * C + 6];
        for (int m = 3; m <= n - 2; m++) {
            s[m * C + 5] = ((s[(m - 2) * C + 6] - s[(m + 2) * C + 6]) + 8.0 * (s[(m + 1) * C + 6] - s[(m - 1) * C + 6])) / 12.0;
        }
        for (int m = 1; m <= n - 1; m++) {
            s[m * C + 4] = 3.0 * (s[(m + 1) * C + 6] - s[m * C + 6]) - 2.0 * s[m * C + 5] - s[(m + 1) * C + 5];
            s[m * C + 3] = s[m * C + 5] + s[(m + 1) * C + 5] - 2.0 * (s[(m + 1) * C + 6] - s[m * C + 6]);
        }
        s[n * C + 4] = 0.0;
        s[n * C + 3] = 0.0;
        for (int m = 1; m <= n; m++) {
            s[m * C + 2] = s[m * C + 5] / delta;
            s[m * C + 1] = 2.0 * s[m * C + 4] / delta;
            s[m * C + 0] = 3.0 * s[m * C + 3] / delta;
        }
        return s;
    }

    // ---------------------------------------------------------------- files

    /** Reads a setfl ({@code eam/alloy}) file. */
    public static Eam readSetfl(Path file) {
        return readMulti(file, Style.SETFL);
    }

    /** Reads an {@code eam/fs} (Finnis-Sinclair) file. */
    public static Eam readFs(Path file) {
        return readMulti(file, Style.FS);
    }

    private static Eam readMulti(Path file, Style style) {
        Reader r = new Reader(file);
        r.skipRaw(3);
        String[] head = r.line("the element line (N el1 ... elN)");
        int ne = r.integer(head, 0, "number of elements");
        if (ne < 1) throw r.error("number of elements " + ne + " must be at least 1");
        if (head.length < ne + 1) throw r.error("expected " + ne + " element symbols after the count, found " + (head.length - 1));
        String[] elements = new String[ne];
        for (int i = 0; i < ne; i++) {
            elements[i] = head[i + 1];
            if (!Elements.isSymbol(elements[i])) throw r.error("'" + elements[i] + "' is not an element symbol");
            for (int k = 0; k < i; k++) {
                if (elements[k].equals(elements[i])) throw r.error("element " + elements[i] + " is listed twice");
            }
        }
        String[] grid = r.line("the grid line (Nrho drho Nr dr cutoff)");
        int nrho = r.integer(grid, 0, "Nrho");
        double drho = r.number(grid, 1, "drho");
        int nr = r.integer(grid, 2, "Nr");
        double dr = r.number(grid, 3, "dr");
        double cut = r.number(grid, 4, "cutoff");
        checkGrid(r, nrho, drho, nr, dr, cut);
        double[] masses = new double[ne];
        double[][] frho = new double[ne][];
        int nd = style == Style.FS ? ne : 1;
        double[][] rhor = new double[ne * nd][];
        for (int i = 0; i < ne; i++) {
            String[] el = r.line("the line 'Z mass a0 lattice' of " + elements[i]);
            r.integer(el, 0, "atomic number of " + elements[i]);
            masses[i] = r.number(el, 1, "mass of " + elements[i]);
            if (masses[i] <= 0) throw r.error("mass of " + elements[i] + " must be positive, got " + masses[i]);
            frho[i] = r.array(nrho, "F(rho) of " + elements[i]);
            for (int j = 0; j < nd; j++) {
                rhor[i * nd + j] = r.array(nr, "rho(r) of " + elements[i] + (style == Style.FS ? " for " + elements[j] : ""));
            }
        }
        double[][] z2r = new double[ne * (ne + 1) / 2][];
        int n = 0;
        for (int i = 0; i < ne; i++) {
            for (int j = 0; j <= i; j++) z2r[n++] = r.array(nr, "r*phi(r) of " + elements[i] + "-" + elements[j]);
        }
        return new Eam(style, file.getFileName().toString(), elements, masses, nrho, drho, nr, dr, cut, frho, rhor, z2r);
    }

    /** Reads a funcfl ({@code pair_style eam}) file of one element. */
    public static Eam readFuncfl(Path file) {
        Reader r = new Reader(file);
        r.skipRaw(1);
        String[] el = r.line("the line 'Z mass a0 lattice'");
        int z = r.integer(el, 0, "atomic number");
        if (z < 1 || z > Elements.maxZ()) throw r.error("atomic number " + z + " is not an element");
        double mass = r.number(el, 1, "mass");
        if (mass <= 0) throw r.error("mass must be positive, got " + mass);
        String[] grid = r.line("the grid line (Nrho drho Nr dr cutoff)");
        int fnrho = r.integer(grid, 0, "Nrho");
        double fdrho = r.number(grid, 1, "drho");
        int fnr = r.integer(grid, 2, "Nr");
        double fdr = r.number(grid, 3, "dr");
        double cut = r.number(grid, 4, "cutoff");
        checkGrid(r, fnrho, fdrho, fnr, fdr, cut);
        double[] ffrho = r.array(fnrho, "F(rho)");
        double[] fzr = r.array(fnr, "Z(r)");
        double[] frhor = r.array(fnr, "rho(r)");
        // PairEAM::file2array for one file: the grid ends at (N - 1) delta, N = (int) (max / delta + 0.5)
        double rmax = (fnr - 1) * fdr;
        double rhomax = (fnrho - 1) * fdrho;
        int nr = (int) (rmax / fdr + 0.5);
        int nrho = (int) (rhomax / fdrho + 0.5);
        double[] frho = new double[nrho + 1];
        for (int m = 1; m <= nrho; m++) frho[m] = lagrange(ffrho, fnrho, fdrho, (m - 1) * fdrho);
        double[] rhor = new double[nr + 1];
        double[] z2r = new double[nr + 1];
        for (int m = 1; m <= nr; m++) {
            double x = (m - 1) * fdr;
            rhor[m] = lagrange(frhor, fnr, fdr, x);
            double zri = lagrange(fzr, fnr, fdr, x);
            z2r[m] = 27.2 * 0.529 * zri * zri;
        }
        return new Eam(Style.FUNCFL, file.getFileName().toString(), new String[] {Elements.byZ(z).symbol()}, new double[] {mass},
                nrho, fdrho, nr, fdr, cut, new double[][] {frho}, new double[][] {rhor}, new double[][] {z2r});
    }

    /** LAMMPS' 4-point Lagrange re-interpolation of a 1-based table f[1..n] of step delta at x. */
    private static double lagrange(double[] f, int n, double delta, double x) {
        double sixth = 1.0 / 6.0;
        double p = x / delta + 1.0;
        int k = (int) p;
        k = Math.min(k, n - 2);
        k = Math.max(k, 2);
        p -= k;
        p = Math.min(p, 2.0);
        double cof1 = -sixth * p * (p - 1.0) * (p - 2.0);
        double cof2 = 0.5 * (p * p - 1.0) * (p - 2.0);
        double cof3 = -0.5 * p * (p + 1.0) * (p - 2.0);
        double cof4 = sixth * p * (p * p - 1.0);
        return cof1 * f[k - 1] + cof2 * f[k] + cof3 * f[k + 1] + cof4 * f[k + 2];
    }

    private static void checkGrid(Reader r, int nrho, double drho, int nr, double dr, double cut) {
        if (nrho < 5) throw r.error("Nrho " + nrho + " must be at least 5");
        if (nr < 5) throw r.error("Nr " + nr + " must be at least 5");
        if (!(drho > 0)) throw r.error("drho " + drho + " must be positive");
        if (!(dr > 0)) throw r.error("dr " + dr + " must be positive");
        if (!(cut > 0)) throw r.error("cutoff " + cut + " must be positive");
    }

    /** Line-oriented reader with LAMMPS' semantics (arrays start on a new line; extra words on a line are ignored). */
    private static final class Reader {
        private final String source;
        private final String[] lines;
        private int next;
        private int current;

        Reader(Path file) {
            this.source = file.toString();
            try {
                this.lines = Files.readString(file, StandardCharsets.ISO_8859_1).split("\r?\n", -1);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read EAM potential file " + file + ": " + e.getMessage(), e);
            }
        }

        void skipRaw(int k) {
            if (next + k > lines.length) throw error("file ends inside the " + k + " header lines");
            next += k;
        }

        String[] line(String what) {
            while (next < lines.length) {
                String l = lines[next++];
                int hash = l.indexOf('#');
                if (hash >= 0) l = l.substring(0, hash);
                l = l.strip();
                if (!l.isEmpty()) {
                    current = next;
                    return l.split("\\s+");
                }
            }
            current = lines.length;
            throw error("file ends before " + what);
        }

        double[] array(int n, String what) {
            double[] out = new double[n + 1];
            int i = 0;
            while (i < n) {
                String[] w = line(what + " (" + n + " values, " + i + " read)");
                for (int k = 0; k < w.length && i < n; k++) out[++i] = number(w, k, what);
            }
            return out;
        }

        int integer(String[] w, int k, String what) {
            if (k >= w.length) throw error("missing " + what);
            try {
                return Integer.parseInt(w[k]);
            } catch (NumberFormatException e) {
                throw error(what + " '" + w[k] + "' is not an integer");
            }
        }

        double number(String[] w, int k, String what) {
            if (k >= w.length) throw error("missing " + what);
            double v;
            try {
                v = Double.parseDouble(w[k]);
            } catch (NumberFormatException e) {
                throw error(what + ": word " + (k + 1) + " '" + w[k] + "' is not a number");
            }
            if (!Double.isFinite(v)) throw error(what + ": word " + (k + 1) + " '" + w[k] + "' is not finite");
            return v;
        }

        IllegalArgumentException error(String msg) {
            return new IllegalArgumentException(source + " line " + current + ": " + msg);
        }
    }
}
