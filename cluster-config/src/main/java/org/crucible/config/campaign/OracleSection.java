package org.crucible.config.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.crucible.core.config.ConfigNode;
import org.crucible.dft.DftCode;
import org.crucible.dft.DftInputException;
import org.crucible.dft.input.DftRecipe;
import org.crucible.dft.input.RecipeDefaults;
import org.crucible.dft.input.Settings;

/**
 * The campaign file's {@code oracle} section: the embedded calculators (with their parameter files checked at load
 * time), local pw.x and a SLURM cluster, with inline DFT settings or a recipe file ({@code settings_file}, relative to
 * the campaign file); both forms have one schema, read by dft-adapters ({@code DftRecipe}). Units as written in the file:
 * cutoffs in Ry, k-point spacing ({@code kpoint_spacing}) in 1/Angstrom (2 pi included).
 */
final class OracleSection {
    private OracleSection() {
    }

    static Oracle oracle(ConfigNode root, ConfigNode.Problems problems, Path baseDir, Path settingsFileOverride, String source) {
        ConfigNode n = root.object("oracle");
        if (!root.has("oracle")) {
            problems.add("oracle", "is required: a mapping with type one of " + CampaignConfigLoader.ORACLES);
            return null;
        }
        String type = n.requiredString("type", "one of " + CampaignConfigLoader.ORACLES);
        if (type != null && !CampaignConfigLoader.ORACLES.contains(type)) {
            problems.add("oracle.type", "value '" + type + "' is not allowed: one of " + CampaignConfigLoader.ORACLES + ConfigNode.suggestion(type, CampaignConfigLoader.ORACLES));
            type = null;
        }
        Oracle o = null;
        // Attempts in all for a task whose label FAILED (the first and the retries on resume), counted from the store.
        int attempts = n.integer("max_attempts", Oracle.DEFAULT_MAX_ATTEMPTS, 1, Oracle.MAX_MAX_ATTEMPTS);
        if (type != null) {
            switch (type) {
                case "sw", "tersoff" -> o = new Oracle.Embedded(type, n.string("parameter_file", null), attempts, failures(n));
                case "eam" -> {
                    String file = potentialFile(n, "file", problems, baseDir);
                    if (file != null) o = new Oracle.Eam(file, attempts);
                }
                case "lj" -> o = new Oracle.LennardJones(
                        n.number("epsilon", 0.0104, 0.0, true, 100.0, "eV"),
                        n.number("sigma", 3.4, 0.1, false, 20.0, "Angstrom"),
                        n.number("cutoff", 8.5, 0.5, false, 30.0, "Angstrom"), attempts);
                case "pw.x" -> {
                    String exe = n.string("executable", "pw.x");
                    int ranks = n.integer("mpi_ranks", 1, 1, 4096);
                    String file = settingsFile(n, problems, baseDir, settingsFileOverride);
                    Map<String, Object> settings = file == null ? dft(n, problems, source) : null;
                    o = new Oracle.LocalDft(exe, ranks, settings, file, attempts);
                }
                case "cluster" -> {
                    String profile = n.requiredString("profile", "the name of a profile in the clusters file");
                    String profilesFile = n.string("profiles_file", null);
                    String code = n.choice("code", "qe", List.of("qe", "vasp", "castep", "orca"));
                    String file = settingsFile(n, problems, baseDir, settingsFileOverride);
                    Map<String, Object> settings = file == null ? dft(n, problems, source) : null;
                    if (file == null && !code.equals("qe")) {
                        problems.add(n.child("settings_file"), "is required for code " + code + ": inline settings are pw.x's; give the "
                                + code + " recipe file (the format of `crucible dft write --settings`, docs/dft.md)");
                    }
                    if (profile != null) o = new Oracle.Cluster(profile, profilesFile, code, settings, file, attempts);
                }
                default -> throw new IllegalStateException(type);
            }
        }
        n.finish();
        return o;
    }

