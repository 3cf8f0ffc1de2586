package org.crucible.driver.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;
import org.apache.hadoop.conf.Configuration;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.driver.campaign.CampaignException;
import org.crucible.driver.campaign.CampaignRunner;
import org.crucible.driver.campaign.CampaignState;
import org.crucible.driver.pool.GenerationPlan;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.RelaxStage;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.LabelStatus;
import org.crucible.driver.store.TrainingStore;
import org.crucible.executors.calculators.Calculator;
import org.crucible.executors.relax.Fire;
import org.crucible.executors.relax.RelaxResult;
import org.crucible.executors.relax.RelaxSettings;
import org.crucible.executors.symmetry.SpaceGroupFinder;

/**
 * The CSP-efficiency benchmark of issue 9: oracle single points until the ground state first appears, for the
 * pool-relaxation campaign and for random search in the same harness, per seed.
 *
 * <p><b>Ground state.</b> A structure is "the ground state" when its oracle energy per atom is at most
 * {@code E_gs + tolerance} (eV/atom) and the symmetry finder, at the campaign's validation symmetry tolerance
 * (Angstrom), gives one of the accepted space-group numbers (for Si: 227, Fd-3m, which a 16-atom diamond cell also
 * has, since the finder reduces to the primitive cell). E_gs defaults to the oracle's own energy of relaxed diamond
 * of the (single) element, computed here.
 *
 * <p><b>Campaign count.</b> Labels are taken in store order (cycle by cycle); if a labelled single point is the
 * ground state, the count is its position (1-based). Otherwise, if a validated structure is the ground state, the
 * count is all oracle single points of the campaign (validation starts from the final pool, which every label
 * shaped); its validation relaxation steps are reported separately, and also as a second ratio that includes them.
 * A campaign that never finds the ground state counts as not found.
 *
 * <p><b>Random-search count.</b> The campaign's own random training cells (the same {@link GenerationPlan} block,
 * same seed, continued past the pool size with further candidates of the same generator when needed) are relaxed in
 * id order with the oracle itself (FIRE, variable cell, the validation's fmax and step limit), and every
 * energy/force evaluation of those relaxations counts, until the first relaxation whose lowest frame is the ground
 * state; at most {@code maxRandom} cells. Relaxations run on {@code threads} threads in chunks, but counts are summed
 * in id order, so the result does not depend on the thread count.
 */
public final class CspEfficiency {
    /** One seed's figures. Counts are -1 when the ground state was not found (then {@code *Found} is false). */
    public record SeedResult(long seed, boolean campaignFound, String campaignFoundBy, int campaignToGroundState, int campaignOracleSinglePoints,
                             int campaignValidationSinglePoints, String campaignStatus, int campaignCycles, double campaignBestEvPerAtom,
                             String campaignBestSpaceGroup, double campaignWallSeconds, boolean randomFound, int randomRelaxations,
                             int randomSinglePoints, String randomSpaceGroup, double randomWallSeconds) {
        /** random single points / campaign labels to the ground state (NaN unless both found). */
        public double ratio() {
            return campaignFound && randomFound ? (double) randomSinglePoints / campaignToGroundState : Double.NaN;
        }

        /** The same with the campaign's validation relaxation steps added to its count. */
        public double ratioWithValidation() {
            return campaignFound && randomFound ? (double) randomSinglePoints / (campaignToGroundState + campaignValidationSinglePoints) : Double.NaN;
        }
    }

    /**
     * Settings: ground-state energy (null: computed), tolerance eV/atom, accepted space groups (empty: any structure
     * within the tolerance counts, which is what "ground state" means when several polytypes are degenerate, as cubic
     * and hexagonal diamond are for Stillinger-Weber), caps, threads.
     */
    public record Settings(Double groundStateEvPerAtom, double toleranceEvPerAtom, Set<Integer> spaceGroups, Integer maxCycles, int maxRandom,
                           int threads, String master, boolean skipCampaign, boolean skipRandom) {
        public Settings {
            if (!(toleranceEvPerAtom > 0)) throw new IllegalArgumentException("--tolerance must be > 0 eV/atom, got " + toleranceEvPerAtom);
            if (maxRandom < 1) throw new IllegalArgumentException("--max-random must be >= 1, got " + maxRandom);
            if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
            if (skipCampaign && skipRandom) throw new IllegalArgumentException("--random-only and --campaign-only exclude each other");
            if (maxCycles != null && maxCycles < 1) throw new IllegalArgumentException("--max-cycles must be >= 1, got " + maxCycles);
            spaceGroups = Set.copyOf(spaceGroups);
        }
    }

    private final Path configFile;
    private final Path dir;
    private final Settings settings;
    private final CampaignRunner runner;
    private final LongSupplier nanoTicker;
    private final java.io.PrintStream log;

    public CspEfficiency(Path configFile, Path dir, Settings settings, CampaignRunner runner, LongSupplier nanoTicker, java.io.PrintStream log) {
        this.configFile = configFile;
        this.dir = dir;
        this.settings = settings;
        this.runner = runner;
        this.nanoTicker = nanoTicker;
        this.log = log;
    }

