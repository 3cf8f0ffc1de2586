package org.crucible.dft.qe;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.crucible.dft.DftInputException;
import org.crucible.core.Elements;
import org.crucible.dft.input.KpointMesh;
import org.crucible.dft.input.RecipeDefaults;
import org.crucible.dft.input.Settings;

/**
 * The pw.x recipe. Energies in Ry as pw.x takes them.
 *
 * <p>Settings keys (YAML/JSON; the same schema for recipe files and a campaign's inline {@code oracle.settings}):
 * {@code pseudo_dir} (default {@value #DEFAULT_PSEUDO_DIR}), {@code pseudopotentials} (element symbol -> UPF file,
 * required), {@code ecutwfc} (Ry, default 30), {@code ecutrho} (Ry, at least and by default 4 x ecutwfc, right for
 * norm-conserving pseudopotentials; use 8-12 x for ultrasoft/PAW), {@code smearing} (e.g. {@code mv},
 * {@code gaussian}, {@code fd}; absent or {@code none} means fixed occupations), {@code degauss} (Ry, default 0.01 with
 * smearing), {@code spin_polarized} (default false), {@code conv_thr} (Ry, default 1e-8), {@code mixing_beta}
 * (default 0.7), {@code electron_maxstep} (default 100), {@code kpoint_spacing} (1/Angstrom, 2*pi included,
 * default 0.2; the old spelling {@code kspacing} is read with a warning) or {@code kpoints: [n1, n2, n3]}, and free-form {@code control}, {@code system},
 * {@code electrons} mappings merged last into the namelists ({@code ions} and {@code cell} are written when
 * {@code control.calculation} is a relaxation or MD that needs them, and in every input of
 * {@code QeInputGenerator.relaxationInputSet}, where they refine its BFGS defaults). {@code check_pseudo_files} (default true)
 * checks the UPF files exist when inputs are written. {@code code: qe} may be present.
 */
