package org.crucible.dft.vasp;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crucible.core.units.Units;
import org.crucible.dft.DftCode;
import org.crucible.dft.DftParseException;
import org.crucible.dft.DftResult;
import org.crucible.dft.DftStatus;
import org.crucible.dft.DftStep;
import org.crucible.dft.io.TextLines;

/**
 * Reads a VASP OUTCAR (tested on 5.3.5 and 5.4.4; the markers are unchanged in 6.x).
 *
 * <p>Per ionic step VASP prints the electronic iterations, {@code aborting loop because EDIFF is reached} when
 * the SCF converged (VASP 6 prints {@code aborting loop EDIFF was not reached (unconverged)} otherwise, VASP 5
 * nothing, so there a step that stopped before NELM iterations counts as converged), the stress ({@code FORCE on cell =-STRESS}, the {@code in kB} line, order XX YY ZZ XY YZ ZX), the
 * {@code POSITION ... TOTAL-FORCE (eV/Angst)} block, and last the {@code FREE ENERGIE OF THE ION-ELECTRON
 * SYSTEM} block: {@code free  energy   TOTEN} (the free energy the forces belong to) and
 * {@code energy(sigma->0)}. A step is complete at that energy block.
 *
 * <p>Stress: the {@code in kB} values have the sign of a pressure (positive when compressed), the opposite of
 * ASE; sigma_ASE = -kB * 0.1 GPa, reordered to Voigt xx yy zz yz xz xy. Only the {@code in kB} line is read:
 * the component lines above it may overflow into asterisks in valid runs.
 *
 * <p>Status: no {@code General timing and accounting} section -> incomplete; last step without
 * {@code EDIFF is reached} -> scf_not_converged; otherwise ok. Relaxations (IBRION 1, 2, 3 with NSW > 0)
 * report {@code reached required accuracy} as ionic convergence.
 */
public final class OutcarParser {
    private static final Pattern VERSION = Pattern.compile("vasp\\.(\\S+)");

