package org.crucible.driver.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import org.crucible.driver.campaign.CampaignRunner;
import org.crucible.driver.spark.SparkMasters;
import org.crucible.driver.campaign.CampaignState;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code crucible resume DIR}: continues a campaign from its last completed stage. */
@Command(name = "resume", description = "Continue a campaign from its last completed stage (after a crash, kill or reboot).")
public final class ResumeCommand implements CliCommand, Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "campaign directory")
    Path dir;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "a Spark setting for this run (repeatable; wins over spark.conf in the "
            + "campaign file), e.g. --conf spark.driver.host=node01 --conf spark.executor.memory=8g")
    java.util.List<String> conf = new java.util.ArrayList<>();

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's --master when run by spark-submit, else the one the campaign started with)")
    String master;

    @Override
    public Integer call() {
        CampaignCli.requireCampaign(dir);
        Map<String, String> sparkConf = SparkMasters.conf(conf);
        SparkMasters.Choice chosen = SparkMasters.choose(master, null, "the recorded master");
        String resumeMaster = chosen.master();
        if (resumeMaster != null) SparkMasters.problem(resumeMaster, chosen.where()).ifPresent(p -> {
            throw new BadInputException(p);
        });
        Logging.logTo(dir.resolve("campaign.log"));
        CampaignState s = CampaignCli.withPidFile(dir, () -> new CampaignRunner(Clock.systemUTC(), System::nanoTime, CampaignCli.console(), sparkConf, null)
                .resume(dir, resumeMaster));
        CampaignCli.printSummary(spec.commandLine().getOut(), dir, s);
        return 0;
    }
}
