package org.crucible.driver.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.config.campaign.ConfigurationException;
import org.crucible.driver.campaign.CampaignRunner;
import org.crucible.driver.store.TrainingStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code crucible store export|stats|verify|compact DIR}: the training store of a campaign directory (or a store root / URI). */
@Command(name = "store", description = "Export, summarise, verify or compact a training store.",
        subcommands = {StoreCommand.Export.class, StoreCommand.Stats.class, StoreCommand.Compact.class, StoreCommand.Verify.class})
public final class StoreCommand implements CliCommand, Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * The store of a campaign directory, a store directory, or a Hadoop URI; read-only unless {@code write} (stats and
     * export run safely beside a campaign; compaction is a writer and must not).
     */
    static TrainingStore open(String where, boolean write) {
        URI uri;
        if (where.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            uri = URI.create(where);
        } else {
            Path p = Path.of(where);
            if (!Files.isDirectory(p)) throw new BadInputException(where + ": no such directory (give a campaign directory, a store directory or a URI)");
            Path cfg = Files.exists(p.resolve("campaign.json")) ? p.resolve("campaign.json") : p.resolve("campaign.yaml");
            if (Files.exists(cfg)) {
                try {
                    uri = CampaignRunner.storeUri(CampaignConfigLoader.load(cfg), p);
                } catch (ConfigurationException e) {
                    throw new BadInputException(e.getMessage(), e);
                }
            } else if (Files.exists(p.resolve("store.json")) || Files.exists(p.resolve("manifest.json")) || Files.isDirectory(p.resolve("shards"))) {
                uri = p.toAbsolutePath().toUri();
            } else {
                throw new BadInputException(where + ": neither a campaign directory (campaign.yaml) nor a training store (manifest.json)");
            }
        }
        return write ? TrainingStore.open(uri, new Configuration()) : TrainingStore.openReadOnly(uri, new Configuration());
    }

    @Command(name = "export", description = "Write the successful labels as extended XYZ (energy, forces, stress; for GAP, ACE, MACE, NequIP).")
    static final class Export implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "campaign directory, store directory or store URI")
        String dir;

        @Option(names = "--format", defaultValue = "extxyz", description = "output format (only extxyz)")
        String format;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "output file")
        Path output;

        @Override
        public Integer call() throws IOException {
            if (!format.equals("extxyz")) throw new BadInputException("--format: '" + format + "' is not supported (allowed: extxyz)");
            try (TrainingStore store = open(dir, false)) {
                Path tmp = output.toAbsolutePath().resolveSibling(output.getFileName() + ".tmp");
                int n;
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                    n = store.exportExtxyz(out);
                }
                Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING);
                TrainingStore.Stats st = store.stats();
                spec.commandLine().getOut().printf("wrote %d labelled structures to %s (%d failed or unconverged records not exported)%n", n, output,
                        st.records() - st.ok());
            }
            return 0;
        }
    }

    @Command(name = "stats", description = "Counts of a training store by status, cycle and code.")
    static final class Stats implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "campaign directory, store directory or store URI")
        String dir;

        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() throws IOException {
            try (TrainingStore store = open(dir, false)) {
                TrainingStore.Stats st = store.stats();
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("store", store.uri().toString());
                    m.put("records", st.records());
                    m.put("shards", st.shards());
                    m.put("bytes", st.bytes());
                    m.put("by_status", st.byStatus());
                    m.put("by_cycle", st.byCycle());
                    m.put("by_code", st.byCode());
                    out.println(CampaignCli.JSON.writeValueAsString(m));
                } else {
                    out.printf("store %s: %d records in %d shards (%d bytes)%n", store.uri(), st.records(), st.shards(), st.bytes());
                    out.println("  by status: " + st.byStatus());
                    out.println("  by cycle:  " + st.byCycle());
                    out.println("  by code:   " + st.byCode());
                }
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "compact", description = "Merge the small shards of a training store into shards of at most --target-mb (crash-safe; "
            + "not while a campaign is writing to the store).")
    static final class Compact implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "campaign directory, store directory or store URI")
        String dir;

        @Option(names = "--target-mb", defaultValue = "128", paramLabel = "N", description = "largest merged shard in MiB (default ${DEFAULT-VALUE}, one HDFS block)")
        int targetMb;

        @Override
        public Integer call() {
            if (targetMb < 1) throw new BadInputException("--target-mb must be >= 1, got " + targetMb);
            try (TrainingStore store = open(dir, true)) {
                TrainingStore.CompactionResult r = store.compact((long) targetMb << 20);
                TrainingStore.Stats st = store.stats();
                PrintWriter out = spec.commandLine().getOut();
                out.printf("store %s: %d shards -> %d (%d merged into %d, %d records rewritten); %d records, %d bytes%n", store.uri(), r.shardsBefore(),
                        r.shardsAfter(), r.merged(), r.written(), r.recordsRewritten(), st.records(), st.bytes());
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, description = "Read every shard of a training store and check it against its index: counts, duplicated task hashes, "
            + "torn shards, quarantined files. Read-only (safe beside a campaign). Exit 0 when clean, 1 when anything is wrong.")
    static final class Verify implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "campaign directory, store directory or store URI")
        String dir;

        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() throws IOException {
            try (TrainingStore store = open(dir, false)) {
                TrainingStore.Verification v = store.verify();
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("store", store.uri().toString());
                    m.put("clean", v.clean());
                    m.put("records", v.records());
                    m.put("ok", v.ok());
                    m.put("frames", v.frames());
                    m.put("shards", v.shards());
                    m.put("duplicates", v.duplicates());
                    m.put("torn", v.torn());
                    m.put("quarantined", v.quarantined());
                    m.put("problems", v.problems());
                    out.println(CampaignCli.JSON.writeValueAsString(m));
                } else {
                    out.printf("store %s: %d records (%d ok), %d frames in %d shards%n", store.uri(), v.records(), v.ok(), v.frames(), v.shards());
                    out.printf("  duplicated task hashes: %d%n", v.duplicates().size());
                    v.duplicates().forEach((h, n) -> out.printf("    %s stored %d times%n", h, n));
                    out.printf("  torn shards: %d%n", v.torn().size());
                    v.torn().forEach(t -> out.println("    " + t));
                    out.printf("  quarantined files: %d%n", v.quarantined().size());
                    v.quarantined().forEach(q -> out.println("    quarantine/" + q));
                    out.printf("  index problems: %d%n", v.problems().size());
                    v.problems().forEach(p -> out.println("    " + p));
                    out.println(v.clean() ? "clean" : "NOT CLEAN");
                }
                out.flush();
                return v.clean() ? 0 : CrucibleCommand.EXIT_FAILURE;
            }
        }
    }
}
