package org.crucible.config.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crucible.core.Elements;
import org.crucible.core.config.ConfigNode;

/**
 * The campaign file's {@code oracle} section: the embedded calculators (with their parameter files checked at load
 * time), local pw.x and a SLURM cluster, with inline DFT settings or a recipe file ({@code settings_file}, relative to
 * the campaign file). Units as written in the file: cutoffs in Ry, k-point spacing in 1/Angstrom (2 pi included).
 */
final class OracleSection {
    private OracleSection() {
    }

    static Oracle oracle(ConfigNode root, ConfigNode.Problems problems, Path baseDir, Path settingsFileOverride) {
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
                    Oracle.DftSettings settings = file == null ? dft(n.object("settings"), problems) : null;
                    o = new Oracle.LocalDft(exe, ranks, settings, file, attempts);
                }
                case "cluster" -> {
                    String profile = n.requiredString("profile", "the name of a profile in the clusters file");
                    String profilesFile = n.string("profiles_file", null);
                    String code = n.choice("code", "qe", List.of("qe", "vasp", "castep"));
                    String file = settingsFile(n, problems, baseDir, settingsFileOverride);
                    Oracle.DftSettings settings = file == null ? dft(n.object("settings"), problems) : null;
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

    static Oracle.DftSettings dft(ConfigNode s, ConfigNode.Problems problems) {
        String pseudoDir = s.string("pseudo_dir", "/usr/share/espresso/pseudo");
        Map<String, String> pseudos = new LinkedHashMap<>();
        JsonNode pp = s.raw("pseudopotentials");
        if (pp == null || pp.isNull() || !pp.isObject() || pp.isEmpty()) {
            problems.add(s.child("pseudopotentials"), "is required: a mapping from element symbol to pseudopotential file, e.g. {Si: Si.pz-vbc.UPF}"
                    + (pp == null || pp.isNull() ? "" : ", got " + ConfigNode.describe(pp)));
        } else {
            pp.fields().forEachRemaining(e -> {
                if (!Elements.isSymbol(e.getKey())) {
                    problems.add(s.child("pseudopotentials") + "." + e.getKey(), "'" + e.getKey() + "' is not an element symbol");
                } else if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
                    problems.add(s.child("pseudopotentials") + "." + e.getKey(), "expected a file name, got " + ConfigNode.describe(e.getValue()));
                } else pseudos.put(e.getKey(), e.getValue().asText());
            });
        }
        double ecutwfc = s.number("ecutwfc", 30.0, 0.0, true, 1000.0, "Ry");
        double ecutrho = s.number("ecutrho", 4 * ecutwfc, 0.0, true, 10000.0, "Ry");
        if (ecutrho < 4 * ecutwfc && s.has("ecutrho")) {
            problems.add(s.child("ecutrho"), "value " + ecutrho + " is below 4 * ecutwfc = " + 4 * ecutwfc + " Ry: pw.x rejects it");
        }
        Oracle.DftSettings d = new Oracle.DftSettings(pseudoDir, pseudos, ecutwfc, ecutrho,
                s.number("kspacing", 0.3, 0.0, true, 5.0, "1/Angstrom (2 pi included)"),
                s.choice("smearing", "mv", List.of("none", "gaussian", "mv", "mp", "fd")),
                s.number("degauss", 0.01, 0.0, false, 1.0, "Ry"),
                s.integer("timeout_seconds", 3600, 1, 7 * 24 * 3600));
        s.finish();
        return d;
    }
}
