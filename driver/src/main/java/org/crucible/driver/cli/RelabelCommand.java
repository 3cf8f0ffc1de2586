package org.crucible.driver.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import org.crucible.config.campaign.Oracle;
import org.crucible.driver.campaign.CampaignRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code crucible relabel DIR --failed [--max-attempts N]}: sends the FAILED labels of a campaign (finished or stopped)
 * to its oracle again, once each, within a budget of attempts that may be larger than the campaign file's
 * {@code oracle.max_attempts} (which cannot be changed: resume checks the file's SHA-256). Each new result replaces its
 * FAILED record in the training store and carries the earlier failures; labels that are OK or UNCONVERGED are never
 * sent. Exit 0 after the pass (whatever the new results), 1 when the oracle or the store fails, 2 for bad input.
 */
@Command(name = "relabel", description = "Send a campaign's FAILED labels to its oracle again, once each, e.g. after the campaign finished or a cluster "
        + "problem was fixed; --max-attempts raises the budget of oracle.max_attempts for this pass (docs/reliability.md).")
public final class RelabelCommand implements CliCommand, Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "campaign directory")
    Path dir;

    @Option(names = "--failed", required = true, description = "relabel the tasks whose stored label FAILED (the only selection so far; required)")
    boolean failed;

    @Option(names = "--max-attempts", paramLabel = "N", description = "attempts in all per task for this pass, 1.." + Oracle.MAX_MAX_ATTEMPTS
            + " (default: the campaign file's oracle.max_attempts); a task that has had N attempts is not sent")
    Integer maxAttempts;

    @Override
    public Integer call() {
        CampaignCli.requireCampaign(dir);
        if (maxAttempts != null && (maxAttempts < 1 || maxAttempts > Oracle.MAX_MAX_ATTEMPTS)) {
            throw new BadInputException("--max-attempts must be 1.." + Oracle.MAX_MAX_ATTEMPTS + ", got " + maxAttempts);
        }
        Logging.logTo(dir.resolve("campaign.log"));
        org.crucible.driver.campaign.FailedRelabel.Pass r = CampaignCli.withPidFile(dir, () -> new CampaignRunner(Clock.systemUTC(), System::nanoTime, CampaignCli.console(), Map.of(), null)
                .retryFailed(dir, maxAttempts));
        PrintWriter out = spec.commandLine().getOut();
        out.printf("relabel %s: %d FAILED label(s) before, %d sent again (budget %d attempts), %d FAILED after (%d of them have used every attempt)%n",
                dir, r.failedBefore(), r.sent(), r.maxAttempts(), r.failedAfter(), r.exhausted());
        return 0;
    }
}
