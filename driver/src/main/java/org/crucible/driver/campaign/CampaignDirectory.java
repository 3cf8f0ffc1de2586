package org.crucible.driver.campaign;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.Oracle;
import org.crucible.driver.oracle.OracleFactory;
import org.crucible.driver.store.TaskHash;

/**
 * What a campaign directory keeps so that {@code resume DIR} needs nothing else: a copy of the campaign file (its
 * SHA-256 in {@code state.json}), the recipe file ({@link CampaignRunner#RECIPE_COPY}), the HAL seeds and tracked
 * references beside the copy, the resolved oracle settings record, the Spark master given at start, and the initial
 * {@code state.json}; and, on resume, the check that the campaign file is still the one the campaign started with.
 *
 * <pre>{@code
 * CampaignDirectory.create(cfg, Path.of("si.yaml"), dir, null);   // then resume(dir)
 * CampaignState s = CampaignDirectory.startedState(dir);          // refuses a changed campaign file
 * }</pre>
 */
final class CampaignDirectory {
    /** The Spark master given to {@code run --master}, kept for resumes that give none. */
    static final String SPARK_MASTER = "spark-master.txt";

    private CampaignDirectory() {
    }

    /**
     * Writes the files of a new campaign in {@code dir} from {@code configFile} (already loaded as {@code cfg}); refuses a
     * directory that already holds a campaign. {@code state.json} is written last, so a directory without it is no
     * campaign and may be set up again.
     */
    static void create(CampaignConfig cfg, Path configFile, Path dir, String master) {
        if (Files.exists(dir.resolve("state.json"))) {
            throw new CampaignException(dir + " already holds a campaign (state.json): use 'crucible resume " + dir + "' or another --dir");
        }
        try {
            Files.createDirectories(dir);
            String text = Files.readString(configFile);
            String ext = configFile.getFileName().toString().toLowerCase().endsWith(".json") ? "json" : "yaml";
            Files.writeString(dir.resolve("campaign." + ext), text);
            String recipe = recipeFile(cfg);
            if (recipe != null) Files.copy(Path.of(recipe), dir.resolve(CampaignRunner.RECIPE_COPY), StandardCopyOption.REPLACE_EXISTING);
            copyInputs(cfg, configFile, dir);
            // Every DFT setting after defaults, before any task is sent: resumes use it, whatever the defaults become.
            OracleFactory.settingsRecord(cfg, dir).ifPresent(r -> r.write(dir));
            if (master != null) Files.writeString(dir.resolve(SPARK_MASTER), master + "\n");
            CampaignState.initial(cfg.name(), cfg.seed(), TaskHash.sha256(text), cfg.protocol().name()).write(dir.resolve("state.json"));
        } catch (IOException e) {
            throw new CampaignException("cannot set up the campaign directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The state of the started campaign in {@code dir}, after checking that its campaign file is the one it started with
     * (a changed file would change the task hashes and the science).
     */
    static CampaignState startedState(Path dir) {
        Path cfgFile = CampaignRunner.configFile(dir);
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

    /** {@code master} when given, else the one kept at start, else null (the campaign file's {@code spark.master}). */
    static String sparkMaster(Path dir, String master) {
        if (master != null || !Files.exists(dir.resolve(SPARK_MASTER))) return master;
        try {
            return Files.readString(dir.resolve(SPARK_MASTER)).trim();
        } catch (IOException e) {
            throw new CampaignException("cannot read " + dir.resolve(SPARK_MASTER) + ": " + e.getMessage(), e);
        }
    }

    /** The oracle's recipe file ({@code oracle.settings_file}), or null for inline settings and embedded oracles. */
    static String recipeFile(CampaignConfig cfg) {
        if (cfg.oracle() instanceof Oracle.LocalDft d) return d.settingsFile();
        if (cfg.oracle() instanceof Oracle.Cluster c) return c.settingsFile();
        return null;
    }

    /**
     * The HAL seed file ({@code hal.seeds}) and the tracked reference structures ({@code tracking.references}) next to
     * the campaign's copy of the configuration, each at the same path relative to it as beside the original, so the copy
     * resolves them on resume; a file outside the configuration's directory must be given by absolute path (then nothing
     * is copied).
     */
    private static void copyInputs(CampaignConfig cfg, Path configFile, Path dir) throws IOException {
        List<String> inputs = new ArrayList<>(cfg.tracking().references());
        if (cfg.hal().seeds() != null) inputs.add(cfg.hal().seeds());
        Path base = configFile.toAbsolutePath().normalize().getParent();
        for (String f : inputs) {
            Path file = Path.of(f);
            if (base == null || !file.startsWith(base)) continue;
            Path target = dir.toAbsolutePath().normalize().resolve(base.relativize(file));
            if (target.equals(file)) continue;
            Files.createDirectories(target.getParent());
            Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
