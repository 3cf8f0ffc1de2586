package org.crucible.dft;

import java.nio.file.Path;
import org.crucible.dft.input.DftRecipe;
import org.crucible.dft.input.InputGenerator;
import org.crucible.dft.input.RecipeDefaults;
import org.crucible.dft.input.Settings;

/** The input generator (recipe) for each code, built from a settings file. */
public final class DftInputs {
    private DftInputs() {
    }

    /** Reads {@code settingsFile} (YAML or JSON) as the recipe for {@code code}; errors name the file and field. */
    public static InputGenerator generator(DftCode code, Path settingsFile) {
        return generator(code, Settings.read(settingsFile));
    }

    /** The recipe's generator with today's defaults ({@link DftRecipe#resolve}: the one reader of recipe settings). */
    public static InputGenerator generator(DftCode code, Settings s) {
        return DftRecipe.resolve(code, s, RecipeDefaults.CURRENT).generator();
    }
}
