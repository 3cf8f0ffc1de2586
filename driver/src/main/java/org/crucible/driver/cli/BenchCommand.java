package org.crucible.driver.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.core.config.ConfigurationException;
import org.crucible.driver.bench.CspEfficiency;
import org.crucible.driver.bench.StoreBench;
import org.crucible.driver.bench.SelectionBench;
import org.crucible.driver.campaign.CampaignRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code crucible bench ...}: end-to-end benchmarks (docs/benchmarks.md). */
@Command(name = "bench", description = "End-to-end benchmarks.", subcommands = {BenchCommand.CspEfficiencyCommand.class,
        BenchCommand.SelectionCommand.class, BenchCommand.StoreBenchCommand.class, KillHarnessCommand.class,
        BenchCommand.HalStabilityCommand.class, BenchPoolCommand.class, EntropyCurveCommand.class, BenchLammpsCommand.class})
public final class BenchCommand implements CliCommand, Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw CrucibleCommand.missingSubcommand(spec);
    }

    /**
     * {@code crucible bench csp-efficiency --config FILE --seeds N}: oracle single points to the ground state, campaign
     * versus random search, per seed and median (definitions in {@link CspEfficiency} and docs/campaign.md).
     */
    @Command(name = "csp-efficiency", description = "Oracle single points to the ground state: the campaign versus random search (same random "
            + "cells relaxed with the oracle), per seed and median.")
    public static final class CspEfficiencyCommand implements Callable<Integer> {
        private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "campaign file (its seed is replaced per run)")
        Path config;

        @Option(names = "--seeds", defaultValue = "5", paramLabel = "N", description = "number of seeds (default ${DEFAULT-VALUE})")
        int seeds;

        @Option(names = "--first-seed", paramLabel = "S", description = "first seed (default: the campaign file's seed); seeds S, S+1, ...")
        Long firstSeed;

        @Option(names = "--max-cycles", paramLabel = "M", description = "override stopping.max_cycles")
        Integer maxCycles;

        @Option(names = "--ground-state-energy", paramLabel = "EV", description = "E_gs in eV/atom (default: the oracle's relaxed diamond of the element)")
        Double groundState;

        @Option(names = "--tolerance", defaultValue = "0.005", paramLabel = "EV", description = "eV/atom above E_gs that still counts (default ${DEFAULT-VALUE})")
        double tolerance;

        @Option(names = "--space-groups", split = ",", paramLabel = "N,...", description = "accepted space-group numbers (default: any structure within the tolerance of E_gs)")
        List<Integer> spaceGroups;

        @Option(names = "--max-random", defaultValue = "50000", paramLabel = "N", description = "random cells relaxed at most per seed (default ${DEFAULT-VALUE})")
        int maxRandom;

        @Option(names = "--threads", paramLabel = "T", description = "threads for the random-search relaxations (default: available processors)")
        Integer threads;

        @Option(names = "--master", paramLabel = "URL", description = "Spark master for the campaigns (overrides spark.master)")
        String master;

        @Option(names = "--dir", paramLabel = "DIR", description = "directory for the runs (default: bench-csp-NAME); must not hold earlier seeds")
        Path dir;

        @Option(names = "--json", paramLabel = "FILE", description = "also write the results as JSON")
        Path json;

        @Option(names = "--random-only", description = "run only the random-search baseline (campaign fields empty)")
        boolean randomOnly;

        @Option(names = "--campaign-only", description = "run only the campaigns (random-search fields empty)")
        boolean campaignOnly;

        @Override
        public Integer call() throws IOException {
            CampaignConfig cfg;
            try {
                cfg = CampaignConfigLoader.load(config);
            } catch (ConfigurationException e) {
                throw new BadInputException(e.getMessage(), e);
            }
            if (seeds < 1) throw new BadInputException("--seeds must be >= 1, got " + seeds);
            CspEfficiency.Settings settings;
            try {
                settings = new CspEfficiency.Settings(groundState, tolerance, spaceGroups == null ? Set.of() : new LinkedHashSet<>(spaceGroups), maxCycles, maxRandom,
                        threads != null ? threads : Runtime.getRuntime().availableProcessors(), master, randomOnly, campaignOnly);
            } catch (IllegalArgumentException e) {
                throw new BadInputException(e.getMessage(), e);
            }
            Path d = dir != null ? dir : Path.of("bench-csp-" + cfg.name());
            PrintWriter out = spec.commandLine().getOut();
            CampaignRunner runner = new CampaignRunner(Clock.systemUTC(), System::nanoTime, System.out, Map.of(), null);
            CspEfficiency bench = new CspEfficiency(config, d, settings, runner, System::nanoTime, System.err);
            long s0 = firstSeed != null ? firstSeed : cfg.seed();
            List<CspEfficiency.SeedResult> results = new ArrayList<>();
            out.printf("%-6s %-10s %9s %9s %9s %-12s %9s | %9s %9s %9s | %7s %7s%n", "seed", "found_by", "camp_sp", "camp_all", "camp_val", "best_group",
                    "camp_s", "rand_rlx", "rand_sp", "rand_s", "ratio", "ratio+v");
            for (long s = s0; s < s0 + seeds; s++) {
                CspEfficiency.SeedResult r = bench.run(s);
                results.add(r);
                out.printf("%-6d %-10s %9s %9d %9d %-12s %9.1f | %9d %9s %9.1f | %7s %7s%n", r.seed(), r.campaignFoundBy(),
                        r.campaignFound() ? Integer.toString(r.campaignToGroundState()) : "not found", r.campaignOracleSinglePoints(),
                        r.campaignValidationSinglePoints(), r.campaignBestSpaceGroup().replace(' ', '_'), r.campaignWallSeconds(), r.randomRelaxations(),
                        r.randomFound() ? Integer.toString(r.randomSinglePoints()) : ">" + r.randomSinglePoints(), r.randomWallSeconds(),
                        fmt(r.ratio()), fmt(r.ratioWithValidation()));
                out.flush();
            }
            // Conservative medians: a campaign that never reached the ground state counts as +infinity; a random search
            // that did not reach it within --max-random counts with the single points it spent (a lower bound).
            double campaignMedian = CspEfficiency.median(results.stream().map(r -> r.campaignFound() ? (double) r.campaignToGroundState()
                    : Double.POSITIVE_INFINITY).toList());
            double campaignMedianWithValidation = CspEfficiency.median(results.stream().map(r -> r.campaignFound()
                    ? (double) r.campaignToGroundState() + r.campaignValidationSinglePoints() : Double.POSITIVE_INFINITY).toList());
            double randomMedian = CspEfficiency.median(results.stream().map(r -> (double) r.randomSinglePoints()).toList());
            Map<String, Object> median = new LinkedHashMap<>();
            median.put("campaign_single_points_to_ground_state", campaignMedian);
            median.put("campaign_single_points_with_validation", campaignMedianWithValidation);
            median.put("campaign_wall_seconds", CspEfficiency.median(results.stream().map(CspEfficiency.SeedResult::campaignWallSeconds).toList()));
            median.put("random_single_points_to_ground_state", randomMedian);
            median.put("random_wall_seconds", CspEfficiency.median(results.stream().map(CspEfficiency.SeedResult::randomWallSeconds).toList()));
            median.put("ratio", randomMedian / campaignMedian);
            median.put("ratio_with_validation", randomMedian / campaignMedianWithValidation);
            median.put("per_seed_ratio_median", CspEfficiency.median(results.stream().map(r -> r.campaignFound() ? r.ratio() : 0.0).toList()));
            long cFound = results.stream().filter(CspEfficiency.SeedResult::campaignFound).count();
            long rFound = results.stream().filter(CspEfficiency.SeedResult::randomFound).count();
            out.printf("campaign: ground state in %d/%d seeds, median %s oracle single points to it (%s with validation steps), median %s s%n",
                    cFound, results.size(), fmt(campaignMedian), fmt(campaignMedianWithValidation), fmt((double) median.get("campaign_wall_seconds")));
            out.printf("random search: ground state in %d/%d seeds, median %s%s single points, median %s s%n", rFound, results.size(),
                    rFound < results.size() ? ">=" : "", fmt(randomMedian), fmt((double) median.get("random_wall_seconds")));
            out.printf("ratio of medians random/campaign: %s (with validation steps: %s)%n", fmt(randomMedian / campaignMedian),
                    fmt(randomMedian / campaignMedianWithValidation));
            if (json != null) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("config", config.toString());
                doc.put("tolerance_eV_per_atom", tolerance);
                doc.put("space_groups", spaceGroups == null ? List.of() : spaceGroups);
                doc.put("seeds", results.stream().map(CspEfficiencyCommand::row).toList());
                Map<String, Object> m = new LinkedHashMap<>();
                median.forEach((k, v) -> m.put(k, v instanceof Double x && !Double.isFinite(x) ? null : v));
                doc.put("median", m);
                if (json.toAbsolutePath().getParent() != null) Files.createDirectories(json.toAbsolutePath().getParent());
                JSON.writeValue(json.toFile(), doc);
            }
            return 0;
        }

        private static Map<String, Object> row(CspEfficiency.SeedResult r) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seed", r.seed());
            m.put("campaign_found", r.campaignFound());
            m.put("campaign_found_by", r.campaignFoundBy());
            m.put("campaign_single_points_to_ground_state", r.campaignToGroundState());
            m.put("campaign_oracle_single_points", r.campaignOracleSinglePoints());
            m.put("campaign_validation_single_points", r.campaignValidationSinglePoints());
            m.put("campaign_status", r.campaignStatus());
            m.put("campaign_cycles", r.campaignCycles());
            m.put("campaign_best_eV_per_atom", Double.isFinite(r.campaignBestEvPerAtom()) ? r.campaignBestEvPerAtom() : null);
            m.put("campaign_best_space_group", r.campaignBestSpaceGroup());
            m.put("campaign_wall_seconds", r.campaignWallSeconds());
            m.put("random_found", r.randomFound());
            m.put("random_relaxations", r.randomRelaxations());
            m.put("random_single_points", r.randomSinglePoints());
            m.put("random_space_group", r.randomSpaceGroup());
            m.put("random_wall_seconds", r.randomWallSeconds());
            m.put("ratio", Double.isFinite(r.ratio()) ? r.ratio() : null);
            m.put("ratio_with_validation", Double.isFinite(r.ratioWithValidation()) ? r.ratioWithValidation() : null);
            return m;
        }

        private static String fmt(double v) {
            return Double.isFinite(v) ? String.format("%.1f", v) : "-";
        }
    }

    /**
     * {@code crucible bench store --labels N [--dir D]}: the training store at campaign scale, N single-record appends,
     * then reopen, stats, trainingSet, export and compaction, with time, files and bytes per phase ({@link StoreBench}).
     */
    @Command(name = "store", description = "The training store at scale: N single-record appends of synthetic Si16 labels, then reopen, stats, "
            + "trainingSet, export and compaction; time, files and bytes per phase.")
    public static final class StoreBenchCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--labels", required = true, paramLabel = "N", description = "number of labels appended one at a time")
        int labels;

        @Option(names = "--dir", paramLabel = "DIR", description = "working directory (default: bench-store-N); DIR/store must not exist")
        Path dir;

        @Option(names = "--seed", converter = SeedConverter.class, defaultValue = "1", paramLabel = "S", description = "seed of the synthetic labels (default ${DEFAULT-VALUE})")
        long seed;

        @Override
        public Integer call() throws IOException {
            if (labels < 1) throw new BadInputException("--labels must be >= 1, got " + labels);
            Path d = dir != null ? dir : Path.of("bench-store-" + labels);
            if (Files.exists(d.resolve("store"))) throw new BadInputException(d.resolve("store") + " exists; give a fresh --dir");
            new StoreBench(System::nanoTime, spec.commandLine().getOut()).run(d, labels, seed);
            return 0;
        }
    }

    /**
     * {@code crucible bench selection --n N [--dim D] [--threads T]}: brute-force versus indexed DBSCAN and the whole
     * cluster selection on a synthetic pool of summaries ({@link SelectionBench}), with driver heap figures.
     */
    @Command(name = "selection", description = "DBSCAN selection at pool scale on synthetic summaries: brute force versus the VP-tree index "
            + "(labels compared), the whole ClusterSelector, driver heap, and the effect of float32 features.")
    public static final class SelectionCommand implements Callable<Integer> {
        private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--n", required = true, paramLabel = "N", description = "structures in the pool")
        int n;

        @Option(names = "--dim", defaultValue = "300", paramLabel = "D", description = "features per structure (default ${DEFAULT-VALUE})")
        int dim;

        @Option(names = "--latent", defaultValue = "10", paramLabel = "M", description = "intrinsic dimension of the basins (default ${DEFAULT-VALUE})")
        int latent;

        @Option(names = "--clusters", paramLabel = "C", description = "basins (default: N / 100, at least 5)")
        Integer clusters;

        @Option(names = "--spread", defaultValue = "0.3", paramLabel = "S", description = "basin spread relative to centres N(0, 3^2) (default ${DEFAULT-VALUE})")
        double spread;

        @Option(names = "--noise", defaultValue = "0.1", paramLabel = "F", description = "fraction of rows outside every basin (default ${DEFAULT-VALUE})")
        double noise;

        @Option(names = "--eps", defaultValue = "0.5", paramLabel = "EPS", description = "DBSCAN eps, RMS metric (default ${DEFAULT-VALUE})")
        double eps;

        @Option(names = "--min-samples", defaultValue = "2", paramLabel = "K", description = "DBSCAN min_samples (default ${DEFAULT-VALUE})")
        int minSamples;

        @Option(names = "--threads", paramLabel = "T", description = "threads of the indexed DBSCAN (default: available processors)")
        Integer threads;

        @Option(names = "--brute-force-max", defaultValue = "20000", paramLabel = "N", description = "run the brute force only up to this N (default ${DEFAULT-VALUE})")
        int bruteForceMax;

        @Option(names = "--seed", converter = SeedConverter.class, defaultValue = "1", paramLabel = "S", description = "generator seed (default ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--json", paramLabel = "FILE", description = "also write the figures as JSON")
        Path json;

        @Override
        public Integer call() throws IOException {
            SelectionBench.Settings settings;
            try {
                settings = new SelectionBench.Settings(n, dim, latent, clusters != null ? clusters : Math.max(5, n / 100), spread, noise, eps, minSamples,
                        threads != null ? threads : Runtime.getRuntime().availableProcessors(), bruteForceMax, seed);
            } catch (IllegalArgumentException e) {
                throw new BadInputException(e.getMessage(), e);
            }
            SelectionBench.Figures f = new SelectionBench(System::nanoTime).run(settings, System.err);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%9s %5s %7s %8s %8s %10s %12s %10s %9s %10s %9s %11s %11s %8s%n", "n", "dim", "threads", "clusters", "noise", "indexed_s",
                    "distances", "brute_s", "identical", "select_s", "picks", "summ_MiB", "select_MiB", "f32_diff");
            out.printf("%9d %5d %7d %8d %8d %10.3f %12d %10s %9s %10.3f %9d %11.1f %11.1f %8d%n", f.n(), f.dim(), f.threads(), f.clusters(), f.noiseRows(),
                    f.indexedSeconds(), f.indexedDistances(), Double.isNaN(f.bruteSeconds()) ? "-" : String.format("%.3f", f.bruteSeconds()),
                    Double.isNaN(f.bruteSeconds()) ? "-" : Boolean.toString(f.identical()), f.selectSeconds(), f.picks(), f.summariesMiB(), f.selectPeakMiB(),
                    f.float32Changed());
            out.flush();
            if (json != null) {
                if (json.toAbsolutePath().getParent() != null) Files.createDirectories(json.toAbsolutePath().getParent());
                JSON.writeValue(json.toFile(), f);
            }
            return f.identical() ? 0 : 1;
        }
    }

    /**
     * {@code crucible bench hal-stability DIR...}: for every model of each finished HAL campaign, N unbiased MD runs with
     * the model and whether all stay physical, against the oracle calls it was fitted to; then the last model's held-out
     * error against the oracle on oracle-MD frames ({@link org.crucible.driver.bench.HalStability}, docs/hal.md).
     */
    @Command(name = "hal-stability", description = "Per model of finished HAL campaigns: N unbiased MD runs with the model, how many stay physical "
            + "(no pair closer than --min-distance, conserved-energy drift within --max-drift), against oracle calls; held-out error of the last model.")
    public static final class HalStabilityCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Parameters(arity = "1..*", paramLabel = "DIR", description = "finished HAL campaign directories")
        List<Path> dirs;

        @Option(names = "--runs", defaultValue = "20", paramLabel = "N", description = "independent MD runs per model (default ${DEFAULT-VALUE})")
        int runs;

        @Option(names = "--steps", defaultValue = "2000", paramLabel = "S", description = "MD steps per run (default ${DEFAULT-VALUE})")
        int steps;

        @Option(names = "--timestep-fs", defaultValue = "1.0", paramLabel = "DT", description = "time step, fs (default ${DEFAULT-VALUE})")
        double dt;

        @Option(names = "--temperature-k", defaultValue = "800", paramLabel = "T", description = "Langevin temperature, K (default ${DEFAULT-VALUE})")
        double temperature;

        @Option(names = "--min-distance", defaultValue = "1.8", paramLabel = "D", description = "shortest allowed pair, Angstrom (default ${DEFAULT-VALUE})")
        double minDistance;

        @Option(names = "--max-drift", defaultValue = "0.05", paramLabel = "E", description = "largest conserved-energy drift, eV/atom (default ${DEFAULT-VALUE})")
        double maxDrift;

        @Option(names = "--held-out-frames", defaultValue = "50", paramLabel = "F", description = "oracle-MD frames for the held-out error, 0 for none (default ${DEFAULT-VALUE})")
        int heldOut;

        @Option(names = "--threads", paramLabel = "N", description = "runs of one model in parallel (default: the available processors); "
                + "the results do not depend on it")
        Integer threads;

        @Option(names = "--fail-fast", description = "stop a model at its first unphysical run (its stable-run count is then a lower bound): "
                + "enough to find the first stable model, much cheaper for collapsing ones")
        boolean failFast;

        @Option(names = "--oracle-row", description = "also run the oracle itself (sw or eam) through the same test, as a reference row: "
                + "its shortest pair shows how much room --min-distance leaves")
        boolean oracleRow;

        @Override
        public Integer call() throws IOException {
            java.util.List<String> bad = new java.util.ArrayList<>();
            int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
            if (nThreads < 1) bad.add("--threads must be >= 1, got " + nThreads);
            if (runs < 1) bad.add("--runs must be >= 1, got " + runs);
            if (steps < 1) bad.add("--steps must be >= 1, got " + steps);
            if (!(dt > 0)) bad.add("--timestep-fs must be > 0, got " + dt);
            if (!(temperature > 0)) bad.add("--temperature-k must be > 0, got " + temperature);
            if (!(minDistance > 0)) bad.add("--min-distance must be > 0, got " + minDistance);
            if (!(maxDrift > 0)) bad.add("--max-drift must be > 0, got " + maxDrift);
            if (heldOut < 0) bad.add("--held-out-frames must be >= 0, got " + heldOut);
            if (!bad.isEmpty()) throw new BadInputException(String.join("; ", bad));
            for (Path d : dirs) {
                if (!Files.exists(d.resolve("state.json"))) throw new BadInputException(d + " is not a campaign directory (no state.json)");
            }
            var set = new org.crucible.driver.bench.HalStability.Settings(runs, steps, dt, temperature, minDistance, maxDrift, heldOut, nThreads, failFast, oracleRow);
            PrintWriter out = spec.commandLine().getOut();
            var bench = new org.crucible.driver.bench.HalStability(out); // one instance: a model shared by several campaigns runs once
            for (Path d : dirs) {
                try {
                    bench.run(d, set);
                } catch (IllegalArgumentException e) {
                    throw new BadInputException(e.getMessage(), e);
                }
            }
            return 0;
        }
    }
}
