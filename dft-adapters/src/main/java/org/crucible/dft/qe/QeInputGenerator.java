package org.crucible.dft.qe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.crucible.core.Cell;
import org.crucible.core.Elements;
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
 * pw.x single-point inputs ({@code pw.in}): {@code &control} with {@code tprnfor} and {@code tstress} on,
 * {@code &system} with {@code ibrav = 0}, cutoffs (Ry) and occupations, {@code &electrons}, then
 * {@code ATOMIC_SPECIES} (masses in amu from core's element table, UPF files checked to exist in the pseudo
 * directory), {@code CELL_PARAMETERS angstrom}, {@code ATOMIC_POSITIONS angstrom} and
 * {@code K_POINTS automatic} with the shared {@link KpointMesh} rule (Gamma-centred: offsets 0 0 0).
 *
 * <p>A {@linkplain InputGenerator#isBoxedMolecule free molecule in a box} (no periodic direction, a cell of positive
 * volume: GAP-RSS's isolated atoms and dimers) is computed as the periodic box with {@code K_POINTS gamma} and
 * {@code tstress = .false.}: its label has energy and forces, no stress. A slab (some directions periodic) is refused.
 *
 * <p>Run as {@code <command> -in pw.in > pw.out}. {@link #relaxationInputSet} writes the same input as a
 * {@code vc-relax}/{@code relax}; read it back with {@link QeRelaxationReader}.
 *
 * @param settings the recipe; see {@link QeSettings}
 */
public record QeInputGenerator(QeSettings settings) implements InputGenerator {
    /** Input file name. */
    public static final String INPUT = "pw.in";
    /** Standard output file name (the parser reads it). */
    public static final String OUTPUT = "pw.out";
    /** Default {@code press_conv_thr} of a variable-cell relaxation in kbar (pw.x's own default, 0.05 GPa). */
    public static final double PRESS_CONV_THR_KBAR = 0.5;
    private static final Set<String> STRUCTURAL = Set.of("ibrav", "nat", "ntyp", "celldm(1)", "a", "b", "c", "cosab", "cosac", "cosbc");

    public QeInputGenerator {
        Objects.requireNonNull(settings, "settings");
    }

    @Override
    public DftCode code() {
        return DftCode.QE;
    }

    /**
     * The single point when {@code relax} is null, else the following.
     * <p>A pw.x relaxation: {@code calculation = 'vc-relax'} ({@code 'relax'} at fixed cell), {@code nstep},
     * {@code forc_conv_thr} in Ry/bohr, {@code &ions ion_dynamics = 'bfgs'} and, for a variable cell,
     * {@code &cell cell_dynamics = 'bfgs', press} (kbar) and {@code press_conv_thr} ({@value #PRESS_CONV_THR_KBAR}
     * kbar unless the settings' {@code cell} mapping says otherwise); everything else as the single point.
     *
     * <p>pw.x stops when every force <em>component</em> is below {@code forc_conv_thr} (and the energy changes by
     * less than {@code etot_conv_thr}, default 1e-4 Ry); a component bound of fmax/sqrt(3) guarantees the
     * request's per-atom norm bound, so {@code forc_conv_thr = fmax / sqrt(3) / 25.711034 (eV/A per Ry/bohr)}.
     * The request owns {@code calculation}, {@code nstep}, {@code forc_conv_thr} and {@code press}: the settings
     * may repeat them with the same value, a different value is refused. Other user entries of {@code control},
     * {@code ions} and {@code cell} (e.g. {@code etot_conv_thr}, {@code cell_dofree}, {@code ion_dynamics =
     * 'damp'}) are written as given.
     */
    @Override
    public InputSet write(Structure s, RelaxationRequest relax) {
        InputGenerator.requirePeriodic(s, "pw.x", true);
        boolean molecule = InputGenerator.isBoxedMolecule(s);
        if (molecule && relax != null && relax.variableCell()) {
            throw new DftInputException("pw.x: structure " + s.formula() + " is a molecule in a box; its box cannot be relaxed (vc-relax)");
        }
        Cell cell = s.cell();
        List<String> species = Species.inOrder(s);
        Map<String, Object> control = new LinkedHashMap<>();
        control.put("calculation", "scf");
        control.put("prefix", "crucible");
        control.put("outdir", "./tmp");
        control.put("pseudo_dir", settings.pseudoDir().toString());
        control.put("tprnfor", true);
        control.put("tstress", !molecule);
        Map<String, Object> owned = new LinkedHashMap<>();
        if (relax != null) {
            owned.put("calculation", relax.variableCell() ? "vc-relax" : "relax");
            owned.put("nstep", relax.maxSteps());
            owned.put("forc_conv_thr", forcConvThrRyPerBohr(relax.fmaxEvPerAngstrom()));
            control.putAll(owned);
        }
        merge(control, settings.control(), owned, "control");
        Map<String, Object> system = new LinkedHashMap<>();
        system.put("ibrav", 0);
        system.put("nat", s.size());
        system.put("ntyp", species.size());
        system.put("ecutwfc", settings.ecutwfc());
        system.put("ecutrho", settings.ecutrho());
        if (settings.smearing() == null) {
            system.put("occupations", "fixed");
        } else {
            system.put("occupations", "smearing");
            system.put("smearing", settings.smearing());
            system.put("degauss", settings.degauss());
        }
        if (settings.spinPolarized()) system.put("nspin", 2);
        for (var e : settings.system().entrySet()) {
            if (STRUCTURAL.contains(e.getKey().toLowerCase(Locale.ROOT))) {
                throw new DftInputException("QE settings: system." + e.getKey() + " is set from the structure and cannot be given");
            }
            system.put(e.getKey(), e.getValue());
        }
        Map<String, Object> electrons = new LinkedHashMap<>();
        electrons.put("conv_thr", settings.convThr());
        electrons.put("mixing_beta", settings.mixingBeta());
        electrons.put("electron_maxstep", settings.electronMaxstep());
        electrons.putAll(settings.electrons());

        StringBuilder sb = new StringBuilder();
        namelist(sb, "control", control);
        namelist(sb, "system", system);
        namelist(sb, "electrons", electrons);
        String calc = String.valueOf(control.get("calculation")).toLowerCase(Locale.ROOT);
        // pw.x reads &ions for relax/md and &cell for vc-relax/vc-md, and fails on a missing namelist.
        if (relax != null) {
            Map<String, Object> ions = new LinkedHashMap<>();
            ions.put("ion_dynamics", "bfgs");
            merge(ions, settings.ions(), Map.of(), "ions");
            namelist(sb, "ions", ions);
            if (relax.variableCell()) {
                Map<String, Object> cellNl = new LinkedHashMap<>();
                Map<String, Object> ownedCell = Map.of("press", relax.pressureGPa() * Units.GPA_TO_KBAR);
                cellNl.put("cell_dynamics", "bfgs");
                cellNl.putAll(ownedCell);
                cellNl.put("press_conv_thr", PRESS_CONV_THR_KBAR);
                merge(cellNl, settings.cell(), ownedCell, "cell");
                namelist(sb, "cell", cellNl);
            }
        } else {
            if (calc.equals("relax") || calc.equals("md") || calc.startsWith("vc-")) namelist(sb, "ions", settings.ions());
            if (calc.startsWith("vc-")) namelist(sb, "cell", settings.cell());
        }
        sb.append("ATOMIC_SPECIES\n");
        for (String sp : species) {
            String upf = settings.pseudopotentials().get(sp);
            if (upf == null) {
                throw new DftInputException("QE settings name no pseudopotential for species " + sp + " (pseudopotentials: "
                        + settings.pseudopotentials().keySet() + ")");
            }
            Path f = settings.pseudoDir().resolve(upf);
            if (settings.checkPseudoFiles() && !Files.isRegularFile(f)) {
                throw new DftInputException("pseudopotential for " + sp + " not found: " + f);
            }
            sb.append(String.format(Locale.ROOT, "  %-3s %.6f %s%n", sp, Elements.bySymbol(sp).mass(), upf));
        }
        sb.append("CELL_PARAMETERS angstrom\n");
        for (int r = 0; r < 3; r++) {
            sb.append("  ").append(Species.fixed(cell.get(r, 0))).append(' ').append(Species.fixed(cell.get(r, 1)))
                    .append(' ').append(Species.fixed(cell.get(r, 2))).append('\n');
        }
        sb.append("ATOMIC_POSITIONS angstrom\n");
        for (int i = 0; i < s.size(); i++) {
            sb.append(String.format(Locale.ROOT, "  %-3s ", s.symbol(i))).append(Species.fixed(s.coordinate(i, 0))).append(' ')
                    .append(Species.fixed(s.coordinate(i, 1))).append(' ').append(Species.fixed(s.coordinate(i, 2))).append('\n');
        }
        if (molecule) {
            sb.append("K_POINTS gamma\n");
            return new InputSet(DftCode.QE, Map.of(INPUT, sb.toString()), List.of("-in", INPUT), OUTPUT, OUTPUT);
        }
        int[] k = settings.kpoints().gridFor(cell);
        sb.append("K_POINTS automatic\n").append(String.format(Locale.ROOT, "  %d %d %d 0 0 0%n", k[0], k[1], k[2]));
        return new InputSet(DftCode.QE, Map.of(INPUT, sb.toString()), List.of("-in", INPUT), OUTPUT, OUTPUT);
    }

    /** pw.x's force criterion for a per-atom norm bound of {@code fmax} eV/Angstrom (see the method above). */
    static double forcConvThrRyPerBohr(double fmaxEvPerAngstrom) {
        return fmaxEvPerAngstrom / Math.sqrt(3.0) / Units.RY_PER_BOHR_TO_EV_PER_A;
    }

    /**
     * Adds the user's entries; an entry for a key the relaxation request owns (compared without case, as
     * Fortran does) must repeat the request's value.
     */
    private static void merge(Map<String, Object> target, Map<String, Object> user, Map<String, Object> owned, String namelist) {
        for (var e : user.entrySet()) {
            String key = e.getKey().toLowerCase(Locale.ROOT);
            if (owned.containsKey(key)) {
                if (!sameValue(owned.get(key), e.getValue())) {
                    throw new DftInputException("QE settings: " + namelist + "." + e.getKey() + " = " + e.getValue()
                            + " conflicts with the relaxation request, which sets " + key + " = " + Species.fortran(owned.get(key))
                            + "; remove it from the settings");
                }
                continue;
            }
            target.put(e.getKey(), e.getValue());
        }
    }

    private static boolean sameValue(Object ours, Object theirs) {
        if (ours instanceof Number a && theirs instanceof Number b) return a.doubleValue() == b.doubleValue();
        return String.valueOf(ours).equalsIgnoreCase(String.valueOf(theirs).strip());
    }

    private static void namelist(StringBuilder sb, String name, Map<String, Object> entries) {
        sb.append('&').append(name).append('\n');
        for (var e : entries.entrySet()) sb.append("  ").append(e.getKey()).append(" = ").append(Species.fortran(e.getValue())).append('\n');
        sb.append("/\n");
    }

    /** Reads the recipe from a settings file; see {@link QeSettings#from(Settings)}. */
    public static QeInputGenerator fromSettings(Settings s) {
        return new QeInputGenerator(QeSettings.from(s));
    }
}