public record QeSettings(Path pseudoDir, Map<String, String> pseudopotentials, double ecutwfc, double ecutrho,
                         String smearing, double degauss, boolean spinPolarized, double convThr, double mixingBeta,
                         int electronMaxstep, KpointMesh kpoints, Map<String, Object> control, Map<String, Object> system,
                         Map<String, Object> electrons, Map<String, Object> ions, Map<String, Object> cell, boolean checkPseudoFiles) {
    /** Default k-point spacing in 1/Angstrom (2*pi included), the NN-ensemble paper's mesh interval. */
    public static final double DEFAULT_KPOINT_SPACING = RecipeDefaults.KPOINT_SPACING;
    /** {@code pseudo_dir} when not given: where Debian's quantum-espresso-data installs its pseudopotentials. */
    public static final String DEFAULT_PSEUDO_DIR = "/usr/share/espresso/pseudo";
    /** {@code ecutwfc} when not given, in Ry (a campaign file's inline default before recipes and campaigns shared one schema). */
    public static final double DEFAULT_ECUTWFC = 30.0;

    public QeSettings {
        Objects.requireNonNull(pseudoDir, "pseudo_dir");
        pseudopotentials = Map.copyOf(pseudopotentials);
        if (pseudopotentials.isEmpty()) throw new DftInputException("QE settings: pseudopotentials must name a UPF file per species");
        if (!(ecutwfc > 0)) throw new DftInputException("QE settings: ecutwfc must be > 0 Ry, got " + ecutwfc);
        if (!(ecutrho >= ecutwfc)) throw new DftInputException("QE settings: ecutrho (" + ecutrho + " Ry) must be >= ecutwfc (" + ecutwfc + " Ry)");
        if (smearing != null && !(degauss > 0)) throw new DftInputException("QE settings: degauss must be > 0 Ry with smearing, got " + degauss);
        if (!(convThr > 0)) throw new DftInputException("QE settings: conv_thr must be > 0 Ry, got " + convThr);
        if (!(mixingBeta > 0 && mixingBeta <= 1)) throw new DftInputException("QE settings: mixing_beta must be in (0, 1], got " + mixingBeta);
        if (electronMaxstep < 1) throw new DftInputException("QE settings: electron_maxstep must be >= 1, got " + electronMaxstep);
        Objects.requireNonNull(kpoints, "kpoints");
        control = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(control));
        system = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(system));
        electrons = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(electrons));
        ions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(ions));
        cell = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(cell));
    }

    /** Reads and validates the keys listed above with today's defaults ({@link RecipeDefaults#CURRENT}). */
    public static QeSettings from(Settings s) {
        return from(s, RecipeDefaults.CURRENT);
    }

    /**
     * Reads and validates the keys listed above; keys not given take {@code d}'s defaults (a campaign created before
     * the defaults changed resumes with its own); every problem of the mapping is reported at once, unknown keys by name.
     */
    public static QeSettings from(Settings s, RecipeDefaults d) {
        String code = s.string("code", "qe");
        if (!code.equalsIgnoreCase("qe")) s.problem("code", "these settings are for '" + code + "', not qe");
        Path dir = Path.of(s.string("pseudo_dir", DEFAULT_PSEUDO_DIR));
        Map<String, String> pps = s.stringMap("pseudopotentials");
        if (pps.isEmpty()) {
            s.problem("pseudopotentials", "is required: a mapping from element symbol to pseudopotential file, e.g. {Si: Si.pz-vbc.UPF}");
        }
        for (Map.Entry<String, String> e : pps.entrySet()) {
            if (!Elements.isSymbol(e.getKey())) s.problem("pseudopotentials." + e.getKey(), "'" + e.getKey() + "' is not an element symbol");
            else if (e.getValue().isBlank()) s.problem("pseudopotentials." + e.getKey(), "expected a file name, got an empty value");
        }
        double ecutwfc = s.positive("ecutwfc", DEFAULT_ECUTWFC);
        double ecutrho = s.positive("ecutrho", 4 * ecutwfc);
        if (ecutrho < 4 * ecutwfc) s.problem("ecutrho", "value " + ecutrho + " is below 4 * ecutwfc = " + 4 * ecutwfc + " Ry: pw.x rejects it");
        String smearing = s.string("smearing", d.smearing());
        if (smearing != null && (smearing.isBlank() || smearing.equalsIgnoreCase("none") || smearing.equalsIgnoreCase("fixed"))) smearing = null;
        double degauss = s.positive("degauss", 0.01);
        boolean spin = s.bool("spin_polarized", false);
        double conv = s.positive("conv_thr", 1e-8);
        double beta = s.positive("mixing_beta", 0.7);
        if (beta > 1) s.problem("mixing_beta", "must be <= 1, got " + beta);
        Integer maxstep = s.integer("electron_maxstep", 100);
        if (maxstep < 1) s.problem("electron_maxstep", "must be >= 1, got " + maxstep);
        KpointMesh k = s.kpoints(d.kpointSpacing());
        Map<String, Object> control = s.scalarMap("control");
        Map<String, Object> system = s.scalarMap("system");
        Map<String, Object> electrons = s.scalarMap("electrons");
        Map<String, Object> ions = s.scalarMap("ions");
        Map<String, Object> cell = s.scalarMap("cell");
        boolean check = s.bool("check_pseudo_files", true);
        s.rejectUnknown();
        return new QeSettings(dir, pps, ecutwfc, ecutrho, smearing, degauss, spin, conv, beta, maxstep, k, control, system, electrons, ions, cell, check);
    }

    /**
     * Every setting after defaults, in the keys of the settings file (a recipe that {@link #from} reads back to these
     * same settings): what a campaign records at creation ({@code oracle-settings.resolved.json}) and hashes.
     */
    public Map<String, Object> asSettings() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("code", "qe");
        m.put("pseudo_dir", pseudoDir.toString());
        m.put("pseudopotentials", new java.util.TreeMap<>(pseudopotentials));
        m.put("ecutwfc", ecutwfc);
        m.put("ecutrho", ecutrho);
        m.put("smearing", smearing == null ? "none" : smearing);
        m.put("degauss", degauss);
        m.put("spin_polarized", spinPolarized);
        m.put("conv_thr", convThr);
        m.put("mixing_beta", mixingBeta);
        m.put("electron_maxstep", electronMaxstep);
        if (kpoints.spacing() != null) m.put("kpoint_spacing", kpoints.spacing());
        else m.put("kpoints", java.util.List.of(kpoints.grid()[0], kpoints.grid()[1], kpoints.grid()[2]));
        m.put("control", control);
        m.put("system", system);
        m.put("electrons", electrons);
        m.put("ions", ions);
        m.put("cell", cell);
        m.put("check_pseudo_files", checkPseudoFiles);
        return m;
    }
}