    /** The reference energy per atom: the given one, or the oracle's relaxed diamond of the single element. */
    public double groundStateEnergy(CampaignConfig cfg, Calculator calc) {
        if (settings.groundStateEvPerAtom() != null) return settings.groundStateEvPerAtom();
        var counts = cfg.compositions().get(0).counts();
        if (cfg.compositions().size() != 1 || counts.size() != 1) {
            throw new IllegalArgumentException("--ground-state-energy is required for compositions other than one element (got "
                    + cfg.compositions().get(0).formula() + ")");
        }
        int z = org.crucible.core.Elements.bySymbol(counts.keySet().iterator().next()).z();
        // Conventional diamond cell from the covalent radius (bond 2r = a sqrt(3)/4), then relaxed cell and positions.
        double a = 8 * org.crucible.core.Elements.byZ(z).covalentRadius() / Math.sqrt(3);
        double[][] f = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}, {.25, .25, .25}, {.25, .75, .75}, {.75, .25, .75}, {.75, .75, .25}};
        double[] xyz = new double[24];
        for (int i = 0; i < 8; i++) for (int k = 0; k < 3; k++) xyz[3 * i + k] = f[i][k] * a;
        int[] zs = new int[8];
        java.util.Arrays.fill(zs, z);
        Structure diamond = Structure.of(Cell.cubic(a), zs, xyz);
        RelaxResult r = new Fire().relax(diamond, calc, RelaxSettings.DEFAULT.withFmax(1e-4).withMaxSteps(2000).withSmaxGPa(0.001));
        return r.lowest().labels().energy() / r.lowest().size();
    }

    /** Space-group number of {@code s} at {@code tolerance} Angstrom, or 0 when the finder gives none. */
    static int spaceGroupNumber(Structure s, double tolerance) {
        try {
            return SpaceGroupFinder.find(s, tolerance).number();
        } catch (IllegalArgumentException | IllegalStateException e) {
            return 0;
        }
    }

    boolean isGroundState(double ePerAtom, int group, double eGs) {
        return ePerAtom <= eGs + settings.toleranceEvPerAtom() && (settings.spaceGroups().isEmpty() || settings.spaceGroups().contains(group));
    }

    /** The campaign file with {@code seed} (and {@code stopping.max_cycles} when set) overridden, as JSON text. */
    String configFor(long seed) throws IOException {
        String text = Files.readString(configFile);
        ObjectMapper in = configFile.toString().toLowerCase().endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
        ObjectNode root = (ObjectNode) in.readTree(text);
        root.put("seed", seed);
        if (settings.maxCycles() != null) {
            ObjectNode st = root.has("stopping") ? (ObjectNode) root.get("stopping") : root.putObject("stopping");
            st.put("max_cycles", settings.maxCycles());
        }
        if (settings.master() != null) {
            ObjectNode sp = root.has("spark") ? (ObjectNode) root.get("spark") : root.putObject("spark");
            sp.put("master", settings.master());
        }
        return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    /** Runs campaign and baseline for one seed. */
    public SeedResult run(long seed) throws IOException {
        Path seedDir = dir.resolve("seed-" + seed);
        if (Files.exists(seedDir)) throw new CampaignException(seedDir + " exists: choose another --dir or remove it (a benchmark starts fresh)");
        Files.createDirectories(seedDir);
        Path cfgFile = seedDir.resolve("campaign-seed-" + seed + ".json");
        Files.writeString(cfgFile, configFor(seed));
        CampaignConfig cfg = CampaignConfigLoader.load(cfgFile);
        Calculator calc;
        try (var oracle = runner.oracle(cfg, seedDir)) {
            calc = oracle.calculator().orElseThrow(() -> new CampaignException("csp-efficiency needs an oracle callable structure by structure "
                    + "(sw, tersoff, lj) for the random-search baseline; got " + oracle.code()));
        }
        double eGs = groundStateEnergy(cfg, calc);
        double symTol = cfg.validation().symmetryTolerance();
        log.printf("seed %d: ground state E <= %.5f + %.4f eV/atom, space group in %s%n", seed, eGs, settings.toleranceEvPerAtom(), settings.spaceGroups());

        // Campaign.
        boolean cFound = false;
        String foundBy = "none";
        int cCount = -1;
        CampaignState st = null;
        double cWall = 0;
        if (!settings.skipCampaign()) {
            long t0 = nanoTicker.getAsLong();
            st = runner.start(cfgFile, seedDir.resolve("campaign"), null);
            cWall = (nanoTicker.getAsLong() - t0) * 1e-9;
            try (TrainingStore store = TrainingStore.open(CampaignRunner.storeUri(cfg, seedDir.resolve("campaign")), new Configuration())) {
                List<LabelRecord> records = new ArrayList<>(store.all());
                // Stable by cycle: store order within a cycle.
                records.sort(Comparator.comparingInt(r -> r.provenance().cycle()));
                for (int i = 0; i < records.size(); i++) {
                    LabelRecord r = records.get(i);
                    if (r.status() != LabelStatus.OK) continue;
                    Structure s = r.structure();
                    double e = s.labels().energy() / s.size();
                    if (e <= eGs + settings.toleranceEvPerAtom() && isGroundState(e, spaceGroupNumber(s, symTol), eGs)) {
                        cFound = true;
                        foundBy = "label";
                        cCount = i + 1;
                        break;
                    }
                }
            }
            if (!cFound) {
                for (CampaignState.Best b : st.best()) {
                    if (isGroundState(b.energyEvPerAtom(), groupNumber(b.spaceGroup()), eGs)) {
                        cFound = true;
                        foundBy = "validation";
                        cCount = st.oracleSinglePoints();
                        break;
                    }
                }
            }
        }
        Optional<CampaignState.Best> best = st == null ? Optional.empty() : st.best().stream().min(Comparator.comparingDouble(CampaignState.Best::energyEvPerAtom));

        // Random search over the campaign's own random training cells.
        long t1 = nanoTicker.getAsLong();
        GenerationPlan.Block tb = new org.crucible.driver.protocol.SpaceGroupPools(cfg).plan(0).blocks().get(0);
        GenerationPlan plan = new GenerationPlan(cfg.seed(), List.of(new GenerationPlan.Block(0, settings.maxRandom(), tb.formula(), tb.compositionIndex(),
                tb.spaceGroup(), tb.separationFactor(), tb.volume(), tb.volumeSpread(), tb.label())));
        RelaxSettings rs = RelaxSettings.DEFAULT.withFmax(cfg.validation().fmax()).withMaxSteps(cfg.validation().steps()).withSmaxGPa(RelaxStage.STRESS_TOLERANCE_GPA);
        int relaxations = 0;
        int singlePoints = 0;
        boolean rFound = false;
        String rGroup = "";
        ExecutorService pool = Executors.newFixedThreadPool(settings.threads());
        try {
            int chunk = 4 * settings.threads();
            outer:
            for (long start = 0; !settings.skipRandom() && start < settings.maxRandom(); start += chunk) {
                List<Future<Optional<RelaxResult>>> futures = new ArrayList<>();
                for (long id = start; id < Math.min(settings.maxRandom(), start + chunk); id++) {
                    final long cid = id;
                    futures.add(pool.submit(() -> plan.make(cid).map(PoolEntry::structure).map(s -> new Fire().relax(s, calc, rs))));
                }
                for (Future<Optional<RelaxResult>> f : futures) {
                    Optional<RelaxResult> r = f.get();
                    if (r.isEmpty()) continue; // the generator could not place this candidate: no oracle call
                    relaxations++;
                    singlePoints += r.get().evaluations();
                    if (relaxations % 500 == 0) {
                        log.printf("seed %d: random search %d relaxations, %d single points, %.0f s%n", seed, relaxations, singlePoints,
                                (nanoTicker.getAsLong() - t1) * 1e-9);
                    }
                    Structure low = r.get().lowest();
                    double e = low.labels().energy() / low.size();
                    if (e <= eGs + settings.toleranceEvPerAtom()) {
                        int g = spaceGroupNumber(low, symTol);
                        if (isGroundState(e, g, eGs)) {
                            rFound = true;
                            rGroup = Integer.toString(g);
                            break outer;
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CampaignException("random search interrupted", e);
        } catch (ExecutionException e) {
            throw new CampaignException("random search: a relaxation failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        double rWall = (nanoTicker.getAsLong() - t1) * 1e-9;
        if (!settings.skipRandom()) log.printf("seed %d: random search %s after %d relaxations, %d single points, %.0f s%n", seed, rFound ? "found the ground state" : "did not find the ground state",
                relaxations, singlePoints, rWall);
        return new SeedResult(seed, cFound, foundBy, cCount, st == null ? 0 : st.oracleSinglePoints(), st == null ? 0 : st.validationSinglePoints(),
                st == null ? "skipped" : st.status(), st == null ? 0 : st.cycle(), best.map(CampaignState.Best::energyEvPerAtom).orElse(Double.NaN),
                best.map(CampaignState.Best::spaceGroup).orElse(""), cWall, rFound, relaxations, singlePoints, rGroup, rWall);
    }

    /** 227 from "Fd-3m (227)"; 0 when there is no number. */
    static int groupNumber(String spaceGroup) {
        if (spaceGroup == null) return 0;
        var m = java.util.regex.Pattern.compile("\\((\\d+)\\)").matcher(spaceGroup);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /**
     * Median of the values (mean of the middle two for an even count); NaN when empty. A seed that never reached the
     * ground state enters as {@code +Infinity}, so failures raise the median instead of disappearing from it (the
     * median is infinite when half the seeds or more failed).
     */
    public static double median(List<Double> values) {
        List<Double> v = values.stream().filter(x -> !Double.isNaN(x)).sorted().toList();
        if (v.isEmpty()) return Double.NaN;
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : 0.5 * (v.get(n / 2 - 1) + v.get(n / 2));
    }
}
