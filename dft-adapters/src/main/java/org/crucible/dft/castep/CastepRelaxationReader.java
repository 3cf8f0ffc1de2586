package org.crucible.dft.castep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.dft.DftParseException;
import org.crucible.dft.DftResult;
import org.crucible.dft.DftStep;
import org.crucible.dft.RelaxationOutcome;
import org.crucible.dft.io.RelaxedGeometry;
import org.crucible.dft.io.TextLines;

/**
 * Reads a CASTEP geometry optimisation from its {@code .castep} file: every step (each SCF with forces or
 * stress, including line-search trial steps) and the geometry of the last complete step.
 *
 * <p>CASTEP prints a {@code Unit Cell} block (real lattice in Angstrom) before every SCF of a variable-cell run
 * and a {@code Cell Contents} block (fractional coordinates) whenever the ions moved; the geometry of a step is
 * the last of each printed before its {@code Final energy} line (fractional coordinates carried over to a new
 * cell, as CASTEP does when only the cell changes), else the initial one. The {@code BFGS: Final
 * Configuration} printed after the last step repeats that geometry.
 *
 * <p>CASTEP lists ions grouped by species ({@code Si 1, Si 2, C 1}), whatever their order in the input. Rows are
 * matched to the initial structure by species and number within species (the k-th Si of the output is the
 * k-th Si of the input), and the forces of every step are put back into the initial atom order, so both the
 * relaxed positions and its labels follow the input order. This needs the species labels to be element symbols,
 * as {@link CastepInputGenerator} writes them.
 */
public final class CastepRelaxationReader {
    private CastepRelaxationReader() {
    }

    /**
     * @param output  the {@code .castep} file, or a run directory holding one
     * @param initial the structure the optimisation started from
     */
    public static RelaxationOutcome read(Path output, Structure initial) {
        Path file = Files.isDirectory(output) ? castepIn(output) : output;
        TextLines t = TextLines.read(file);
        CastepOutputParser.Located loc = new CastepOutputParser().parseLocated(t, CastepOutputParser.errorFileText(file));
        DftResult r = loc.result();
        RelaxedGeometry.requireAtomCount(r, initial, t.name());
        int n = initial.size();
        int[] order = printedOrder(t, initial);
        if (order != null) r = reorderForces(r, order);
        if (r.steps().isEmpty()) return RelaxationOutcome.of(r, null, initial);
        int anchor = loc.energyLines().get(loc.energyLines().size() - 1);
        int cellLine = -1;
        int contentsLine = -1;
        for (int i = 0; i < anchor; i++) {
            String s = t.get(i).strip();
            if (s.equals("Unit Cell")) cellLine = i;
            else if (s.equals("Cell Contents")) contentsLine = i;
        }
        double[] cell = cellLine < 0 ? initial.cell().matrix() : readLattice(t, cellLine);
        double[] frac;
        if (contentsLine < 0) {
            frac = initial.cell().toFractionalAll(initial.positions());
        } else {
            List<Row> rows = readContents(t, contentsLine, n);
            frac = new double[3 * n];
            for (int p = 0; p < n; p++) System.arraycopy(rows.get(p).frac, 0, frac, 3 * order[p], 3);
        }
        double[] xyz = new Cell(cell, new boolean[] {true, true, true}).toCartesianAll(frac);
        return RelaxationOutcome.of(r, RelaxedGeometry.of(initial, cell, xyz), initial);
    }

