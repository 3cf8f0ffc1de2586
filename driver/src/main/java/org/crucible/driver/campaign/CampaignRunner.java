package org.crucible.driver.campaign;

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
import org.crucible.driver.oracle.LedgeredOracle;
import org.crucible.driver.oracle.Oracle;
import org.crucible.driver.pool.PoolBackend;
import org.crucible.driver.spark.CampaignSpark;
import org.crucible.driver.spark.ExecutorCpuMeter;
import org.crucible.driver.spark.SparkContexts;
import org.crucible.driver.spark.StageProgressFile;
import org.crucible.driver.store.TrainingStore;

/**
 * Starts and resumes campaigns: validates the campaign file (nothing starts on an invalid one), builds the oracle,
 * opens the training store, creates the Spark context (driver and UI on 127.0.0.1, progress bar, UI URL logged) and
 * runs the {@link Campaign} state machine. The campaign directory gets a copy of the campaign file and what it refers
 * to ({@link CampaignDirectory}), so {@code resume DIR} needs nothing else; {@link #retryFailed} is
 * {@code relabel --failed} ({@link FailedRelabel}).
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
        CampaignDirectory.create(cfg, configFile, dir, master);
        return resume(dir, master);
    }

    /** Continues the campaign in {@code dir} from its last completed stage. */
    public CampaignState resume(Path dir, String master) {
        CampaignState state = CampaignDirectory.startedState(dir);
        CampaignConfig cfg = config(dir);
        master = CampaignDirectory.sparkMaster(dir, master);
        if (state.finished()) return state;
        // A campaign created before the settings record gets one; an embedded calculator must still be the recorded one.
        OracleFactory.recordOrCheck(cfg, dir);
        String m = master != null ? master : cfg.spark().master();
        CampaignLog log = new CampaignLog(dir.resolve("campaign.log"), clock, console);
        try (Oracle oracle = LedgeredOracle.inCampaign(oracle(cfg, dir), dir, clock);
             TrainingStore store = TrainingStore.open(storeUri(cfg, dir), new Configuration());
             JavaSparkContext sc = CampaignSpark.open(cfg, m, extraSparkConf, log::info)) {
            sc.sc().addSparkListener(new StageProgressFile(dir.resolve(StageProgressFile.FILE), SparkContexts.uiUrl(sc).orElse(null), clock));
            var cpuMeter = ExecutorCpuMeter.attach(sc, dir, state, cfg.oracle(), m, clock); // executor CPU per stage
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
     * {@code crucible relabel DIR --failed}: one pass over the FAILED labels of the started campaign in {@code dir}
     * ({@link FailedRelabel}); {@code maxAttempts} replaces {@code oracle.max_attempts} for this pass only (null: the file's).
     */
    public FailedRelabel.Pass retryFailed(Path dir, Integer maxAttempts) {
        CampaignDirectory.startedState(dir);
        CampaignConfig cfg = config(dir);
        OracleFactory.recordOrCheck(cfg, dir);
        return FailedRelabel.run(dir, cfg, () -> oracle(cfg, dir), maxAttempts, clock, nanoTicker, console);
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

    /** The recipe file a started campaign keeps (a copy of {@code oracle.settings_file}), read again on resume. */
    public static final String RECIPE_COPY = "oracle-settings.yaml";
}
