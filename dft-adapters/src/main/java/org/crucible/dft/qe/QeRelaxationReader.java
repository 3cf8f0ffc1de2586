package org.crucible.dft.qe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.core.units.Units;
import org.crucible.dft.DftResult;
import org.crucible.dft.RelaxationOutcome;
import org.crucible.dft.io.RelaxedGeometry;
import org.crucible.dft.io.TextLines;

/**
 * Reads a pw.x relaxation ({@code relax} or {@code vc-relax}) from its standard output: every step (one SCF with
 * energy, forces and, when computed, stress) and the geometry of the last complete step.
 *
 * <p>pw.x prints each new geometry after a BFGS step as {@code CELL_PARAMETERS} (variable cell only) and
 * {@code ATOMIC_POSITIONS} blocks, in the units of the input: cell in {@code alat} (the value in the header,
 * {@code (alat= 10.2)}, else {@code celldm(1)}, else the {@code lattice parameter (alat)} line, all in bohr),
 * {@code bohr} or {@code angstrom}; positions in {@code alat}, {@code bohr}, {@code angstrom} or {@code crystal}
 * (fractions of the cell of the same step). The geometry of a step is the last of each block printed before the
 * step's {@code !} energy line, or the initial structure's when none was. A converged {@code vc-relax} ends with
 * {@code Begin final coordinates} and a final SCF at those coordinates with the G-vectors rebuilt for the final
 * cell: that SCF is the last step, and its labels are reproduced by a fresh single point on the returned
 * geometry (tested with real pw.x). A run stopped by {@code nstep} prints one more proposal after its last SCF;
 * it has no labels and is not returned.
 *
 * <p>Species labels must name the initial structure's elements in its atom order; a malformed geometry block is
 * a {@link org.crucible.dft.DftParseException} naming file and line.
 */
public final class QeRelaxationReader {
    private QeRelaxationReader() {
    }

    /**
     * @param output  pw.x's standard output, or a run directory holding it
     * @param initial the structure the relaxation started from (species and atom order of the input)
     */
    public static RelaxationOutcome read(Path output, Structure initial) {
        Path file = Files.isDirectory(output) ? QeOutputParser.findOutput(output) : output;
        TextLines t = TextLines.read(file);
        QeOutputParser.Located loc = new QeOutputParser().parseLocated(t);
        DftResult r = loc.result().failedWith(QeOutputParser.crashReport(file));
        RelaxedGeometry.requireAtomCount(r, initial, t.name());
        if (r.steps().isEmpty()) return RelaxationOutcome.of(r, null, initial);
        int anchor = loc.energyLines().get(loc.energyLines().size() - 1);
        return RelaxationOutcome.of(r, geometryBefore(t, anchor, initial), initial);
    }

    /** The geometry in force at line {@code anchor}: the last blocks printed before it, else the initial ones. */
    static Structure geometryBefore(TextLines t, int anchor, Structure initial) {
        Double celldm = null;
        Double latticeParameter = null;
        int cellLine = -1;
        int posLine = -1;
        Double cellAlat = null;
        Double posAlat = null;
        for (int i = 0; i < anchor; i++) {
            String s = t.get(i).strip();
            if (s.startsWith("CELL_PARAMETERS")) {
                cellLine = i;
                cellAlat = celldm != null ? celldm : latticeParameter;
            } else if (s.startsWith("ATOMIC_POSITIONS")) {
                posLine = i;
                posAlat = celldm != null ? celldm : latticeParameter;
            } else if (s.startsWith("celldm(1)=")) {
                celldm = t.numberAfter(i, "celldm(1)=");
            } else if (s.startsWith("lattice parameter (alat)")) {
                latticeParameter = t.numberAfter(i, "=");
            }
        }
        double[] cell = cellLine < 0 ? null : readCell(t, cellLine, cellAlat);
        double[] xyz = posLine < 0 ? initial.positions() : readPositions(t, posLine, posAlat, cell != null ? cell : initial.cell().matrix(), initial);
        return RelaxedGeometry.of(initial, cell, xyz);
    }

