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
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.crucible.core.Cell;
import org.crucible.core.Element;
import org.crucible.core.Elements;
import org.crucible.core.Structure;

/**
 * VASP POSCAR / CONTCAR (VASP 5 layout, with the species line):
 *
 * <pre>
 * Si8 diamond                 comment
 * 1.0                         scale: s &gt; 0 multiplies lattice and Cartesian positions; s &lt; 0 is the cell volume (Angstrom^3);
 *                             three values scale each lattice vector's Cartesian components
 *   5.431 0.000 0.000         lattice vectors a, b, c as rows (Angstrom, before scaling)
 *   0.000 5.431 0.000
 *   0.000 0.000 5.431
 * Si                          species (VASP 5); a VASP 4 file has none and the species come from the comment
 * 8                           counts per species
 * Selective dynamics          optional: the T/F flags are ignored with a warning (Crucible has no constraints)
 * Direct                      D/d: fractional; C/c/K/k: Cartesian (Angstrom, scaled)
 *   0.00 0.00 0.00 ...
 * </pre>
 *
 * Anything after the positions (velocities, predictor-corrector data of a CONTCAR) is ignored. The writer emits
 * VASP 5 with scale 1, the species in runs of the structure's atom order (so the order survives: "Si O Si" is
 * valid), and Direct coordinates with 16 decimals. Always fully periodic; labels and info are not written.
 *
 * <pre>{@code
 * Structure s = Poscar.read(Path.of("CONTCAR"));
 * Poscar.write(Path.of("POSCAR"), s);
 * }</pre>
 */
public final class Poscar {
    private static final Logger LOG = Logger.getLogger(Poscar.class.getName());

    private Poscar() {
    }

    /** Reads a POSCAR/CONTCAR; warnings (selective dynamics ignored) go to java.util.logging. */
    public static Structure read(Path path) {
        return read(path, w -> LOG.warning(w));
    }

