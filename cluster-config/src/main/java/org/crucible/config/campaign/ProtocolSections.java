package org.crucible.config.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.crucible.config.campaign.CampaignConfig.Evolution;
import org.crucible.core.config.ConfigNode.Parsed;
import org.crucible.core.config.ConfigNode;

/**
 * The campaign file's protocol-specific sections, each read and validated like the rest of the file (every problem
 * named with its field path; unknown keys refused; absent keys take the section's defaults): {@code hal} (docs/hal.md),
 * {@code evolution} (docs/evolution-dopt.md), {@code entropy} (docs/entropy-max.md) and {@code protocol.gap_rss}
 * (docs/gap-rss.md). {@link CampaignConfigLoader} calls them; a new protocol's section goes here, or in a class of its
 * own when it grows.
 */
final class ProtocolSections {
    private ProtocolSections() {
    }

    /** The {@code hal} section (hal protocol; docs/hal.md); absent keys take {@link HalConfig#DEFAULTS}. */
    static HalConfig hal(ConfigNode n, ConfigNode.Problems problems, Path baseDir) {
        HalConfig d = HalConfig.DEFAULTS;
        double tauR = n.number("tau_r", d.tauRelative(), 0.0, false, 1.0, "(bias force / model force, dimensionless)");
        double sTol = n.number("s_tol", d.softmaxTolerance(), 0.0, true, 1.0, "(softmax of the relative force uncertainty)");
        if (n.has("s_tol") && sTol >= 1.0) {
            n.parsed("s_tol", v -> Parsed.error("value " + v.asText() + " is out of range: allowed (0, 1) exclusive"));
            sTol = d.softmaxTolerance();
        }
        double t = n.number("temperature_k", d.temperatureK(), 0.0, true, 1e5, "K");
        double p = n.has("pressure_gpa") ? n.number("pressure_gpa", 0.0, -1e3, false, 1e3, "GPa") : Double.NaN;
        double barostatTau = n.number("barostat_tau_fs", d.barostatTauFs(), 0.0, true, 1e9, "fs");
        double bulk = n.number("bulk_modulus_gpa", d.bulkModulusGPa(), 0.0, true, 1e4, "GPa");
        double dt = n.number("timestep_fs", d.timestepFs(), 0.0, true, 100.0, "fs");
        double damping = n.number("damping_fs", d.dampingFs(), 0.0, true, 1e9, "fs");
        int maxSteps = n.integer("max_steps", d.maxSteps(), 1, 100_000_000);
        int swapEvery = n.integer("swap_every", d.swapEvery(), 0, 100_000_000);
        int swaps = n.integer("swaps_per_event", d.swapsPerEvent(), 1, 1_000_000);
        int volumeEvery = n.integer("volume_every", d.volumeEvery(), 0, 100_000_000);
        int volumeAttempts = n.integer("volume_attempts", d.volumeAttempts(), 1, 1_000_000);
        double lnV = n.number("max_log_volume_step", d.maxLogVolumeStep(), 0.0, true, 1.0, "(largest change of ln V per move)");
        int burnIn = n.integer("burn_in", d.burnIn(), 1, 100_000_000);
        int window = n.integer("window", d.window(), 1, 100_000_000);
        String seeds = n.has("seeds") ? seedsFile(n, problems, baseDir) : null;
        int perSeed = n.integer("trajectories_per_seed", d.trajectoriesPerSeed(), 1, 1_000_000);
        double rattle = n.number("rattle", d.rattle(), 0.0, false, 2.0, "Angstrom");
        boolean occupancy = n.bool("random_occupancy", d.randomOccupancy());
        n.finish();
        return new HalConfig(tauR, sTol, t, p, barostatTau, bulk, dt, damping, maxSteps, swapEvery, swaps, volumeEvery, volumeAttempts, lnV, burnIn, window,
                seeds, perSeed, rattle, occupancy);
    }

