package org.crucible.dft.qe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.crucible.core.units.Units;
import org.crucible.dft.DftCode;
import org.crucible.dft.DftParseException;
import org.crucible.dft.DftResult;
import org.crucible.dft.DftStatus;
import org.crucible.dft.DftStep;
import org.crucible.dft.OutputParser;
import org.crucible.dft.io.TextLines;

/**
 * Reads the standard output of Quantum ESPRESSO pw.x (tested on 6.1, 6.7MaX and 6.7GPU; the markers used have
 * been stable since 5.x).
 *
 * <p>Units: energies are printed in Ry and converted with 1 Ry = 13.605693122994 eV; forces in Ry/bohr
 * (printed "Ry/au") converted with 1 Ry/bohr = 25.711033738162943 eV/Angstrom; the stress is read from the
 * Ry/bohr^3 columns (more digits than the kbar ones) and converted to ASE convention as
 * {@code sigma_ASE = -sigma_QE * (Ry/bohr^3 in eV/Angstrom^3)}: pw.x prints the stress with the sign of a
 * pressure (P = +trace/3, positive when the cell wants to expand), ASE the opposite (pressure = -trace/3).
 * The integration test checks this sign against a finite-difference strain derivative of real pw.x energies.
 *
 * <p>Each SCF block ({@code Self-consistent Calculation}) is a step; its energy is the last {@code !} (or, for
 * hybrid functionals, {@code !!}) total energy line in the block, which with smearing is the free energy the
 * forces belong to (the {@code internal energy E=F+TS} line, when printed, becomes
 * {@link DftStep#energyTotal()}). Forces are the first n {@code force =} lines after {@code Forces acting on atoms} (later
 * blocks printed under high verbosity are contributions, not totals).
 *
 * <p>Status: {@code Error in routine} -> failed (message kept); {@code convergence NOT achieved} in the last
 * block -> scf_not_converged; no {@code JOB DONE} -> incomplete; otherwise ok. Relaxations report
 * {@code bfgs converged} as {@link DftResult#ionicConverged()} true, {@code The maximum number of steps has been
 * reached} and {@code bfgs failed} as false ({@code End of BFGS Geometry Optimization} follows both, so it only
 * counts when no verdict was printed).
 */
public final class QeOutputParser implements OutputParser {
    private static final Pattern VERSION = Pattern.compile("Program PWSCF\\s+v\\.?\\s*(\\S+)");
    private static final Pattern WALL = Pattern.compile("PWSCF\\s*:(.*)CPU(.*)WALL");

    @Override
    public DftCode code() {
        return DftCode.QE;
    }

    @Override
    public DftResult parse(Path path, boolean allSteps) {
        Path file = Files.isDirectory(path) ? findOutput(path) : path;
        return parse(TextLines.read(file), allSteps).failedWith(crashReport(file));
    }

    /**
     * pw.x writes its fatal error to a {@code CRASH} file in the working directory as well; when the output was
     * cut before the error block (an MPI abort can lose buffered output) that file is the only trace.
     */
    static String crashReport(Path output) {
        Path crash = output.toAbsolutePath().getParent().resolve("CRASH");
        if (!Files.isRegularFile(crash)) return null;
        try {
            TextLines t = TextLines.read(crash);
            int i = t.find("Error in routine", 0);
            return i < 0 ? null : "CRASH: " + errorText(t, i);
        } catch (DftParseException e) {
            return null;
        }
    }

