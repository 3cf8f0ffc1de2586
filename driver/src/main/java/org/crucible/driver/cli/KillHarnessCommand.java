package org.crucible.driver.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.core.config.ConfigurationException;
import org.crucible.driver.bench.KillHarness;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code crucible bench kill-harness --config FILE --kills N}: the campaign kill harness ({@link KillHarness}) as a
 * command for long runs: an uninterrupted reference run, then the same campaign SIGKILLed N times at seeded moments of
 * every stage and of store compactions and resumed each time, optionally beside a second writer; then the audit of the
 * final store and the oracle-call ledger against the reference. Exit 0 when nothing was lost, duplicated or paid twice and
 * every planned kill landed, 1 otherwise, 2 for bad input.
 */
@Command(name = "kill-harness", description = "SIGKILL a campaign's driver at seeded moments of every stage and of store compactions, resume each time, "
        + "and compare the final store and the oracle-call ledger with an uninterrupted run (docs/reliability.md).")
public final class KillHarnessCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "campaign file with an oracle callable in the driver (sw, tersoff, lj, eam)")
    Path config;

    @Option(names = "--kills", defaultValue = "20", paramLabel = "N", description = "SIGKILLs of the killed run (default ${DEFAULT-VALUE})")
    int kills;

    @Option(names = "--compaction-kills", defaultValue = "2", paramLabel = "N", description = "of those, kills timed on a store compaction (default ${DEFAULT-VALUE})")
    int compactionKills;

    @Option(names = "--seed", converter = SeedConverter.class, defaultValue = "1", paramLabel = "S", description = "seed of the kill plan (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--retry-kills", defaultValue = "0", paramLabel = "N",
            description = "further kills aimed at the pass in which a resumed driver retries FAILED labels (needs labels that fail, e.g. oracle.inject_failures; default ${DEFAULT-VALUE})")
    int retryKills;

    @Option(names = "--second-writer", description = "run a second process beside the campaign that keeps trying to append to its store")
    boolean secondWriter;

    @Option(names = "--writer-period-ms", defaultValue = "1000", paramLabel = "MS", description = "pause of the second writer between attempts (default ${DEFAULT-VALUE})")
    long writerPeriodMs;

    @Option(names = "--child-timeout", defaultValue = "1800", paramLabel = "S", description = "longest one driver JVM may run, s (default ${DEFAULT-VALUE})")
    long childTimeout;

    @Option(names = "--dir", paramLabel = "DIR", description = "empty directory for the runs (default: bench-kill-harness)")
    Path dir;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the report as JSON")
    Path json;

    @Override
    public Integer call() throws IOException, InterruptedException {
        try {
            CampaignConfigLoader.load(config);
        } catch (ConfigurationException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        Path d = dir != null ? dir : Path.of("bench-kill-harness");
        if (Files.isDirectory(d)) {
            try (Stream<Path> s = Files.list(d)) {
                if (s.findAny().isPresent()) throw new BadInputException("--dir " + d + " is not empty: the harness needs a fresh directory");
            }
        }
        KillHarness.Settings settings;
        try {
            settings = new KillHarness.Settings(config.toAbsolutePath(), d.toAbsolutePath(), kills, compactionKills, seed, secondWriter, writerPeriodMs, childTimeout, retryKills);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        KillHarness.Report r = new KillHarness(settings, System::nanoTime, System.err).run();
        PrintWriter out = spec.commandLine().getOut();
        var a = r.audit();
        out.printf("kills %d of %d planned (%d added for late kills; driver starts %d), stages hit %s, kills inside a compaction %d, inside a retry pass %d%n",
                r.kills().size(), r.planned(), r.lateReaims(), r.driverStarts(), r.stagesHit(), r.compactionHits(), r.retryHits());
        out.printf("labels: reference %d, killed run %d; lost %d, duplicated %d, extra %d; max |dE| %.3g eV; store verify %s%n", a.referenceLabels(), a.labels(),
                a.lost().size(), a.duplicated(), a.extra().size(), a.maxEnergyDifferenceEv(), a.verify().clean() ? "clean" : "NOT clean");
        out.printf("oracle label calls: %d (reference %d); repeated for an already stored label %d; repeated after an interrupted call %d; "
                + "retries of failed labels %d; validation relaxations %d; calls begun and never finished (killed midway) %d%n", a.labelCalls(),
                a.referenceLabelCalls(), a.repeatedAfterStored().size(), a.repeatedInterrupted(), a.retries(), a.relaxCalls(), a.begunNotFinished().size());
        if (secondWriter) {
            var w = r.writer();
            out.printf("second writer: %d attempts, %d refused naming the driver, %d appends let through while no driver held the lease (added %d), "
                    + "%d errors; %d driver starts refused and retried%n", w.attempts(), w.refusedNamingADriver(), w.appended(), w.appendedAdded(), w.errors().size(),
                    w.driverStartsRefused());
        }
        out.printf("wall time: reference %.0f s, killed run %.0f s%n", r.referenceSeconds(), r.killedSeconds());
        List<String> v = r.violations();
        out.println(v.isEmpty() ? "PASS" : "FAIL: " + String.join("; ", v));
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("config", config.toString());
            doc.put("seed", org.crucible.driver.pool.Seeds.json(seed));
            doc.put("second_writer", secondWriter);
            doc.put("kills", r.kills().stream().map(k -> Map.of("pid", k.pid(), "cycle", k.cycle(), "stage", k.stage().name(), "compaction", k.compaction(),
                    "alive_s", k.aliveSeconds(), "target", k.target(), "retry", k.retry())).toList());
            doc.put("retry_hits", r.retryHits());
            doc.put("retries", a.retries());
            doc.put("planned_kills", r.planned());
            doc.put("late_kills_reaimed", r.lateReaims());
            doc.put("stages_hit", r.stagesHit());
            doc.put("compaction_hits", r.compactionHits());
            doc.put("driver_starts", r.driverStarts());
            doc.put("reference_labels", a.referenceLabels());
            doc.put("labels", a.labels());
            doc.put("lost", a.lost().size());
            doc.put("duplicated", a.duplicated());
            doc.put("extra", a.extra().size());
            doc.put("max_energy_difference_eV", a.maxEnergyDifferenceEv());
            doc.put("verify_clean", a.verify().clean());
            doc.put("label_calls", a.labelCalls());
            doc.put("reference_label_calls", a.referenceLabelCalls());
            doc.put("repeated_after_stored", a.repeatedAfterStored().size());
            doc.put("repeated_after_interrupted_call", a.repeatedInterrupted());
            doc.put("begun_not_finished", a.begunNotFinished().size());
            doc.put("writer", r.writer());
            doc.put("reference_seconds", r.referenceSeconds());
            doc.put("killed_seconds", r.killedSeconds());
            doc.put("violations", v);
            if (json.toAbsolutePath().getParent() != null) Files.createDirectories(json.toAbsolutePath().getParent());
            JSON.writeValue(json.toFile(), doc);
        }
        if (r.retryHits() < retryKills) {
            out.printf("SHORT: %d of %d kills aimed at retry passes landed while retries were in flight%n", r.retryHits(), retryKills);
            return 1;
        }
        if (r.kills().size() < r.planned()) {
            out.printf("SHORT: %d of %d planned kills landed before the campaign finished%n", r.kills().size(), r.planned());
            return 1;
        }
        return v.isEmpty() ? 0 : 1;
    }
}
