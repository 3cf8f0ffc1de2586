package org.crucible.driver.oracle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.crucible.dft.DftCode;
import org.crucible.dft.DftInputException;
import org.crucible.dft.input.DftRecipe;
import org.crucible.dft.input.RecipeDefaults;
import org.crucible.dft.input.Settings;
import org.crucible.driver.campaign.CampaignException;
import org.crucible.driver.store.TaskHash;

/**
 * The DFT recipe of a campaign's oracle, resolved by dft-adapters' one recipe reader ({@link DftRecipe}) from the
 * campaign directory's record of its resolved settings ({@link OracleSettingsRecord}) when it has one, else from the
 * inline {@code oracle.settings} or the recipe file with the defaults the campaign was created with (today's for a new
 * campaign, {@link RecipeDefaults#LEGACY_INLINE} for inline settings of a campaign created before the record). Fills the
 * oracle's settings hash with what identifies the recipe: the code, the record's identity and the SHA-256 of every
 * pseudopotential file.
 */
final class OracleRecipes {
    private OracleRecipes() {
    }

    /** A resolved recipe and the record that describes it (to be written when the directory has none). */
    record Resolved(DftRecipe recipe, OracleSettingsRecord record) {
    }

    /**
     * Resolves the recipe of {@code code} for the campaign directory {@code dir}: inline {@code settings} or the recipe
     * {@code file} (exactly one is non-null); a directory holding {@code state.json} but no record is a campaign created
     * before records existed.
     */
    static Resolved resolve(String code, Map<String, Object> inline, String file, Path dir) {
        DftCode c = DftCode.parse(code);
        var recorded = OracleSettingsRecord.read(dir);
        try {
            if (recorded.isPresent()) {
                OracleSettingsRecord r = recorded.get();
                if (!r.code().equals(code)) {
                    throw new CampaignException(dir.resolve(OracleSettingsRecord.FILE) + " records code " + r.code() + ", the campaign file names " + code);
                }
                Settings s = Settings.of(r.settings(), dir.resolve(OracleSettingsRecord.FILE).toString());
                return new Resolved(DftRecipe.resolve(c, s, RecipeDefaults.CURRENT), r);
            }
            boolean legacy = Files.exists(dir.resolve("state.json"));
            Settings s = file == null ? Settings.of(inline, "oracle.settings") : Settings.read(Path.of(file));
            DftRecipe recipe = DftRecipe.resolve(c, s, legacy && file == null ? RecipeDefaults.LEGACY_INLINE : RecipeDefaults.CURRENT);
            String identity = legacy ? (file == null ? OracleSettingsRecord.LEGACY_INLINE : OracleSettingsRecord.RECIPE_FILE)
                    : c == DftCode.QE ? OracleSettingsRecord.RESOLVED : OracleSettingsRecord.RECIPE_FILE;
            return new Resolved(recipe, new OracleSettingsRecord(code, identity, recipe.settings()));
        } catch (DftInputException e) {
            throw new CampaignException((file == null ? "oracle.settings: " : "oracle.settings_file: ") + e.getMessage(), e);
        }
    }

    /** Puts what identifies the recipe into the oracle's settings map (which {@link TaskHash#ofSettings} hashes). */
    static void identify(Resolved r, String file, Map<String, Object> hashed) {
        hashed.put("code", r.record().code());
        switch (r.record().identity()) {
            case OracleSettingsRecord.RESOLVED -> hashed.put("settings", r.recipe().canonicalJson());
            case OracleSettingsRecord.LEGACY_INLINE -> hashed.put("settings", r.recipe().legacyInlineText());
            case OracleSettingsRecord.RECIPE_FILE -> {
                if (file == null) throw new CampaignException("the oracle settings record names a recipe file, but the campaign file has inline settings");
                hashed.put("recipe", fileHash(file));
            }
            default -> throw new IllegalStateException(r.record().identity());
        }
        r.recipe().pseudopotentialFiles().forEach((el, f) -> hashed.put("pseudo." + el, fileHash(f.toString())));
    }

    /** SHA-256 of a parameter, recipe or pseudopotential file's text. */
    static String fileHash(String file) {
        try {
            return TaskHash.sha256(Files.readString(Path.of(file)));
        } catch (IOException e) {
            throw new CampaignException("oracle.parameter_file: cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
