package org.crucible.driver.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.crucible.config.campaign.TrackingConfig;
import org.crucible.core.Structure;
import org.crucible.core.io.StructureFormats;
import org.crucible.driver.oracle.Oracle;
import org.crucible.driver.oracle.OracleCallLedger;
import org.crucible.driver.oracle.OracleTask;
import org.crucible.driver.store.DurableFiles;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.LabelStatus;
import org.crucible.driver.store.ShardCodec;
import org.crucible.executors.calculators.Calculator;
import org.crucible.executors.relax.EarlyStop;
import org.crucible.executors.relax.Fire;
import org.crucible.executors.relax.RelaxResult;
import org.crucible.executors.relax.RelaxSettings;
import org.crucible.executors.relax.StopReason;

/**
 * Known crystals tracked inside the campaign (GAP-RSS paper, Fig. 3): after the fit of cycle t the new model relaxes
 * each reference of {@code tracking.references} (FIRE, variable cell, zero pressure, {@code tracking.relax}), the
 * oracle labels the relaxed cell, and the error
 *
 * <pre>    dE_t = (E_model(R_t) - E_oracle(R_t)) / N   (meV/atom, R_t the model-relaxed cell)</pre>
 *
 * is recorded in the state section {@value #SECTION} (checkpointed with the fit), one row per fitted model.
 *
 * <p>Exactly once: each reference label is written to {@code references/labels/TASKHASH.extxyz} (fsynced, atomic
 * rename) as it arrives and is read from there when the same task comes again (a fit redone after a kill relaxes to the
 * same cell, so the same task hash); it never enters the training store, and the oracle ledger records it with kind
 * {@code reference}. The section's {@code oracle_single_points} counts the label files, i.e. reference labels paid.
 *
 * <p>Stop rule ({@code tracking.stop}): the campaign is converged when every reference's |dE| (of those named in
 * {@code stop.references}, all by default) was at most {@code tol_mev_per_atom} for the last {@code cycles} fits in a row.
 *
 * <p>Energy-volume curves ({@code tracking.ev_curve}, GAP-RSS paper Fig. 3d-f): at the end of the campaign
 * ({@link #evCurves}) the final model relaxes each reference again (the same cell as after its fit), the cell is scaled
 * uniformly to V_k = (1 - r + 2 r k / (m - 1)) V_0, k = 0..m-1, with fractional coordinates fixed, and the model's and
 * the oracle's energy per atom at each V_k go into the section's {@code ev_curves}. The labels are reference labels
 * (exactly once, as above).
 */
final class ReferenceTracking {
    /** The state section of the tracking. */
    static final String SECTION = "tracking";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrackingConfig cfg;
    private final Oracle oracle;
    private final CampaignFiles files;
    private final CampaignLog log;
    private final LongSupplier nanoTicker;
    private final List<Structure> references = new ArrayList<>();

    ReferenceTracking(TrackingConfig cfg, Oracle oracle, CampaignFiles files, CampaignLog log, LongSupplier nanoTicker) {
        this.cfg = cfg;
        this.oracle = oracle;
        this.files = files;
        this.log = log;
        this.nanoTicker = nanoTicker;
        for (String f : cfg.references()) {
            Structure s = StructureFormats.read(Path.of(f)).get(0);
            references.add(Structure.of(s.cell(), s.atomicNumbers(), s.positions()));
        }
    }

