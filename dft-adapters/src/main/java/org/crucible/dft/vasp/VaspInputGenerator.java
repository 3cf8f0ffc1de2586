package org.crucible.dft.vasp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.core.units.Units;
import org.crucible.dft.DftCode;
import org.crucible.dft.DftInputException;
import org.crucible.dft.input.InputGenerator;
import org.crucible.dft.input.InputSet;
import org.crucible.dft.input.KpointMesh;
import org.crucible.dft.input.RelaxationRequest;
import org.crucible.dft.input.Settings;
import org.crucible.dft.input.Species;

/**
 * VASP single-point inputs: INCAR, POSCAR (VASP 5 format with species names, Cartesian Angstrom), KPOINTS
 * (Gamma-centred grid from the shared {@link KpointMesh} rule) and POTCAR concatenated from a user's POTCAR
 * library ({@code <potcar_dir>/<name>/POTCAR}, the layout VASP distributes; never shipped with Crucible).
 *
 * <p>Atom order is kept: POSCAR lists species in runs of consecutive equal elements (VASP accepts a species
 * more than once, with one POTCAR entry per run), so forces read back are in the structure's atom order with
 * no permutation to undo.
 *
 * <p>INCAR defaults for a single point with forces and stress: {@code IBRION = -1}, {@code NSW = 0},
 * {@code ISIF = 2} (stress computed, nothing moved), {@code LWAVE = LCHARG = .FALSE.}; user keys from
 * {@code incar} override or add. {@link #relaxationInputSet} writes a relaxation (IBRION 2, ISIF 3 or 2, NSW,
 * EDIFFG, PSTRESS); read it back with {@link VaspRelaxationReader}.
 *
 * @param settings the recipe
 */
public record VaspInputGenerator(VaspSettings settings) implements InputGenerator {
    /** The file VASP writes the final geometry of a relaxation to. */
    public static final String CONTCAR = "CONTCAR";

    public VaspInputGenerator {
        Objects.requireNonNull(settings, "settings");
    }

    /**
     * VASP settings. Keys: {@code potcar_dir} (required), {@code potcars} (species -> library folder, default the
     * symbol, e.g. {@code {Fe: Fe_pv}}), {@code encut} (eV, required), {@code ediff} (eV, default 1e-6),
     * {@code ismear} (default 0), {@code sigma} (eV, default 0.05), {@code spin_polarized} (default false),
     * {@code isif} (default 2; 3 is also accepted), {@code kpoint_spacing} (1/Angstrom, 2*pi included,
     * default 0.2) or {@code kpoints}, {@code incar} (extra INCAR tags, merged last).
     */
    public record VaspSettings(Path potcarDir, Map<String, String> potcars, double encut, double ediff, int ismear,
                               double sigma, boolean spinPolarized, int isif, KpointMesh kpoints, Map<String, Object> incar) {
        public VaspSettings {
            Objects.requireNonNull(potcarDir, "potcar_dir");
            potcars = Map.copyOf(potcars);
            if (!(encut > 0)) throw new DftInputException("VASP settings: encut must be > 0 eV, got " + encut);
            if (!(ediff > 0)) throw new DftInputException("VASP settings: ediff must be > 0 eV, got " + ediff);
            if (!(sigma > 0)) throw new DftInputException("VASP settings: sigma must be > 0 eV, got " + sigma);
            if (isif != 2 && isif != 3) throw new DftInputException("VASP settings: isif must be 2 or 3 for a single point with stress, got " + isif);
            Objects.requireNonNull(kpoints, "kpoints");
            incar = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(incar));
        }

