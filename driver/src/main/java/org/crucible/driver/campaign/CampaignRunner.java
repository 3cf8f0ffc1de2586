package org.crucible.driver.campaign;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.driver.oracle.OracleFactory;
import org.crucible.driver.oracle.Oracle;
import org.crucible.driver.oracle.OracleSettingsRecord;
import org.crucible.driver.pool.PoolBackend;
import org.crucible.driver.spark.CampaignSpark;
import org.crucible.driver.store.TaskHash;
import org.crucible.driver.store.TrainingStore;

/**
 * Starts and resumes campaigns: validates the campaign file (nothing starts on an invalid one), builds the oracle,
 * opens the training store, creates the Spark context (driver and UI on 127.0.0.1, progress bar, UI URL logged) and
 * runs the {@link Campaign} state machine. The campaign directory gets a copy of the campaign file, so
 * {@code resume DIR} needs nothing else.
 */
public final class CampaignRunner {
    private final Clock clock;
    private final LongSupplier nanoTicker;
    private final PrintStream console;
    private final Map<String, String> extraSparkConf;
    private final Campaign.CheckpointListener listener;

    public CampaignRunner(Clock clock, LongSupplier nanoTicker, PrintStream console, Map<String, String> extraSparkConf,
                          Campaign.CheckpointListener listener) {
        this.clock = clock;
        this.nanoTicker = nanoTicker;
        this.console = console;
        this.extraSparkConf = Map.copyOf(extraSparkConf);
        this.listener = listener;
    }

