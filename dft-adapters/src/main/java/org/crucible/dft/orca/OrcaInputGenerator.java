package org.crucible.dft.orca;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.crucible.core.Structure;
import org.crucible.dft.DftCode;
import org.crucible.dft.DftInputException;
import org.crucible.dft.input.InputGenerator;
import org.crucible.dft.input.InputSet;
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
 *
 * @param settings the recipe
 */
public record OrcaInputGenerator(OrcaSettings settings) implements InputGenerator {
    public static final String INPUT = "orca.inp";
    public static final String OUTPUT = "orca.out";

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
            if (!code.equalsIgnoreCase("orca")) throw s.error("code", "these settings are for '" + code + "', not orca");
            OrcaSettings o = new OrcaSettings(s.requireString("method"), s.requireString("basis"), s.string("keywords", ""),
                    s.integer("charge", 0), s.integer("multiplicity", 1), s.string("blocks", ""));
            if (s.has("kpoint_spacing") || s.has("kpoints")) throw s.error("kpoint_spacing", "ORCA is molecular: k-points do not apply");
            s.rejectUnknown();
            return o;
        }
    }

    public static OrcaInputGenerator fromSettings(Settings s) {
        return new OrcaInputGenerator(OrcaSettings.from(s));
    }

    @Override
    public DftCode code() {
        return DftCode.ORCA;
    }

    @Override
    public InputSet inputSet(Structure s) {
        Objects.requireNonNull(s, "structure");
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
        sb.append("! ").append(settings.method()).append(' ').append(settings.basis()).append(" EnGrad");
        if (!settings.keywords().isEmpty()) sb.append(' ').append(settings.keywords());
        sb.append('\n');
        if (!settings.blocks().isEmpty()) sb.append(settings.blocks()).append('\n');
        sb.append("* xyz ").append(charge).append(' ').append(mult).append('\n');
        for (int i = 0; i < s.size(); i++) {
            sb.append(String.format(Locale.ROOT, "  %-3s ", s.symbol(i))).append(Species.fixed(s.coordinate(i, 0))).append(' ')
                    .append(Species.fixed(s.coordinate(i, 1))).append(' ').append(Species.fixed(s.coordinate(i, 2))).append('\n');
        }
        sb.append("*\n");
        Map<String, String> files = new LinkedHashMap<>();
        files.put(INPUT, sb.toString());
        return new InputSet(DftCode.ORCA, files, List.of(INPUT), OUTPUT, OUTPUT);
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
