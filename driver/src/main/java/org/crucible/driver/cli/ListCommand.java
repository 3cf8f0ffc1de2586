package org.crucible.driver.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.crucible.driver.campaign.CampaignState;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code crucible list [ROOT]}: the campaigns under a directory (every directory holding a {@code state.json}, up to
 * {@code --depth} levels down), one row each: name, protocol, state (running, stopped, or how it finished), next stage,
 * cycle, oracle single points and failures, lowest validated energy (eV/atom). Reads checkpoints only; starts
 * nothing. A directory whose {@code state.json} cannot be read is listed with the reason instead of ending the list.
 */
@Command(name = "list", description = "List the campaigns under a directory with their state and counts (reads state.json files only).")
public final class ListCommand implements CliCommand, Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ROOT", description = "directory to search (default: the current directory)")
    Path root = Path.of(".");

    @Option(names = "--depth", paramLabel = "N", description = "how many directory levels below ROOT to search (default: ${DEFAULT-VALUE})")
    int depth = 3;

    @Option(names = "--json", description = "one JSON array of campaigns instead of the table")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(root)) throw new BadInputException(root + ": not a directory");
        if (depth < 0 || depth > 20) throw new BadInputException("--depth: expected 0 to 20, got " + depth);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Path dir : campaigns(root, depth)) rows.add(row(dir));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(CampaignCli.JSON.writeValueAsString(rows));
        } else if (rows.isEmpty()) {
            out.println("no campaign (directory with a state.json) under " + root + " within " + depth + " levels");
        } else {
            TextTable t = new TextTable("directory", "name", "protocol", "state", "next", "cycle", "oracle", "failed", "lowest E (eV/atom)");
            for (Map<String, Object> r : rows) {
                t.row(str(r.get("dir")), str(r.get("name")), str(r.get("protocol")), str(r.get("state")), str(r.get("next_stage")), str(r.get("cycle")),
                        str(r.get("oracle_single_points")), str(r.get("oracle_failures")),
                        r.get("lowest_eV_per_atom") instanceof Double d ? String.format(java.util.Locale.ROOT, "%.4f", d) : "-");
            }
            out.print(t.render());
        }
        out.flush();
        return 0;
    }

    /** Directories under {@code root} (itself included) holding a {@code state.json}, sorted by path. */
    static List<Path> campaigns(Path root, int depth) throws IOException {
        try (Stream<Path> s = Files.find(root, depth + 1, (p, a) -> a.isRegularFile() && p.getFileName().toString().equals("state.json"))) {
            return s.map(Path::getParent).sorted().toList();
        }
    }

    private static Map<String, Object> row(Path dir) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("dir", dir.normalize().toString());
        CampaignState s;
        try {
            s = CampaignState.read(dir.resolve("state.json"));
        } catch (IOException | RuntimeException e) {
            r.put("state", "unreadable: " + e.getMessage());
            return r;
        }
        boolean alive = CampaignCli.driver(dir).isPresent();
        r.put("name", s.name());
        r.put("protocol", s.protocol());
        r.put("state", s.finished() ? s.status() : alive ? "running" : "stopped");
        r.put("next_stage", s.next().name().toLowerCase());
        r.put("cycle", s.cycle());
        r.put("oracle_single_points", s.oracleSinglePoints());
        r.put("oracle_failures", s.oracleFailures());
        r.put("lowest_eV_per_atom", s.best().stream().mapToDouble(CampaignState.Best::energyEvPerAtom).min().stream().boxed().findFirst().orElse(null));
        return r;
    }

    private static String str(Object o) {
        return o == null ? "-" : o.toString();
    }
}
