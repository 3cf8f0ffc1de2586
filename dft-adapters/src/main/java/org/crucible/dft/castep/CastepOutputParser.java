package org.crucible.dft.castep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.crucible.core.Structure;
import org.crucible.core.units.Units;
import org.crucible.dft.DftCode;
import org.crucible.dft.DftParseException;
import org.crucible.dft.DftResult;
import org.crucible.dft.DftStatus;
import org.crucible.dft.DftStep;
import org.crucible.dft.OutputParser;
import org.crucible.dft.io.TextLines;

/**
 * Reads a CASTEP {@code .castep} file (tested on 16.1, 17.2 and 19.1).
 *
 * <p>Energies: fixed occupations print {@code Final energy = E}; smeared runs print {@code Final energy, E = },
 * then {@code Final free energy (E-TS) = } and {@code NB est. 0K energy (E-0.5TS) = }. The step energy is the
 * free energy (E-TS) when printed, since the forces are its derivatives, else E; E itself is kept as
 * {@link DftStep#energyTotal()} and the 0K estimate as the sigma->0 energy.
 *
 * <p>Forces: the last box whose title contains {@code Forces} ({@code Forces}, {@code Symmetrised Forces},
 * {@code Constrained Forces}, {@code Unconstrained Forces}, {@code Constrained Symmetrised Forces}; any width)
 * after an energy, in eV/Angstrom. Stress: {@code Stress Tensor} or {@code Symmetrised Stress Tensor} boxes in
 * GPa; CASTEP's sign already matches ASE (its printed pressure is -trace/3), so only the unit changes.
 *
 * <p>Steps: every energy line starts a step; energies printed without forces or stress in a file where other
 * steps have them (the extra SCFs of a finite-basis-set correction) are not complete steps. Status:
 * {@code Total time} missing -> incomplete (failed when a {@code <seed>*.err} file beside it holds the
 * error); an electronic-minimisation non-convergence warning ({@code max. SCF cycles performed but system has
 * not reached the groundstate}, printed before the energy it concerns) in the last step -> scf_not_converged.
 * Geometry optimisations report {@code completed successfully} / {@code failed to converge} as ionic
 * convergence (the run itself still ends normally and the last step is a valid single point).
 *
 * <p>Atom order: CASTEP prints ions grouped by species ({@code Si 1, Si 2, C 1}) whatever their order in the input.
 * When the {@code <seed>.cell} is beside the output (local runs; the farm downloads it with the output), forces are
 * put back into the .cell's order, so they match the structure that was written; otherwise they stay in CASTEP's
 * printed order.
 */
public final class CastepOutputParser implements OutputParser {
    private static final Pattern VERSION = Pattern.compile("CASTEP version\\s*:?\\s*(\\d[\\w.]*)");

    @Override
    public DftCode code() {
        return DftCode.CASTEP;
    }

    @Override
    public DftResult parse(Path path, boolean allSteps) {
        Path file = path;
        if (Files.isDirectory(path)) {
            try (Stream<Path> s = Files.list(path)) {
                List<Path> c = s.filter(p -> p.getFileName().toString().endsWith(".castep")).sorted().toList();
                if (c.isEmpty()) throw new DftParseException(String.valueOf(path), 0, "no *.castep file in this directory");
                file = c.get(0);
            } catch (IOException e) {
                throw new DftParseException(String.valueOf(path), 0, "cannot list: " + e.getMessage());
            }
        }
        TextLines t = TextLines.read(file);
        DftResult r = parse(t, allSteps, errorFileText(file));
        Structure input = inputSpecies(file);
        if (input == null || r.nAtoms() != input.size()) return r;
        int[] order = CastepRelaxationReader.printedOrder(t, input);
        return order == null ? r : CastepRelaxationReader.reorderForces(r, order);
    }

