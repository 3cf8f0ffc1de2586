package org.crucible.driver.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.crucible.core.config.ConfigurationException;
import org.crucible.driver.campaign.CampaignState;
import org.crucible.driver.campaign.Stage;

/** Shared pieces of the campaign commands: the pid file, the status document and the summary. */
final class CampaignCli {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CampaignCli() {
    }

    /** Where the campaign's event lines go on the console: standard output, nothing with {@code --quiet}. */
    static java.io.PrintStream console() {
        return Logging.verbosity() == Logging.Verbosity.QUIET ? null : System.out;
    }

    static void requireCampaign(Path dir) {
        if (!Files.exists(dir.resolve("state.json"))) {
            throw new BadInputException(dir + ": not a campaign directory (no state.json); start one with 'crucible run CONFIG --dir " + dir + "'");
        }
    }

    /** Runs {@code body} with {@code DIR/driver.pid} holding this process's id, so status can tell running from stopped. */
    static <T> T withPidFile(Path dir, Supplier<T> body) {
        Path pid = dir.resolve("driver.pid");
        try {
            Files.createDirectories(dir);
            if (Files.exists(pid)) {
                long other = Long.parseLong(Files.readString(pid).trim());
                if (other != ProcessHandle.current().pid() && ProcessHandle.of(other).map(ProcessHandle::isAlive).orElse(false)) {
                    throw new BadInputException(dir + " is being run by process " + other + " (driver.pid); stop it first or wait");
                }
            }
            Files.writeString(pid, ProcessHandle.current().pid() + "\n");
        } catch (IOException | NumberFormatException e) {
            throw new BadInputException("cannot write " + pid + ": " + e.getMessage(), e);
        }
        try {
            return body.get();
        } catch (ConfigurationException e) {
            throw new BadInputException(e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(pid);
            } catch (IOException e) {
                System.err.println("crucible: cannot remove " + pid + ": " + e.getMessage());
            }
        }
    }

