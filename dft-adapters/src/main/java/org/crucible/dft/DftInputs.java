package org.crucible.dft;

import java.nio.file.Path;
import org.crucible.dft.castep.CastepInputGenerator;
import org.crucible.dft.input.InputGenerator;
import org.crucible.dft.input.Settings;
import org.crucible.dft.orca.OrcaInputGenerator;
import org.crucible.dft.qe.QeInputGenerator;
import org.crucible.dft.vasp.VaspInputGenerator;

/** The input generator (recipe) for each code, built from a settings file. */
public final class DftInputs {
    private DftInputs() {
    }

    /** Reads {@code settingsFile} (YAML or JSON) as the recipe for {@code code}; errors name the file and field. */
    public static InputGenerator generator(DftCode code, Path settingsFile) {
        return generator(code, Settings.read(settingsFile));
    }

    public static InputGenerator generator(DftCode code, Settings s) {
        return switch (code) {
            case QE -> QeInputGenerator.fromSettings(s);
            case VASP -> VaspInputGenerator.fromSettings(s);
            case CASTEP -> CastepInputGenerator.fromSettings(s);
            case ORCA -> OrcaInputGenerator.fromSettings(s);
        };
    }
}
