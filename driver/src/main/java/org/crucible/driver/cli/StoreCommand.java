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
import org.crucible.core.config.ConfigurationException;
import org.crucible.driver.campaign.CampaignRunner;
import org.crucible.driver.oracle.OracleCallLedger;
import org.crucible.driver.store.AseDatabaseWriter;
import org.crucible.driver.store.ExportSplit;
import org.crucible.driver.store.IsolatedAtomEnergies;
import org.crucible.driver.store.StoreExport;
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
        throw CrucibleCommand.missingSubcommand(spec);
    }

    /**
     * The store of a campaign directory, a store directory, or a Hadoop URI; read-only unless {@code write} (stats and
     * export run safely beside a campaign; compaction is a writer and must not).
     */
    /** The oracle-call ledger of {@code where} when it is a campaign directory that has one; null otherwise (a store, a URI). */
    private static OracleCallLedger.Contents ledger(String where) {
        if (where.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*")) return null;
        Path f = Path.of(where).resolve(OracleCallLedger.FILE);
        return Files.isRegularFile(f) ? OracleCallLedger.read(f) : null;
    }

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
                    Path recipe = p.resolve(CampaignRunner.RECIPE_COPY);
                    uri = CampaignRunner.storeUri(CampaignConfigLoader.load(cfg, Files.exists(recipe) ? recipe : null), p);
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

    @Command(name = "export", description = "Write the successful labels as extended XYZ (energy, forces, stress, provenance; for GAP, ACE, MACE, "
            + "NequIP) or as an ASE database, optionally with isolated-atom frames and a train/validation/test split.")
    static final class Export implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "campaign directory, store directory or store URI")
        String dir;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "extxyz", description = "extxyz or ase-db (SQLite, read by 'ase db') (default ${DEFAULT-VALUE})")
        String format;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
                description = "output file; with --split one file per split, FILE's name with _NAME before the extension (train.extxyz -> train_valid.extxyz)")
        Path output;

        @Option(names = "--isolated-atom-energies", paramLabel = "EL=EV,...",
                description = "add one config_type=IsolatedAtom frame per element with this energy (eV), e.g. Si=-0.123 (MACE's E0s); stored "
                        + "single-atom labels are written as IsolatedAtom frames without this option")
        String isolatedAtoms;

        @Option(names = "--split", paramLabel = "NAME=FRACTION,...",
                description = "split the labels by task hash, e.g. train=0.8,valid=0.1,test=0.1 (fractions sum to 1; isolated atoms go to the first)")
        String split;

        @Option(names = "--seed", converter = SeedConverter.class, defaultValue = "0", paramLabel = "N", description = "seed of the --split shuffle (default ${DEFAULT-VALUE})")
        long seed;

        @Override
        public Integer call() throws IOException {
            if (!format.equals("extxyz") && !format.equals("ase-db")) throw new BadInputException("--format: '" + format + "' is not supported (allowed: extxyz, ase-db)");
            IsolatedAtomEnergies given = null;
            if (isolatedAtoms != null) {
                try {
                    given = IsolatedAtomEnergies.parse(isolatedAtoms);
                } catch (IllegalArgumentException e) {
                    throw new BadInputException("--isolated-atom-energies: " + e.getMessage(), e);
                }
            }
            ExportSplit parts = null;
            if (split != null) {
                try {
                    parts = ExportSplit.parse(split, seed);
                } catch (IllegalArgumentException e) {
                    throw new BadInputException("--split: " + e.getMessage(), e);
                }
            }
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) throw new BadInputException("-o: directory " + parent + " does not exist");
            java.time.Instant written = java.time.Instant.now();
            Map<String, Path> files = new LinkedHashMap<>();
            try (TrainingStore store = open(dir, false)) {
                StoreExport.Result r = StoreExport.export(store, given, parts, name -> {
                    Path file = name == null ? output : splitFile(output, name);
                    files.put(name == null ? StoreExport.ALL : name, file);
                    if (format.equals("ase-db")) return new AseDatabaseWriter(file, written);
                    Path tmp = file.toAbsolutePath().resolveSibling(file.getFileName() + ".tmp");
                    java.io.Writer w = Files.newBufferedWriter(tmp, java.nio.charset.StandardCharsets.UTF_8);
                    StoreExport.FrameSink inner = StoreExport.extxyz(w);
                    return new StoreExport.FrameSink() {
                        @Override
                        public void add(org.crucible.core.Structure frame) throws IOException {
                            inner.add(frame);
                        }

                        @Override
                        public void close() throws IOException {
                            inner.close();
                            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                        }
                    };
                });
                PrintWriter out = spec.commandLine().getOut();
                for (Map.Entry<String, Integer> e : r.framesBySplit().entrySet()) {
                    out.printf("wrote %d frames to %s%s%n", e.getValue(), files.get(e.getKey()), parts == null ? "" : " (" + e.getKey() + ")");
                }
                out.printf("%d labelled structures, %d isolated-atom frames, %d failed or unconverged records not exported%n",
                        r.frames() - r.isolatedAtoms(), r.isolatedAtoms(), r.notExported());
                out.flush();
            }
            return 0;
        }

        /** {@code dir/train.extxyz} and split {@code valid} -> {@code dir/train_valid.extxyz}. */
        static Path splitFile(Path output, String split) {
            String name = output.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String stem = dot > 0 ? name.substring(0, dot) : name;
            String ext = dot > 0 ? name.substring(dot) : "";
            return output.resolveSibling(stem + "_" + split + ext);
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
                    if (!store.torn().isEmpty()) out.println("  torn shards (not counted past the tear; see 'crucible store verify'): " + store.torn().size());
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

    @Command(name = "verify", description = "Read every shard of a training store and check it against its index: counts, duplicated task hashes, "
            + "torn shards, quarantined files. Read-only (safe beside a campaign). Exit 0 when clean, 1 when anything is wrong. For a campaign "
            + "directory, also reports its oracle-call ledger: calls, and calls begun and never finished (a driver killed during a calculation).")
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
                OracleCallLedger.Contents ledger = ledger(dir);
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("store", store.uri().toString());
                    m.put("clean", v.clean());
                    m.put("records", v.records());
                    m.put("ok", v.ok());
                    m.put("frames", v.frames());
                    m.put("superseded", v.superseded());
                    m.put("shards", v.shards());
                    m.put("duplicates", v.duplicates());
                    m.put("torn", v.torn());
                    m.put("quarantined", v.quarantined());
                    m.put("problems", v.problems());
                    if (ledger != null) {
                        Map<String, Object> l = new LinkedHashMap<>();
                        l.put("calls", ledger.calls().size());
                        l.put("label_calls", ledger.labels().size());
                        l.put("begun", ledger.begun());
                        l.put("begun_not_finished", ledger.unfinished().stream().map(b -> Map.of("kind", b.kind(), "task", b.taskHash(),
                                "attempt", b.attempt(), "pid", b.pid(), "time", b.time().toString())).toList());
                        l.put("torn_lines", ledger.tornLines());
                        m.put("oracle_calls", l);
                    }
                    out.println(CampaignCli.JSON.writeValueAsString(m));
                } else {
                    out.printf("store %s: %d records (%d ok), %d frames in %d shards%n", store.uri(), v.records(), v.ok(), v.frames(), v.shards());
                    if (v.superseded() > 0) out.printf("  superseded FAILED frames (retried, until the next compaction): %d%n", v.superseded());
                    out.printf("  duplicated task hashes: %d%n", v.duplicates().size());
                    v.duplicates().forEach((h, n) -> out.printf("    %s stored %d times%n", h, n));
                    out.printf("  torn shards: %d%n", v.torn().size());
                    v.torn().forEach(t -> out.println("    " + t));
                    out.printf("  quarantined files: %d%n", v.quarantined().size());
                    v.quarantined().forEach(q -> out.println("    quarantine/" + q));
                    out.printf("  index problems: %d%n", v.problems().size());
                    v.problems().forEach(p -> out.println("    " + p));
                    if (ledger != null) {
                        out.printf("oracle-call ledger (%s): %d calls (%d labels), %d begun and never finished (killed during the calculation: "
                                + "paid for, no result; not a label), %d torn lines%n", OracleCallLedger.FILE, ledger.calls().size(), ledger.labels().size(),
                                ledger.unfinished().size(), ledger.tornLines());
                        ledger.unfinished().forEach(b -> out.printf("    %s %s attempt %d, pid %d, begun %s%n", b.kind(), b.taskHash(), b.attempt(), b.pid(),
                                b.time()));
                    }
                    out.println(v.clean() ? "clean" : "NOT CLEAN");
                }
                out.flush();
                return v.clean() ? 0 : CrucibleCommand.EXIT_FAILURE;
            }
        }
    }
}