    /**
     * Tracks the references with {@code model}, the fit of cycle {@code cycle} written to {@code modelFile}; appends
     * the row to {@code e}'s {@value #SECTION} section and, when the stop rule holds, sets the campaign converged and
     * sends it to validation.
     */
    void afterFit(int cycle, String modelFile, Calculator model, CampaignState.Edit e) {
        long t0 = nanoTicker.getAsLong();
        RelaxSettings settings = new RelaxSettings(cfg.fmaxEvPerAngstrom(), cfg.smaxGPa(), cfg.steps(), 0.0, true, 0, 0, EarlyStop.NEVER);
        List<Row> rows = new ArrayList<>();
        List<OracleTask> tasks = new ArrayList<>();
        for (int i = 0; i < references.size(); i++) {
            Row row = relax(cfg.names().get(i), references.get(i), model, settings);
            rows.add(row);
            if (row.task != null) tasks.add(row.task);
        }
        Map<String, LabelRecord> labels = labelOnce(tasks, cycle);
        ObjectNode section = e.protocolState.containsKey(SECTION) ? (ObjectNode) e.protocolState.get(SECTION).deepCopy() : JSON.createObjectNode();
        ArrayNode names = section.putArray("references");
        cfg.names().forEach(names::add);
        ArrayNode old = section.has("cycles") ? (ArrayNode) section.get("cycles") : JSON.createArrayNode();
        ArrayNode cycles = section.putArray("cycles");
        for (JsonNode c : old) if (c.path("cycle").asInt() != cycle) cycles.add(c); // a fit redone after a kill replaces its row
        ObjectNode entry = cycles.addObject();
        entry.put("cycle", cycle);
        entry.put("model", modelFile);
        double worst = 0;
        ObjectNode errors = entry.putObject("errors_meV_per_atom");
        ArrayNode detail = entry.putArray("references");
        StringBuilder text = new StringBuilder();
        for (Row r : rows) {
            LabelRecord rec = r.task == null ? null : labels.get(r.task.taskHash());
            double oracleE = rec != null && rec.status() == LabelStatus.OK ? rec.structure().labels().energy() / r.atoms : Double.NaN;
            double err = (r.modelEvPerAtom - oracleE) * 1000;
            ObjectNode d = detail.addObject();
            d.put("name", r.name);
            d.put("atoms", r.atoms);
            number(d, "model_eV_per_atom", r.modelEvPerAtom);
            number(d, "oracle_eV_per_atom", oracleE);
            number(d, "error_meV_per_atom", err);
            number(d, "volume_A3_per_atom", r.volumePerAtom);
            d.put("relax_steps", r.steps);
            d.put("relax_stop", r.stop);
            if (r.task != null) d.put("task_hash", r.task.taskHash());
            if (rec != null && rec.status() != LabelStatus.OK) d.put("oracle_status", rec.status().name() + ": " + rec.message());
            number(errors, r.name, err);
            worst = Double.isFinite(err) && Double.isFinite(worst) ? Math.max(worst, Math.abs(err)) : Double.NaN;
            text.append(String.format(" %s %s", r.name, Double.isFinite(err) ? String.format("%+.1f", err) : "n/a (" + r.stop + ")"));
        }
        number(entry, "max_abs_error_meV_per_atom", worst);
        double seconds = (nanoTicker.getAsLong() - t0) * 1e-9;
        entry.put("seconds", Math.round(seconds * 10) / 10.0);
        section.put("oracle_single_points", labelFiles());
        log.info(String.format("cycle %d: reference errors (model - %s, meV/atom):%s; largest |error| %s; %d reference labels in all, %.1f s", cycle,
                oracle.code(), text, Double.isFinite(worst) ? String.format("%.1f", worst) : "n/a", labelFiles(), seconds));
        if (cfg.stops()) stopRule(section, e);
        e.protocolState.put(SECTION, section);
    }

    /**
     * Counts the fits in a row (newest last) whose every error among {@code stop.references} is within the tolerance;
     * converged at {@code stop.cycles}.
     */
    private void stopRule(ObjectNode section, CampaignState.Edit e) {
        int streak = 0;
        for (JsonNode c : section.get("cycles")) {
            double w = 0;
            for (String name : cfg.stopNames()) {
                JsonNode v = c.path("errors_meV_per_atom").path(name);
                w = v.isNumber() && Double.isFinite(w) ? Math.max(w, Math.abs(v.asDouble())) : Double.NaN;
            }
            streak = Double.isFinite(w) && w <= cfg.stopTolMeVPerAtom() ? streak + 1 : 0;
        }
        boolean converged = streak >= cfg.stopCycles();
        ObjectNode stop = section.putObject("stop");
        stop.put("tol_meV_per_atom", cfg.stopTolMeVPerAtom());
        stop.put("cycles", cfg.stopCycles());
        ArrayNode watched = stop.putArray("references");
        cfg.stopNames().forEach(watched::add);
        stop.put("streak", streak);
        stop.put("converged", converged);
        if (converged) {
            e.status = "converged";
            e.next = Stage.VALIDATE;
            log.info(String.format("tracked references within %.1f meV/atom for %d fits in a row -> converged", cfg.stopTolMeVPerAtom(), streak));
        }
    }