    /** {@code hal.seeds}: an extended XYZ file, resolved against {@code baseDir} when relative; null after recording a problem. */
    static String seedsFile(ConfigNode n, ConfigNode.Problems problems, Path baseDir) {
        String f = n.string("seeds", null);
        if (f == null) return null;
        Path p = Path.of(f.replaceFirst("^~(?=/|$)", java.util.regex.Matcher.quoteReplacement(System.getProperty("user.home"))));
        if (!p.isAbsolute() && baseDir != null) p = baseDir.resolve(p);
        p = p.toAbsolutePath().normalize();
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            problems.add(n.child("seeds"), "file '" + f + "' (" + p + ") does not exist or is not readable");
            return null;
        }
        return p.toString();
    }

    /** {@code evolution}: the evolutionary search with D-optimality (protocol {@code evolution-dopt}). */
    static Evolution evolution(ConfigNode n, ConfigNode.Problems problems) {
        Evolution d = Evolution.DEFAULTS;
        int population = n.integer("population", d.population(), 1, 1_000_000);
        int parents = n.integer("parents", d.parents(), 1, 1_000_000);
        double random = n.number("random_fraction", d.randomFraction(), 0.0, false, 1.0, "(fraction of a generation)");
        ConfigNode w = n.object("operators");
        double heredity = w.number("heredity", d.heredity(), 0.0, false, 1e6, "(relative weight)");
        double lattice = w.number("lattice_mutation", d.latticeMutation(), 0.0, false, 1e6, "(relative weight)");
        double permutation = w.number("permutation", d.permutation(), 0.0, false, 1e6, "(relative weight)");
        double coordinate = w.number("coordinate_mutation", d.coordinateMutation(), 0.0, false, 1e6, "(relative weight)");
        w.finish();
        double latticeSigma = n.number("lattice_sigma", d.latticeSigma(), 0.0, true, 1.0, "(strain, dimensionless)");
        double coordinateSigma = n.number("coordinate_sigma", d.coordinateSigma(), 0.0, true, 2.0, "Angstrom");
        double tolerance = n.number("fingerprint_tolerance", d.fingerprintTolerance(), 0.0, false, 1.0, "(cosine distance)");
        double select = n.number("gamma_select", d.gammaSelect(), 1.0, false, 1e6, "(extrapolation grade, dimensionless)");
        double brk = n.number("gamma_break", d.gammaBreak(), 1.0, false, 1e6, "(extrapolation grade, dimensionless)");
        int preselect = n.integer("preselect", d.preselect(), 1, 100_000_000);
        ConfigNode pe = n.object("pre_exploration");
        CampaignConfig.PreExploration pd = CampaignConfig.PreExploration.DEFAULTS;
        CampaignConfig.PreExploration pre = new CampaignConfig.PreExploration(pe.integer("pool", pd.pool(), 1, 100_000_000),
                pe.integer("seed_cells", pd.seedCells(), 0, 1_000_000), pe.integer("rounds", pd.rounds(), 1, 1000),
                pe.number("gamma_select", select, 1.0, false, 1e6, "(extrapolation grade, dimensionless)"),
                pe.choice("label", "batch", List.of("batch", "active-set")).equals("active-set"));
        pe.finish();
        CampaignConfig.VariableComposition composition = n.has("composition") ? variableComposition(n.object("composition"), problems) : null;
        if (brk < select) problems.add(n.child("gamma_break"), "value " + brk + " is below evolution.gamma_select = " + select + ": a relaxation must be marked before it breaks");
        if (heredity + lattice + permutation + coordinate <= 0) problems.add(n.child("operators"), "the operator weights sum to 0: give at least one a positive weight");
        n.finish();
        if (brk < select || heredity + lattice + permutation + coordinate <= 0) return null;
        return new Evolution(population, parents, random, heredity, lattice, permutation, coordinate, latticeSigma, coordinateSigma, tolerance, select, brk,
                preselect, pre, composition);
    }

    /** {@code evolution.composition}: {@code {elements: [A, B], min_atoms, max_atoms, min_fraction, max_fraction, transmutation, add_remove}}. */
    private static CampaignConfig.VariableComposition variableComposition(ConfigNode n, ConfigNode.Problems problems) {
        JsonNode el = n.raw("elements");
        List<String> elements = new ArrayList<>();
        if (el == null || !el.isArray() || el.size() != 2) {
            problems.add(n.child("elements"), "expected a list of two element symbols, e.g. [Si, C], got " + (el == null ? "nothing" : ConfigNode.describe(el)));
        } else {
            for (JsonNode e : el) {
                if (!e.isTextual() || !org.crucible.core.Elements.isSymbol(e.asText())) {
                    problems.add(n.child("elements"), "'" + e.asText() + "' is not an element symbol");
                } else {
                    elements.add(e.asText());
                }
            }
            if (elements.size() == 2 && elements.get(0).equals(elements.get(1))) problems.add(n.child("elements"), "the two elements must differ, got " + elements);
        }
        int minAtoms = n.integer("min_atoms", 2, 1, 1000);
        int maxAtoms = n.integer("max_atoms", 8, 1, 1000);
        double minFraction = n.number("min_fraction", 0.0, 0.0, false, 1.0, "(fraction of the second element)");
        double maxFraction = n.number("max_fraction", 1.0, 0.0, false, 1.0, "(fraction of the second element)");
        double transmutation = n.number("transmutation", 0.2, 0.0, false, 1e6, "(relative weight)");
        double addRemove = n.number("add_remove", 0.2, 0.0, false, 1e6, "(relative weight)");
        n.finish();
        if (maxAtoms < minAtoms) problems.add(n.child("max_atoms"), "value " + maxAtoms + " is below min_atoms = " + minAtoms);
        if (maxFraction < minFraction) problems.add(n.child("max_fraction"), "value " + maxFraction + " is below min_fraction = " + minFraction);
        if (elements.size() != 2 || elements.get(0).equals(elements.get(1)) || maxAtoms < minAtoms || maxFraction < minFraction) return null;
        return new CampaignConfig.VariableComposition(elements, minAtoms, maxAtoms, minFraction, maxFraction, transmutation, addRemove);
    }

    /** The {@code entropy} section (entropy-max protocol; docs/entropy-max.md), with the paper's defaults. */
    static CampaignConfig.Entropy entropy(ConfigNode n) {
        CampaignConfig.Entropy d = CampaignConfig.Entropy.DEFAULTS;
        int chains = n.integer("chains", d.chains(), 1, 1_000_000);
        int cycles = n.integer("cycles_per_chain", d.cyclesPerChain(), 1, 100_000);
        double kMax = n.number("k_max", d.kMaxEv(), 0.0, false, 1e6, "eV");
        double tStart = n.number("t_start", d.tStartK(), 0.0, false, 1e6, "K");
        double tEnd = n.number("t_end", d.tEndK(), 0.0, false, 1e6, "K");
        int steps = n.integer("steps_per_cycle", d.stepsPerCycle(), 1, 100_000_000);
        double dt = n.number("timestep", d.timestepFs(), 0.0, true, 100.0, "fs");
        double damping = n.number("damping", d.dampingFs(), 0.0, true, 1e9, "fs");
        int segments = n.integer("segments", Math.min(d.segments(), steps), 1, 100_000_000);
        if (segments > steps) {
            n.parsed("segments", v -> Parsed.error("value " + v.asText() + " exceeds entropy.steps_per_cycle = " + steps + ": each staircase piece needs a step"));
        }
        ConfigNode r = n.object("repulsion");
        double e0 = r.number("strength", d.repulsionEv(), 0.0, false, 1e6, "eV (E_0, the repulsion at half the hard-core radius)");
        double rh = r.number("hard_core", d.hardCoreAngstrom(), 0.0, true, 12.0, "Angstrom");
        r.finish();
        List<Double> cell = n.parsed("cell", ProtocolSections::cellLengths).orElse(List.of());
        double density = n.number("density", d.densityPerA3(), 0.0, true, 1.0, "atoms/Angstrom^3 (used when entropy.cell is not given)");
        int keep = n.integer("keep", d.keep(), 0, 100_000_000);
        String thinning = n.choice("thinning", d.thinning(), CampaignConfig.Entropy.THINNINGS);
        double nn = n.number("nearest_neighbour", d.nearestNeighbourAngstrom(), 0.0, true, 6.5,
                "Angstrom (the element's nearest-neighbour distance; scales the environment features, W bcc 2.741)");
        n.finish();
        return new CampaignConfig.Entropy(chains, cycles, kMax, tStart, tEnd, steps, dt, damping, Math.min(segments, steps), e0, rh, cell, density, keep,
                thinning, nn);
    }

    static Parsed<List<Double>> cellLengths(JsonNode v) {
        if (!v.isArray() || v.size() != 3) return Parsed.error("expected 3 edge lengths in Angstrom, e.g. [9.54, 9.54, 14.31], got " + ConfigNode.describe(v));
        List<Double> out = new ArrayList<>();
        for (JsonNode x : v) {
            if (!x.isNumber() || !(x.doubleValue() > 0) || x.doubleValue() > 1000) return Parsed.error("entry " + x + " is not allowed: lengths in (0, 1000] Angstrom");
            out.add(x.doubleValue());
        }
        return Parsed.ok(out);
    }

    /** {@code protocol.gap_rss} (docs/gap-rss.md); absent keys take {@link GapRssSettings#DEFAULTS}. */
    static GapRssSettings gapRss(ConfigNode g) {
        GapRssSettings d = GapRssSettings.DEFAULTS;
        int batch = g.integer("batch", d.batch(), 1, 1_000_000);
        int cycle0 = g.integer("cycle0_cells", d.cycle0Cells(), 1, 100_000_000);
        int cells = g.integer("cells", d.cells(), 1, 100_000_000);
        ConfigNode sep = g.object("separation");
        double narrow = sep.number("narrow", d.narrowSeparation(), 0.0, true, 5.0, "(x the mean covalent radius of the pair)");
        double wide = sep.number("wide", d.wideSeparation(), 0.0, true, 5.0, "(x the mean covalent radius of the pair)");
        sep.finish();
        ConfigNode ops = g.object("symmetry_ops");
        int opsMin = ops.integer("min", d.opsMin(), 1, 192);
        int opsMax = ops.integer("max", d.opsMax(), 1, 192);
        if (opsMax < opsMin) ops.parsed("max", v -> Parsed.error("value " + opsMax + " is below symmetry_ops.min = " + opsMin));
        ops.finish();
        ConfigNode at = g.object("atoms");
        boolean sized = at.has("min") || at.has("max");
        int atomsMin = sized ? at.integer("min", 2, 1, 512) : 0;
        int atomsMax = sized ? at.integer("max", 8, 1, 512) : 0;
        if (atomsMax < atomsMin) at.parsed("max", v -> Parsed.error("value " + atomsMax + " is below atoms.min = " + atomsMin));
        at.finish();
        ConfigNode dim = g.object("dimers");
        double rMin = dim.number("r_min", d.dimerMin(), 0.0, true, 20.0, "Angstrom");
        double rMax = dim.number("r_max", d.dimerMax(), 0.0, true, 20.0, "Angstrom");
        int dimers = dim.integer("count", d.dimerCount(), 1, 10_000);
        double box = dim.number("box", d.dimerBox(), 1.0, false, 100.0, "Angstrom");
        if (rMax < rMin) dim.parsed("r_max", v -> Parsed.error("value " + rMax + " is below dimers.r_min = " + rMin + " Angstrom"));
        if (!(box > 2 * rMax)) dim.parsed("box", v -> Parsed.error("value " + box + " must exceed twice dimers.r_max = " + rMax + " Angstrom"));
        dim.finish();
        List<Double> kT = g.parsed("kT", ProtocolSections::temperatures).orElse(d.kT());
        ConfigNode fh = g.object("flat_histogram");
        int bins = fh.integer("bins", d.histogramBins(), 1, 10_000);
        int candidates = fh.integer("candidates", d.histogramCandidates(), 0, 100_000_000);
        String quantity = fh.choice("quantity", d.histogramQuantity(), GapRssSettings.QUANTITIES);
        fh.finish();
        ConfigNode cur = g.object("cur");
        int zeta = cur.integer("zeta", d.zeta(), 1, 64);
        int rank = cur.integer("rank", d.curRank(), 0, 100_000);
        String method = cur.choice("method", d.curMethod(), List.of("exact", "nystrom"));
        int landmarks = cur.integer("landmarks", d.nystromLandmarks(), 1, 100_000);
        cur.finish();
        ConfigNode pr = g.object("pressure");
        double p0 = pr.number("p0", d.pressureP0(), 0.0, true, 1000.0, "GPa");
        double beta = pr.number("beta", d.pressureBeta(), 0.0, true, 100.0, "");
        pr.finish();
        ConfigNode tr = g.object("trajectory");
        int every = tr.integer("every", d.frameEvery(), 1, 1_000_000);
        int frames = tr.integer("max_frames", d.maxFrames(), 1, 10_000);
        tr.finish();
        ConfigNode so = g.object("soap");
        int nMax = so.integer("n_max", d.soapNMax(), 1, 20);
        int lMax = so.integer("l_max", d.soapLMax(), 0, 20);
        double rc = so.number("cutoff", d.soapCutoff(), 1.0, false, 20.0, "Angstrom");
        double sigma = so.number("sigma", d.soapSigma(), 0.0, true, 5.0, "Angstrom");
        so.finish();
        g.finish();
        try {
            return new GapRssSettings(batch, cycle0, cells, narrow, wide, opsMin, Math.max(opsMin, opsMax), rMin, Math.max(rMin, rMax), dimers,
                    Math.max(box, 2 * Math.max(rMin, rMax) + 1), kT, bins, candidates, zeta, rank, method, landmarks, p0, beta, every, frames, nMax,
                    lMax, rc, sigma, atomsMin, Math.max(atomsMin, atomsMax), quantity);
        } catch (IllegalArgumentException e) {
            return GapRssSettings.DEFAULTS; // the problem is already reported with its line above
        }
    }

    static Parsed<List<Double>> temperatures(JsonNode v) {
        if (!v.isArray() || v.isEmpty()) return Parsed.error("expected a list of kT values in eV/atom, one per iteration (the last repeats), got "
                + ConfigNode.describe(v));
        List<Double> out = new ArrayList<>();
        for (JsonNode t : v) {
            if (!t.isNumber() || !(t.doubleValue() > 0) || t.doubleValue() > 100) return Parsed.error("entry " + t + " is not allowed: kT in (0, 100] eV/atom");
            out.add(t.doubleValue());
        }
        return Parsed.ok(out);
    }
}
