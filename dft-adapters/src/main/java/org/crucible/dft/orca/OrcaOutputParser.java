package org.crucible.dft.orca;

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
 * Reads ORCA outputs (tested on 4.2.1, 5.0.0, 5.0.1, 5.0.4): the main {@code .out} (standard output) and the
 * {@code .engrad} file. Energies in Eh (1 Eh = 27.211386245988 eV); gradients in Eh/bohr, forces = -gradient
 * converted with 1 Eh/bohr = 51.422067476325886 eV/Angstrom. Molecular: no stress.
 *
 * <p>{@code .out}: every {@code FINAL SINGLE POINT ENERGY} starts a step; the gradient block after it
 * ({@code CARTESIAN GRADIENT}, or {@code The cartesian gradient:} for NDO methods such as AM1) gives its
 * forces. In a file with gradients a step without one is not complete; this drops the gradient-less
 * {@code FINAL ENERGY EVALUATION AT THE STATIONARY POINT} of an optimisation, so the last complete step (last
 * cycle: energy and forces at the same geometry) is reported. Status: {@code SCF NOT CONVERGED} or an energy
 * marked {@code (Wavefunction not fully converged!)} -> scf_not_converged; another {@code ERROR} /
 * {@code Aborting the run} -> failed; no {@code ORCA TERMINATED NORMALLY} -> incomplete.
 *
 * <p>{@code .engrad}: atom count, energy, 3n gradient components, then n lines of Z x y z (bohr); a complete
 * file is ok (it records no status), a short one incomplete.
 */
public final class OrcaOutputParser implements OutputParser {
    private static final Pattern VERSION = Pattern.compile("Program Version\\s+(\\S+)");
    private static final Pattern GRAD_LINE = Pattern.compile("^\\s*(\\d+)\\s+\\S+\\s*:\\s*(.*)$");
    private static final Pattern RUN_TIME = Pattern.compile("TOTAL RUN TIME:\\s*(\\d+)\\s*days\\s*(\\d+)\\s*hours\\s*(\\d+)\\s*minutes\\s*(\\d+)\\s*seconds\\s*(\\d+)\\s*msec");

    @Override
    public DftCode code() {
        return DftCode.ORCA;
    }

    @Override
    public DftResult parse(Path path, boolean allSteps) {
        Path file = Files.isDirectory(path) ? findOutput(path) : path;
        TextLines t = TextLines.read(file);
        if (file.getFileName().toString().endsWith(".engrad") || looksLikeEngrad(t)) return parseEngrad(t);
        return parseOut(t, allSteps);
    }