    /** Reads a POSCAR/CONTCAR, handing each warning (a message naming file and line) to {@code warnings}. */
    public static Structure read(Path path, Consumer<String> warnings) {
        try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return read(r, path.toString(), warnings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /** Parses POSCAR text; {@code source} names it in error messages. */
    public static Structure parse(String text, String source, Consumer<String> warnings) {
        return read(new BufferedReader(new StringReader(text)), source, warnings);
    }

    /** Reads one structure from a reader (not closed). */
    public static Structure read(BufferedReader reader, String source, Consumer<String> warnings) {
        LineInput in = new LineInput(reader, source);
        String comment = required(in, "the comment line");
        String scaleLine = required(in, "the scale factor");
        String[] st = scaleLine.trim().split("\\s+");
        double[] scale = new double[st.length >= 3 && Values.parseFortranReal(st[1]) != null && Values.parseFortranReal(st[2]) != null ? 3 : 1];
        for (int k = 0; k < scale.length; k++) {
            Double v = Values.parseFortranReal(st[k]);
            if (v == null || v == 0) throw in.error("scale factor must be a non-zero number, found '" + ExtendedXyz.abbreviate(st[k]) + "'");
            scale[k] = v;
        }
        if (scale.length == 3 && (scale[0] < 0 || scale[1] < 0 || scale[2] < 0)) {
            throw in.error("three scale factors must all be positive, found '" + scaleLine.trim() + "'");
        }
        double[] lattice = new double[9];
        for (int r = 0; r < 3; r++) {
            double[] row = reals(in, required(in, "lattice vector " + (char) ('a' + r)), 3, "lattice vector " + (char) ('a' + r));
            System.arraycopy(row, 0, lattice, 3 * r, 3);
        }
        double[] cartScale = {1, 1, 1};
        if (scale.length == 3) {
            for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) lattice[3 * r + c] *= scale[c];
            cartScale = scale.clone();
        } else {
            double f = scale[0];
            if (f < 0) {
                double v0 = Math.abs(det(lattice));
                if (v0 == 0) throw in.error(2, "negative scale (target volume) with a singular lattice");
                f = Math.cbrt(-scale[0] / v0);
            }
            for (int i = 0; i < 9; i++) lattice[i] *= f;
            cartScale = new double[] {f, f, f};
        }
        Cell cell;
        try {
            cell = Cell.periodic(new double[][] {{lattice[0], lattice[1], lattice[2]}, {lattice[3], lattice[4], lattice[5]}, {lattice[6], lattice[7], lattice[8]}});
        } catch (IllegalArgumentException e) {
            throw in.error(5, "lattice: " + e.getMessage());
        }

        String line = required(in, "the species or counts line");
        String[] tok = line.trim().split("\\s+");
        List<Element> species = new ArrayList<>();
        int speciesLine = 0;
        if (!Values.isInteger(tok[0])) {
            speciesLine = in.lineNumber();
            for (String t : tok) {
                // VASP 6 POTCAR-style names such as "Si_pv" or "Fe/abc": the element is the part before _ or /.
                String sym = t.split("[_/]")[0];
                Element e = element(sym);
                if (e == null) throw in.error("unknown element symbol '" + ExtendedXyz.abbreviate(t) + "' in the species line");
                species.add(e);
            }
            line = required(in, "the counts line");
            tok = line.trim().split("\\s+");
        }
        int[] counts = new int[tok.length];
        int n = 0;
        for (int k = 0; k < tok.length; k++) {
            if (!Values.isInteger(tok[k]) || Long.parseLong(tok[k]) < 0 || Long.parseLong(tok[k]) > 10_000_000) {
                throw in.error("atom counts must be non-negative integers, found '" + ExtendedXyz.abbreviate(tok[k]) + "'");
            }
            counts[k] = Integer.parseInt(tok[k]);
            n += counts[k];
            if (n > 10_000_000) throw in.error("more than 10,000,000 atoms in total on the counts line");
        }
        int countsLine = in.lineNumber();
        if (species.isEmpty()) {
            // VASP 4: no species line; like ASE, take the symbols from the comment line when they match the counts.
            for (String t : comment.trim().split("[\\s,;]+")) {
                Element e = element(t.replaceAll("[0-9.]+$", ""));
                if (e != null) species.add(e);
            }
            if (species.size() != counts.length) {
                throw in.error(countsLine, "VASP 4 POSCAR without a species line, and the comment '" + ExtendedXyz.abbreviate(comment.trim())
                        + "' does not name " + counts.length + " element(s): add the species line (VASP 5)");
            }
        } else if (species.size() != counts.length) {
            throw in.error(countsLine, species.size() + " species on line " + speciesLine + " but " + counts.length + " counts");
        }

        String mode = required(in, "the coordinate mode (Direct or Cartesian)").trim();
        boolean selective = false;
        if (!mode.isEmpty() && (mode.charAt(0) == 'S' || mode.charAt(0) == 's')) {
            selective = true;
            warnings.accept(in.source() + ", line " + in.lineNumber() + ": selective dynamics flags are ignored (Crucible keeps no constraints)");
            mode = required(in, "the coordinate mode (Direct or Cartesian)").trim();
        }
        char m = mode.isEmpty() ? ' ' : Character.toUpperCase(mode.charAt(0));
        boolean cartesian;
        if (m == 'C' || m == 'K') cartesian = true;
        else if (m == 'D') cartesian = false;
        else throw in.error("expected Direct or Cartesian, found '" + ExtendedXyz.abbreviate(mode) + "'");

        // Arrays grow with the position lines actually read: a counts line claiming millions of atoms over a short
        // file ends in a FormatException, not in a large allocation first.
        int cap = Math.min(n, 1 << 12);
        int[] z = new int[cap];
        double[] xyz = new double[3 * cap];
        int atom = 0;
        for (int k = 0; k < counts.length; k++) {
            for (int c = 0; c < counts[k]; c++, atom++) {
                if (atom == cap) {
                    cap = (int) Math.min(n, 2L * cap);
                    z = java.util.Arrays.copyOf(z, cap);
                    xyz = java.util.Arrays.copyOf(xyz, 3 * cap);
                }
                String pl = in.next();
                if (pl == null) throw in.error("end of file after " + atom + " of " + n + " positions");
                String[] pt = pl.trim().split("\\s+");
                if (pt.length < 3) throw in.error("position of atom " + (atom + 1) + " needs 3 numbers, found '" + ExtendedXyz.abbreviate(pl.trim()) + "'");
                double[] p = new double[3];
                for (int a = 0; a < 3; a++) {
                    Double v = Values.parseFortranReal(pt[a]);
                    if (v == null) throw in.error("position of atom " + (atom + 1) + ": '" + ExtendedXyz.abbreviate(pt[a]) + "' is not a number");
                    p[a] = v;
                }
                if (selective && pt.length >= 6) {
                    for (int a = 3; a < 6; a++) {
                        if (!pt[a].equals("T") && !pt[a].equals("F")) {
                            throw in.error("atom " + (atom + 1) + ": selective dynamics flag must be T or F, found '" + ExtendedXyz.abbreviate(pt[a]) + "'");
                        }
                    }
                }
                double[] r = cartesian ? new double[] {p[0] * cartScale[0], p[1] * cartScale[1], p[2] * cartScale[2]} : cell.toCartesian(p);
                for (int a = 0; a < 3; a++) {
                    if (!Double.isFinite(r[a])) throw in.error("position of atom " + (atom + 1) + " is not finite (" + r[a] + " Angstrom)");
                }
                System.arraycopy(r, 0, xyz, 3 * atom, 3);
                z[atom] = species.get(k).z();
            }
        }
        return Structure.of(cell, z, xyz);
    }

    private static String required(LineInput in, String what) {
        String l = in.next();
        if (l == null) throw in.error(in.lineNumber() + 1, "end of file: expected " + what);
        return l;
    }

    private static double[] reals(LineInput in, String line, int count, String what) {
        String[] t = line.trim().split("\\s+");
        if (t.length < count) throw in.error(what + " needs " + count + " numbers, found '" + ExtendedXyz.abbreviate(line.trim()) + "'");
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            Double v = Values.parseFortranReal(t[i]);
            if (v == null) throw in.error(what + ": '" + ExtendedXyz.abbreviate(t[i]) + "' is not a number");
            if (!Double.isFinite(v)) throw in.error(what + ": '" + ExtendedXyz.abbreviate(t[i]) + "' is not finite");
            out[i] = v;
        }
        return out;
    }

