package org.crucible.driver.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.crucible.config.campaign.CampaignConfig;

/**
 * The Spark context of a campaign: master from the command line or {@code spark.master}, driver and UI on
 * 127.0.0.1 ({@link SparkContexts}), the Crucible jars shipped to non-local masters, the progress bar, the UI URL
 * reported, and the number of pool partitions ({@code spark.partitions}, or 8 x the default parallelism).
 *
 * <pre>{@code
 * try (JavaSparkContext sc = CampaignSpark.open(cfg, "local[2]", Map.of(), log::info)) { int p = CampaignSpark.partitions(cfg, sc); }
 * }</pre>
 */
public final class CampaignSpark {
    private CampaignSpark() {
    }

    /**
     * A context for {@code cfg} on {@code master}; the campaign file's {@code spark.conf} wins over Crucible's defaults
     * and {@code extraConf} (the command line's {@code --conf}) wins over both; the caller closes it.
     */
    public static JavaSparkContext open(CampaignConfig cfg, String master, Map<String, String> extraConf, Consumer<String> log) {
        Map<String, String> conf = new LinkedHashMap<>(appJars(master, CampaignSpark.class));
        conf.putAll(cfg.spark().conf());
        conf.putAll(extraConf);
        JavaSparkContext sc = SparkContexts.create(master, "crucible " + cfg.name(), cfg.spark().ui(), cfg.spark().uiPort(), conf);
        if (cfg.spark().progress()) sc.sc().addSparkListener(new ProgressBar(System.err, 30));
        SparkContexts.uiUrl(sc).ifPresent(u -> log.accept("Spark UI: " + u));
        return sc;
    }

    /** Whether two spark.jars entries (a path, or a file: URI as spark-submit writes them) name one local file. */
    private static boolean sameFile(String a, String b) {
        return local(a).map(pa -> local(b).map(pa::equals).orElse(false)).orElse(a.equals(b));
    }

    private static java.util.Optional<Path> local(String jar) {
        try {
            if (!jar.contains(":")) return java.util.Optional.of(Path.of(jar).toAbsolutePath().normalize());
            java.net.URI u = java.net.URI.create(jar);
            return "file".equals(u.getScheme()) ? java.util.Optional.of(Path.of(u).normalize()) : java.util.Optional.empty();
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return java.util.Optional.empty();
        }
    }

    /** Pool partitions: {@code spark.partitions}, or 8 x the default parallelism when it is 0. */
    public static int partitions(CampaignConfig cfg, JavaSparkContext sc) {
        return cfg.spark().partitions() > 0 ? cfg.spark().partitions() : 8 * sc.defaultParallelism();
    }

    /**
     * For a standalone or cluster master, the Crucible jars executors need (the application jar holding
     * {@code anchor} and its crucible-* libraries), found next to the running code; empty for local masters or when
     * running from class directories.
     */
    public static Map<String, String> appJars(String master, Class<?> anchor) {
        if (master.startsWith("local")) return Map.of();
        try {
            Path self = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(self)) return Map.of();
            List<String> jars = new ArrayList<>();
            jars.add(self.toUri().toString());
            Path lib = self.getParent().resolve("lib");
            if (Files.isDirectory(lib)) {
                try (var s = Files.list(lib)) {
                    s.filter(p -> p.getFileName().toString().startsWith("crucible-")).sorted().forEach(p -> jars.add(p.toUri().toString()));
                }
            }
            // Under spark-submit, spark.jars already names the application jar and any --jars: keep them.
            java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
            String submitted = System.getProperty("spark.jars", "");
            for (String j : submitted.split(",")) if (!j.isBlank()) all.add(j.trim());
            for (String j : jars) if (all.stream().noneMatch(a -> sameFile(a, j))) all.add(j);
            return Map.of("spark.jars", String.join(",", all));
        } catch (Exception e) {
            throw new org.crucible.driver.campaign.CampaignException("cannot locate the Crucible jars to ship to executors: " + e.getMessage(), e);
        }
    }
}