    /**
     * {@code oracle.code: orca} labels molecules and clusters only: ORCA has no periodic boundary conditions. The
     * campaign's structures must then come from {@code hal.seeds} (generator {@code seed-structures}) and every seed
     * must have no periodic axis; anything else is a problem at {@code oracle.code} (a generator of periodic cells) or
     * at {@code hal.seeds} (naming the first periodic frame), found before anything runs.
     */
    static void requireMolecules(Oracle oracle, CampaignConfig.Protocol protocol, HalConfig hal, ConfigNode.Problems problems) {
        if (!(oracle instanceof Oracle.Cluster c) || !"orca".equals(c.code())) return;
        String generator = protocol.stages().get("generator");
        if (!"seed-structures".equals(generator) || hal.seeds() == null) {
            problems.add("oracle.code", "orca labels molecules and clusters (no periodic axis), but the generator '" + generator + "'"
                    + ("seed-structures".equals(generator) ? " without hal.seeds makes random periodic cells" : " makes periodic cells")
                    + "; use protocol.name hal with hal.seeds naming an extended XYZ file of non-periodic structures (pbc=\"F F F\"), "
                    + "or a periodic code (qe, vasp, castep)");
            return;
        }
        List<org.crucible.core.Structure> seeds;
        try {
            seeds = org.crucible.core.io.StructureFormats.read(Path.of(hal.seeds()));
        } catch (RuntimeException e) {
            problems.add("hal.seeds", "file '" + hal.seeds() + "' cannot be read as structures: " + e.getMessage());
            return;
        }
        for (int i = 0; i < seeds.size(); i++) {
            boolean[] pbc = seeds.get(i).cell().pbc();
            if (pbc[0] || pbc[1] || pbc[2]) {
                problems.add("hal.seeds", "frame " + i + " (" + seeds.get(i).formula() + ") of '" + hal.seeds() + "' is periodic (pbc "
                        + (pbc[0] ? "T" : "F") + " " + (pbc[1] ? "T" : "F") + " " + (pbc[2] ? "T" : "F") + "): oracle.code orca labels "
                        + "molecules and clusters only; write the seeds with pbc=\"F F F\" or use a periodic code (qe, vasp, castep)");
                return;
            }
        }
    }

    /** {@code inject_failures} of an embedded oracle (see {@link Oracle.FailureInjection}); null when absent. */
    private static Oracle.FailureInjection failures(ConfigNode n) {
        if (!n.has("inject_failures")) return null;
        ConfigNode f = n.object("inject_failures");
        var out = new Oracle.FailureInjection(f.number("fraction", 0.2, 0, false, 1, ""), f.longValue("seed", 1, Long.MIN_VALUE, Long.MAX_VALUE),
                f.number("seconds", 0, 0, false, 3600, "s"), f.integer("attempts", Oracle.MAX_MAX_ATTEMPTS, 1, Oracle.MAX_MAX_ATTEMPTS));
        f.finish();
        return out;
    }

    /**
     * {@code settings_file}: a DFT recipe file (resolved against {@code baseDir}, the campaign file's directory, when
     * relative), exclusive with inline {@code settings}; null when absent. The file's contents are validated when the
     * oracle is built, before anything starts (the recipe format belongs to dft-adapters).
     */
    static String settingsFile(ConfigNode n, ConfigNode.Problems problems, Path baseDir, Path override) {
        if (!n.has("settings_file")) return null;
        if (n.has("settings")) {
            problems.add(n.child("settings"), "give either settings (inline pw.x recipe) or settings_file, not both");
            return null;
        }
        if (override != null) return override.toAbsolutePath().toString();
        return n.existingFile("settings_file", baseDir, null);
    }

    /**
     * A required potential file (e.g. a LAMMPS {@code .eam.alloy}), resolved against {@code baseDir} when relative;
     * absolute and normalised, or null after recording the problem under the field's name.
     */
    static String potentialFile(ConfigNode n, String key, ConfigNode.Problems problems, Path baseDir) {
        return n.existingFile(key, baseDir, "a potential file, e.g. /usr/share/lammps/potentials/CuNi.eam.alloy");
    }

    /**
     * Inline {@code oracle.settings}: the pw.x recipe in the schema of a recipe file, read by dft-adapters' one recipe
     * reader with today's defaults, its problems added to the campaign file's with their lines ({@code kspacing}, the
     * old name of {@code kpoint_spacing}, is read with one warning on standard error); the settings as written, or null.
     */
    static Map<String, Object> dft(ConfigNode oracle, ConfigNode.Problems problems, String source) {
        JsonNode raw = oracle.raw("settings");
        if (raw == null || raw.isNull()) {
            problems.add(oracle.child("settings"), "is required: a mapping with at least pseudopotentials, e.g. {pseudopotentials: {Si: Si.pz-vbc.UPF}, "
                    + "ecutwfc: 30} (or give settings_file)");
            return null;
        }
        ConfigNode s = oracle.object("settings");
        if (!raw.isObject()) return null;
        Settings settings = Settings.inline(s, raw, source, w -> System.err.println("warning: " + w));
        try {
            DftRecipe.resolve(DftCode.QE, settings, RecipeDefaults.CURRENT);
        } catch (DftInputException e) {
            if (!settings.hasProblems()) problems.add(s.path(), e.getMessage());
            return null;
        }
        return settings.asGiven();
    }
}