    private static Element element(String sym) {
        if (sym.isEmpty() || sym.length() > 3) return null;
        String norm = sym.substring(0, 1).toUpperCase(Locale.ROOT) + sym.substring(1).toLowerCase(Locale.ROOT);
        try {
            return Elements.bySymbol(norm);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static double det(double[] a) {
        return a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6]);
    }

    /** Writes one structure to a file (created or replaced). */
    public static void write(Path path, Structure s) {
        try (Writer w = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
            write(w, s);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    /** The POSCAR text of a structure. */
    public static String toString(Structure s) {
        StringBuilder sb = new StringBuilder();
        try {
            write(sb, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sb.toString();
    }

    /**
     * Appends the POSCAR of a structure.
     *
     * @throws IllegalArgumentException when the structure is not fully periodic (POSCAR has no vacuum axes)
     */
    public static void write(Appendable out, Structure s) throws IOException {
        if (!s.cell().isFullyPeriodic()) {
            throw new IllegalArgumentException("POSCAR needs a fully periodic cell; " + s.formula() + " has pbc "
                    + java.util.Arrays.toString(s.cell().pbc()) + " (put the molecule or slab in a periodic box first)");
        }
        List<String> runSymbols = new ArrayList<>();
        List<Integer> runCounts = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            String sym = s.symbol(i);
            if (!runSymbols.isEmpty() && runSymbols.get(runSymbols.size() - 1).equals(sym)) {
                runCounts.set(runCounts.size() - 1, runCounts.get(runCounts.size() - 1) + 1);
            } else {
                runSymbols.add(sym);
                runCounts.add(1);
            }
        }
        Object comment = s.info().get("comment");
        String first = comment instanceof String c && !c.isBlank() ? c.replace('\n', ' ') : s.formula();
        StringBuilder sb = new StringBuilder();
        sb.append(first).append('\n').append("1.0\n");
        double[] m = s.cell().matrix();
        for (int r = 0; r < 3; r++) {
            sb.append(String.format(Locale.ROOT, " %22.16f%22.16f%22.16f\n", m[3 * r], m[3 * r + 1], m[3 * r + 2]));
        }
        for (String sym : runSymbols) sb.append(String.format(Locale.ROOT, " %4s", sym));
        sb.append('\n');
        for (int c : runCounts) sb.append(String.format(Locale.ROOT, " %4d", c));
        sb.append("\nDirect\n");
        double[] f = s.fractionalPositions();
        for (int i = 0; i < s.size(); i++) {
            sb.append(String.format(Locale.ROOT, " %20.16f%20.16f%20.16f\n", f[3 * i], f[3 * i + 1], f[3 * i + 2]));
        }
        out.append(sb);
    }
}
