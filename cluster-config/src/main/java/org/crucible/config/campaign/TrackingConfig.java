package org.crucible.config.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crucible.core.Structure;
import org.crucible.core.config.ConfigNode;
import org.crucible.core.io.StructureFormats;

/**
 * The {@code tracking} section: known crystals whose error the campaign measures after every fit (GAP-RSS paper,
 * Fig. 3; docs/gap-rss.md "Tracking known crystals"). After the fit of cycle t the model relaxes each reference
 * (variable cell, FIRE, to {@code fmaxEvPerAngstrom} eV/Angstrom and {@code smaxGPa} GPa in at most {@code steps}
 * steps, zero pressure) and the oracle labels the relaxed cell; the error is E_model - E_oracle on that cell in
 * meV/atom.
 *
 * <pre>{@code
 * tracking:
 *   references: [si-references/diamond.xyz, si-references/beta-tin.xyz]
 *   relax: {fmax: 0.01, smax_gpa: 0.01, steps: 2000}
 *   stop: {tol_mev_per_atom: 10, cycles: 2}
 * }</pre>
 *
 * @param references        absolute paths of the reference files (extended XYZ, POSCAR or CIF; one structure each), in
 *                          the file's order; empty when the campaign tracks nothing
 * @param names             one name per reference: the file name without its extension
 * @param fmaxEvPerAngstrom force tolerance of the model relaxation (eV/Angstrom)
 * @param smaxGPa           stress tolerance of the model relaxation (GPa)
 * @param steps             step budget of the model relaxation
 * @param stopTolMeVPerAtom the stop rule's tolerance on |E_model - E_oracle| (meV/atom); NaN without a stop rule
 * @param stopCycles        the stop rule holds when every tracked error is within the tolerance for this many
 *                          consecutive fits; 0 without a stop rule
 */
public record TrackingConfig(List<String> references, List<String> names, double fmaxEvPerAngstrom, double smaxGPa, int steps,
                             double stopTolMeVPerAtom, int stopCycles) {
    /** No tracking. */
    public static final TrackingConfig NONE = new TrackingConfig(List.of(), List.of(), 0.01, 0.01, 2000, Double.NaN, 0);

    public TrackingConfig {
        references = List.copyOf(references);
        names = List.copyOf(names);
        if (names.size() != references.size()) throw new IllegalArgumentException("one name per reference: " + names + " for " + references);
        if (!(fmaxEvPerAngstrom > 0) || !(smaxGPa > 0) || steps < 1) {
            throw new IllegalArgumentException("tracking.relax: fmax and smax_gpa must be > 0 and steps >= 1");
        }
        if (stopCycles < 0 || (stopCycles > 0 && !(stopTolMeVPerAtom > 0))) {
            throw new IllegalArgumentException("tracking.stop: tol_mev_per_atom must be > 0 and cycles >= 1, got " + stopTolMeVPerAtom + ", " + stopCycles);
        }
    }

    /** Whether any reference is tracked. */
    public boolean enabled() {
        return !references.isEmpty();
    }

    /** Whether the tracked errors may stop the campaign. */
    public boolean stops() {
        return stopCycles > 0;
    }

    /**
     * Reads {@code tracking}: every file must exist, hold exactly one structure readable by its extension, and contain
     * only elements of the campaign's compositions; names (file names without extension) must be distinct. Problems
     * are reported into {@code n}'s document; null after a problem.
     */
    static TrackingConfig read(ConfigNode n, Path baseDir, List<Composition> compositions) {
        TrackingConfig d = NONE;
        JsonNode refs = n.raw("references");
        List<String> files = new ArrayList<>();
        List<String> names = new ArrayList<>();
        boolean ok = true;
        Set<String> elements = new java.util.TreeSet<>();
        for (Composition c : compositions) elements.addAll(c.counts().keySet());
        if (refs != null && !refs.isNull()) {
            if (!refs.isArray() || refs.isEmpty()) {
                n.problems().add(n.child("references"), "expected a non-empty list of structure files, got " + ConfigNode.describe(refs));
                ok = false;
            } else {
                Map<String, Integer> seen = new LinkedHashMap<>();
                for (int i = 0; i < refs.size(); i++) {
                    String path = n.child("references") + "[" + i + "]";
                    String error = checkFile(refs.get(i), baseDir, elements, files, names);
                    if (error != null) {
                        n.problems().add(path, error);
                        ok = false;
                    } else if (seen.putIfAbsent(names.get(names.size() - 1), i) != null) {
                        n.problems().add(path, "reference name '" + names.get(names.size() - 1) + "' (the file name without extension) is also that of "
                                + "references[" + seen.get(names.get(names.size() - 1)) + "]: rename one file");
                        ok = false;
                    }
                }
            }
        }
        ConfigNode r = n.object("relax");
        double fmax = r.number("fmax", d.fmaxEvPerAngstrom(), 0.0, true, 10.0, "eV/Angstrom");
        double smax = r.number("smax_gpa", d.smaxGPa(), 0.0, true, 100.0, "GPa");
        int steps = r.integer("steps", d.steps(), 1, 1_000_000);
        r.finish();
        double tol = Double.NaN;
        int cycles = 0;
        if (n.has("stop")) {
            ConfigNode s = n.object("stop");
            tol = s.number("tol_mev_per_atom", 10.0, 0.0, true, 1e6, "meV/atom");
            cycles = s.integer("cycles", 2, 1, 1000);
            s.finish();
            if (files.isEmpty() && ok) {
                n.problems().add(n.child("stop"), "a stop rule on reference errors needs tracking.references: list the structure files to track");
                ok = false;
            }
        }
        n.finish();
        if (!ok) return null;
        return new TrackingConfig(files, names, fmax, smax, steps, tol, cycles);
    }

    /** Adds the file's absolute path and name, or returns what is wrong with it. */
    private static String checkFile(JsonNode v, Path baseDir, Set<String> elements, List<String> files, List<String> names) {
        if (!v.isTextual() || v.asText().isBlank()) return "expected a structure file name, got " + ConfigNode.describe(v);
        Path p = ConfigNode.resolve(v.asText(), baseDir);
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) return "file '" + v.asText() + "' (" + p + ") does not exist or is not readable";
        List<Structure> s;
        try {
            s = StructureFormats.read(p, StructureFormats.formatOf(p), w -> { });
        } catch (RuntimeException e) {
            return "file '" + v.asText() + "' cannot be read as a structure: " + e.getMessage();
        }
        if (s.size() != 1) return "file '" + v.asText() + "' holds " + s.size() + " structures: give one reference structure per file";
        if (!s.get(0).cell().isFullyPeriodic()) return "file '" + v.asText() + "' is not a periodic crystal: references are relaxed in variable cell";
        for (int z : s.get(0).atomicNumbers()) {
            String el = org.crucible.core.Elements.byZ(z).symbol();
            if (!elements.contains(el)) return "file '" + v.asText() + "' contains " + el + ", which no composition of the campaign has " + elements;
        }
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        files.add(p.toString());
        names.add(dot > 0 ? name.substring(0, dot) : name);
        return null;
    }
}