    /** The unit text of a block header: what follows the keyword, without brackets, lower case. */
    private static String unit(TextLines t, int line, String keyword) {
        String s = t.get(line).strip().substring(keyword.length()).strip();
        return s.replaceAll("[(){}]", " ").strip().toLowerCase(Locale.ROOT);
    }

    private static double alatBohr(TextLines t, int line, String unit, Double inEffect) {
        if (unit.contains("=")) {
            return t.numberAfter(line, "=");
        }
        if (inEffect == null) throw t.error(line, "positions or cell in alat units, but no celldm(1) or 'lattice parameter (alat)' was printed before");
        return inEffect;
    }

    private static double[] readCell(TextLines t, int header, Double alatInEffect) {
        String unit = unit(t, header, "CELL_PARAMETERS");
        double scale;
        if (unit.startsWith("alat")) scale = alatBohr(t, header, unit, alatInEffect) * Units.BOHR_TO_ANGSTROM;
        else if (unit.equals("bohr")) scale = Units.BOHR_TO_ANGSTROM;
        else if (unit.equals("angstrom")) scale = 1.0;
        else throw t.error(header, "unknown CELL_PARAMETERS units '" + unit + "' (expected alat, bohr or angstrom)");
        double[] m = new double[9];
        for (int r = 0; r < 3; r++) {
            int i = header + 1 + r;
            if (i >= t.size()) throw t.error(header, "CELL_PARAMETERS block ends after " + r + " of 3 lattice vectors");
            double[] v = t.numbers(i, t.get(i), false);
            if (v.length != 3) throw t.error(i, "expected a lattice vector (3 numbers) in the CELL_PARAMETERS block");
            for (int c = 0; c < 3; c++) m[3 * r + c] = v[c] * scale;
        }
        return m;
    }

    private static double[] readPositions(TextLines t, int header, Double alatInEffect, double[] cellRows, Structure initial) {
        String unit = unit(t, header, "ATOMIC_POSITIONS");
        int n = initial.size();
        double scale = 1.0;
        boolean crystal = false;
        switch (unit) {
            case "alat" -> scale = alatBohr(t, header, unit, alatInEffect) * Units.BOHR_TO_ANGSTROM;
            case "bohr" -> scale = Units.BOHR_TO_ANGSTROM;
            case "angstrom" -> scale = 1.0;
            case "crystal" -> crystal = true;
            default -> throw t.error(header, "unsupported ATOMIC_POSITIONS units '" + unit + "' (read: alat, bohr, angstrom, crystal)");
        }
        double[] xyz = new double[3 * n];
        for (int a = 0; a < n; a++) {
            int i = header + 1 + a;
            if (i >= t.size()) throw t.error(header, "ATOMIC_POSITIONS block ends after " + a + " of " + n + " atoms");
            String[] f = t.fields(i);
            if (f.length < 4) throw t.error(i, "expected 'species x y z' for atom " + (a + 1) + " of " + n + " in the ATOMIC_POSITIONS block");
            if (!RelaxedGeometry.sameSpecies(f[0], initial.symbol(a))) {
                throw t.error(i, "atom " + (a + 1) + " is '" + f[0] + "' but the initial structure has " + initial.symbol(a) + " there");
            }
            String rest = t.get(i).strip().substring(f[0].length());
            double[] v = t.numbers(i, rest, false);
            if (v.length != 3 && v.length != 6) throw t.error(i, "expected 3 coordinates (and optionally 3 if_pos flags) for atom " + (a + 1));
            for (int k = 0; k < 3; k++) xyz[3 * a + k] = v[k] * scale;
        }
        if (crystal) {
            Cell c = new Cell(cellRows, new boolean[] {true, true, true});
            return c.toCartesianAll(xyz);
        }
        return xyz;
    }
}
