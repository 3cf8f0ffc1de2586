package org.crucible.dft.qe;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.crucible.dft.DftInputException;
import org.crucible.dft.input.KpointMesh;
import org.crucible.dft.input.Settings;

/**
 * The pw.x recipe. Energies in Ry as pw.x takes them.
 *
 * <p>Settings keys (YAML/JSON): {@code pseudo_dir} (required), {@code pseudopotentials} (species -> UPF file,
 * required), {@code ecutwfc} (Ry, required), {@code ecutrho} (Ry, default 4 x ecutwfc, right for
 * norm-conserving pseudopotentials; use 8-12 x for ultrasoft/PAW), {@code smearing} (e.g. {@code mv},
 * {@code gaussian}, {@code fd}; absent means fixed occupations), {@code degauss} (Ry, default 0.01 with
 * smearing), {@code spin_polarized} (default false), {@code conv_thr} (Ry, default 1e-8), {@code mixing_beta}
 * (default 0.7), {@code electron_maxstep} (default 100), {@code kpoint_spacing} (1/Angstrom, 2*pi included,
 * default 0.2) or {@code kpoints: [n1, n2, n3]}, and free-form {@code control}, {@code system},
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
    public static final double DEFAULT_KPOINT_SPACING = 0.2;

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

    /** Reads and validates the keys listed above; unknown keys are refused by name. */
    public static QeSettings from(Settings s) {
        String code = s.string("code", "qe");
        if (!code.equalsIgnoreCase("qe")) throw s.error("code", "these settings are for '" + code + "', not qe");
        Path dir = Path.of(s.requireString("pseudo_dir"));
        Map<String, String> pps = s.stringMap("pseudopotentials");
        if (pps.isEmpty()) throw s.error("pseudopotentials", "is required: a mapping from species to UPF file name");
        double ecutwfc = s.requirePositive("ecutwfc");
        double ecutrho = s.positive("ecutrho", 4 * ecutwfc);
        if (ecutrho < ecutwfc) throw s.error("ecutrho", "must be >= ecutwfc (" + ecutwfc + " Ry), got " + ecutrho);
        String smearing = s.string("smearing", null);
        if (smearing != null && (smearing.isBlank() || smearing.equalsIgnoreCase("none") || smearing.equalsIgnoreCase("fixed"))) smearing = null;
        double degauss = s.positive("degauss", 0.01);
        boolean spin = s.bool("spin_polarized", false);
        double conv = s.positive("conv_thr", 1e-8);
        double beta = s.positive("mixing_beta", 0.7);
        if (beta > 1) throw s.error("mixing_beta", "must be <= 1, got " + beta);
        Integer maxstep = s.integer("electron_maxstep", 100);
        if (maxstep < 1) throw s.error("electron_maxstep", "must be >= 1, got " + maxstep);
        KpointMesh k = s.kpoints(DEFAULT_KPOINT_SPACING);
        QeSettings q = new QeSettings(dir, pps, ecutwfc, ecutrho, smearing, degauss, spin, conv, beta, maxstep, k,
                s.scalarMap("control"), s.scalarMap("system"), s.scalarMap("electrons"), s.scalarMap("ions"), s.scalarMap("cell"), s.bool("check_pseudo_files", true));
        s.rejectUnknown();
        return q;
    }
}