    /** Picks the pw.x output in a run directory: a *.out/*.log/stdout file that holds "Program PWSCF". */
    static Path findOutput(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> candidates = s.filter(Files::isRegularFile)
                    .filter(p -> {
                        String n = p.getFileName().toString();
                        return n.endsWith(".out") || n.endsWith(".log") || n.equals("stdout") || n.endsWith(".pwo");
                    }).sorted().toList();
            for (Path p : candidates) {
                try (Stream<String> lines = Files.lines(p, java.nio.charset.StandardCharsets.ISO_8859_1)) {
                    if (lines.limit(50).anyMatch(l -> l.contains("Program PWSCF"))) return p;
                }
            }
        } catch (IOException e) {
            throw new DftParseException(String.valueOf(dir), 0, "cannot list run directory: " + e.getMessage());
        }
        throw new DftParseException(String.valueOf(dir), 0, "no pw.x output (a *.out, *.log, *.pwo or stdout file containing 'Program PWSCF') in this directory");
    }

    /** Parses already-read lines (the name is used in messages). */
    public DftResult parse(TextLines t, boolean allSteps) {
        DftResult r = parseLocated(t).result();
        return allSteps ? r : r.lastStepOnly();
    }

    /**
     * Every complete step and, for each, the 0-based index of the line holding its energy ({@code !}); a
     * geometry printed before that line and after the previous step's is the one the step was computed at.
     */
    record Located(DftResult result, List<Integer> energyLines) {
    }

    Located parseLocated(TextLines t) {
        if (t.size() == 0) throw new DftParseException(t.name(), 0, "empty file: no pw.x output");
        String version = null;
        int nAtoms = -1;
        boolean hybridFinal = t.contains("!!");
        List<Block> blocks = new ArrayList<>();
        Block cur = null;
        String error = null;
        boolean jobDone = false;
        Boolean ionic = null;
        Double wall = null;
        for (int i = 0; i < t.size(); i++) {
            String line = t.get(i);
            if (version == null) {
                Matcher m = VERSION.matcher(line);
                if (m.find()) version = m.group(1);
            }
            if (line.contains("number of atoms/cell")) {
                nAtoms = (int) t.numberAfter(i, "=");
            } else if (line.contains("Self-consistent Calculation")) {
                cur = new Block();
                blocks.add(cur);
            } else if (isEnergyLine(line, hybridFinal)) {
                if (cur == null) {
                    cur = new Block();
                    blocks.add(cur);
                }
                cur.energyRy = t.numberAfter(i, "=");
                cur.energyLine = i;
            } else if (line.contains("internal energy E=F+TS") && cur != null) {
                cur.internalRy = t.numberAfter(i, "=");
            } else if (line.contains("convergence has been achieved")) {
                if (cur != null) cur.converged = Boolean.TRUE;
            } else if (line.contains("convergence NOT achieved")) {
                if (cur == null) {
                    cur = new Block();
                    blocks.add(cur);
                }
                cur.converged = Boolean.FALSE;
            } else if (line.contains("Forces acting on atoms") && cur != null && cur.forces == null) {
                requireAtoms(t, i, nAtoms);
                cur.forces = readForces(t, i, nAtoms);
            } else if (line.contains("total") && line.contains("stress") && line.contains("Ry/bohr**3") && cur != null) {
                cur.stress = readStress(t, i);
            } else if (line.contains("bfgs converged")) {
                ionic = Boolean.TRUE;
            } else if (line.contains("End of BFGS Geometry Optimization")) {
                // printed after "The maximum number of steps has been reached." too: a verdict only when alone
                if (ionic == null) ionic = Boolean.TRUE;
            } else if (line.contains("bfgs failed") || line.contains("The maximum number of steps has been reached")) {
                ionic = Boolean.FALSE;
            } else if (line.contains("Error in routine")) {
                error = errorText(t, i);
            } else if (line.contains("JOB DONE")) {
                jobDone = true;
            } else {
                Matcher w = WALL.matcher(line);
                if (w.find()) wall = TextLines.durationSeconds(w.group(2));
            }
        }
        if (version == null && nAtoms < 0) {
            throw new DftParseException(t.name(), 0, "not a pw.x output: no 'Program PWSCF' header and no 'number of atoms/cell' line");
        }
        if (nAtoms < 0) {
            return new Located(new DftResult(DftCode.QE, version, error != null ? DftStatus.FAILED : DftStatus.INCOMPLETE,
                    error != null ? error : "output ends (line " + t.size() + ") before pw.x printed the number of atoms",
                    0, null, List.of(), wall, t.name()), List.of());
        }
        // BFGS relaxations report ionic convergence; MD ("Entering Dynamics") has no ionic criterion: null.
        boolean md = t.contains("Entering Dynamics");
        if (md) ionic = null; // pw.x MD also ends with "The maximum number of steps has been reached."
        boolean relax = !md && (ionic != null || t.contains("number of bfgs steps"));
        boolean expectForces = blocks.stream().anyMatch(b -> b.forces != null);
        boolean expectStress = blocks.stream().anyMatch(b -> b.stress != null);
        List<DftStep> steps = new ArrayList<>();
        List<Integer> energyLines = new ArrayList<>();
        Block last = blocks.isEmpty() ? null : blocks.get(blocks.size() - 1);
        for (Block b : blocks) {
            if (b.energyRy == null) continue;
            boolean complete = (!expectForces || b.forces != null) && (!expectStress || b.stress != null || b != last);
            if (b == last && !complete && !jobDone) continue; // truncated while computing forces/stress
            steps.add(new DftStep(b.energyRy * Units.RY_TO_EV, null, b.internalRy == null ? null : b.internalRy * Units.RY_TO_EV, b.forces, b.stress, Boolean.TRUE.equals(b.converged)));
            energyLines.add(b.energyLine);
        }
        DftStatus status;
        String message = null;
        if (error != null) {
            status = DftStatus.FAILED;
            message = error;
        } else if (last != null && Boolean.FALSE.equals(last.converged)) {
            status = DftStatus.SCF_NOT_CONVERGED;
            message = "pw.x: convergence NOT achieved in the last SCF";
        } else if (!jobDone) {
            status = DftStatus.INCOMPLETE;
            message = "output ends at line " + t.size() + " without 'JOB DONE' (killed, out of wall time, or still running)";
        } else if (steps.isEmpty() || last.energyRy == null) {
            status = DftStatus.FAILED;
            message = "pw.x finished but printed no converged total energy ('!' line)";
        } else {
            status = DftStatus.OK;
            if (Boolean.FALSE.equals(ionic)) message = "relaxation stopped before reaching its force/stress criterion";
        }
        if (status == DftStatus.OK && !steps.get(steps.size() - 1).scfConverged()) {
            status = DftStatus.SCF_NOT_CONVERGED;
            message = "pw.x printed a total energy without 'convergence has been achieved'";
        }
        return new Located(new DftResult(DftCode.QE, version, status, message, nAtoms, relax ? ionic != null ? ionic : Boolean.FALSE : null, steps, wall, t.name()),
                energyLines);
    }

    private static boolean isEnergyLine(String line, boolean hybridFinal) {
        String s = line.stripLeading();
        if (!s.contains("total energy") || !s.contains("=")) return false;
        return hybridFinal ? s.startsWith("!!") : s.startsWith("!");
    }

    private static void requireAtoms(TextLines t, int i, int nAtoms) {
        if (nAtoms <= 0) throw t.error(i, "force block before the number of atoms is known");
    }

    private static double[] readForces(TextLines t, int header, int n) {
        double[] f = new double[3 * n];
        int got = 0;
        for (int i = header + 1; i < t.size() && got < n; i++) {
            String line = t.get(i);
            if (line.contains("force =")) {
                double[] v = t.numbersAfter(i, "force =", 3);
                for (int k = 0; k < 3; k++) f[3 * got + k] = v[k] * Units.RY_PER_BOHR_TO_EV_PER_A;
                got++;
            } else if (!line.isBlank() && got > 0) {
                break;
            }
        }
        if (got < n) return null; // truncated force block: the step is not complete
        return f;
    }

    private static double[] readStress(TextLines t, int header) {
        if (header + 3 >= t.size()) return null;
        double[] m = new double[9];
        for (int r = 0; r < 3; r++) {
            double[] v = t.numbers(header + 1 + r, t.get(header + 1 + r));
            if (v.length < 3) throw t.error(header + 1 + r, "expected a stress row (3 values in Ry/bohr^3)");
            for (int c = 0; c < 3; c++) m[3 * r + c] = -v[c] * Units.RY_PER_BOHR3_TO_EV_PER_A3;
        }
        return Units.toVoigt(m);
    }

    private static String errorText(TextLines t, int i) {
        StringBuilder sb = new StringBuilder(t.get(i).strip());
        for (int k = i + 1; k < Math.min(t.size(), i + 6); k++) {
            String s = t.get(k).strip();
            if (s.startsWith("%%%%")) break;
            if (!s.isEmpty()) sb.append(": ").append(s);
        }
        return sb.toString();
    }

    private static final class Block {
        Double energyRy;
        int energyLine = -1;
        Double internalRy;
        Boolean converged;
        double[] forces;
        double[] stress;
    }
}
