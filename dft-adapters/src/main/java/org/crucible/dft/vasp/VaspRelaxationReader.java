package org.crucible.dft.vasp;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.core.io.FormatException;
import org.crucible.core.io.Poscar;
import org.crucible.dft.DftParseException;
import org.crucible.dft.DftResult;
import org.crucible.dft.RelaxationOutcome;
import org.crucible.dft.io.RelaxedGeometry;
import org.crucible.dft.io.TextLines;

/**
 * Reads a VASP relaxation from its run directory: every ionic step from OUTCAR (or vasprun.xml) and the final
 * geometry from CONTCAR (core's POSCAR reader, full precision).
 *
 * <p>The labels of the last step belong to the geometry OUTCAR prints with its forces ({@code POSITION ...
 * TOTAL-FORCE}, Cartesian, 5 decimals, with the last {@code direct lattice vectors} before it). After
 * {@code reached required accuracy} VASP writes that same geometry to CONTCAR; a run stopped by {@code NSW} may
 * leave a trial geometry of the line search there instead. So CONTCAR is checked against OUTCAR's last
 * geometry (positions within {@value #POSITION_TOLERANCE} Angstrom modulo lattice translations, lattice vectors
 * within {@value #LATTICE_TOLERANCE} Angstrom) and, when it differs, the relaxed structure is OUTCAR's last
 * geometry so that positions and labels stay together. A missing or unreadable CONTCAR after a completed step is a
 * {@link DftParseException} naming it.
 */
public final class VaspRelaxationReader {
    /** Largest difference (Angstrom) between CONTCAR and OUTCAR positions taken as the same geometry; OUTCAR prints 1e-5. */
    public static final double POSITION_TOLERANCE = 1e-4;
    /** Largest difference (Angstrom) between CONTCAR and OUTCAR lattice vector components; OUTCAR prints 1e-9. */
    public static final double LATTICE_TOLERANCE = 1e-5;

    private VaspRelaxationReader() {
    }

    /**
     * @param runDirectory the directory holding the outputs
     * @param mainOutput   OUTCAR or vasprun.xml (the file the parser reads)
     * @param contcar      the final-geometry file name (CONTCAR)
     * @param initial      the structure the relaxation started from
     */
    public static RelaxationOutcome read(Path runDirectory, String mainOutput, String contcar, Structure initial) {
        Path main = runDirectory.resolve(mainOutput);
        DftResult r = new VaspOutputParser().parse(main, true);
        RelaxedGeometry.requireAtomCount(r, initial, String.valueOf(main));
        if (r.steps().isEmpty()) return RelaxationOutcome.of(r, null, initial);
        Path cc = runDirectory.resolve(contcar);
        if (!Files.isRegularFile(cc)) {
            throw new DftParseException(cc, 0, "not found: VASP writes the final geometry of a relaxation there, and " + main.getFileName()
                    + " has " + r.steps().size() + " complete ionic step(s); was it downloaded with the main output?");
        }
        Structure c;
        try {
            c = Poscar.read(cc, w -> { });
        } catch (FormatException e) {
            throw new DftParseException(String.valueOf(cc), e.line(), e.problem(), e);
        } catch (UncheckedIOException e) {
            throw new DftParseException(String.valueOf(cc), 0, "cannot read: " + e.getCause().getMessage(), e);
        }
        if (c.size() != initial.size()) {
            throw new DftParseException(cc, 0, "holds " + c.size() + " atoms but the relaxed structure " + initial.formula() + " has " + initial.size());
        }
        for (int a = 0; a < c.size(); a++) {
            if (c.atomicNumber(a) != initial.atomicNumber(a)) {
                throw new DftParseException(cc, 0, "atom " + (a + 1) + " is " + c.symbol(a) + " but the initial structure has " + initial.symbol(a)
                        + " there (species order differs from the input)");
            }
        }
        Path outcar = runDirectory.resolve("OUTCAR");
        double[][] last = Files.isRegularFile(outcar) ? lastStepGeometry(TextLines.read(outcar), initial.size()) : null;
        if (last != null && !sameGeometry(c, last[0], last[1])) {
            return RelaxationOutcome.of(r, RelaxedGeometry.of(initial, last[0], last[1]), initial);
        }
        return RelaxationOutcome.of(r, RelaxedGeometry.of(initial, c.cell().matrix(), c.positions()), initial);
    }

    /**
     * OUTCAR's geometry of the last complete step: {lattice rows (9), Cartesian positions (3n)}, Angstrom; null
     * when the file has no complete step with positions.
     */
    static double[][] lastStepGeometry(TextLines t, int n) {
        int energy = t.findLast("free  energy   TOTEN");
        if (energy < 0) return null;
        int pos = -1;
        int lattice = -1;
        for (int i = 0; i < energy; i++) {
            String s = t.get(i);
            if (s.contains("POSITION") && s.contains("TOTAL-FORCE")) pos = i;
            else if (s.contains("direct lattice vectors")) lattice = i;
        }
        if (pos < 0 || lattice < 0 || lattice > pos) return null;
        double[] m = new double[9];
        for (int r = 0; r < 3; r++) {
            double[] v = t.numbers(lattice + 1 + r, t.get(lattice + 1 + r), false);
            if (v.length < 3) throw t.error(lattice + 1 + r, "expected a direct lattice vector");
            System.arraycopy(v, 0, m, 3 * r, 3);
        }
        int start = pos + 1;
        if (start < t.size() && t.get(start).strip().startsWith("---")) start++;
        double[] xyz = new double[3 * n];
        for (int a = 0; a < n; a++) {
            int i = start + a;
            if (i >= energy) throw t.error(pos, "POSITION block ends after " + a + " of " + n + " atoms");
            double[] v = t.numbers(i, t.get(i), false);
            if (v.length != 6) throw t.error(i, "expected position and force (6 numbers) for atom " + (a + 1));
            System.arraycopy(v, 0, xyz, 3 * a, 3);
        }
        return new double[][] {m, xyz};
    }

    private static boolean sameGeometry(Structure contcar, double[] lattice, double[] xyz) {
        double[] m = contcar.cell().matrix();
        for (int k = 0; k < 9; k++) if (Math.abs(m[k] - lattice[k]) > LATTICE_TOLERANCE) return false;
        Cell cell = contcar.cell();
        double[] p = contcar.positions();
        for (int a = 0; a < contcar.size(); a++) {
            double[] d = {p[3 * a] - xyz[3 * a], p[3 * a + 1] - xyz[3 * a + 1], p[3 * a + 2] - xyz[3 * a + 2]};
            double[] dm = cell.minimumImage(d);
            if (Math.sqrt(dm[0] * dm[0] + dm[1] * dm[1] + dm[2] * dm[2]) > POSITION_TOLERANCE) return false;
        }
        return true;
    }
}