    private static Path castepIn(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> c = s.filter(p -> p.getFileName().toString().endsWith(".castep")).sorted().toList();
            if (c.isEmpty()) throw new DftParseException(String.valueOf(dir), 0, "no *.castep file in this directory");
            return c.get(0);
        } catch (IOException e) {
            throw new DftParseException(String.valueOf(dir), 0, "cannot list: " + e.getMessage());
        }
    }

    /** One row of a Cell Contents table. */
    private record Row(String species, int number, double[] frac, int line) {
    }

    /**
     * For each printed ion (in CASTEP's order), its index in the initial structure; taken from the first Cell
     * Contents table and checked against the first force box. Null when the file has no table.
     */
    static int[] printedOrder(TextLines t, Structure initial) {
        int n = initial.size();
        int contents = -1;
        for (int i = 0; i < t.size() && contents < 0; i++) if (t.get(i).strip().equals("Cell Contents")) contents = i;
        if (contents < 0) return null;
        List<Row> rows = readContents(t, contents, n);
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int a = 0; a < n; a++) {
            String sym = initial.symbol(a).toLowerCase(Locale.ROOT);
            int k = seen.merge(sym, 1, Integer::sum);
            index.put(sym + "#" + k, a);
        }
        int[] order = new int[n];
        boolean[] used = new boolean[n];
        for (int p = 0; p < n; p++) {
            Row row = rows.get(p);
            String sym = null;
            for (int a = 0; a < n && sym == null; a++) if (RelaxedGeometry.sameSpecies(row.species, initial.symbol(a))) sym = initial.symbol(a).toLowerCase(Locale.ROOT);
            Integer a = sym == null ? null : index.get(sym + "#" + row.number);
            if (a == null || used[a]) {
                throw t.error(row.line, "ion " + row.species + " " + row.number + " has no counterpart in the initial structure " + initial.formula());
            }
            used[a] = true;
            order[p] = a;
        }
        checkForceBoxOrder(t, rows);
        return order;
    }

    /** The force boxes must list ions in the Cell Contents order, since forces are mapped with it. */
    private static void checkForceBoxOrder(TextLines t, List<Row> rows) {
        for (int i = 0; i < t.size(); i++) {
            String s = t.get(i).strip();
            if (!(s.startsWith("***") && s.contains("Forces"))) continue;
            int p = 0;
            for (int j = i + 1; j < t.size() && p < rows.size(); j++) {
                String row = t.get(j).strip();
                if (row.startsWith("****")) break;
                String inner = row.replaceAll("^\\*|\\*$", "").strip();
                String[] tok = inner.split("\\s+");
                if (tok.length < 5 || !tok[1].matches("\\d+") || !Character.isLetter(tok[0].charAt(0))) continue;
                Row expected = rows.get(p);
                if (!tok[0].equalsIgnoreCase(expected.species) || Integer.parseInt(tok[1]) != expected.number) {
                    throw t.error(j, "force row " + (p + 1) + " is ion " + tok[0] + " " + tok[1] + " but the Cell Contents table lists "
                            + expected.species + " " + expected.number + " there; cannot map forces to atoms");
                }
                p++;
            }
            return;
        }
    }

    private static List<Row> readContents(TextLines t, int header, int n) {
        int table = t.find("Fractional coordinates of atoms", header);
        if (table < 0 || table > header + 12) throw t.error(header, "Cell Contents block without its 'Fractional coordinates of atoms' table");
        List<Row> rows = new ArrayList<>();
        for (int i = table + 1; i < t.size() && rows.size() < n; i++) {
            String s = t.get(i).strip();
            if (s.startsWith("xxxx")) break;
            if (!s.startsWith("x")) throw t.error(i, "expected a row of the Cell Contents table");
            String inner = s.replaceAll("^x|x$", "").strip();
            String[] tok = inner.split("\\s+");
            if (tok.length < 2 || !tok[1].matches("\\d+") || !Character.isLetter(tok[0].charAt(0))) continue; // headers, rules
            double[] v = t.numbers(i, inner.substring(inner.indexOf(tok[1], tok[0].length()) + tok[1].length()), false);
            if (v.length != 3) throw t.error(i, "expected 3 fractional coordinates for ion " + tok[0] + " " + tok[1]);
            rows.add(new Row(tok[0], Integer.parseInt(tok[1]), v, i));
        }
        if (rows.size() != n) throw t.error(header, "Cell Contents table lists " + rows.size() + " ions, expected " + n);
        return rows;
    }

    private static double[] readLattice(TextLines t, int header) {
        int lat = t.find("Real Lattice", header);
        if (lat < 0 || lat > header + 4) throw t.error(header, "Unit Cell block without its 'Real Lattice(A)' rows");
        double[] m = new double[9];
        for (int r = 0; r < 3; r++) {
            int i = lat + 1 + r;
            if (i >= t.size()) throw t.error(lat, "Unit Cell block ends after " + r + " of 3 lattice vectors");
            double[] v = t.numbers(i, t.get(i), false);
            if (v.length != 6 && v.length != 3) throw t.error(i, "expected a real-lattice row (3 numbers, Angstrom, then 3 reciprocal)");
            System.arraycopy(v, 0, m, 3 * r, 3);
        }
        return m;
    }

    /** The result with every step's forces moved from CASTEP's printed order to the initial atom order. */
    static DftResult reorderForces(DftResult r, int[] order) {
        boolean identity = true;
        for (int p = 0; p < order.length; p++) identity &= order[p] == p;
        if (identity) return r;
        List<DftStep> steps = new ArrayList<>();
        for (DftStep s : r.steps()) {
            double[] f = s.forces();
            double[] g = null;
            if (f != null) {
                g = new double[f.length];
                for (int p = 0; p < order.length; p++) System.arraycopy(f, 3 * p, g, 3 * order[p], 3);
            }
            steps.add(new DftStep(s.energy(), s.energyZeroSigma(), s.energyTotal(), g, s.stress(), s.scfConverged()));
        }
        return new DftResult(r.code(), r.codeVersion(), r.status(), r.message(), r.nAtoms(), r.ionicConverged(), steps, r.wallSeconds(), r.source());
    }
}