    /**
     * The final model's energy-volume curves ({@code tracking.ev_curve}): per reference relaxed by {@code model}, the
     * energies per atom of model and oracle on the uniformly scaled cells; written to {@code e}'s {@value #SECTION}
     * section as {@code ev_curves}. A reference whose relaxation failed has no curve (its reason is recorded). Resumable:
     * labels paid before a kill are read back by task hash.
     */
    void evCurves(String modelFile, Calculator model, CampaignState.Edit e) {
        if (!cfg.evCurves()) return;
        long t0 = nanoTicker.getAsLong();
        RelaxSettings settings = new RelaxSettings(cfg.fmaxEvPerAngstrom(), cfg.smaxGPa(), cfg.steps(), 0.0, true, 0, 0, EarlyStop.NEVER);
        int m = cfg.evPoints();
        List<Curve> curves = new ArrayList<>();
        List<OracleTask> tasks = new ArrayList<>();
        for (int i = 0; i < references.size(); i++) {
            Row row = relax(cfg.names().get(i), references.get(i), model, settings);
            if (row.task == null) {
                curves.add(new Curve(row.name, row.stop, null, null, null));
                continue;
            }
            Structure r = row.task.structure();
            Structure[] cells = new Structure[m];
            double[] em = new double[m];
            OracleTask[] ts = new OracleTask[m];
            for (int k = 0; k < m; k++) {
                cells[k] = scaledTo(r, evVolumeFactor(k, m, cfg.evRange()));
                em[k] = model.calculate(cells[k]).energy() / r.size();
                ts[k] = OracleTask.of(cells[k], oracle, -1);
                tasks.add(ts[k]);
            }
            curves.add(new Curve(row.name, null, cells, em, ts));
        }
        Map<String, LabelRecord> labels = labelOnce(tasks, e.cycle);
        ObjectNode section = e.protocolState.containsKey(SECTION) ? (ObjectNode) e.protocolState.get(SECTION).deepCopy() : JSON.createObjectNode();
        ObjectNode ev = section.putObject("ev_curves");
        ev.put("model", modelFile);
        ev.put("points", m);
        ev.put("range", cfg.evRange());
        ev.put("scaling", "uniform, fractional coordinates fixed, from the model-relaxed cell");
        ArrayNode out = ev.putArray("references");
        StringBuilder text = new StringBuilder();
        for (Curve curve : curves) {
            ObjectNode c = out.addObject();
            c.put("name", curve.name);
            if (curve.failed != null) {
                c.put("failed", curve.failed);
                text.append(' ').append(curve.name).append(" n/a");
                continue;
            }
            ArrayNode v = c.putArray("volume_A3_per_atom"), me = c.putArray("model_eV_per_atom"), oe = c.putArray("oracle_eV_per_atom");
            double rms = 0;
            int n = 0;
            for (int k = 0; k < m; k++) {
                Structure s = curve.cells[k];
                LabelRecord rec = labels.get(curve.tasks[k].taskHash());
                double o = rec != null && rec.status() == LabelStatus.OK ? rec.structure().labels().energy() / s.size() : Double.NaN;
                v.add(s.cell().volume() / s.size());
                me.add(curve.model[k]);
                if (Double.isFinite(o)) {
                    oe.add(o);
                    rms += (curve.model[k] - o) * (curve.model[k] - o);
                    n++;
                } else {
                    oe.addNull();
                }
            }
            double r = n == 0 ? Double.NaN : 1000 * Math.sqrt(rms / n);
            number(c, "rms_error_meV_per_atom", r);
            text.append(String.format(" %s %s", curve.name, Double.isFinite(r) ? String.format("%.1f", r) : "n/a"));
        }
        section.put("oracle_single_points", labelFiles());
        e.protocolState.put(SECTION, section);
        log.info(String.format("energy-volume curves of %s (%d volumes, +-%.0f%%): rms model - %s (meV/atom):%s; %.1f s", modelFile, m, 100 * cfg.evRange(),
                oracle.code(), text, (nanoTicker.getAsLong() - t0) * 1e-9));
    }

    /** One reference's curve: the scaled cells, the model's energies per atom and the oracle tasks; or why it has none. */
    private record Curve(String name, String failed, Structure[] cells, double[] model, OracleTask[] tasks) {
    }

    /**
     * The reference labels of {@code tasks}: those already in {@code references/labels/} read back, the others (each
     * task hash once) sent to the oracle as one batch of ledger kind {@code reference} and written there as they come.
     */
    private Map<String, LabelRecord> labelOnce(List<OracleTask> tasks, int cycle) {
        Map<String, LabelRecord> labels = new LinkedHashMap<>();
        Map<String, OracleTask> toLabel = new LinkedHashMap<>();
        for (OracleTask t : tasks) {
            LabelRecord stored = readLabel(t.taskHash());
            if (stored != null) labels.put(t.taskHash(), stored);
            else toLabel.putIfAbsent(t.taskHash(), t);
        }
        if (!toLabel.isEmpty()) {
            oracle.label(new ArrayList<>(toLabel.values()), cycle, OracleCallLedger.REFERENCE, rec -> {
                writeLabel(rec);
                synchronized (labels) {
                    labels.put(rec.taskHash(), rec);
                }
            });
        }
        return labels;
    }

