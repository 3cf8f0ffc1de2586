package org.crucible.dft.castep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.dft.DftCode;
import org.crucible.dft.DftInputException;
import org.crucible.dft.input.InputGenerator;
import org.crucible.dft.input.InputSet;
import org.crucible.dft.input.KpointMesh;
import org.crucible.dft.input.RelaxationRequest;
import org.crucible.dft.input.Settings;
import org.crucible.dft.input.Species;

/**
 * CASTEP single-point inputs {@code <seed>.cell} and {@code <seed>.param} (seed {@code castep}), run as
 * {@code <command> castep}, output {@code castep.castep}.
 *
 * <p>.cell: {@code LATTICE_CART} and {@code POSITIONS_ABS} in Angstrom, {@code KPOINTS_MP_GRID} from the shared
 * {@link KpointMesh} rule with {@code KPOINTS_MP_OFFSET} 1/(2n) along even axes so the grid is Gamma-centred
 * as in the other codes (CASTEP's own {@code KPOINTS_MP_SPACING} is not used: one rule everywhere), and
 * {@code SPECIES_POT} when pseudopotentials are named (otherwise CASTEP generates its on-the-fly ones).
 * .param: {@code TASK : SinglePoint}, {@code CUT_OFF_ENERGY} (eV), {@code XC_FUNCTIONAL},
 * {@code CALCULATE_STRESS : true}, electronic tolerance, smearing or fixed occupancy, spin, and user keys.
 * {@link #relaxationInputSet} writes a geometry optimisation; read it back with {@link CastepRelaxationReader}.
 *
 * @param settings the recipe
 */
public record CastepInputGenerator(CastepSettings settings) implements InputGenerator {
    /** The seed name of the files. */
    public static final String SEED = "castep";

    public CastepInputGenerator {
        Objects.requireNonNull(settings, "settings");
    }