    /**
     * The species of the {@code <seed>.cell} beside {@code castep}, in input order, as a structure whose positions are
     * not used (only symbols matter for the mapping), or null when there is no such file or no positions block.
     * CASTEP prints ions grouped by species ({@code Si 1, Si 2, C 1}) whatever their order in the .cell, so forces
     * are put back into the input order with it; without a .cell beside the output they stay in CASTEP's order.
     */
    static Structure inputSpecies(Path castep) {
        String name = castep.getFileName().toString();
        if (!name.endsWith(".castep") || castep.getParent() == null) return null;
        Path cell = castep.resolveSibling(name.substring(0, name.length() - ".castep".length()) + ".cell");
        if (!Files.isRegularFile(cell)) return null;
        TextLines c = TextLines.read(cell);
        List<Integer> z = new ArrayList<>();
        boolean in = false;
        for (int i = 0; i < c.size(); i++) {
            String s = c.get(i).strip();
            String low = s.toLowerCase(java.util.Locale.ROOT);
            if (low.startsWith("%block") && (low.contains("positions_abs") || low.contains("positions_frac"))) {
                in = true;
            } else if (in && low.startsWith("%endblock")) {
                break;
            } else if (in && !s.isEmpty() && !s.startsWith("#") && !s.startsWith("!")) {
                String[] tok = s.split("\\s+");
                if (tok.length < 4) continue; // the optional units line
                String sym = tok[0].split(":")[0];
                if (!org.crucible.core.Elements.isSymbol(sym)) throw c.error(i, "'" + tok[0] + "' is not an element symbol");
                z.add(org.crucible.core.Elements.bySymbol(sym).z());
            }
        }
        if (z.isEmpty()) return null;
        return Structure.of(org.crucible.core.Cell.cubic(1.0), z.stream().mapToInt(Integer::intValue).toArray(), new double[3 * z.size()]);
    }

