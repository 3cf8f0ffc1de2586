package org.crucible.driver.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.core.config.ConfigurationException;
import org.crucible.driver.campaign.CampaignRunner;
import org.crucible.driver.spark.SparkMasters;
import org.crucible.driver.campaign.CampaignState;
import org.crucible.driver.cluster.ClusterPreflight;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code crucible run CONFIG [--master URL] [--dir DIR]}: starts a campaign (docs/campaign.md). */
@Command(name = "run", description = "Start a campaign from a campaign file (YAML or JSON; see docs/campaign.md).")
public final class RunCommand implements CliCommand, Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "campaign file")
    Path config;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "a Spark setting for this run (repeatable; wins over spark.conf in the "
            + "campaign file), e.g. --conf spark.driver.host=node01 --conf spark.executor.memory=8g")
    java.util.List<String> conf = new java.util.ArrayList<>();

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (overrides spark-submit's --master and spark.master), e.g. local[2] or spark://127.0.0.1:7077")
    String master;

    @Option(names = "--dir", paramLabel = "DIR", description = "campaign directory (default: ./NAME from the campaign file)")
    Path dir;

    @Override
    public Integer call() {
        String name;
        String configuredMaster;
        org.crucible.config.campaign.Oracle.Cluster cluster = null;
        try {
            var cfg = CampaignConfigLoader.load(config);
            name = cfg.name();
            configuredMaster = cfg.spark().master();
            if (cfg.oracle() instanceof org.crucible.config.campaign.Oracle.Cluster cl) cluster = cl;
            FileSystemPreflight.problem(cfg.pools().uri(), config + ": pools.uri").ifPresent(p -> {
                throw new BadInputException(p);
            });
            FileSystemPreflight.problem(cfg.store().uri(), config + ": store.uri").ifPresent(p -> {
                throw new BadInputException(p);
            });
        } catch (ConfigurationException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        Map<String, String> sparkConf = SparkMasters.conf(conf);
        SparkMasters.Choice chosen = SparkMasters.choose(master, configuredMaster, config + ": spark.master");
        SparkMasters.problem(chosen.master(), chosen.where()).ifPresent(p -> {
            throw new BadInputException(p);
        });
        String runMaster = master != null ? master : SparkMasters.submitted().orElse(null);
        Path d = dir != null ? dir : Path.of(name);
        if (cluster != null) clusterPreflight(cluster);
        Logging.logTo(d.resolve("campaign.log"));
        CampaignState s = CampaignCli.withPidFile(d, () -> new CampaignRunner(Clock.systemUTC(), System::nanoTime, CampaignCli.console(), sparkConf, null)
                .start(config, d, runMaster));
        CampaignCli.printSummary(spec.commandLine().getOut(), d, s);
        return 0;
    }

    /**
     * The cluster a campaign will label on, checked before the campaign directory exists ({@link ClusterPreflight}): a
     * refused key, an unknown host key, a missing partition or DFT code exits 2, a host that does not answer exits 1;
     * either way nothing has been generated or created.
     */
    private void clusterPreflight(org.crucible.config.campaign.Oracle.Cluster cl) {
        org.crucible.config.ClusterProfile profile;
        try {
            profile = org.crucible.driver.oracle.OracleFactory.profile(cl);
        } catch (org.crucible.core.config.ConfigurationException e) {
            throw new BadInputException(config + ": oracle.profile: " + e.getMessage(), e);
        }
        for (ClusterPreflight.Check c : ClusterPreflight.run(profile, ClusterPreflight::quickShell)) {
            if (c.ok()) continue;
            String msg = config + ": oracle.profile '" + profile.name() + "' (" + profile.source() + "): " + c.name() + ": "
                    + CrucibleCommand.clean(c.detail()) + "; nothing was created (crucible cluster check --cluster " + profile.name() + " shows every check)";
            if (c.failure() == ClusterPreflight.Failure.UNREACHABLE) throw new org.crucible.driver.campaign.CampaignException(msg);
            throw new BadInputException(msg);
        }
    }
}