    static Path findOutput(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(Files::isRegularFile).sorted().toList();
            for (Path p : files) {
                String n = p.getFileName().toString();
                if (n.endsWith(".out") || n.endsWith(".log") || n.equals("stdout")) {
                    try (Stream<String> l = Files.lines(p, java.nio.charset.StandardCharsets.ISO_8859_1)) {
                        if (l.limit(200).anyMatch(x -> x.contains("Program Version") || x.contains("O   R   C   A"))) return p;
                    }
                }
            }
            for (Path p : files) if (p.getFileName().toString().endsWith(".engrad")) return p;
        } catch (IOException e) {
            throw new DftParseException(String.valueOf(dir), 0, "cannot list: " + e.getMessage());
        }
        throw new DftParseException(String.valueOf(dir), 0, "no ORCA output (*.out/*.log with the ORCA banner, or *.engrad) in this directory");
    }

    private static boolean looksLikeEngrad(TextLines t) {
        return t.size() > 2 && t.get(0).startsWith("#") && t.get(1).contains("Number of atoms");
    }

    /** Parses an ORCA main output. */
    public DftResult parseOut(TextLines t, boolean allSteps) {
        DftResult r = parseLocated(t).result();
        return allSteps ? r : r.lastStepOnly();
    }

    /**
     * Every complete step of a main output and, for each, the 0-based index of its
     * {@code FINAL SINGLE POINT ENERGY} line; the coordinates printed before that line and after the previous
     * step's are those the step was computed at.
     */
    record Located(DftResult result, List<Integer> energyLines) {
    }

    Located parseLocated(TextLines t) {
        if (t.size() == 0) throw new DftParseException(t.name(), 0, "empty file: no ORCA output");
        String version = null;
        int nAtoms = -1;
        List<Step> steps = new ArrayList<>();
        Step cur = null;
        boolean scfNotConverged = false;
        boolean terminated = false;
        boolean geom = false;
        Boolean ionic = null;
        String error = null;
        Double wall = null;
        for (int i = 0; i < t.size(); i++) {
            String line = t.get(i);
            String s = line.strip();
            if (version == null) {
                Matcher m = VERSION.matcher(line);
                if (m.find()) version = m.group(1);
            }
            if (nAtoms < 0 && s.startsWith("Number of atoms")) {
                double[] v = t.numbers(i, s.substring("Number of atoms".length()).replace(".", " "), true);
                if (v.length >= 1) nAtoms = (int) v[0];
            } else if (s.startsWith("FINAL SINGLE POINT ENERGY")) {
                cur = new Step();
                cur.line = i;
                cur.energy = t.numberAfter(i, "FINAL SINGLE POINT ENERGY") * Units.HARTREE_TO_EV;
                cur.scfOk = !s.contains("not fully converged") && !scfNotConverged;
                scfNotConverged = false;
                steps.add(cur);
            } else if ((s.startsWith("CARTESIAN GRADIENT") || s.equals("The cartesian gradient:")) && cur != null && cur.forces == null) {
                if (nAtoms <= 0) throw t.error(i, "gradient block before the number of atoms");
                cur.forces = readGradient(t, i, nAtoms);
            } else if (s.contains("SCF NOT CONVERGED")) {
                scfNotConverged = true;
            } else if (s.contains("GEOMETRY OPTIMIZATION CYCLE")) {
                geom = true;
            } else if (s.contains("THE OPTIMIZATION HAS CONVERGED")) {
                ionic = Boolean.TRUE;
            } else if (s.contains("ORCA TERMINATED NORMALLY")) {
                terminated = true;
            } else if (s.equals("ERROR") || s.startsWith("ERROR !!!") || s.startsWith("Aborting the run") || s.contains("ORCA finished by error")) {
                if (error == null) error = errorText(t, i);
            } else if (s.startsWith("TOTAL RUN TIME")) {
                Matcher m = RUN_TIME.matcher(s);
                if (m.find()) {
                    wall = 86400.0 * Integer.parseInt(m.group(1)) + 3600.0 * Integer.parseInt(m.group(2)) + 60.0 * Integer.parseInt(m.group(3))
                            + Integer.parseInt(m.group(4)) + 0.001 * Integer.parseInt(m.group(5));
                }
            }
        }
        if (version == null && nAtoms < 0) throw new DftParseException(t.name(), 0, "not an ORCA output: no 'Program Version' banner and no atom count");
        if (nAtoms < 0) {
            return new Located(new DftResult(DftCode.ORCA, version, error != null ? DftStatus.FAILED : DftStatus.INCOMPLETE,
                    error != null ? error : "output ends (line " + t.size() + ") before the atom count", 0, null, List.of(), wall, t.name()), List.of());
        }
        boolean anyGrad = steps.stream().anyMatch(x -> x.forces != null);
        List<DftStep> out = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        for (Step x : steps) {
            if (anyGrad && x.forces == null) continue;
            out.add(new DftStep(x.energy, null, x.forces, null, x.scfOk));
            lines.add(x.line);
        }
        if (geom && ionic == null) ionic = Boolean.FALSE;
        DftStep last = out.isEmpty() ? null : out.get(out.size() - 1);
        DftStatus status;
        String message = null;
        if (scfNotConverged || (last != null && !last.scfConverged())) {
            status = DftStatus.SCF_NOT_CONVERGED;
            message = "ORCA: SCF not converged" + (error != null ? "; " + error : "");
        } else if (error != null) {
            status = DftStatus.FAILED;
            message = error;
        } else if (!terminated) {
            status = DftStatus.INCOMPLETE;
            message = "output ends at line " + t.size() + " without 'ORCA TERMINATED NORMALLY' (killed, out of wall time, or still running)";
        } else if (last == null) {
            status = DftStatus.FAILED;
            message = "ORCA terminated normally but printed no FINAL SINGLE POINT ENERGY";
        } else {
            status = DftStatus.OK;
            if (Boolean.FALSE.equals(ionic)) message = "geometry optimisation did not converge";
        }
        return new Located(new DftResult(DftCode.ORCA, version, status, message, nAtoms, geom ? ionic : null, out, wall, t.name()), lines);
    }

    private static double[] readGradient(TextLines t, int header, int n) {
        double[] f = new double[3 * n];
        int got = 0;
        for (int i = header + 1; i < t.size() && got < n; i++) {
            String s = t.get(i);
            if (s.isBlank() || s.strip().startsWith("---")) {
                if (got > 0) break;
                continue;
            }
            Matcher m = GRAD_LINE.matcher(s);
            if (!m.matches()) {
                if (got > 0) break;
                continue;
            }
            double[] v = t.numbers(i, m.group(2), false);
            if (v.length != 3) throw t.error(i, "expected 3 gradient components (Eh/bohr)");
            for (int k = 0; k < 3; k++) f[3 * got + k] = -v[k] * Units.HARTREE_PER_BOHR_TO_EV_PER_A;
            got++;
        }
        return got == n ? f : null;
    }

    private static String errorText(TextLines t, int i) {
        StringBuilder sb = new StringBuilder();
        for (int k = i; k < Math.min(t.size(), i + 5); k++) {
            String s = t.get(k).strip();
            if (s.startsWith("---") && k > i) break;
            if (!s.isEmpty()) sb.append(sb.length() > 0 ? " " : "").append(s);
        }
        return sb.toString();
    }

    /** Parses an ORCA {@code .engrad} file. */
    public DftResult parseEngrad(TextLines t) {
        if (t.size() == 0) throw new DftParseException(t.name(), 0, "empty file: no ORCA engrad content");
        List<double[]> values = new ArrayList<>();
        List<Integer> lineOf = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            String s = t.get(i).strip();
            if (s.isEmpty() || s.startsWith("#")) continue;
            values.add(t.numbers(i, s, false));
            lineOf.add(i);
        }
        if (values.isEmpty() || values.get(0).length != 1 || values.get(0)[0] < 1 || values.get(0)[0] != Math.rint(values.get(0)[0])) {
            throw new DftParseException(t.name(), values.isEmpty() ? 0 : lineOf.get(0) + 1, "not an ORCA .engrad: the first value must be the atom count");
        }
        int n = (int) values.get(0)[0];
        if (values.size() < 2 + 3 * n) {
            return new DftResult(DftCode.ORCA, null, DftStatus.INCOMPLETE, "engrad ends before the " + 3 * n + " gradient components", n, null, List.of(), null, t.name());
        }
        double e = values.get(1)[0] * Units.HARTREE_TO_EV;
        double[] f = new double[3 * n];
        for (int k = 0; k < 3 * n; k++) {
            double[] v = values.get(2 + k);
            if (v.length != 1) throw t.error(lineOf.get(2 + k), "expected one gradient component per line");
            f[k] = -v[0] * Units.HARTREE_PER_BOHR_TO_EV_PER_A;
        }
        return new DftResult(DftCode.ORCA, null, DftStatus.OK, null, n, null, List.of(new DftStep(e, null, f, null, true)), null, t.name());
    }

    private static final class Step {
        int line;
        double energy;
        boolean scfOk;
        double[] forces;
    }
}