    /**
     * CASTEP settings. Keys: {@code cut_off_energy} (eV, required), {@code xc_functional} (default PBE),
     * {@code elec_energy_tol} (eV per atom, default 1e-8), {@code smearing_width} (eV; absent means
     * {@code FIX_OCCUPANCY : true}), {@code spin_polarized} (default false), {@code pseudopotentials}
     * (species -> file, optional), {@code kpoint_spacing} (1/Angstrom, 2*pi included, default 0.2) or
     * {@code kpoints}, {@code param} (extra .param keys) and {@code cell} (extra .cell keywords).
     */
    public record CastepSettings(double cutOffEnergy, String xcFunctional, double elecEnergyTol, Double smearingWidth,
                                 boolean spinPolarized, Map<String, String> pseudopotentials, KpointMesh kpoints,
                                 Map<String, Object> param, Map<String, Object> cell) {
        public CastepSettings {
            if (!(cutOffEnergy > 0)) throw new DftInputException("CASTEP settings: cut_off_energy must be > 0 eV, got " + cutOffEnergy);
            Objects.requireNonNull(xcFunctional, "xc_functional");
            if (!(elecEnergyTol > 0)) throw new DftInputException("CASTEP settings: elec_energy_tol must be > 0, got " + elecEnergyTol);
            if (smearingWidth != null && !(smearingWidth > 0)) throw new DftInputException("CASTEP settings: smearing_width must be > 0 eV");
            pseudopotentials = Map.copyOf(pseudopotentials);
            Objects.requireNonNull(kpoints, "kpoints");
            param = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(param));
            cell = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(cell));
        }

        public static CastepSettings from(Settings s) {
            String code = s.string("code", "castep");
            if (!code.equalsIgnoreCase("castep")) s.problem("code", "these settings are for '" + code + "', not castep");
            double cutoff = s.requirePositive("cut_off_energy");
            String xc = s.string("xc_functional", "PBE");
            double tol = s.positive("elec_energy_tol", 1e-8);
            Double width = s.positive("smearing_width", null);
            boolean spin = s.bool("spin_polarized", false);
            Map<String, String> pps = s.stringMap("pseudopotentials");
            KpointMesh k = s.kpoints(org.crucible.dft.input.RecipeDefaults.KPOINT_SPACING);
            Map<String, Object> param = s.scalarMap("param");
            Map<String, Object> cell = s.scalarMap("cell");
            s.rejectUnknown();
            return new CastepSettings(cutoff, xc, tol, width, spin, pps, k, param, cell);
        }
    }

    public static CastepInputGenerator fromSettings(Settings s) {
        return new CastepInputGenerator(CastepSettings.from(s));
    }

    @Override
    public DftCode code() {
        return DftCode.CASTEP;
    }

    /**
     * The single point when {@code relax} is null, else the following.
     * <p>A CASTEP geometry optimisation: .param {@code TASK : GeometryOptimization}, {@code GEOM_FORCE_TOL} (eV/ang,
     * CASTEP's bound on the largest per-atom force norm) and {@code GEOM_MAX_ITER}; .cell {@code FIX_ALL_CELL :
     * true} at fixed cell, or an {@code EXTERNAL_PRESSURE} block (GPa, hydrostatic) for a variable cell; the
     * stress is still computed; everything else as the single point. CASTEP's other criteria keep their defaults
     * (energy 2e-5 eV/atom, displacement 1e-3 Angstrom, stress 0.1 GPa). The request owns {@code TASK},
     * {@code GEOM_FORCE_TOL}, {@code GEOM_MAX_ITER}, {@code FIX_ALL_CELL} and {@code EXTERNAL_PRESSURE}: the
     * settings may repeat a scalar one with the same value, a different value is refused.
     */
    @Override
    public InputSet write(Structure s, RelaxationRequest relax) {
        InputGenerator.requirePeriodic(s, "CASTEP");
        Cell cell = s.cell();
        StringBuilder c = new StringBuilder();
        c.append("%BLOCK LATTICE_CART\nang\n");
        for (int r = 0; r < 3; r++) {
            c.append("  ").append(Species.fixed(cell.get(r, 0))).append(' ').append(Species.fixed(cell.get(r, 1))).append(' ')
                    .append(Species.fixed(cell.get(r, 2))).append('\n');
        }
        c.append("%ENDBLOCK LATTICE_CART\n\n%BLOCK POSITIONS_ABS\nang\n");
        for (int i = 0; i < s.size(); i++) {
            c.append(String.format(Locale.ROOT, "  %-3s ", s.symbol(i))).append(Species.fixed(s.coordinate(i, 0))).append(' ')
                    .append(Species.fixed(s.coordinate(i, 1))).append(' ').append(Species.fixed(s.coordinate(i, 2))).append('\n');
        }
        c.append("%ENDBLOCK POSITIONS_ABS\n\n");
        int[] k = settings.kpoints().gridFor(cell);
        c.append("KPOINTS_MP_GRID : ").append(k[0]).append(' ').append(k[1]).append(' ').append(k[2]).append('\n');
        c.append("KPOINTS_MP_OFFSET :");
        for (int n : k) c.append(' ').append(n % 2 == 0 ? Species.fixed(0.5 / n) : Species.fixed(0.0));
        c.append('\n');
        if (!settings.pseudopotentials().isEmpty()) {
            c.append("\n%BLOCK SPECIES_POT\n");
            for (String sp : Species.inOrder(s)) {
                String pot = settings.pseudopotentials().get(sp);
                if (pot == null) {
                    throw new DftInputException("CASTEP settings name pseudopotentials but none for species " + sp + " (pseudopotentials: "
                            + settings.pseudopotentials().keySet() + ")");
                }
                c.append("  ").append(sp).append(' ').append(pot).append('\n');
            }
            c.append("%ENDBLOCK SPECIES_POT\n");
        }
        Map<String, Object> cellKeys = new LinkedHashMap<>();
        Map<String, Object> ownedCell = new LinkedHashMap<>();
        if (relax != null) {
            ownedCell.put("EXTERNAL_PRESSURE", null); // a block: the settings cannot give it as a keyword
            ownedCell.put("FIX_ALL_CELL", !relax.variableCell()); // written only when true (false is CASTEP's default)
        }
        merge(cellKeys, settings.cell(), ownedCell, "cell");
        for (var e : ownedCell.entrySet()) if (Boolean.TRUE.equals(e.getValue())) cellKeys.put(e.getKey(), e.getValue());
        for (var e : cellKeys.entrySet()) c.append(e.getKey()).append(" : ").append(value(e.getValue())).append('\n');
        if (relax != null && relax.variableCell()) {
            String p = value(relax.pressureGPa());
            c.append("\n%BLOCK EXTERNAL_PRESSURE\nGPa\n  ").append(p).append(" 0.0 0.0\n  ").append(p).append(" 0.0\n  ").append(p)
                    .append("\n%ENDBLOCK EXTERNAL_PRESSURE\n");
        }

        Map<String, Object> p = new LinkedHashMap<>();
        Map<String, Object> ownedParam = new LinkedHashMap<>();
        if (relax != null) {
            ownedParam.put("TASK", "GeometryOptimization");
            ownedParam.put("GEOM_FORCE_TOL", value(relax.fmaxEvPerAngstrom()) + " eV/ang");
            ownedParam.put("GEOM_MAX_ITER", relax.maxSteps());
        }
        p.put("TASK", relax == null ? "SinglePoint" : ownedParam.get("TASK"));
        p.put("CUT_OFF_ENERGY", value(settings.cutOffEnergy()) + " eV");
        p.put("XC_FUNCTIONAL", settings.xcFunctional());
        p.put("CALCULATE_STRESS", true);
        p.put("ELEC_ENERGY_TOL", value(settings.elecEnergyTol()) + " eV");
        if (settings.smearingWidth() == null) {
            p.put("FIX_OCCUPANCY", true);
        } else {
            p.put("FIX_OCCUPANCY", false);
            p.put("SMEARING_WIDTH", value(settings.smearingWidth()) + " eV");
        }
        p.put("SPIN_POLARIZED", settings.spinPolarized());
        p.put("WRITE_CHECKPOINT", "none");
        for (var e : ownedParam.entrySet()) p.put(e.getKey(), e.getValue());
        merge(p, settings.param(), ownedParam, "param");
        StringBuilder par = new StringBuilder();
        for (var e : p.entrySet()) par.append(e.getKey()).append(" : ").append(value(e.getValue())).append('\n');
        Map<String, String> files = new LinkedHashMap<>();
        files.put(SEED + ".cell", c.toString());
        files.put(SEED + ".param", par.toString());
        // The .cell comes back with the output: the parser needs its atom order (CASTEP prints ions grouped by species).
        return new InputSet(DftCode.CASTEP, files, List.of(SEED), SEED + ".stdout", SEED + ".castep").withExtraOutputs(List.of(SEED + ".cell"));
    }

    /** Adds the user's keywords (upper case); one the relaxation request owns must repeat the request's value. */
    private static void merge(Map<String, Object> target, Map<String, Object> user, Map<String, Object> owned, String where) {
        for (var e : user.entrySet()) {
            String key = e.getKey().toUpperCase(Locale.ROOT);
            if (owned.containsKey(key)) {
                Object mine = owned.get(key);
                if (mine == null || !value(mine).equalsIgnoreCase(value(e.getValue()).strip())) {
                    throw new DftInputException("CASTEP settings: " + where + "." + e.getKey() + " = " + e.getValue()
                            + " conflicts with the relaxation request" + (mine == null ? ", which writes the " + key + " block" : ", which sets " + key + " : " + value(mine))
                            + "; remove it from the settings");
                }
                continue;
            }
            target.put(key, e.getValue());
        }
    }

    private static String value(Object v) {
        if (v instanceof Boolean b) return b ? "true" : "false";
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e9) return String.format(Locale.ROOT, "%.1f", d);
        return String.valueOf(v);
    }
}
