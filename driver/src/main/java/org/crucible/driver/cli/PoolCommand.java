package org.crucible.driver.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.core.config.ConfigurationException;
import org.crucible.core.io.ExtendedXyz;
import org.crucible.core.io.StructureReader;
import org.crucible.driver.pool.PoolException;
import org.crucible.driver.pool.PoolFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code crucible pool ls|export WHERE}: the saved pools of a campaign directory (its {@code pools.uri}), of a pool
 * root ({@code cycle=N/stage=S} below it) or one pool, on any Hadoop filesystem. Pools are Parquet datasets
 * (docs/pools.md); {@code export} writes one as extended XYZ with the model's labels and per-structure state.
 */
@Command(name = "pool", description = "List saved pools or export one as extended XYZ (pools are Parquet datasets: docs/pools.md).",
        subcommands = {PoolCommand.Ls.class, PoolCommand.Export.class})
public final class PoolCommand implements CliCommand, Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw CrucibleCommand.missingSubcommand(spec);
    }

    /** The pool root (or single pool) WHERE names: a campaign directory's {@code pools.uri}, a directory, or a URI. */
    static String root(String where) {
        Path p = Path.of(where);
        if (Files.isDirectory(p)) {
            Path cfg = Files.exists(p.resolve("campaign.json")) ? p.resolve("campaign.json") : p.resolve("campaign.yaml");
            if (Files.exists(cfg)) {
                try {
                    return PoolFiles.root(p, CampaignConfigLoader.load(cfg).pools().uri());
                } catch (ConfigurationException e) {
                    throw new BadInputException(e.getMessage(), e);
                }
            }
        }
        return StructureFiles.poolUri(p).orElseThrow(() -> new BadInputException(where
                + ": no such directory (give a campaign directory, a pool root, a pool or a URI such as hdfs://namenode:8020/pools)"));
    }

    static List<PoolFiles.Listing> list(String where) {
        String root = root(where);
        try {
            return PoolFiles.list(root);
        } catch (PoolException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    @Command(name = "ls", description = "List the pools under a campaign directory, a pool root or URI: cycle, stage, structures, partitions, bytes.")
    static final class Ls implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "WHERE", description = "campaign directory, pool root, pool, or Hadoop URI (file:, hdfs:)")
        String where;

        @Option(names = "--json", description = "one JSON object per pool: cycle (null for a single pool), stage, structures, partitions, bytes, uri")
        boolean json;

        @Override
        public Integer call() {
            List<PoolFiles.Listing> pools = list(where);
            var out = spec.commandLine().getOut();
            if (json) {
                for (PoolFiles.Listing l : pools) {
                    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
                    m.put("cycle", l.cycle() < 0 ? null : l.cycle());
                    m.put("stage", l.cycle() < 0 ? null : l.stage());
                    m.put("structures", l.structures());
                    m.put("partitions", l.partitions());
                    m.put("bytes", l.bytes());
                    m.put("uri", l.uri());
                    out.println(CliJson.line(m));
                }
                return 0;
            }
            if (pools.isEmpty()) {
                out.println("no pools under " + root(where));
                return 0;
            }
            out.printf("%5s  %-10s  %10s  %10s  %12s  %s%n", "cycle", "stage", "structures", "partitions", "bytes", "uri");
            for (PoolFiles.Listing l : pools) {
                out.printf("%5s  %-10s  %10d  %10d  %12d  %s%n", l.cycle() < 0 ? "-" : Integer.toString(l.cycle()), l.stage(), l.structures(),
                        l.partitions(), l.bytes(), l.uri());
            }
            return 0;
        }
    }

    @Command(name = "export", description = "Write one pool as extended XYZ (model energy, forces, stress; info: pool_id, status, origin, uncertainty, ...).")
    static final class Export implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "WHERE", description = "campaign directory, pool root, pool, or Hadoop URI (file:, hdfs:)")
        String where;

        @Option(names = "--cycle", paramLabel = "N", description = "cycle of the pool (default: the latest)")
        Integer cycle;

        @Option(names = "--stage", paramLabel = "S", description = "stage: generated, relaxed, described, ... (default: relaxed when the cycle has it, else its last)")
        String stage;

        @Option(names = "--format", defaultValue = "extxyz", description = "output format (only extxyz)")
        String format;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "output file (replaced atomically)")
        Path output;

        @Override
        public Integer call() throws IOException {
            if (!format.equals("extxyz")) throw new BadInputException("--format: '" + format + "' is not supported (allowed: extxyz)");
            if (cycle != null && cycle < 0) throw new BadInputException("--cycle must be >= 0, got " + cycle);
            PoolFiles.Listing pool = choose(list(where));
            Path tmp = output.toAbsolutePath().resolveSibling("." + output.getFileName() + ".tmp");
            long n = 0;
            try (StructureReader in = StructureFiles.openPool(pool.uri());
                 Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                while (in.hasNext()) {
                    ExtendedXyz.write(w, in.next());
                    n++;
                }
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            spec.commandLine().getOut().println("wrote " + n + " structure" + (n == 1 ? "" : "s") + " of " + pool.uri() + " to " + output);
            return 0;
        }

        private PoolFiles.Listing choose(List<PoolFiles.Listing> pools) {
            if (pools.isEmpty()) throw new BadInputException(where + ": no pools there (crucible pool ls " + where + ")");
            if (pools.size() == 1 && pools.get(0).cycle() < 0) {
                if (cycle != null || stage != null) throw new BadInputException(where + " is a single pool: --cycle and --stage do not apply");
                return pools.get(0);
            }
            int c = cycle != null ? cycle : pools.stream().filter(l -> stage == null || l.stage().equals(stage)).mapToInt(PoolFiles.Listing::cycle)
                    .max().orElseThrow(() -> new BadInputException("--stage " + stage + ": no such pool; there are " + names(pools)));
            List<PoolFiles.Listing> inCycle = pools.stream().filter(l -> l.cycle() == c).toList();
            if (inCycle.isEmpty()) throw new BadInputException("--cycle " + c + ": no pool of that cycle; there are " + names(pools));
            if (stage == null) return inCycle.stream().filter(l -> l.stage().equals("relaxed")).findFirst().orElse(inCycle.get(inCycle.size() - 1));
            return inCycle.stream().filter(l -> l.stage().equals(stage)).findFirst()
                    .orElseThrow(() -> new BadInputException("--stage " + stage + ": cycle " + c + " has no such pool; there are " + names(pools)));
        }

        private static String names(List<PoolFiles.Listing> pools) {
            return pools.stream().map(l -> "cycle " + l.cycle() + " " + l.stage()).collect(Collectors.joining(", "));
        }
    }
}