    /** The text of {@code <seed>*.err} files beside the output (CASTEP writes its fatal errors there). */
    static String errorFileText(Path castep) {
        String name = castep.getFileName().toString();
        if (!name.endsWith(".castep") || castep.getParent() == null) return null;
        String seed = name.substring(0, name.length() - ".castep".length());
        try (Stream<Path> s = Files.list(castep.getParent())) {
            StringBuilder sb = new StringBuilder();
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(seed + ".") && p.getFileName().toString().endsWith(".err")).sorted().toList()) {
                sb.append(Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1).strip()).append(' ');
            }
            return sb.length() == 0 ? null : sb.toString().strip();
        } catch (IOException e) {
            return null;
        }
    }

    public DftResult parse(TextLines t, boolean allSteps, String errorText) {
        DftResult r = parseLocated(t, errorText).result();
        return allSteps ? r : r.lastStepOnly();
    }

    /**
     * Every complete step and, for each, the 0-based index of its {@code Final energy} line; the cell and
     * positions printed before that line and after the previous step's are those the step was computed at.
     */
    record Located(DftResult result, List<Integer> energyLines) {
    }

    Located parseLocated(TextLines t, String errorText) {
        if (t.size() == 0) throw new DftParseException(t.name(), 0, "empty file: no CASTEP output");
        String version = null;
        int nAtoms = -1;
        List<Step> steps = new ArrayList<>();
        Step cur = null;
        boolean finished = false;
        boolean scfFailed = false;
        Boolean ionic = null;
        boolean geom = false;
        Double wall = null;
        for (int i = 0; i < t.size(); i++) {
            String line = t.get(i);
            String s = line.strip();
            if (version == null) {
                Matcher m = VERSION.matcher(line);
                if (m.find()) version = m.group(1);
            }
            if (line.contains("Total number of ions in cell")) {
                nAtoms = (int) t.numberAfter(i, "=");
            } else if (s.startsWith("Final energy") && (s.startsWith("Final energy,") || s.substring("Final energy".length()).stripLeading().startsWith("="))) {
                cur = new Step();
                cur.line = i;
                cur.e = t.numberAfter(i, "=");
                cur.scfFailed = scfFailed;
                scfFailed = false;
                steps.add(cur);
            } else if (s.startsWith("Final free energy") && cur != null) {
                cur.free = t.numberAfter(i, "=");
            } else if (s.startsWith("NB est. 0K energy") && cur != null) {
                cur.zero = t.numberAfter(i, "=");
            } else if (s.startsWith("***") && s.contains("Forces") && cur != null) {
                if (nAtoms <= 0) throw t.error(i, "force box before the number of ions");
                double[] f = readForces(t, i, nAtoms);
                if (f != null) cur.forces = f;
            } else if (s.startsWith("***") && s.contains("Stress Tensor") && cur != null) {
                double[] st = readStress(t, i);
                if (st != null) cur.stress = st;
            } else if (isScfFailure(s)) {
                scfFailed = true; // CASTEP warns before printing the energy of the unconverged SCF
            } else if (s.contains("Geometry optimization completed successfully")) {
                ionic = Boolean.TRUE;
            } else if (s.contains("Geometry optimization failed to converge")) {
                ionic = Boolean.FALSE;
            } else if (s.startsWith("BFGS:") || s.startsWith("LBFGS:") || s.startsWith("TPSD:") || s.startsWith("Delocalized:")) {
                geom = true;
            } else if (s.startsWith("Total time")) {
                finished = true;
                wall = TextLines.durationSeconds(s.substring(s.indexOf('=') + 1).replace(" s", "s").strip());
            }
        }
        if (version == null && nAtoms < 0) throw new DftParseException(t.name(), 0, "not a CASTEP output: no 'CASTEP version' banner and no ion count");
        if (nAtoms < 0) {
            return new Located(new DftResult(DftCode.CASTEP, version, errorText != null ? DftStatus.FAILED : DftStatus.INCOMPLETE,
                    errorText != null ? errorText : "output ends (line " + t.size() + ") before the ion count", 0, null, List.of(), wall, t.name()), List.of());
        }
        boolean anyFS = steps.stream().anyMatch(x -> x.forces != null || x.stress != null);
        List<DftStep> out = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        for (Step x : steps) {
            if (anyFS && x.forces == null && x.stress == null) continue;
            out.add(new DftStep(x.free != null ? x.free : x.e, x.zero, x.e, x.forces, x.stress, !x.scfFailed));
            lines.add(x.line);
        }
        if (geom && ionic == null) ionic = Boolean.FALSE;
        DftStatus status;
        String message = null;
        DftStep last = out.isEmpty() ? null : out.get(out.size() - 1);
        if (!finished) {
            status = errorText != null ? DftStatus.FAILED : DftStatus.INCOMPLETE;
            message = errorText != null ? errorText : "output ends at line " + t.size() + " without 'Total time' (killed, out of wall time, or still running)";
        } else if (last == null) {
            status = DftStatus.FAILED;
            message = errorText != null ? errorText : "CASTEP finished without a final energy";
        } else if (!last.scfConverged() || scfFailed) {
            status = DftStatus.SCF_NOT_CONVERGED;
            message = "CASTEP: electronic minimisation did not converge";
        } else {
            status = DftStatus.OK;
            if (Boolean.FALSE.equals(ionic)) message = "geometry optimisation failed to converge; the last step is a valid single point";
        }
        return new Located(new DftResult(DftCode.CASTEP, version, status, message, nAtoms, geom ? ionic : null, out, wall, t.name()), lines);
    }

    private static boolean isScfFailure(String s) {
        String l = s.toLowerCase(Locale.ROOT);
        if (l.contains("geometry") || l.contains("bfgs")) return false;
        if (l.contains("not reached the groundstate") || l.contains("not reached the ground state")) return true;
        return (l.contains("did not converge") || l.contains("failed to converge") || l.contains("not converged"))
                && (l.contains("electronic") || l.contains("scf") || l.contains("ground state") || l.contains("minimisation"));
    }

    private static double[] readForces(TextLines t, int header, int n) {
        double[] f = new double[3 * n];
        int got = 0;
        for (int i = header + 1; i < t.size() && got < n; i++) {
            String s = t.get(i).strip();
            if (s.startsWith("****")) break;
            if (!s.startsWith("*")) break;
            String inner = s.substring(1, s.endsWith("*") && s.length() > 1 ? s.length() - 1 : s.length()).strip();
            String[] tok = inner.split("\\s+");
            if (tok.length < 5 || !tok[1].matches("\\d+") || !Character.isLetter(tok[0].charAt(0))) continue;
            String rest = inner.substring(inner.indexOf(tok[1], tok[0].length()) + tok[1].length());
            double[] v = t.numbers(i, rest.replace("(cons'd)", " "), true);
            if (v.length < 3) throw t.error(i, "expected 3 force components");
            System.arraycopy(v, 0, f, 3 * got, 3);
            got++;
        }
        return got == n ? f : null;
    }

    private static double[] readStress(TextLines t, int header) {
        double[] m = new double[9];
        int row = 0;
        for (int i = header + 1; i < t.size() && row < 3; i++) {
            String s = t.get(i).strip();
            if (s.startsWith("****")) break;
            String inner = s.replaceAll("^\\*|\\*$", "").strip();
            String[] tok = inner.split("\\s+");
            if (tok.length == 4 && tok[0].equals("xyz".substring(row, row + 1))) {
                double[] v = t.numbers(i, inner.substring(1), false);
                for (int c = 0; c < 3; c++) m[3 * row + c] = v[c] * Units.GPA_TO_EV_PER_A3;
                row++;
            }
        }
        return row == 3 ? Units.toVoigt(m) : null;
    }

    private static final class Step {
        int line;
        Double e;
        Double free;
        Double zero;
        double[] forces;
        double[] stress;
        boolean scfFailed;
    }
}
