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

/** {@code crucible status DIR [--json]}: where a campaign is. */
@Command(name = "status", description = "Show a campaign's state: cycle, oracle calls and failures, best energies, time per stage.")
public final class StatusCommand implements CliCommand, Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "campaign directory")
    Path dir;

    @Option(names = "--json", description = "print JSON (fields: state, cycles, oracle_single_points, oracle_failures, validation_single_points, best, ...)")
    boolean json;

    @Override
    public Integer call() throws JsonProcessingException {
        CampaignCli.requireCampaign(dir);
        Map<String, Object> s = CampaignCli.status(dir);
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