    public DftResult parse(TextLines t, boolean allSteps) {
        if (t.size() == 0) throw new DftParseException(t.name(), 0, "empty file: no VASP OUTCAR content");
        String version = null;
        int nAtoms = -1;
        int ibrion = -1;
        int nsw = 0;
        List<DftStep> steps = new ArrayList<>();
        double[] stress = null;
        double[] forces = null;
        boolean scfOk = false;
        Boolean scfVerdict = null;
        boolean explicitFail = false;
        int nelm = 60;
        int iterations = 0;
        boolean finished = false;
        boolean reached = false;
        Double wall = null;
        for (int i = 0; i < t.size(); i++) {
            String line = t.get(i);
            if (version == null && i < 5) {
                Matcher m = VERSION.matcher(line);
                if (m.find()) version = m.group(1);
            }
            if (line.contains("NIONS =")) {
                nAtoms = (int) t.numberAfter(i, "NIONS =");
            } else if (line.contains("IBRION =")) {
                ibrion = (int) t.numberAfter(i, "IBRION =");
            } else if (line.contains("NSW    =") || line.contains(" NSW =")) {
                nsw = (int) t.numberAfter(i, "=");
            } else if (line.contains("NELM   =") || line.contains("NELM =")) {
                nelm = (int) t.numbersAfter(i, "=", 1)[0];
            } else if (line.contains("Iteration") && line.contains("(") && line.contains("----")) {
                double[] v = t.numbers(i, line.substring(line.indexOf('(')), true);
                if (v.length >= 1) iterations = (int) v[0];
            } else if (line.contains("aborting loop because EDIFF is reached")) {
                scfOk = true;
                scfVerdict = Boolean.TRUE;
            } else if (line.contains("aborting loop EDIFF was not reached")) {
                scfOk = false;
                explicitFail = true;
                scfVerdict = Boolean.FALSE;
            } else if (line.stripLeading().startsWith("in kB")) {
                double[] v = t.numbersAfter(i, "in kB", 6);
                double k = -Units.KBAR_TO_EV_PER_A3;
                stress = new double[] {k * v[0], k * v[1], k * v[2], k * v[4], k * v[5], k * v[3]};
            } else if (line.contains("TOTAL-FORCE (eV/Angst)")) {
                if (nAtoms <= 0) throw t.error(i, "force block before NIONS");
                forces = readForces(t, i, nAtoms);
            } else if (line.contains("free  energy   TOTEN")) {
                double e = t.numberAfter(i, "=");
                Double e0 = null;
                Double eWo = null;
                int j = t.find("energy(sigma->0)", i + 1);
                if (j >= 0 && j <= i + 3) {
                    e0 = t.numberAfter(j, "energy(sigma->0) =");
                    if (t.get(j).contains("without entropy=")) eWo = t.numberAfter(j, "without entropy=");
                }
                // Versions that print no verdict (VASP 4.x) converged when they stopped before NELM iterations.
                boolean converged = scfOk || (!explicitFail && iterations > 0 && iterations < nelm);
                steps.add(new DftStep(e, e0, eWo, forces, stress, converged));
                forces = null;
                stress = null;
                scfOk = false;
                explicitFail = false;
                iterations = 0;
            } else if (line.contains("reached required accuracy")) {
                reached = true;
            } else if (line.contains("General timing and accounting")) {
                finished = true;
            } else if (line.contains("Elapsed time (sec):")) {
                wall = t.numberAfter(i, "Elapsed time (sec):");
            }
        }
        if (version == null && nAtoms < 0) {
            throw new DftParseException(t.name(), 0, "not a VASP OUTCAR: no 'vasp.' version line and no NIONS");
        }
        if (nAtoms < 0) {
            return new DftResult(DftCode.VASP, version, DftStatus.INCOMPLETE, "OUTCAR ends (line " + t.size() + ") before NIONS was printed",
                    0, null, List.of(), wall, t.name());
        }
        boolean relax = nsw > 0 && (ibrion == 1 || ibrion == 2 || ibrion == 3);
        Boolean ionic = relax ? reached : null;
        DftStatus status;
        String message = null;
        DftStep last = steps.isEmpty() ? null : steps.get(steps.size() - 1);
        if (!finished) {
            status = DftStatus.INCOMPLETE;
            message = "OUTCAR ends at line " + t.size() + " without the timing section (killed, out of wall time, or still running)";
        } else if (last == null) {
            status = DftStatus.FAILED;
            message = "VASP finished without a complete ionic step (no 'free  energy   TOTEN' block)";
        } else if (!last.scfConverged()) {
            status = DftStatus.SCF_NOT_CONVERGED;
            message = Boolean.FALSE.equals(scfVerdict) ? "VASP: EDIFF was not reached" : "the last ionic step has no 'aborting loop because EDIFF is reached' (NELM reached)";
        } else {
            status = DftStatus.OK;
            if (Boolean.FALSE.equals(ionic)) message = "relaxation stopped before 'reached required accuracy' (NSW = " + nsw + ")";
        }
        List<DftStep> kept = allSteps || steps.isEmpty() ? steps : List.of(last);
        return new DftResult(DftCode.VASP, version, status, message, nAtoms, ionic, kept, wall, t.name());
    }

    private static double[] readForces(TextLines t, int header, int n) {
        int start = header + 1;
        if (start < t.size() && t.get(start).strip().startsWith("---")) start++;
        if (start + n > t.size()) return null;
        double[] f = new double[3 * n];
        for (int a = 0; a < n; a++) {
            double[] v = t.numbers(start + a, t.get(start + a), false);
            if (v.length != 6) throw t.error(start + a, "expected 6 numbers (position and force) for atom " + (a + 1) + ", found " + v.length);
            f[3 * a] = v[3];
            f[3 * a + 1] = v[4];
            f[3 * a + 2] = v[5];
        }
        return f;
    }
}
