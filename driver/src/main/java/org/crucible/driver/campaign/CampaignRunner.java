package org.crucible.driver.campaign;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.driver.oracle.OracleFactory;
import org.crucible.driver.oracle.Oracle;
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
            if (master != null) Files.writeString(dir.resolve("spark-master.txt"), master + "\n");
            CampaignState.initial(cfg.name(), cfg.seed(), TaskHash.sha256(text), cfg.protocol().name()).write(dir.resolve("state.json"));
        } catch (IOException e) {
            throw new CampaignException("cannot set up the campaign directory " + dir + ": " + e.getMessage(), e);
        }
        return resume(dir, master);
    }

    /** Continues the campaign in {@code dir} from its last completed stage. */
    public CampaignState resume(Path dir, String master) {
        Path cfgFile = configFile(dir);
        if (!Files.exists(dir.resolve("state.json")) || !Files.exists(cfgFile)) {
            throw new CampaignException(dir + " is not a campaign directory (needs state.json and campaign.yaml)");
        }
        CampaignConfig cfg = config(dir);
        CampaignState state;
        try {
            state = CampaignState.read(dir.resolve("state.json"));
            String sha = TaskHash.sha256(Files.readString(cfgFile));
            if (!sha.equals(state.configSha256())) {
                throw new CampaignException(cfgFile + " changed since the campaign started (SHA-256 " + sha + ", state.json has "
                        + state.configSha256() + "); a resumed campaign must use the file it started with");
            }
            if (master == null && Files.exists(dir.resolve("spark-master.txt"))) master = Files.readString(dir.resolve("spark-master.txt")).trim();
        } catch (IOException e) {
            throw new CampaignException("cannot read " + dir.resolve("state.json") + ": " + e.getMessage(), e);
        }
        if (state.finished()) return state;
        String m = master != null ? master : cfg.spark().master();
        CampaignLog log = new CampaignLog(dir.resolve("campaign.log"), clock, console);
        try (Oracle oracle = new org.crucible.driver.oracle.LedgeredOracle(oracle(cfg, dir),
                org.crucible.driver.oracle.OracleCallLedger.open(dir.resolve(org.crucible.driver.oracle.OracleCallLedger.FILE)), clock);
             TrainingStore store = TrainingStore.open(storeUri(cfg, dir), new Configuration());
             JavaSparkContext sc = CampaignSpark.open(cfg, m, extraSparkConf, log::info)) {
            sc.sc().addSparkListener(new org.crucible.driver.spark.StageProgressFile(dir.resolve(org.crucible.driver.spark.StageProgressFile.FILE),
                    org.crucible.driver.spark.SparkContexts.uiUrl(sc).orElse(null), clock));
            if (store.removedLeftovers() > 0) log.info("training store: removed " + store.removedLeftovers() + " leftover(s) of a compaction interrupted earlier");
            for (String t : store.torn()) log.info("training store: torn shard " + t);
            int partitions = CampaignSpark.partitions(cfg, sc);
            log.info("campaign " + cfg.name() + " on " + m + " (" + partitions + " partitions): next " + state.next().name().toLowerCase()
                    + " of cycle " + state.cycle() + "; store " + store.uri());
            Campaign c = new Campaign(cfg, dir, state, PoolBackend.spark(sc), oracle, store, partitions, clock, nanoTicker, log, listener);
            if (cfg.spark().progress()) c.withProgress(System.err);
            CampaignState done = c.run();
            log.info("campaign " + done.status() + ": " + done.oracleSinglePoints() + " oracle single points (" + done.oracleFailures()
                    + " failed), " + done.validationSinglePoints() + " validation single points");
            return done;
        }
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