    /** V_k / V_0 = 1 - r + 2 r k / (m - 1), k = 0..m-1. */
    static double evVolumeFactor(int k, int m, double r) {
        return 1 - r + 2 * r * k / (m - 1);
    }

    /** {@code s} with its cell and positions scaled so the volume is {@code factor} times its own (fractional coordinates kept). */
    static Structure scaledTo(Structure s, double factor) {
        double f = Math.cbrt(factor);
        double[] h = s.cell().matrix();
        for (int i = 0; i < 9; i++) h[i] *= f;
        double[] x = s.positions();
        for (int i = 0; i < x.length; i++) x[i] *= f;
        return Structure.of(s.cell().withMatrix(h), s.atomicNumbers(), x);
    }

    /** One reference relaxed by the model. */
    private record Row(String name, int atoms, double modelEvPerAtom, double volumePerAtom, int steps, String stop, OracleTask task) {
    }

    /**
     * A reference whose volume per atom leaves [1/{@value #VOLUME_FACTOR}, {@value #VOLUME_FACTOR}] x its starting value
     * stops the relaxation: an early, wild model can collapse a cell until the neighbour lists fill the heap (seen with
     * a cycle-0 model at a 4.5 Angstrom cutoff), or blow it up. Such a reference gets no label and no error that cycle.
     */
    static final double VOLUME_FACTOR = 4.0;

    private Row relax(String name, Structure s, Calculator model, RelaxSettings settings) {
        double v0 = s.cell().volume() / s.size();
        EarlyStop guard = (c, step) -> {
            double v = c.cell().volume() / c.size();
            return !(v > v0 / VOLUME_FACTOR && v < v0 * VOLUME_FACTOR);
        };
        RelaxResult r;
        try {
            r = new Fire().relax(s, model, settings.withEarlyStop(guard));
        } catch (RuntimeException ex) {
            return new Row(name, s.size(), Double.NaN, Double.NaN, 0, "failed: " + ex.getMessage(), null);
        }
        if (r.reason() == StopReason.EARLY_STOP) {
            return new Row(name, s.size(), Double.NaN, r.last().cell().volume() / s.size(), r.steps(),
                    String.format("volume left [%.3g, %.3g] A^3/atom", v0 / VOLUME_FACTOR, v0 * VOLUME_FACTOR), null);
        }
        boolean bad = r.reason() == StopReason.NON_FINITE || r.reason() == StopReason.CALCULATION_FAILED;
        if (bad) return new Row(name, s.size(), Double.NaN, Double.NaN, r.steps(), r.reason().name().toLowerCase(), null);
        Structure relaxed = Structure.of(r.last().cell(), r.last().atomicNumbers(), r.last().positions());
        double e = model.calculate(relaxed).energy() / relaxed.size();
        return new Row(name, relaxed.size(), e, relaxed.cell().volume() / relaxed.size(), r.steps(), r.reason().name().toLowerCase(),
                OracleTask.of(relaxed, oracle, -1));
    }

    private static void number(ObjectNode n, String key, double v) {
        if (Double.isFinite(v)) n.put(key, v);
        else n.putNull(key);
    }

    private Path labelDir() {
        return files.dir().resolve("references/labels");
    }

    private int labelFiles() {
        if (!Files.isDirectory(labelDir())) return 0;
        try (var s = Files.list(labelDir())) {
            return (int) s.filter(p -> p.getFileName().toString().endsWith(".extxyz")).count();
        } catch (IOException ex) {
            throw new CampaignException("cannot list " + labelDir() + ": " + ex.getMessage(), ex);
        }
    }

    private LabelRecord readLabel(String taskHash) {
        Path f = labelDir().resolve(taskHash + ".extxyz");
        if (!Files.exists(f)) return null;
        try (BufferedReader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            List<LabelRecord> r = ShardCodec.read(in, f.toString());
            if (r.size() != 1 || !r.get(0).taskHash().equals(taskHash)) throw new IOException("expected the one label of task " + taskHash);
            return r.get(0);
        } catch (IOException | RuntimeException ex) {
            throw new CampaignException("cannot read the reference label " + f + ": " + ex.getMessage(), ex);
        }
    }

    private void writeLabel(LabelRecord rec) {
        Path f = labelDir().resolve(rec.taskHash() + ".extxyz");
        try {
            Files.createDirectories(labelDir());
            StringWriter w = new StringWriter();
            ShardCodec.write(w, rec, true);
            DurableFiles.writeAtomically(f, w.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException ex) {
            throw new CampaignException("cannot write the reference label " + f + ": " + ex.getMessage(), ex);
        }
    }
}
