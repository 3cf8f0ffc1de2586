package org.crucible.dft.input;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.crucible.dft.DftCode;
import org.crucible.dft.castep.CastepInputGenerator;
import org.crucible.dft.orca.OrcaInputGenerator;
import org.crucible.dft.qe.QeInputGenerator;
import org.crucible.dft.qe.QeSettings;
import org.crucible.dft.vasp.VaspInputGenerator;

/**
 * A DFT recipe resolved: the one reader of recipe settings, whether they come from a recipe file or from a campaign
 * file's inline {@code oracle.settings} (one schema, one name and one default per key; see the code's settings class,
 * e.g. {@link QeSettings}), with every setting after defaults ({@link #settings()}, in the file's keys, for pw.x; the
 * mapping as given for the other codes) and the input generator built from it. Units as in the file: pw.x cut-offs
 * and smearing width in Ry, k-point spacing in 1/Angstrom with 2*pi included, {@code timeout_seconds} (the wall-time
 * limit of one local calculation, default {@value #DEFAULT_TIMEOUT_SECONDS} s) in seconds.
 *
 * <pre>{@code
 * DftRecipe r = DftRecipe.resolve(DftCode.QE, Settings.read(Path.of("qe-si.yaml")), RecipeDefaults.CURRENT);
 * InputSet in = r.generator().inputSet(structure);
 * }</pre>
 *
 * @param code           the DFT code
 * @param settings       every setting after defaults (pw.x), else the settings as given
 * @param timeoutSeconds wall-time limit of one local calculation, seconds
 * @param generator      the code's input generator
 */
public record DftRecipe(DftCode code, Map<String, Object> settings, int timeoutSeconds, InputGenerator generator) {
    /** Keys renamed in recipe settings, old spelling to new; the old one is read with one warning. */
    public static final Map<String, String> RENAMED = Map.of("kspacing", "kpoint_spacing");
    /** {@code timeout_seconds} when not given. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 3600;
    private static final int MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;

    public DftRecipe {
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /**
     * Reads {@code s} as the recipe of {@code code}; keys not given take {@code defaults}. Every problem of the mapping
     * is reported at once ({@link Settings#rejectUnknown()}).
     */
    public static DftRecipe resolve(DftCode code, Settings s, RecipeDefaults defaults) {
        Integer timeout = s.integer("timeout_seconds", DEFAULT_TIMEOUT_SECONDS);
        if (timeout < 1 || timeout > MAX_TIMEOUT_SECONDS) {
            s.problem("timeout_seconds", "must be 1.." + MAX_TIMEOUT_SECONDS + " seconds, got " + timeout);
            timeout = DEFAULT_TIMEOUT_SECONDS;
        }
        if (code == DftCode.QE) {
            // pseudo_dir as written (a path would drop a trailing '/'), as the settings hash of older campaigns has it
            String pseudoDir = s.string("pseudo_dir", QeSettings.DEFAULT_PSEUDO_DIR);
            QeSettings q = QeSettings.from(s, defaults);
            Map<String, Object> all = q.asSettings();
            all.put("pseudo_dir", pseudoDir);
            all.put("timeout_seconds", timeout);
            return new DftRecipe(code, all, timeout, new QeInputGenerator(q));
        }
        InputGenerator g = switch (code) {
            case VASP -> VaspInputGenerator.fromSettings(s);
            case CASTEP -> CastepInputGenerator.fromSettings(s);
            case ORCA -> OrcaInputGenerator.fromSettings(s);
            case QE -> throw new IllegalStateException();
        };
        return new DftRecipe(code, s.asGiven(), timeout, g);
    }

    /** The settings as one line of JSON with sorted keys: what identifies a resolved recipe in a hash. */
    public String canonicalJson() {
        try {
            return new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true).writeValueAsString(new TreeMap<>(settings));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("recipe settings are plain values", e);
        }
    }

    /**
     * The text that identified inline pw.x settings in a campaign's oracle settings hash before the resolved record
     * existed (the form of the campaign file's old settings value), so such a campaign resumes with the same task
     * hashes. Pseudopotentials are listed by element symbol (one species: exactly the old text; several: the old
     * order was not fixed between runs).
     */
    public String legacyInlineText() {
        if (code != DftCode.QE) throw new IllegalStateException("inline settings were pw.x's");
        return "DftSettings[pseudoDir=" + settings.get("pseudo_dir") + ", pseudopotentials=" + settings.get("pseudopotentials")
                + ", ecutwfcRy=" + settings.get("ecutwfc") + ", ecutrhoRy=" + settings.get("ecutrho") + ", kspacing=" + settings.get("kpoint_spacing")
                + ", smearing=" + settings.get("smearing") + ", degaussRy=" + settings.get("degauss") + ", timeoutSeconds=" + timeoutSeconds + "]";
    }

    /** The pseudopotential file of each element (pw.x), sorted by symbol; empty for the other codes. */
    public Map<String, Path> pseudopotentialFiles() {
        Map<String, Path> out = new TreeMap<>();
        if (generator instanceof QeInputGenerator q) {
            q.settings().pseudopotentials().forEach((el, f) -> out.put(el, q.settings().pseudoDir().resolve(f)));
        }
        return out;
    }

}
