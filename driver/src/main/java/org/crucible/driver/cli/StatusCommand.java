package org.crucible.driver.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code crucible status DIR [--json] [--watch [SECONDS]]}: where a campaign is; with {@code --watch} the summary is
 * printed again every SECONDS (default 5; the screen is cleared first when writing to a terminal) until the campaign
 * has finished, or until Ctrl-C.
 */
@Command(name = "status", description = "Show a campaign's state: cycle, oracle calls and failures, best energies, time per stage.")
public final class StatusCommand implements CliCommand, Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "campaign directory")
    Path dir;

    @Option(names = "--json", description = "print JSON (fields: state, cycles, oracle_single_points, oracle_failures, validation_single_points, best, ...)")
    boolean json;

    @Option(names = "--watch", arity = "0..1", fallbackValue = "5", paramLabel = "SECONDS",
            description = "refresh every SECONDS (default 5) until the campaign finishes or Ctrl-C")
    Double watch;

    /** Waits between refreshes; tests replace it so they do not sleep. */
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    Sleeper sleeper = Thread::sleep;

    @Override
    public Integer call() throws JsonProcessingException {
        CampaignCli.requireCampaign(dir);
        if (watch == null) return print(CampaignCli.status(dir));
        if (!(watch >= 0.1) || !Double.isFinite(watch)) throw new BadInputException("--watch: the interval must be at least 0.1 s, got " + watch);
        boolean terminal = System.console() != null && !json;
        PrintWriter out = spec.commandLine().getOut();
        while (true) {
            Map<String, Object> s = CampaignCli.status(dir);
            if (terminal) out.print("\033[H\033[2J");
            else if (!json) out.println("---- " + java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            print(s);
            if (FINAL.contains(String.valueOf(s.get("state")))) return 0;
            try {
                sleeper.sleep(Math.round(watch * 1000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 130;
            }
        }
    }

    /** States after which nothing changes any more (docs/campaign.md, "Status"). */
    static final java.util.Set<String> FINAL = java.util.Set.of("converged", "max-cycles", "budget", "no-candidates", "failed");

    private int print(Map<String, Object> s) throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(CampaignCli.JSON.writeValueAsString(s));
            out.flush();
            return 0;
        }
        out.printf("campaign %s: %s (next stage %s)%n", s.get("name"), s.get("state"), s.get("next_stage"));
        out.printf("cycles %s, oracle single points %s (%s failed), validation single points %s%n", s.get("cycles"), s.get("oracle_single_points"),
                s.get("oracle_failures"), s.get("validation_single_points"));
        if (s.containsKey("last_selection")) out.println("last selection: " + s.get("last_selection"));
        List<?> hist = (List<?>) s.get("lowest_cluster_energies_eV_per_atom");
        for (int i = 0; i < hist.size(); i++) out.println("  cycle " + (i + 1) + " lowest cluster energies (eV/atom): " + hist.get(i));
        for (Object b : (List<?>) s.get("best")) out.println("  best: " + b);
        out.println("seconds per stage: " + s.get("stage_seconds"));
        out.println("log: " + s.get("log"));
        out.flush();
        return 0;
    }
}