        public static VaspSettings from(Settings s) {
            String code = s.string("code", "vasp");
            if (!code.equalsIgnoreCase("vasp")) s.problem("code", "these settings are for '" + code + "', not vasp");
            String potcarDir = s.requireString("potcar_dir");
            Map<String, String> potcars = s.stringMap("potcars");
            double encut = s.requirePositive("encut");
            double ediff = s.positive("ediff", 1e-6);
            int ismear = s.integer("ismear", 0);
            double sigma = s.positive("sigma", 0.05);
            boolean spin = s.bool("spin_polarized", false);
            int isif = s.integer("isif", 2);
            if (isif != 2 && isif != 3) s.problem("isif", "must be 2 or 3 for a single point with stress, got " + isif);
            KpointMesh k = s.kpoints(org.crucible.dft.input.RecipeDefaults.KPOINT_SPACING);
            Map<String, Object> incar = s.scalarMap("incar");
            s.rejectUnknown();
            return new VaspSettings(Path.of(potcarDir), potcars, encut, ediff, ismear, sigma, spin, isif, k, incar);
        }
    }

    public static VaspInputGenerator fromSettings(Settings s) {
        return new VaspInputGenerator(VaspSettings.from(s));
    }

    @Override
    public DftCode code() {
        return DftCode.VASP;
    }

    /**
     * The single point when {@code relax} is null, else the following.
     * <p>A VASP relaxation: {@code IBRION = 2} (conjugate gradient; the settings' {@code incar} may choose 1 or 3
     * instead), {@code ISIF = 3} (2 at fixed cell), {@code NSW = maxSteps}, {@code EDIFFG = -fmax} (eV/Angstrom:
     * a negative EDIFFG is VASP's bound on every atom's force norm) and, for a variable cell, {@code PSTRESS} in
     * kBar (GPa x 10); everything else as the single point. The request owns {@code NSW}, {@code ISIF},
     * {@code EDIFFG} and {@code PSTRESS}: the settings may repeat them with the same value, a different value
     * is refused. The set lists {@code CONTCAR} as an extra output (the final geometry).
     */
    @Override
    public InputSet write(Structure s, RelaxationRequest relax) {
        InputGenerator.requirePeriodic(s, "VASP");
        Cell cell = s.cell();
        // Runs of consecutive equal species keep the atom order.
        List<String> runSpecies = new ArrayList<>();
        List<Integer> runCounts = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            String sym = s.symbol(i);
            if (!runSpecies.isEmpty() && runSpecies.get(runSpecies.size() - 1).equals(sym)) {
                runCounts.set(runCounts.size() - 1, runCounts.get(runCounts.size() - 1) + 1);
            } else {
                runSpecies.add(sym);
                runCounts.add(1);
            }
        }
        Map<String, String> potcarText = new LinkedHashMap<>();
        for (String sp : Species.inOrder(s)) {
            String folder = settings.potcars().getOrDefault(sp, sp);
            Path f = settings.potcarDir().resolve(folder).resolve("POTCAR");
            if (!Files.isRegularFile(f)) {
                throw new DftInputException("no POTCAR for species " + sp + ": " + f + " does not exist (potcar_dir " + settings.potcarDir()
                        + (settings.potcars().containsKey(sp) ? ", potcars." + sp + " = " + folder : "; set potcars." + sp + " to choose a folder") + ")");
            }
            try {
                String text = Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1);
                // Input files are written as UTF-8: a non-ASCII byte would change on the way, so refuse it loudly.
                for (int c = 0; c < text.length(); c++) {
                    if (text.charAt(c) > 127) {
                        throw new DftInputException("POTCAR for " + sp + " at " + f + " has a non-ASCII byte at offset " + c + "; is it a POTCAR?");
                    }
                }
                potcarText.put(sp, text.endsWith("\n") ? text : text + "\n");
            } catch (IOException e) {
                throw new DftInputException("cannot read POTCAR for " + sp + " at " + f + ": " + e.getMessage(), e);
            }
        }
        Map<String, Object> incar = new LinkedHashMap<>();
        incar.put("SYSTEM", s.formula());
        incar.put("PREC", "Accurate");
        incar.put("ENCUT", settings.encut());
        incar.put("EDIFF", settings.ediff());
        incar.put("ISMEAR", settings.ismear());
        incar.put("SIGMA", settings.sigma());
        incar.put("ISPIN", settings.spinPolarized() ? 2 : 1);
        incar.put("IBRION", -1);
        incar.put("NSW", 0);
        incar.put("ISIF", settings.isif());
        incar.put("NELM", 100);
        incar.put("LWAVE", false);
        incar.put("LCHARG", false);
        Map<String, Object> owned = new LinkedHashMap<>();
        if (relax != null) {
            incar.put("IBRION", 2);
            owned.put("NSW", relax.maxSteps());
            owned.put("ISIF", relax.variableCell() ? 3 : 2);
            owned.put("EDIFFG", -relax.fmaxEvPerAngstrom());
            if (relax.variableCell()) owned.put("PSTRESS", relax.pressureGPa() * Units.GPA_TO_KBAR);
            incar.putAll(owned);
        }
        for (var e : settings.incar().entrySet()) {
            String key = e.getKey().toUpperCase(Locale.ROOT);
            Object mine = owned.get(key);
            if (mine != null && !sameValue(mine, e.getValue())) {
                throw new DftInputException("VASP settings: incar." + e.getKey() + " = " + e.getValue()
                        + " conflicts with the relaxation request, which sets " + key + " = " + incarValue(mine) + "; remove it from the settings");
            }
            if (relax != null && key.equals("IBRION") && !(e.getValue() instanceof Number n && (n.doubleValue() == 1 || n.doubleValue() == 2 || n.doubleValue() == 3))) {
                throw new DftInputException("VASP settings: incar.IBRION = " + e.getValue()
                        + " cannot relax a structure; use 1 (quasi-Newton), 2 (conjugate gradient, the default) or 3 (damped MD)");
            }
            incar.put(key, mine != null ? mine : e.getValue());
        }
        StringBuilder in = new StringBuilder();
        for (var e : incar.entrySet()) in.append(e.getKey()).append(" = ").append(incarValue(e.getValue())).append('\n');

        StringBuilder pos = new StringBuilder();
        pos.append(s.formula()).append('\n').append("1.0\n");
        for (int r = 0; r < 3; r++) {
            pos.append("  ").append(Species.fixed(cell.get(r, 0))).append(' ').append(Species.fixed(cell.get(r, 1))).append(' ')
                    .append(Species.fixed(cell.get(r, 2))).append('\n');
        }
        pos.append("  ").append(String.join(" ", runSpecies)).append('\n');
        pos.append("  ").append(String.join(" ", runCounts.stream().map(String::valueOf).toList())).append('\n');
        pos.append("Cartesian\n");
        for (int i = 0; i < s.size(); i++) {
            pos.append("  ").append(Species.fixed(s.coordinate(i, 0))).append(' ').append(Species.fixed(s.coordinate(i, 1))).append(' ')
                    .append(Species.fixed(s.coordinate(i, 2))).append('\n');
        }
        int[] k = settings.kpoints().gridFor(cell);
        String kp = "Gamma-centred grid, " + settings.kpoints() + "\n0\nGamma\n  " + k[0] + " " + k[1] + " " + k[2] + "\n  0 0 0\n";
        StringBuilder potcar = new StringBuilder();
        for (String sp : runSpecies) potcar.append(potcarText.get(sp));
        Map<String, String> files = new LinkedHashMap<>();
        files.put("INCAR", in.toString());
        files.put("POSCAR", pos.toString());
        files.put("KPOINTS", kp);
        files.put("POTCAR", potcar.toString());
        InputSet set = new InputSet(DftCode.VASP, files, List.of(), "vasp.out", "OUTCAR");
        return relax == null ? set : set.withExtraOutputs(List.of(CONTCAR));
    }

    private static boolean sameValue(Object ours, Object theirs) {
        if (ours instanceof Number a && theirs instanceof Number b) return a.doubleValue() == b.doubleValue();
        if (ours instanceof Number a && theirs instanceof String b) {
            try {
                return a.doubleValue() == Double.parseDouble(b.strip());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return String.valueOf(ours).equalsIgnoreCase(String.valueOf(theirs).strip());
    }

    private static String incarValue(Object v) {
        if (v instanceof Boolean b) return b ? ".TRUE." : ".FALSE.";
        if (v instanceof Double d) {
            if (d == Math.rint(d) && Math.abs(d) < 1e9) return String.format(Locale.ROOT, "%.1f", d);
            return Double.toString(d);
        }
        return String.valueOf(v);
    }
}
