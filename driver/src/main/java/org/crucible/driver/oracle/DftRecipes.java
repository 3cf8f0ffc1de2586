package org.crucible.driver.oracle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.crucible.config.campaign.Oracle.DftSettings;
import org.crucible.dft.DftCode;
import org.crucible.dft.DftInputException;
import org.crucible.dft.DftInputs;
import org.crucible.dft.input.InputGenerator;
import org.crucible.dft.input.KpointMesh;
import org.crucible.dft.qe.QeInputGenerator;
import org.crucible.dft.qe.QeSettings;
import org.crucible.driver.campaign.CampaignException;
import org.crucible.driver.store.TaskHash;

/**
 * The DFT recipe of a campaign's oracle: inline pw.x settings of the campaign file ({@code oracle.settings}:
 * cut-offs in Ry, k-point spacing in 1/Angstrom with 2 pi included, smearing width in Ry), or a recipe file read by
 * dft-adapters (its errors name the file and field), together with what enters the oracle's settings hash: the code,
 * the recipe (inline values, or the file's SHA-256) and for pw.x the SHA-256 of every pseudopotential file.
 *
 * <pre>{@code
 * Map<String, Object> hashed = new LinkedHashMap<>();
 * InputGenerator g = DftRecipes.generator("qe", cfgSettings, null, hashed);
 * }</pre>
 */
public final class DftRecipes {
    private DftRecipes() {
    }

    /**
     * The input generator of {@code code} from inline settings ({@code file} null) or the recipe file; fills
     * {@code hashed} with what identifies the recipe.
     */
    public static InputGenerator generator(String code, DftSettings inline, String file, Map<String, Object> hashed) {
        if (file == null) {
            hashInline(inline, hashed);
            return new QeInputGenerator(qeSettings(inline));
        }
        InputGenerator g;
        try {
            g = DftInputs.generator(DftCode.parse(code), Path.of(file));
        } catch (DftInputException e) {
            throw new CampaignException("oracle.settings_file: " + e.getMessage(), e);
        }
        hashed.put("code", code);
        hashed.put("recipe", fileHash(file));
        if (g instanceof QeInputGenerator q) {
            for (Map.Entry<String, String> pp : new TreeMap<>(q.settings().pseudopotentials()).entrySet()) {
                hashed.put("pseudo." + pp.getKey(), fileHash(q.settings().pseudoDir().resolve(pp.getValue()).toString()));
            }
        }
        return g;
    }

    /**
     * pw.x settings from the campaign file's inline recipe: tight SCF threshold (1e-8 Ry), mixing beta 0.7, at most
     * 100 SCF iterations, forces and stress on, the k-point mesh from the spacing.
     */
    public static QeSettings qeSettings(DftSettings ds) {
        return new QeSettings(Path.of(ds.pseudoDir()), ds.pseudopotentials(), ds.ecutwfcRy(), ds.ecutrhoRy(),
                ds.smearing().equals("none") ? null : ds.smearing(), ds.degaussRy(), false, 1e-8, 0.7, 100,
                KpointMesh.ofSpacing(ds.kspacing()), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), true);
    }

    private static void hashInline(DftSettings ds, Map<String, Object> hashed) {
        hashed.put("code", "qe");
        hashed.put("settings", ds.toString());
        for (Map.Entry<String, String> pp : ds.pseudopotentials().entrySet()) {
            hashed.put("pseudo." + pp.getKey(), fileHash(Path.of(ds.pseudoDir()).resolve(pp.getValue()).toString()));
        }
    }

    /** SHA-256 of a parameter, recipe or pseudopotential file's text. */
    public static String fileHash(String file) {
        try {
            return TaskHash.sha256(Files.readString(Path.of(file)));
        } catch (IOException e) {
            throw new CampaignException("oracle.parameter_file: cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