    /** Starts a new campaign from {@code configFile} in {@code dir}; {@code master} overrides spark.master when not null. */
    public CampaignState start(Path configFile, Path dir, String master) {
        CampaignConfig cfg = CampaignConfigLoader.load(configFile);
        Oracle probe = oracle(cfg, dir);
        probe.close();
        if (Files.exists(dir.resolve("state.json"))) {
            throw new CampaignException(dir + " already holds a campaign (state.json): use 'crucible resume " + dir + "' or another --dir");
        }
        String text;
        try {
            Files.createDirectories(dir);
            text = Files.readString(configFile);
            String ext = configFile.getFileName().toString().toLowerCase().endsWith(".json") ? "json" : "yaml";
            Files.writeString(dir.resolve("campaign." + ext), text);
            String recipe = recipeFile(cfg);
            if (recipe != null) Files.copy(Path.of(recipe), dir.resolve(RECIPE_COPY), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            copySeeds(cfg, configFile, dir);
            // Every DFT setting after defaults, before any task is sent: resumes use it, whatever the defaults become.
            OracleFactory.settingsRecord(cfg, dir).ifPresent(r -> r.write(dir));
            if (master != null) Files.writeString(dir.resolve("spark-master.txt"), master + "\n");
            CampaignState.initial(cfg.name(), cfg.seed(), TaskHash.sha256(text), cfg.protocol().name()).write(dir.resolve("state.json"));
        } catch (IOException e) {
            throw new CampaignException("cannot set up the campaign directory " + dir + ": " + e.getMessage(), e);
        }
        return resume(dir, master);
    }

    /** Continues the campaign in {@code dir} from its last completed stage. */
    public CampaignState resume(Path dir, String master) {
        CampaignState state = startedState(dir);
        CampaignConfig cfg = config(dir);
        try {
            if (master == null && Files.exists(dir.resolve("spark-master.txt"))) master = Files.readString(dir.resolve("spark-master.txt")).trim();
        } catch (IOException e) {
            throw new CampaignException("cannot read " + dir.resolve("spark-master.txt") + ": " + e.getMessage(), e);
        }
        if (state.finished()) return state;
        // A campaign created before the settings record gets one, resolved with the defaults it was created with.
        if (OracleSettingsRecord.read(dir).isEmpty()) OracleFactory.settingsRecord(cfg, dir).ifPresent(r -> r.write(dir));
        String m = master != null ? master : cfg.spark().master();
        CampaignLog log = new CampaignLog(dir.resolve("campaign.log"), clock, console);
        try (Oracle oracle = new org.crucible.driver.oracle.LedgeredOracle(oracle(cfg, dir),
                org.crucible.driver.oracle.OracleCallLedger.open(dir.resolve(org.crucible.driver.oracle.OracleCallLedger.FILE)), clock);
             TrainingStore store = TrainingStore.open(storeUri(cfg, dir), new Configuration());
             JavaSparkContext sc = CampaignSpark.open(cfg, m, extraSparkConf, log::info)) {
            sc.sc().addSparkListener(new org.crucible.driver.spark.StageProgressFile(dir.resolve(org.crucible.driver.spark.StageProgressFile.FILE),
                    org.crucible.driver.spark.SparkContexts.uiUrl(sc).orElse(null), clock));
            var cpuMeter = org.crucible.driver.spark.ExecutorCpuMeter.attach(sc, dir, state, cfg.oracle(), m, clock); // executor CPU per stage
            if (store.removedLeftovers() > 0) log.info("training store: removed " + store.removedLeftovers() + " leftover(s) of a compaction interrupted earlier");
            for (String t : store.torn()) log.info("training store: torn shard " + t);
            int partitions = CampaignSpark.partitions(cfg, sc);
            log.info("campaign " + cfg.name() + " on " + m + " (" + partitions + " partitions): next " + state.next().name().toLowerCase()
                    + " of cycle " + state.cycle() + "; store " + store.uri());
            Campaign c = new Campaign(cfg, dir, state, PoolBackend.spark(sc), oracle, store, partitions, clock, nanoTicker, log, cpuMeter.then(listener));
            if (cfg.spark().progress()) c.withProgress(System.err);
            CampaignState done = c.run();
            log.info("campaign " + done.status() + ": " + done.oracleSinglePoints() + " oracle single points (" + done.oracleFailures()
                    + " failed), " + done.validationSinglePoints() + " validation single points");
            return done;
        }
    }

    /**
     * The state of the started campaign in {@code dir}, after checking that its campaign file is the one it started with
     * (a changed file would change the task hashes and the science).
     */
    private static CampaignState startedState(Path dir) {
        Path cfgFile = configFile(dir);
        if (!Files.exists(dir.resolve("state.json")) || !Files.exists(cfgFile)) {
            throw new CampaignException(dir + " is not a campaign directory (needs state.json and campaign.yaml)");
        }
        try {
            CampaignState state = CampaignState.read(dir.resolve("state.json"));
            String sha = TaskHash.sha256(Files.readString(cfgFile));
            if (!sha.equals(state.configSha256())) {
                throw new CampaignException(cfgFile + " changed since the campaign started (SHA-256 " + sha + ", state.json has "
                        + state.configSha256() + "); a resumed campaign must use the file it started with");
            }
            return state;
        } catch (IOException e) {
            throw new CampaignException("cannot read " + dir.resolve("state.json") + ": " + e.getMessage(), e);
        }
    }

    /**
     * What {@link #retryFailed} did: FAILED labels sent again, the budget it used, and the store's FAILED labels before
     * and after (of which {@code exhausted} have used every attempt of that budget).
     */
    public record RetryPass(int sent, int maxAttempts, int failedBefore, int failedAfter, int exhausted) {
    }

    /**
     * {@code crucible relabel DIR --failed}: sends again, once, every FAILED label of the campaign's recorded batches
     * that has had fewer than {@code maxAttempts} attempts ({@link ExactlyOnceLabelling#retryFailed}: the same pass a
     * start or resume makes), whether the campaign is finished or stopped, without Spark. {@code maxAttempts} replaces
     * {@code oracle.max_attempts} for this pass only (null: the file's); the campaign file itself cannot change. Each
     * result replaces its FAILED record in the store (once, under the writer lease, so never beside a running driver) and
     * is a line of the oracle-call ledger; the campaign's state is not changed.
     */
    public RetryPass retryFailed(Path dir, Integer maxAttempts) {
        startedState(dir);
        CampaignConfig cfg = config(dir);
        int max = maxAttempts != null ? maxAttempts : cfg.oracle().maxAttempts();
        List<Path> batches = new ArrayList<>();
        try (var cycles = Files.list(dir.resolve("cycles"))) {
            cycles.map(c -> c.resolve("batch.json")).filter(Files::exists).sorted().forEach(batches::add);
        } catch (java.nio.file.NoSuchFileException e) {
            // no cycle recorded a batch yet: nothing to retry
        } catch (IOException e) {
            throw new CampaignException("cannot list " + dir.resolve("cycles") + ": " + e.getMessage(), e);
        }
        CampaignLog log = new CampaignLog(dir.resolve("campaign.log"), clock, console);
        try (Oracle oracle = new org.crucible.driver.oracle.LedgeredOracle(oracle(cfg, dir),
                org.crucible.driver.oracle.OracleCallLedger.open(dir.resolve(org.crucible.driver.oracle.OracleCallLedger.FILE)), clock);
             TrainingStore store = TrainingStore.open(storeUri(cfg, dir), new Configuration())) {
            int before = failed(store, Integer.MAX_VALUE);
            log.info("relabel --failed: " + before + " FAILED label(s) in the store; budget " + max + " attempt(s)"
                    + (maxAttempts != null ? " (--max-attempts; oracle.max_attempts is " + cfg.oracle().maxAttempts() + ")" : " (oracle.max_attempts)"));
            int sent = batches.isEmpty() ? 0 : new ExactlyOnceLabelling(oracle, store, log, null, nanoTicker).retryFailed(batches, max);
            return new RetryPass(sent, max, before, failed(store, Integer.MAX_VALUE), failed(store, max));
        }
    }

    /** FAILED records in {@code store} that have had at least {@code attempts} attempts ({@code Integer.MAX_VALUE}: every FAILED record). */
    private static int failed(TrainingStore store, int attempts) {
        return (int) store.entries().values().stream()
                .filter(e -> e.status() == org.crucible.driver.store.LabelStatus.FAILED && (attempts == Integer.MAX_VALUE || e.attempt() >= attempts)).count();
    }

    /** The oracle's recipe file ({@code oracle.settings_file}), or null for inline settings and embedded oracles. */
    static String recipeFile(CampaignConfig cfg) {
        if (cfg.oracle() instanceof org.crucible.config.campaign.Oracle.LocalDft d) return d.settingsFile();
        if (cfg.oracle() instanceof org.crucible.config.campaign.Oracle.Cluster c) return c.settingsFile();
        return null;
    }

    /** The store URI: a URI with a scheme as given, a relative path against the campaign directory. */
    public static URI storeUri(CampaignConfig cfg, Path dir) {
        String u = cfg.store().uri();
        if (u.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*")) return URI.create(u);
        return dir.resolve(u).toAbsolutePath().normalize().toUri();
    }

    /** The oracle of a configuration ({@link OracleFactory}); DFT and cluster oracles are refused with what is missing. */
    public Oracle oracle(CampaignConfig cfg, Path dir) {
        return new OracleFactory(clock, nanoTicker, console, org.crucible.driver.VersionInfo.crucibleVersion()).oracle(cfg, dir);
    }

    /** The campaign file a started campaign keeps: {@code campaign.json} if present, else {@code campaign.yaml}. */
    public static Path configFile(Path dir) {
        return Files.exists(dir.resolve("campaign.json")) ? dir.resolve("campaign.json") : dir.resolve("campaign.yaml");
    }

    /** The configuration of the started campaign in {@code dir}, with its copy of the recipe file when it has one. */
    public static CampaignConfig config(Path dir) {
        Path recipeCopy = dir.resolve(RECIPE_COPY);
        return CampaignConfigLoader.load(configFile(dir), Files.exists(recipeCopy) ? recipeCopy : null);
    }

    /**
     * The HAL seed file ({@code hal.seeds}) and the tracked reference structures ({@code tracking.references}) next to
     * the campaign's copy of the configuration, each at the same path relative to it as beside the original, so the copy
     * resolves them on resume; a file outside the configuration's directory must be given by absolute path (then nothing
     * is copied).
     */
    private static void copySeeds(CampaignConfig cfg, Path configFile, Path dir) throws IOException {
        java.util.List<String> inputs = new java.util.ArrayList<>(cfg.tracking().references());
        if (cfg.hal().seeds() != null) inputs.add(cfg.hal().seeds());
        Path base = configFile.toAbsolutePath().normalize().getParent();
        for (String f : inputs) {
            Path file = Path.of(f);
            if (base == null || !file.startsWith(base)) continue;
            Path target = dir.toAbsolutePath().normalize().resolve(base.relativize(file));
            if (target.equals(file)) continue;
            Files.createDirectories(target.getParent());
            Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The recipe file a started campaign keeps (a copy of {@code oracle.settings_file}), read again on resume. */
    public static final String RECIPE_COPY = "oracle-settings.yaml";
}
