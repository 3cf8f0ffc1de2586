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
 *   stop: {tol_mev_per_atom: 10, cycles: 2, references: [diamond, beta-tin]}   # references: default all
 *   ev_curve: {points: 7, range: 0.1}
 * }</pre>
 *
 * <p>With {@code ev_curve} the final model's energy-volume curve of each reference is compared with the oracle's at
 * the end of the campaign (GAP-RSS paper, Fig. 3d-f): the model-relaxed cell scaled uniformly to {@code points} volumes
 * from (1 - range) to (1 + range) times its own, fractional coordinates fixed, each evaluated by the model and labelled
 * by the oracle.
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
 * @param stopNames         the references the stop rule looks at (names; all of them unless {@code stop.references})
 * @param evPoints          volumes of the final model's energy-volume curves; 0 for none
 * @param evRange           the curves span (1 - evRange) to (1 + evRange) times the model-relaxed volume
 */
public record TrackingConfig(List<String> references, List<String> names, double fmaxEvPerAngstrom, double smaxGPa, int steps,
                             double stopTolMeVPerAtom, int stopCycles, List<String> stopNames, int evPoints, double evRange) {
    /** No tracking. */
    public static final TrackingConfig NONE = new TrackingConfig(List.of(), List.of(), 0.01, 0.01, 2000, Double.NaN, 0, List.of(), 0, 0.1);

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
        stopNames = List.copyOf(stopNames);
        if (!names.containsAll(stopNames)) throw new IllegalArgumentException("tracking.stop.references " + stopNames + " are not all among " + names);
        if (evPoints != 0 && (evPoints < 3 || evPoints > 51)) throw new IllegalArgumentException("tracking.ev_curve.points must be 0 or 3..51, got " + evPoints);
        if (!(evRange > 0 && evRange < 0.5)) throw new IllegalArgumentException("tracking.ev_curve.range must be in (0, 0.5), got " + evRange);
    }

    /** Whether the final model's energy-volume curves are compared with the oracle's. */
    public boolean evCurves() {
        return evPoints > 0;
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
        List<String> stopNames = new ArrayList<>(names);
        if (n.has("stop")) {
            ConfigNode s = n.object("stop");
            tol = s.number("tol_mev_per_atom", 10.0, 0.0, true, 1e6, "meV/atom");
            cycles = s.integer("cycles", 2, 1, 1000);
            JsonNode sub = s.raw("references");
            if (sub != null && !sub.isNull()) {
                stopNames.clear();
                if (!sub.isArray() || sub.isEmpty()) {
                    s.problems().add(s.child("references"), "expected a non-empty list of reference names (file names without extension), got "
                            + ConfigNode.describe(sub));
                    ok = false;
                } else {
                    for (int i = 0; i < sub.size(); i++) {
                        String name = sub.get(i).asText();
                        if (!sub.get(i).isTextual() || !names.contains(name)) {
                            s.problems().add(s.child("references") + "[" + i + "]", "'" + sub.get(i).asText() + "' is not a tracked reference; the names are "
                                    + names + ConfigNode.suggestion(name, names));
                            ok = false;
                        } else if (!stopNames.contains(name)) {
                            stopNames.add(name);
                        }
                    }
                }
            }
            s.finish();
            if (files.isEmpty() && ok) {
                n.problems().add(n.child("stop"), "a stop rule on reference errors needs tracking.references: list the structure files to track");
                ok = false;
            }
        }
        int evPoints = 0;
        double evRange = d.evRange();
        if (n.has("ev_curve")) {
            ConfigNode ev = n.object("ev_curve");
            evPoints = ev.integer("points", 7, 3, 51);
            evRange = ev.number("range", 0.1, 0.0, true, 0.49, "fraction of the volume");
            ev.finish();
            if (files.isEmpty() && ok) {
                n.problems().add(n.child("ev_curve"), "energy-volume curves need tracking.references: list the structure files to track");
                ok = false;
            }
        }
        n.finish();
        if (!ok) return null;
        return new TrackingConfig(files, names, fmax, smax, steps, tol, cycles, stopNames, evPoints, evRange);
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
