package org.crucible.dft.orca;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.crucible.core.Structure;
import org.crucible.core.units.Units;
import org.crucible.dft.DftCode;
import org.crucible.dft.DftInputException;
import org.crucible.dft.input.InputGenerator;
import org.crucible.dft.input.InputSet;
import org.crucible.dft.input.RelaxationRequest;
import org.crucible.dft.input.Settings;
import org.crucible.dft.input.Species;

/**
 * ORCA single-point inputs ({@code orca.inp}: a {@code !} line with method, basis, {@code EnGrad} and extra
 * keywords, optional {@code %} blocks, and a {@code * xyz charge multiplicity} block in Angstrom), run as
 * {@code <command> orca.inp > orca.out}.
 *
 * <p>ORCA is molecular: a structure with any periodic axis is refused. Charge and multiplicity come from the
 * structure's info ({@code charge}, {@code multiplicity}) when present, else from the settings; a
 * multiplicity whose parity does not match the electron count is refused before any run.
 * {@link #relaxationInputSet} writes a geometry optimisation ({@code Opt}); read it back with
 * {@link OrcaRelaxationReader}.
 *
 * @param settings the recipe
 */
public record OrcaInputGenerator(OrcaSettings settings) implements InputGenerator {
    public static final String INPUT = "orca.inp";
    public static final String OUTPUT = "orca.out";
    /** The file ORCA writes the final geometry of an optimisation to (basename of the input + .xyz). */
    public static final String FINAL_XYZ = "orca.xyz";

    public OrcaInputGenerator {
        Objects.requireNonNull(settings, "settings");
    }

    /**
     * ORCA settings. Keys: {@code method} (required, e.g. {@code B3LYP}), {@code basis} (required, e.g.
     * {@code def2-SVP}), {@code keywords} (extra {@code !} keywords, e.g. {@code TightSCF D3BJ}), {@code charge}
     * (default 0), {@code multiplicity} (default 1), {@code blocks} (text appended verbatim before the
     * geometry, e.g. {@code %scf maxiter 200 end}).
     */
    public record OrcaSettings(String method, String basis, String keywords, int charge, int multiplicity, String blocks) {
        public OrcaSettings {
            if (method == null || method.isBlank()) throw new DftInputException("ORCA settings: method is required");
            if (basis == null || basis.isBlank()) throw new DftInputException("ORCA settings: basis is required");
            if (multiplicity < 1) throw new DftInputException("ORCA settings: multiplicity must be >= 1, got " + multiplicity);
            keywords = keywords == null ? "" : keywords.strip();
            blocks = blocks == null ? "" : blocks.strip();
        }

        public static OrcaSettings from(Settings s) {
            String code = s.string("code", "orca");
            if (!code.equalsIgnoreCase("orca")) s.problem("code", "these settings are for '" + code + "', not orca");
            String method = s.requireString("method");
            String basis = s.requireString("basis");
            String keywords = s.string("keywords", "");
            int charge = s.integer("charge", 0);
            int multiplicity = s.integer("multiplicity", 1);
            if (multiplicity < 1) s.problem("multiplicity", "must be >= 1, got " + multiplicity);
            String blocks = s.string("blocks", "");
            if (s.has("kpoint_spacing") || s.has("kpoints")) s.problem("kpoint_spacing", "ORCA is molecular: k-points do not apply");
            s.rejectUnknown();
            return new OrcaSettings(method, basis, keywords, charge, multiplicity, blocks);
        }
    }

    public static OrcaInputGenerator fromSettings(Settings s) {
        return new OrcaInputGenerator(OrcaSettings.from(s));
    }

    @Override
    public DftCode code() {
        return DftCode.ORCA;
    }

    /** What ORCA cannot do in a relaxation: apply a pressure, or add a second {@code %geom} block. */
    private void checkRelaxation(RelaxationRequest request) {
        if (request.pressureGPa() != 0) {
            throw new DftInputException("ORCA relaxes molecules, which have no cell: pressure " + request.pressureGPa()
                    + " GPa cannot be applied (use 0)");
        }
        if (settings.blocks().toLowerCase(Locale.ROOT).contains("%geom")) {
            throw new DftInputException("ORCA settings: blocks already hold a %geom block, which would conflict with the relaxation's"
                    + " %geom (MaxIter, TolMaxG); remove it from the settings");
        }
    }