    /** The live driver process of {@code dir} ({@code driver.pid}), if one runs; an unreadable pid file means none. */
    static java.util.Optional<ProcessHandle> driver(Path dir) {
        Path pid = dir.resolve("driver.pid");
        try {
            if (!Files.exists(pid)) return java.util.Optional.empty();
            return ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    /** The convex hull of a variable-composition campaign's validated structures ({@link org.crucible.driver.report.HullTable}). */
    private static java.util.Optional<org.crucible.driver.report.HullTable> hull(Path dir, CampaignState s) {
        try {
            return org.crucible.driver.report.HullTable.validated(dir, org.crucible.driver.campaign.CampaignRunner.config(dir), s);
        } catch (IOException e) {
            throw new BadInputException("cannot read the validated structures of " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The machine-readable status of a campaign directory (the fields of docs/campaign.md, "Status"). */
    static Map<String, Object> status(Path dir) {
        CampaignState s;
        try {
            s = CampaignState.read(dir.resolve("state.json"));
        } catch (IOException e) {
            throw new BadInputException("cannot read " + dir.resolve("state.json") + ": " + e.getMessage(), e);
        }
        boolean alive = driver(dir).isPresent();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("seed", org.crucible.driver.pool.Seeds.json(s.seed())); // unsigned, as the log, the models and the report print it
        m.put("state", s.finished() ? s.status() : alive ? "running" : "stopped");
        m.put("next_stage", s.next().name().toLowerCase());
        m.put("cycles", s.cycle());
        m.put("oracle_single_points", s.oracleSinglePoints());
        m.put("oracle_failures", s.oracleFailures());
        m.put("validation_single_points", s.validationSinglePoints());
        List<Map<String, Object>> best = new ArrayList<>();
        for (CampaignState.Best b : s.best()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("energy_eV_per_atom", b.energyEvPerAtom());
            x.put("predicted_eV_per_atom", b.predictedEvPerAtom());
            x.put("space_group", b.spaceGroup());
            x.put("file", dir.resolve(b.file()).toString());
            x.put("pool_id", b.poolId());
            x.put("relaxation", b.stopReason());
            best.add(x);
        }
        m.put("best", best);
        if ("evolution-dopt".equals(s.protocol()) && !s.best().isEmpty()) hull(dir, s).ifPresent(h -> m.put("hull", h.json()));
        m.put("lowest_cluster_energies_eV_per_atom", s.history());
        // tracked reference crystals (tracking.references): errors per fitted model, reference labels paid, stop rule
        if (s.protocolState().containsKey("tracking")) m.put("reference_tracking", s.protocolState().get("tracking"));
        Path sel = dir.resolve(String.format("cycles/%03d/selection.json", s.cycle()));
        if (Files.exists(sel)) {
            try {
                JsonNode j = JSON.readTree(sel.toFile());
                Map<String, Object> last = new LinkedHashMap<>();
                last.put("cycle", s.cycle());
                if (j.has("clusters")) last.put("clusters", j.get("clusters").asInt());
                if (j.hasNonNull("change_eV_per_atom")) last.put("change_eV_per_atom", j.get("change_eV_per_atom").asDouble());
                last.put("selected", j.has("picks") ? j.get("picks").size() : j.path("ids").size());
                m.put("last_selection", last);
            } catch (IOException e) {
                throw new BadInputException("cannot read " + sel + ": " + e.getMessage(), e);
            }
        }
        Map<String, Double> stageSeconds = new LinkedHashMap<>();
        for (Stage st : Stage.values()) if (s.stageSeconds().containsKey(st.name().toLowerCase())) stageSeconds.put(st.name().toLowerCase(), s.stageSeconds().get(st.name().toLowerCase()));
        s.stageSeconds().forEach(stageSeconds::putIfAbsent);
        m.put("stage_seconds", stageSeconds);
        // CPU seconds the stages' Spark tasks spent on executors, every run of the campaign included (compute-time.jsonl)
        org.crucible.driver.spark.ComputeTimeLog.Contents compute = org.crucible.driver.spark.ComputeTimeLog.read(dir);
        m.put("executor_cpu_seconds", compute.cpuSecondsByStage());
        if (!compute.runs().isEmpty()) m.put("executor_cores", compute.runs().get(compute.runs().size() - 1).executorCores());
        // the driver JVM's own CPU time (process CPU less the executors' under a local master), every run that recorded it
        if (!compute.driverCpu().isEmpty()) {
            m.put("driver_cpu_seconds", compute.driverCpuSeconds());
            m.put("driver_cpu_seconds_by_stage", compute.driverCpuSecondsByStage());
            m.put("driver_cpu_runs", compute.driverCpu().size());
        }
        if (compute.tornLines() > 0) m.put("compute_time_torn_lines", compute.tornLines());
        oracleCoreHours(dir, s).ifPresent(h -> m.put("oracle_core_hours", h));
        m.put("log", dir.resolve("campaign.log").toString());
        m.put("model_file", s.modelFile() == null ? null : dir.resolve(s.modelFile()).toString());
        m.put("cycle_table", cycleTable(dir, s));
        Path stages = dir.resolve(org.crucible.driver.spark.StageProgressFile.FILE);
        if (Files.exists(stages)) {
            try {
                Map<String, Object> spark = JSON.readValue(stages.toFile(), new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
                if (!"running".equals(m.get("state"))) spark.put("active", List.of()); // a stopped driver runs no stage
                m.put("spark", spark);
            } catch (IOException e) {
                // written by rename, so a reader sees a whole file or none; anything else is worth saying
                throw new BadInputException("cannot read " + stages + ": " + e.getMessage(), e);
            }
        }
        return m;
    }

    /**
     * Oracle core-hours by kind of call ({@link org.crucible.driver.oracle.OracleCoreHours}): training labels, reference
     * single points, final validation, calls without a kept record; empty when {@code dir} has no campaign file (a
     * state copied on its own). Reads every stored record's provenance (one pass over the store).
     */
    static java.util.Optional<Map<String, Object>> oracleCoreHours(Path dir, CampaignState s) {
        if (!Files.exists(org.crucible.driver.campaign.CampaignRunner.configFile(dir))) return java.util.Optional.empty();
        org.crucible.config.campaign.CampaignConfig cfg;
        try {
            cfg = org.crucible.driver.campaign.CampaignRunner.config(dir);
        } catch (ConfigurationException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        org.crucible.driver.oracle.OracleCoreHours h;
        try (org.crucible.driver.store.TrainingStore store = StoreCommand.open(dir.toString(), false)) {
            List<org.crucible.driver.store.LabelRecord> records = new ArrayList<>();
            store.forEach(records::add);
            h = org.crucible.driver.oracle.OracleCoreHours.of(dir, org.crucible.driver.oracle.OracleCores.of(cfg.oracle()), records,
                    s.stageSeconds().getOrDefault("validate", 0.0), s.validationSinglePoints());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (var r : h.rows()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("kind", r.kind());
            x.put("description", r.description());
            x.put("single_points", r.singlePoints());
            x.put("failed", r.failed());
            x.put("wall_hours", Double.isNaN(r.wallSeconds()) ? null : r.wallSeconds() / 3600);
            x.put("core_hours", Double.isNaN(r.coreSeconds()) ? null : r.coreHours());
            rows.add(x);
        }
        out.put("rows", rows);
        out.put("total_core_hours", Double.isNaN(h.totalCoreHours()) ? null : h.totalCoreHours());
        out.put("cores_from", List.copyOf(h.sources()));
        return java.util.Optional.of(out);
    }

    private static final java.util.regex.Pattern STAGE_DONE = java.util.regex.Pattern.compile("^\\S+ cycle (\\d+): (\\w+) done in ([0-9.]+) s");

    /**
     * One row per cycle: labels stored (training store, by cycle), clusters and picks of the selection, lowest cluster
     * energy (model, eV/atom) and its change, the fit's training RMSE, and seconds spent (from campaign.log).
     */
    static List<Map<String, Object>> cycleTable(Path dir, CampaignState s) {
        Map<Integer, Integer> labels = Map.of();
        if (Files.exists(dir.resolve("campaign.yaml")) || Files.exists(dir.resolve("campaign.json"))) {
            try (org.crucible.driver.store.TrainingStore store = StoreCommand.open(dir.toString(), false)) {
                labels = store.stats().byCycle();
            }
        }
        Map<Integer, Double> seconds = new java.util.TreeMap<>();
        Path log = dir.resolve("campaign.log");
        if (Files.exists(log)) {
            try (var lines = Files.lines(log)) {
                lines.forEach(l -> {
                    var mm = STAGE_DONE.matcher(l);
                    if (mm.find()) seconds.merge(Integer.parseInt(mm.group(1)), Double.parseDouble(mm.group(3)), Double::sum);
                });
            } catch (IOException | java.io.UncheckedIOException e) {
                throw new BadInputException("cannot read " + log + ": " + e.getMessage(), e);
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int c = 0; c <= s.cycle(); c++) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("cycle", c);
            r.put("labels", labels.getOrDefault(c, 0));
            Path sel = dir.resolve(String.format("cycles/%03d/selection.json", c));
            Integer clusters = null;
            Integer picked = null;
            Double change = null;
            Double uMedian = null;
            if (Files.exists(sel)) {
                try {
                    JsonNode j = JSON.readTree(sel.toFile());
                    if (j.has("clusters")) clusters = j.get("clusters").asInt();
                    picked = j.has("picks") ? j.get("picks").size() : j.path("ids").size();
                    if (j.hasNonNull("change_eV_per_atom") && Double.isFinite(j.get("change_eV_per_atom").asDouble())) change = j.get("change_eV_per_atom").asDouble();
                    if (j.hasNonNull("selected_uncertainty_median")) uMedian = j.get("selected_uncertainty_median").asDouble();
                } catch (IOException e) {
                    throw new BadInputException("cannot read " + sel + ": " + e.getMessage(), e);
                }
            }
            r.put("selected", picked);
            r.put("clusters", clusters);
            List<Double> h = c >= 1 && c - 1 < s.history().size() ? s.history().get(c - 1) : List.of();
            r.put("lowest_eV_per_atom", h.isEmpty() ? null : h.get(0));
            r.put("change_eV_per_atom", change);
            r.put("selected_uncertainty_median", uMedian);
            Path model = dir.resolve(String.format("models/model-%03d.json", c));
            Double rmseE = null;
            Double rmseF = null;
            if (Files.exists(model)) {
                try {
                    JsonNode te = JSON.readTree(model.toFile()).path("provenance").path("training_errors");
                    if (te.has("rmse_energy_meV_per_atom")) rmseE = te.get("rmse_energy_meV_per_atom").asDouble();
                    if (te.has("rmse_forces_meV_per_A")) rmseF = te.get("rmse_forces_meV_per_A").asDouble();
                } catch (IOException e) {
                    throw new BadInputException("cannot read " + model + ": " + e.getMessage(), e);
                }
            }
            r.put("fit_rmse_energy_meV_per_atom", rmseE);
            r.put("fit_rmse_forces_meV_per_A", rmseF);
            r.put("seconds", seconds.get(c));
            rows.add(r);
        }
        return rows;
    }

    static void printSummary(PrintWriter out, Path dir, CampaignState s) {
        out.println("campaign " + s.name() + " in " + dir + ": " + (s.next() == Stage.DONE ? s.status() : "stopped before " + s.next()));
        out.printf("cycles %d, oracle single points %d (%d failed), validation single points %d%n", s.cycle(), s.oracleSinglePoints(),
                s.oracleFailures(), s.validationSinglePoints());
        for (CampaignState.Best b : s.best()) {
            out.printf("  %.4f eV/atom (predicted %.4f)  space group %s  %s%n", b.energyEvPerAtom(), b.predictedEvPerAtom(),
                    b.spaceGroup() == null ? "n/a" : b.spaceGroup(), dir.resolve(b.file()));
        }
        if (s.modelFile() != null) out.println("model: " + dir.resolve(s.modelFile()));
        out.println("more: crucible status " + dir + "   crucible report " + dir);
        out.flush();
    }
}
