package org.crucible.dft.orca;

import java.nio.file.Files;
import java.nio.file.Path;
import org.crucible.core.Structure;
import org.crucible.dft.DftParseException;
import org.crucible.dft.DftResult;
import org.crucible.dft.RelaxationOutcome;
import org.crucible.dft.io.RelaxedGeometry;
import org.crucible.dft.io.TextLines;

/**
 * Reads an ORCA geometry optimisation from its main output: every cycle with an energy and a gradient, and the
 * geometry of the last one.
 *
 * <p>ORCA prints {@code CARTESIAN COORDINATES (ANGSTROEM)} at the start of every cycle, in the input atom
 * order; the geometry of a step is the last such block before its {@code FINAL SINGLE POINT ENERGY}. After
 * convergence ORCA moves once more and evaluates the energy at the stationary point, without a gradient: that
 * evaluation is not a complete step, so the relaxed structure is the last cycle's geometry with its energy and
 * forces (in the shared ORCA 5.0.1 sample the stationary point is 5e-4 Angstrom and 1e-5 eV away from it).
 */
public final class OrcaRelaxationReader {
    private static final String COORDINATES = "CARTESIAN COORDINATES (ANGSTROEM)";

    private OrcaRelaxationReader() {
    }

    /**
     * @param output  ORCA's main output (standard output), or a run directory holding it
     * @param initial the molecule the optimisation started from
     */
    public static RelaxationOutcome read(Path output, Structure initial) {
        Path file = Files.isDirectory(output) ? OrcaOutputParser.findOutput(output) : output;
        TextLines t = TextLines.read(file);
        if (file.getFileName().toString().endsWith(".engrad")) {
            throw new DftParseException(t.name(), 0, "an .engrad file holds one gradient, not a geometry optimisation; read the ORCA main output");
        }
        OrcaOutputParser.Located loc = new OrcaOutputParser().parseLocated(t);
        DftResult r = loc.result();
        RelaxedGeometry.requireAtomCount(r, initial, t.name());
        if (r.steps().isEmpty()) return RelaxationOutcome.of(r, null, initial);
        int anchor = loc.energyLines().get(loc.energyLines().size() - 1);
        int block = -1;
        for (int i = 0; i < anchor; i++) if (t.get(i).strip().equals(COORDINATES)) block = i;
        double[] xyz = block < 0 ? initial.positions() : readCoordinates(t, block, initial);
        return RelaxationOutcome.of(r, RelaxedGeometry.of(initial, null, xyz), initial);
    }

    private static double[] readCoordinates(TextLines t, int header, Structure initial) {
        int n = initial.size();
        int i = header + 1;
        if (i < t.size() && t.get(i).strip().startsWith("---")) i++;
        double[] xyz = new double[3 * n];
        for (int a = 0; a < n; a++, i++) {
            if (i >= t.size()) throw t.error(header, "coordinate block ends after " + a + " of " + n + " atoms");
            String[] f = t.fields(i);
            if (f.length != 4) throw t.error(i, "expected 'element x y z' for atom " + (a + 1) + " of " + n);
            if (!RelaxedGeometry.sameSpecies(f[0], initial.symbol(a))) {
                throw t.error(i, "atom " + (a + 1) + " is '" + f[0] + "' but the initial structure has " + initial.symbol(a) + " there");
            }
            double[] v = t.numbers(i, t.get(i).strip().substring(f[0].length()), false);
            if (v.length != 3) throw t.error(i, "expected 3 coordinates in Angstrom for atom " + (a + 1));
            System.arraycopy(v, 0, xyz, 3 * a, 3);
        }
        return xyz;
    }
}