    /** ORCA's TolMaxG in Eh/bohr for {@code fmax} eV/Angstrom, rounded down to 6 significant digits. */
    static String tolMaxG(double fmaxEvPerAngstrom) {
        return new java.math.BigDecimal(fmaxEvPerAngstrom / Units.HARTREE_PER_BOHR_TO_EV_PER_A)
                .round(new java.math.MathContext(6, java.math.RoundingMode.DOWN)).toString();
    }

    /**
     * The single point when {@code relax} is null, else the following.
     * <p>An ORCA geometry optimisation of a molecule: {@code Opt} instead of {@code EnGrad} on the {@code !} line
     * (ORCA prints the energy and gradient of every cycle) and a {@code %geom} block with {@code MaxIter} and
     * {@code TolMaxG} = fmax / 51.422067 (eV/Angstrom per Eh/bohr); ORCA's other criteria (TolE, TolRMSG,
     * TolMaxD, TolRMSD) keep their defaults. ORCA tests TolMaxG on gradient components in its redundant internal
     * coordinates, so the Cartesian force norm at convergence is close to, not bounded by, fmax. Periodic
     * structures are refused as for single points, and so is a non-zero pressure (a molecule has no cell; the
     * request's {@code variableCell} has nothing to act on) and settings whose {@code blocks} already hold a
     * {@code %geom} block (two would conflict). The set lists ORCA's own final-geometry file {@code orca.xyz}
     * as an extra output for the record; the reader takes the geometry from {@code orca.out}.
     */
    @Override
    public InputSet write(Structure s, RelaxationRequest relax) {
        if (relax != null) checkRelaxation(relax);
        boolean[] pbc = s.cell().pbc();
        if (pbc[0] || pbc[1] || pbc[2]) {
            throw new DftInputException("ORCA is molecular and cannot compute periodic structure " + s.formula() + " (pbc "
                    + java.util.Arrays.toString(pbc) + "); use VASP, QE or CASTEP, or set pbc to false for a molecule");
        }
        int charge = intInfo(s, "charge", settings.charge());
        int mult = intInfo(s, "multiplicity", settings.multiplicity());
        int electrons = -charge;
        for (int i = 0; i < s.size(); i++) electrons += s.atomicNumber(i);
        if (electrons < 0 || (electrons % 2 == 0) != (mult % 2 == 1)) {
            throw new DftInputException("ORCA: multiplicity " + mult + " is impossible for " + electrons + " electrons (" + s.formula()
                    + ", charge " + charge + "): an even electron count needs an odd multiplicity and vice versa");
        }
        StringBuilder sb = new StringBuilder();
        sb.append("! ").append(settings.method()).append(' ').append(settings.basis()).append(relax == null ? " EnGrad" : " Opt");
        if (!settings.keywords().isEmpty()) sb.append(' ').append(settings.keywords());
        sb.append('\n');
        if (!settings.blocks().isEmpty()) sb.append(settings.blocks()).append('\n');
        if (relax != null) {
            sb.append("%geom\n  MaxIter ").append(relax.maxSteps()).append("\n  TolMaxG ").append(tolMaxG(relax.fmaxEvPerAngstrom())).append("\nend\n");
        }
        sb.append("* xyz ").append(charge).append(' ').append(mult).append('\n');
        for (int i = 0; i < s.size(); i++) {
            sb.append(String.format(Locale.ROOT, "  %-3s ", s.symbol(i))).append(Species.fixed(s.coordinate(i, 0))).append(' ')
                    .append(Species.fixed(s.coordinate(i, 1))).append(' ').append(Species.fixed(s.coordinate(i, 2))).append('\n');
        }
        sb.append("*\n");
        Map<String, String> files = new LinkedHashMap<>();
        files.put(INPUT, sb.toString());
        InputSet set = new InputSet(DftCode.ORCA, files, List.of(INPUT), OUTPUT, OUTPUT);
        return relax == null ? set : set.withExtraOutputs(List.of(FINAL_XYZ));
    }

    private static int intInfo(Structure s, String key, int fallback) {
        Object v = s.info().get(key);
        if (v == null) return fallback;
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) return n.intValue();
        try {
            return Integer.parseInt(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new DftInputException("structure info '" + key + "' must be an integer, got " + v);
        }
    }
}
