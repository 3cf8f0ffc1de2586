package org.crucible.driver.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.core.config.ConfigurationException;
import org.crucible.driver.bench.BenchPool;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code crucible bench pool --n N [--workers W]}: a pool-relaxation campaign at pool scale with time, CPU time,
 * structures per core-second, heap peak and bytes written per stage ({@link BenchPool}).
 */
@Command(name = "pool", description = "A pool-relaxation campaign at pool scale on local[W]: generate -> relax -> describe -> select on about N "
        + "search cells, with wall and CPU time, structures per core-second, heap peak and pool bytes per stage (docs/benchmarks.md).")
public final class BenchPoolCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--n", required = true, paramLabel = "N", description = "search cells (rounded up to a whole number per compatible space group)")
    int n;

    @Option(names = "--workers", defaultValue = "2", paramLabel = "W", description = "Spark local[W] threads (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--config", defaultValue = "examples/si16-sw.yaml", paramLabel = "FILE",
            description = "pool-relaxation campaign file with an in-driver oracle (default ${DEFAULT-VALUE})")
    Path config;

    @Option(names = "--dir", paramLabel = "DIR", description = "working directory (default: bench-pool-N); DIR/campaign must not exist")
    Path dir;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the figures as JSON")
    Path json;

    @Option(names = "--relax-steps", paramLabel = "S", description = "override protocol.relax.steps; 0 scores each cell by one committee "
            + "evaluation without relaxing it (generate -> describe -> select at pool scale)")
    Integer relaxSteps;

    @Override
    public Integer call() throws IOException {
        if (n < 1) throw new BadInputException("--n must be >= 1, got " + n);
        if (workers < 1) throw new BadInputException("--workers must be >= 1, got " + workers);
        if (relaxSteps != null && relaxSteps < 0) throw new BadInputException("--relax-steps must be >= 0, got " + relaxSteps);
        if (!Files.isRegularFile(config)) throw new BadInputException("--config " + config + ": no such file");
        try {
            var cfg = CampaignConfigLoader.load(config);
            if (!cfg.protocol().name().equals("pool-relaxation")) {
                throw new BadInputException(config + ": protocol.name is " + cfg.protocol().name() + "; bench pool runs pool-relaxation campaigns");
            }
        } catch (ConfigurationException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        Path d = dir != null ? dir : Path.of("bench-pool-" + n);
        if (Files.exists(d.resolve("campaign"))) throw new BadInputException(d.resolve("campaign") + " exists; give a fresh --dir");
        PrintWriter out = spec.commandLine().getOut();
        BenchPool.Figures f = new BenchPool(Clock.systemUTC(), System::nanoTime, CampaignCli.console())
                .run(new BenchPool.Settings(config, n, workers, d, relaxSteps), out);
        if (json != null) JSON.writeValue(json.toFile(), f);
        return 0;
    }
}
