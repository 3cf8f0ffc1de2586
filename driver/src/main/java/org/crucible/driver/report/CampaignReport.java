package org.crucible.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.config.campaign.Composition;
import org.crucible.core.Elements;
import org.crucible.core.Structure;
import org.crucible.core.io.Cif;
import org.crucible.core.io.ExtendedXyz;
import org.crucible.driver.campaign.CampaignRunner;
import org.crucible.driver.campaign.CampaignState;
import org.crucible.driver.pool.LocalPool;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.PoolSummary;
import org.crucible.driver.selection.ClusterSelector;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.LabelStatus;
import org.crucible.driver.store.TrainingStore;
import org.crucible.executors.descriptors.AceBasisFactory;
import org.crucible.executors.descriptors.AveragedSoap;
import org.crucible.executors.descriptors.SoapParameters;
import org.crucible.executors.potentials.LinearPotential;
import org.crucible.executors.potentials.ModelFile;
import org.crucible.executors.potentials.Prediction;
import org.crucible.executors.symmetry.SpaceGroupFinder;

/**
 * The campaign report: one self-contained HTML file (inline CSS and SVG, no script, nothing fetched) built from a
 * campaign directory, plus the best structures as CIF and extended XYZ in {@code NAME-files/} beside it.
 *
 * <p>Sections and where each figure comes from:
 * <ol>
 *   <li>Energies per cycle: {@code state.json} history (the k lowest cluster energies, model, eV/atom) and the
 *       validated structures (oracle, eV/atom).</li>
 *   <li>Oracle single points per cycle and cumulative, failures marked: the training store's records by cycle and
 *       status.</li>
 *   <li>Parity of model vs oracle for each cycle's new labels <em>before they were fitted</em>: the labels of cycle t
 *       are predicted with {@code models/model-(t-1).json}, the model that chose them; RMSE per cycle. Uncertainty
 *       vs true error: committee sigma_E per atom and max_i sigma_F,i against the actual errors.</li>
 *   <li>The last pool's energy-volume scatter coloured by DBSCAN cluster (re-clustered with the campaign's own
 *       selection settings, deterministic).</li>
 *   <li>Similarity map of the training set: configuration-averaged SOAP distances ({@link AveragedSoap}) embedded by
 *       {@link ClassicalMds}, coloured by oracle energy per atom.</li>
 *   <li>Best structures: energy above the lowest (meV/atom), space group ({@link SpaceGroupFinder} at the campaign's
 *       symmetry tolerance when the state has none), volume per atom, file links.</li>
 *   <li>Settings and provenance: the campaign file verbatim, seeds, oracle codes and versions from the store, hosts,
 *       model provenance, versions of this build.</li>
 * </ol>
 * Reading only: the campaign directory is not modified (the store is opened read-only), so a report of a running
 * campaign is safe.
 *
 * <pre>{@code
 * CampaignReport.Summary s = new CampaignReport(Clock.systemUTC()).write(Path.of("runs/si16"), Path.of("report.html"));
 * }</pre>
 */
public final class CampaignReport {
    /** Training structures embedded in the similarity map at most (deterministic subsample beyond). */
    public static final int MAX_MAP_POINTS = 1500;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final SoapParameters soapOverride;

    public CampaignReport(Clock clock) {
        this(clock, null);
    }

    /** @param soap SOAP parameters of the similarity map; null for the report's defaults ({@link #defaultSoap}) */
    public CampaignReport(Clock clock, SoapParameters soap) {
        this.clock = clock;
        this.soapOverride = soap;
    }

    /** What was written: the HTML file, its size, the plots (ids) and the structure files. */
    public record Summary(Path html, long bytes, List<String> plots, List<Path> files) {
    }

    /** The SOAP settings of the map: a 5 Angstrom cutoff and a moderate basis, cheap enough for thousands of cells. */
    public static SoapParameters defaultSoap(int... species) {
        return new SoapParameters(8, 6, 0.5, 5.0, 0.5, 1.0, 4, species);
    }

    /** Builds the report of campaign directory {@code dir} into {@code html}. */
    public Summary write(Path dir, Path html) throws IOException {
        Path cfgFile = Files.exists(dir.resolve("campaign.json")) ? dir.resolve("campaign.json") : dir.resolve("campaign.yaml");
        if (!Files.exists(dir.resolve("state.json")) || !Files.exists(cfgFile)) {
            throw new IOException(dir + ": not a campaign directory (needs state.json and campaign.yaml)");
        }
        // the campaign's copy of its recipe file (oracle.settings_file), as resume reads it: the path in the campaign file
        // may be relative to wherever 'crucible run' was started
        Path recipe = dir.resolve(CampaignRunner.RECIPE_COPY);
        CampaignConfig cfg = CampaignConfigLoader.load(cfgFile, Files.exists(recipe) ? recipe : null);
        CampaignState state = CampaignState.read(dir.resolve("state.json"));
        List<LabelRecord> records;
        try (TrainingStore store = TrainingStore.openReadOnly(CampaignRunner.storeUri(cfg, dir), new Configuration())) {
            records = new ArrayList<>(store.all());
        }
        records.sort(Comparator.comparingInt((LabelRecord r) -> r.provenance().cycle()).thenComparing(LabelRecord::taskHash));
        String base = html.getFileName().toString().replaceFirst("\\.html?$", "");
        Path filesDir = html.toAbsolutePath().getParent().resolve(base + "-files");

        List<String> plots = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        StringBuilder body = new StringBuilder(1 << 16);
        body.append("<h1>Campaign ").append(Html.escape(state.name())).append("</h1>\n");
        body.append(String.format(Locale.ROOT, "<p class=\"lead\">status <b>%s</b> (next stage %s), %d cycle(s), %d oracle single points (%d failed), "
                        + "%d validation single points. Report generated %s from <code>%s</code>.</p>\n", Html.escape(state.status()),
                state.next().name().toLowerCase(Locale.ROOT), state.cycle(), state.oracleSinglePoints(), state.oracleFailures(), state.validationSinglePoints(),
                clock.instant(), Html.escape(dir.toAbsolutePath().toString())));

        section(body, "Search progress", "Lowest cluster energies per cycle (model) and validated energies (oracle); oracle single points per cycle.");
        grid(body, plots, energyPlot(state), oraclePlot(records, state));

        Parity parity = parity(dir, records);
        section(body, "Model vs oracle on each cycle's new labels (before fitting)", parity.caption);
        grid(body, plots, parity.energy, parity.forces, parity.sigmaE, parity.sigmaF);
        body.append(parity.table);

        section(body, "Pool and training set", "Last relaxed pool by cluster; training set similarity map (configuration-averaged SOAP, classical MDS).");
        SvgPlot[] pool = poolPlots(dir, cfg, state);
        grid(body, plots, pool[0], pool[1], similarityMap(cfg, records));

        section(body, "Time", "Wall time of each stage per cycle (from campaign.log) and in all (state.json); how the last pool's relaxations ended.");
        grid(body, plots, timePlot(dir, state));
        body.append(timeTable(state)).append(stopReasons(dir, cfg, state));

        section(body, "Best structures", "Validated with the oracle; energies per atom. Files are written beside this report.");
        body.append(bestTable(dir, cfg, state, filesDir, base + "-files", files));

        section(body, "Settings and provenance", "");
        body.append(provenance(dir, cfg, cfgFile, state, records));

        String page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
                + "<title>Crucible report: " + Html.escape(state.name()) + "</title><style>" + CSS + "</style></head>\n<body>\n" + body + "</body></html>\n";
        Path tmp = html.toAbsolutePath().resolveSibling(html.getFileName() + ".tmp");
        Files.writeString(tmp, page, StandardCharsets.UTF_8);
        Files.move(tmp, html, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Summary(html, Files.size(html), List.copyOf(plots), List.copyOf(files));
    }

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1320px;color:#222;background:#fafafa}
            h1{font-size:24px;margin:0 0 6px}h2{font-size:18px;margin:28px 0 4px;border-bottom:1px solid #ddd;padding-bottom:3px}
            p.lead,p.cap{color:#555;margin:4px 0 10px}.grid{display:grid;grid-template-columns:repeat(2,622px);gap:16px}
            .plot{outline:1px solid #ddd;background:#fff;display:block}.plot text{font-size:11px;fill:#222}
            .plot .title{font-size:14px;font-weight:600}.plot .note{font-size:10.5px;fill:#666}.plot .axis{font-size:12px}
            .plot .tick{font-size:10.5px;fill:#444}.plot .legend{font-size:11px}.plot .frame{fill:none;stroke:#888}
            .plot .grid{stroke:#eee}.plot .diag{stroke:#444;stroke-dasharray:4 3}
            table{border-collapse:collapse;background:#fff;font-size:13px}td,th{border:1px solid #ddd;padding:4px 8px;text-align:right}
            th{background:#f0f0f0}td.l,th.l{text-align:left}pre{background:#fff;border:1px solid #ddd;padding:8px;font-size:12px;overflow:auto}
            @media (max-width:1300px){.grid{grid-template-columns:622px}}
            @media (max-width:660px){body{margin:8px}.grid{grid-template-columns:1fr}.plot{width:100%;height:auto}
            table{display:block;overflow-x:auto;max-width:100%}pre{white-space:pre-wrap}}
            """;

    private static void section(StringBuilder b, String title, String caption) {
        b.append("<h2>").append(Html.escape(title)).append("</h2>\n");
        if (!caption.isEmpty()) b.append("<p class=\"cap\">").append(Html.escape(caption)).append("</p>\n");
    }

    private static void grid(StringBuilder b, List<String> ids, SvgPlot... plots) {
        b.append("<div class=\"grid\">\n");
        for (SvgPlot p : plots) {
            ids.add(p.id());
            b.append(p.render()).append('\n');
        }
        b.append("</div>\n");
    }

    // ---- plots ---------------------------------------------------------------------------------------------

    private static SvgPlot energyPlot(CampaignState s) {
        SvgPlot p = new SvgPlot("energies", "Lowest energies per cycle", "cycle", "energy (eV/atom)");
        int k = s.history().stream().mapToInt(List::size).max().orElse(0);
        for (int j = 0; j < k; j++) {
            double[] x = new double[s.history().size()], y = new double[x.length];
            for (int c = 0; c < x.length; c++) {
                x[c] = c + 1;
                List<Double> row = s.history().get(c);
                y[c] = j < row.size() ? row.get(j) : Double.NaN;
            }
            p.line("k = " + (j + 1) + " (model)", x, y, Palette.category(j), false);
        }
        if (!s.best().isEmpty()) {
            double[] x = new double[s.best().size()], yv = new double[x.length], yp = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.max(1, s.cycle());
                yv[i] = s.best().get(i).energyEvPerAtom();
                yp[i] = s.best().get(i).predictedEvPerAtom();
            }
            p.scatter("validated", x, yv, Palette.FAILURE);
            p.scatter("its model E", x, yp, "#555555");
            p.note("k = j: j-th lowest cluster (model); red: validated by the oracle at the last cycle");
        }
        if (k == 0) p.note("no selection cycle has run yet");
        return p;
    }

    private static SvgPlot oraclePlot(List<LabelRecord> records, CampaignState state) {
        TreeMap<Integer, int[]> byCycle = new TreeMap<>();
        for (LabelRecord r : records) byCycle.computeIfAbsent(r.provenance().cycle(), c -> new int[2])[r.status() == LabelStatus.OK ? 0 : 1]++;
        int n = byCycle.size();
        double[] x = new double[n], ok = new double[n], xf = new double[n], failed = new double[n], cum = new double[n];
        int i = 0, total = 0, totalFailed = 0;
        for (Map.Entry<Integer, int[]> e : byCycle.entrySet()) {
            x[i] = e.getKey() - 0.18;
            xf[i] = e.getKey() + 0.18;
            ok[i] = e.getValue()[0];
            failed[i] = e.getValue()[1];
            total += e.getValue()[0] + e.getValue()[1];
            totalFailed += e.getValue()[1];
            cum[i] = total;
            i++;
        }
        double[] xc = new double[n];
        int j = 0;
        for (int c : byCycle.keySet()) xc[j++] = c;
        SvgPlot p = new SvgPlot("oracle-calls", "Oracle single points", "cycle", "single points");
        p.bars("succeeded", x, ok, Palette.category(0), 0.34).bars("failed", xf, failed, Palette.FAILURE, 0.34).line("cumulative", xc, cum, "#333333", true);
        p.note(String.format(Locale.ROOT, "%d single points in total, %d failed (red bars); plus %d validation single points (final relaxations)",
                total, totalFailed, state.validationSinglePoints()));
        return p;
    }

    private record Parity(SvgPlot energy, SvgPlot forces, SvgPlot sigmaE, SvgPlot sigmaF, String caption, String table) {
    }

    private static Parity parity(Path dir, List<LabelRecord> records) throws IOException {
        SvgPlot pe = new SvgPlot("parity-energy", "Energy: model vs oracle", "oracle energy (eV/atom)", "model energy (eV/atom)").diagonal().robust();
        SvgPlot pf = new SvgPlot("parity-forces", "Forces: model vs oracle", "oracle force component (eV/\u00c5)", "model force component (eV/\u00c5)").diagonal().robust();
        SvgPlot ue = new SvgPlot("uncertainty-energy", "Energy uncertainty vs true error", "committee \u03c3_E (eV/atom)", "|model \u2212 oracle| energy (eV/atom)").robust();
        SvgPlot uf = new SvgPlot("uncertainty-forces", "Force uncertainty vs true error", "max_i \u03c3_F,i (eV/\u00c5)", "max_i |F_model \u2212 F_oracle| (eV/\u00c5)").robust();
        TreeMap<Integer, List<LabelRecord>> byCycle = new TreeMap<>();
        for (LabelRecord r : records) if (r.status() == LabelStatus.OK) byCycle.computeIfAbsent(r.provenance().cycle(), c -> new ArrayList<>()).add(r);
        List<double[]> fx = new ArrayList<>(), fy = new ArrayList<>();
        List<Integer> fitted = new ArrayList<>();
        StringBuilder table = new StringBuilder("<p class=\"cap\">Errors per cycle on the new labels, before fitting:</p><table><tr><th>cycle</th>"
                + "<th class=\"l\">predicted with</th><th>labels</th><th>RMSE E (meV/atom)</th><th>RMSE F (eV/\u00c5)</th><th>force components</th>"
                + "<th>mean \u03c3_E (meV/atom)</th></tr>\n");
        int series = 0;
        double sumE2 = 0, sumF2 = 0;
        long nE = 0, nF = 0;
        for (Map.Entry<Integer, List<LabelRecord>> e : byCycle.entrySet()) {
            int cycle = e.getKey();
            Path model = dir.resolve(String.format("models/model-%03d.json", cycle - 1));
            if (cycle < 1 || !Files.exists(model)) continue;
            LinearPotential pot = ModelFile.read(model, new AceBasisFactory()).potential();
            List<LabelRecord> rs = e.getValue();
            double[] xo = new double[rs.size()], ym = new double[rs.size()], se = new double[rs.size()], ae = new double[rs.size()];
            double[] sf = new double[rs.size()], af = new double[rs.size()];
            double[] fo = new double[0], fm = new double[0];
            double e2 = 0, f2 = 0;
            int nf = 0;
            for (int i = 0; i < rs.size(); i++) {
                Structure s = rs.get(i).structure();
                Prediction pr = pot.predict(s);
                int n = s.size();
                xo[i] = s.labels().energy() / n;
                ym[i] = pr.energy() / n;
                se[i] = pr.sigmaEnergy() / n;
                ae[i] = Math.abs(ym[i] - xo[i]);
                e2 += ae[i] * ae[i];
                double[] ft = s.labels().forces();
                double[] fp = pr.forces();
                fo = append(fo, ft);
                fm = append(fm, fp);
                double maxErr = 0;
                for (int a = 0; a < n; a++) {
                    double d2 = 0;
                    for (int k = 0; k < 3; k++) {
                        double d = fp[3 * a + k] - ft[3 * a + k];
                        d2 += d * d;
                        f2 += d * d;
                        nf++;
                    }
                    maxErr = Math.max(maxErr, Math.sqrt(d2));
                }
                sf[i] = pr.maxForceSpread();
                af[i] = maxErr;
            }
            double rmseE = Math.sqrt(e2 / rs.size()), rmseF = Math.sqrt(f2 / Math.max(1, nf));
            sumE2 += e2;
            nE += rs.size();
            sumF2 += f2;
            nF += nf;
            String color = Palette.category(series++);
            String name = "cycle " + cycle;
            pe.scatter(name, xo, ym, color);
            ue.scatter(name, se, ae, color);
            uf.scatter(name, sf, af, color);
            fx.add(fo);
            fy.add(fm);
            fitted.add(cycle);
            double meanSigma = java.util.Arrays.stream(se).average().orElse(Double.NaN);
            table.append(String.format(Locale.ROOT, "<tr><td>%d</td><td class=\"l\">models/model-%03d.json</td><td>%d</td><td>%.1f</td><td>%.3f</td><td>%d</td><td>%.1f</td></tr>\n",
                    cycle, cycle - 1, rs.size(), 1000 * rmseE, rmseF, nf, 1000 * meanSigma));
        }
        long comps = fx.stream().mapToLong(a -> a.length).sum();
        if (comps > SvgPlot.MAX_MARKERS) {
            pf.scatter(null, concat(fx), concat(fy), Palette.category(0));
        } else {
            for (int i = 0; i < fx.size(); i++) pf.scatter("cycle " + fitted.get(i), fx.get(i), fy.get(i), Palette.category(i));
        }
        String caption;
        if (series == 0) {
            caption = "No labels were chosen by a fitted model yet (cycle 0 labels are random training cells with no model before them).";
        } else {
            caption = String.format(Locale.ROOT, "Labels of cycle t predicted by the model of cycle t\u22121 (the model that selected them). Overall RMSE "
                    + "%.1f meV/atom (%d structures), %.3f eV/\u00c5 (%d force components). Cycle-0 labels (random training cells) have no prior model.",
                    1000 * Math.sqrt(sumE2 / nE), nE, Math.sqrt(sumF2 / Math.max(1, nF)), nF);
        }
        if (series > 0) {
            pe.note(String.format(Locale.ROOT, "RMSE %.1f meV/atom over %d structures, %d cycle(s)", 1000 * Math.sqrt(sumE2 / nE), nE, series));
            pf.note(String.format(Locale.ROOT, "RMSE %.3f eV/\u00c5 over %d components", Math.sqrt(sumF2 / Math.max(1, nF)), nF));
        }
        return new Parity(pe, pf, ue, uf, caption, series > 0 ? table.append("</table>\n").toString() : "");
    }

    private static double[] append(double[] a, double[] b) {
        double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static double[] concat(List<double[]> parts) {
        double[] out = new double[0];
        for (double[] p : parts) out = append(out, p);
        return out;
    }

    /** Energies within this window (eV/atom) above the pool's lowest are shown in the zoomed energy-volume plot. */
    static final double ZOOM_EV_PER_ATOM = 0.2;

    /** The last pool's energy vs volume by cluster, whole and zoomed on the low-energy region. */
    private static SvgPlot[] poolPlots(Path dir, CampaignConfig cfg, CampaignState state) {
        SvgPlot p = new SvgPlot("pool-energy-volume", "Pool: energy vs volume (cycle " + state.cycle() + ")", "volume (\u00c5\u00b3/atom)", "model energy (eV/atom)");
        SvgPlot z = new SvgPlot("pool-energy-volume-low", String.format(Locale.ROOT, "Pool: the lowest %.0f meV/atom", 1000 * ZOOM_EV_PER_ATOM),
                "volume (\u00c5\u00b3/atom)", "model energy (eV/atom)");
        String poolUri = state.poolUri() == null ? null : org.crucible.driver.pool.PoolFiles.resolve(dir, cfg.pools().uri(), state.poolUri());
        if (poolUri == null || !org.crucible.driver.pool.PoolFiles.isPool(poolUri)) {
            p.note("no pool has been written yet");
            z.note("no pool has been written yet");
            return new SvgPlot[] {p, z};
        }
        List<PoolEntry> entries = LocalPool.load(poolUri).entries();
        List<PoolSummary> rows = entries.stream().map(PoolEntry::summary).toList();
        Map<Long, Integer> cluster = new HashMap<>();
        Map<Integer, Double> lowest = new HashMap<>();
        if (rows.stream().anyMatch(r -> r.features().length > 0)) {
            CampaignConfig.Selection sc = cfg.protocol().selection();
            ClusterSelector.Result r = new ClusterSelector(sc.dbscanEps(), sc.dbscanMinSamples(), sc.omegaF(), sc.batch(), sc.noise()).select(rows);
            for (int i = 0; i < r.ids().length; i++) cluster.put(r.ids()[i], r.labels()[i]);
            for (ClusterSelector.ClusterEnergy c : r.clusters()) lowest.put(c.cluster(), c.lowestEnergyPerAtom());
        }
        // Rank the clusters by their lowest energy: the eight lowest get their own colours, the rest share grey.
        List<Integer> ranked = lowest.entrySet().stream().sorted(Map.Entry.<Integer, Double>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).toList();
        Map<Integer, List<double[]>> groups = new LinkedHashMap<>();
        int shown = Math.min(8, ranked.size());
        for (int i = 0; i < shown; i++) groups.put(i, new ArrayList<>());
        groups.put(-1, new ArrayList<>());
        for (PoolEntry e : entries) {
            if (!Double.isFinite(e.energy())) continue;
            int c = cluster.getOrDefault(e.id(), -1);
            int rank = c < 0 ? -1 : ranked.indexOf(c);
            double[] xy = {e.structure().cell().volume() / e.atoms(), e.energyPerAtom()};
            groups.get(rank >= 0 && rank < shown ? rank : -1).add(xy);
        }
        double emin = entries.stream().filter(e -> Double.isFinite(e.energy())).mapToDouble(PoolEntry::energyPerAtom).min().orElse(Double.NaN);
        int inWindow = 0;
        for (Map.Entry<Integer, List<double[]>> g : groups.entrySet()) {
            if (g.getValue().isEmpty()) continue;
            double[] x = g.getValue().stream().mapToDouble(a -> a[0]).toArray(), y = g.getValue().stream().mapToDouble(a -> a[1]).toArray();
            String name = g.getKey() < 0 ? (cluster.isEmpty() ? "structures" : "other") : "cluster " + (g.getKey() + 1);
            String color = g.getKey() < 0 ? (cluster.isEmpty() ? Palette.category(0) : Palette.OTHER) : Palette.category(g.getKey());
            p.scatter(name, x, y, color);
            List<double[]> low = g.getValue().stream().filter(a -> a[1] <= emin + ZOOM_EV_PER_ATOM).toList();
            if (!low.isEmpty()) {
                z.scatter(name, low.stream().mapToDouble(a -> a[0]).toArray(), low.stream().mapToDouble(a -> a[1]).toArray(), color);
                inWindow += low.size();
            }
        }
        long failed = entries.stream().filter(e -> !Double.isFinite(e.energy())).count();
        p.note(String.format(Locale.ROOT, "%d structures, %d clusters (ranked by lowest energy), %d without an energy", entries.size(), lowest.size(), failed));
        z.note(String.format(Locale.ROOT, "%d structures within %.0f meV/atom of the lowest (%.4f eV/atom); colours as in the whole pool", inWindow,
                1000 * ZOOM_EV_PER_ATOM, emin));
        return new SvgPlot[] {p, z};
    }

    private SvgPlot similarityMap(CampaignConfig cfg, List<LabelRecord> records) {
        SvgPlot p = new SvgPlot("similarity-map", "Training set similarity map (averaged SOAP, MDS)", "MDS coordinate 1 (SOAP distance)",
                "MDS coordinate 2 (SOAP distance)");
        List<LabelRecord> ok = records.stream().filter(r -> r.status() == LabelStatus.OK).sorted(Comparator.comparing(LabelRecord::taskHash)).toList();
        int stride = (ok.size() + MAX_MAP_POINTS - 1) / Math.max(1, MAX_MAP_POINTS);
        List<LabelRecord> used = new ArrayList<>();
        for (int i = 0; i < ok.size(); i += Math.max(1, stride)) used.add(ok.get(i));
        TreeSet<Integer> zs = new TreeSet<>();
        for (Composition c : cfg.compositions()) for (String sym : c.counts().keySet()) zs.add(Elements.bySymbol(sym).z());
        for (LabelRecord r : used) for (int z : r.structure().atomicNumbers()) zs.add(z);
        int[] species = zs.stream().mapToInt(Integer::intValue).toArray();
        // Every cell must use the same density channels for the distances to compare like with like.
        SoapParameters sp = soapOverride == null ? defaultSoap(species) : soapOverride.species().length == 0 ? soapOverride.withSpecies(species) : soapOverride;
        AveragedSoap soap = new AveragedSoap(sp);
        int n = used.size();
        double[][] desc = new double[n][];
        double[] energy = new double[n];
        for (int i = 0; i < n; i++) {
            Structure s = used.get(i).structure();
            desc[i] = soap.describe(s);
            energy[i] = s.labels().energy() / s.size();
        }
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) d[i][j] = d[j][i] = AveragedSoap.distance(desc[i], desc[j], sp.zeta());
        double[][] xy = ClassicalMds.embed(d);
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = xy[i][0];
            y[i] = xy[i][1];
        }
        if (n > 0) p.scatterByValue(x, y, energy, "E (eV/atom)");
        p.note(String.format(Locale.ROOT, "%d training structures%s; SOAP nMax %d, lMax %d, \u03c3 %.2f \u00c5, r_cut %.1f \u00c5, \u03b6 %d", n,
                stride > 1 ? " (every " + stride + "-th of " + ok.size() + " by task hash)" : "", sp.nMax(), sp.lMax(), sp.sigmaAt(), sp.rCut(), sp.zeta()));
        return p;
    }

    // ---- tables --------------------------------------------------------------------------------------------

    private static String bestTable(Path dir, CampaignConfig cfg, CampaignState state, Path filesDir, String filesRel, List<Path> files) throws IOException {
        if (state.best().isEmpty()) return "<p>No validated structures yet (validation runs when the campaign stops).</p>\n";
        Files.createDirectories(filesDir);
        double lowest = state.best().stream().mapToDouble(CampaignState.Best::energyEvPerAtom).min().orElse(Double.NaN);
        StringBuilder b = new StringBuilder("<table><tr><th>rank</th><th class=\"l\">formula</th><th>E \u2212 E<sub>min</sub> (meV/atom)</th>"
                + "<th>E oracle (eV/atom)</th><th>E model (eV/atom)</th><th class=\"l\">space group</th><th>V (\u00c5\u00b3/atom)</th><th>pool id</th>"
                + "<th class=\"l\">relaxation</th><th class=\"l\">files</th><th class=\"l\">cell</th></tr>\n");
        int rank = 0;
        for (CampaignState.Best best : state.best()) {
            rank++;
            Structure s = ExtendedXyz.read(dir.resolve(best.file())).get(0);
            String sg = best.spaceGroup();
            if (sg == null) {
                try {
                    SpaceGroupFinder.Result r = SpaceGroupFinder.find(s, cfg.validation().symmetryTolerance());
                    sg = r.symbol() + " (" + r.number() + ")";
                } catch (IllegalStateException e) {
                    sg = "not found: " + e.getMessage();
                }
            }
            String stem = String.format(Locale.ROOT, "best-%02d", rank);
            Path cif = filesDir.resolve(stem + ".cif"), xyz = filesDir.resolve(stem + ".extxyz");
            Cif.write(cif, List.of(s));
            ExtendedXyz.write(xyz, List.of(s));
            files.add(cif);
            files.add(xyz);
            b.append(String.format(Locale.ROOT, "<tr><td>%d</td><td class=\"l\">%s</td><td>%.1f</td><td>%.5f</td><td>%.5f</td><td class=\"l\">%s</td><td>%.3f</td>"
                            + "<td>%d</td><td class=\"l\">%s</td><td class=\"l\"><a href=\"%s/%s.cif\">CIF</a> <a href=\"%s/%s.extxyz\">extxyz</a></td>"
                            + "<td class=\"l\">%s</td></tr>\n",
                    rank, Html.escape(s.formula()), 1000 * (best.energyEvPerAtom() - lowest), best.energyEvPerAtom(), best.predictedEvPerAtom(), Html.escape(sg),
                    s.cell().volume() / s.size(), best.poolId(), Html.escape(best.stopReason()), filesRel, stem, filesRel, stem, StructureSvg.render(s, 120)));
        }
        return b.append("</table>\n").toString();
    }

    private static String provenance(Path dir, CampaignConfig cfg, Path cfgFile, CampaignState state, List<LabelRecord> records) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("<table>");
        row(b, "campaign", state.name());
        row(b, "seed", Long.toString(state.seed()));
        row(b, "campaign file SHA-256", state.configSha256());
        row(b, "status", state.status() + (state.message().isEmpty() ? "" : ": " + state.message()));
        row(b, "oracle", cfg.oracle().type() + (cfg.oracle() instanceof org.crucible.config.campaign.Oracle.Cluster c ? " (cluster profile " + c.profile() + ")" : ""));
        Path master = dir.resolve("spark-master.txt");
        row(b, "Spark master", Files.exists(master) ? Files.readString(master).trim() + " (--master)" : cfg.spark().master());
        row(b, "crucible", org.crucible.driver.cli.VersionCommand.crucibleVersion());
        row(b, "java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        Map<String, Double> secs = new TreeMap<>(state.stageSeconds());
        StringBuilder st = new StringBuilder();
        for (Map.Entry<String, Double> e : secs.entrySet()) st.append(String.format(Locale.ROOT, "%s %.1f s; ", e.getKey(), e.getValue()));
        row(b, "wall time per stage", st.toString());
        b.append("</table>\n<h3>Oracle (from the training store)</h3>\n<table><tr><th class=\"l\">code</th><th class=\"l\">version</th>"
                + "<th class=\"l\">settings hash</th><th class=\"l\">host</th><th class=\"l\">selector</th><th>records</th><th>failed</th><th>wall time (s)</th></tr>\n");
        Map<String, double[]> groups = new TreeMap<>();
        for (LabelRecord r : records) {
            var p = r.provenance();
            String key = String.join("\u0000", p.code(), p.codeVersion(), p.settingsHash(), p.host(), p.selector());
            double[] g = groups.computeIfAbsent(key, k -> new double[3]);
            g[0]++;
            if (r.status() != LabelStatus.OK) g[1]++;
            g[2] += p.wallTimeSeconds();
        }
        for (Map.Entry<String, double[]> e : groups.entrySet()) {
            String[] k = e.getKey().split("\u0000", -1);
            b.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td class=\"l\">%s</td><td class=\"l\"><code>%s</code></td><td class=\"l\">%s</td>"
                            + "<td class=\"l\">%s</td><td>%d</td><td>%d</td><td>%.1f</td></tr>\n", Html.escape(k[0]), Html.escape(k[1]), Html.escape(shortHash(k[2])),
                    Html.escape(k[3]), Html.escape(k[4]), (long) e.getValue()[0], (long) e.getValue()[1], e.getValue()[2]));
        }
        b.append("</table>\n<h3>Models</h3>\n<table><tr><th class=\"l\">file</th><th>seed</th><th>structures fitted</th><th class=\"l\">data SHA-256</th>"
                + "<th class=\"l\">training errors</th></tr>\n");
        Path models = dir.resolve("models");
        if (Files.isDirectory(models)) {
            List<Path> list;
            try (Stream<Path> s = Files.list(models)) {
                list = s.filter(f -> f.getFileName().toString().matches("model-\\d+\\.json")).sorted().toList();
            }
            for (Path m : list) {
                JsonNode prov = JSON.readTree(m.toFile()).path("provenance");
                StringBuilder errs = new StringBuilder();
                prov.path("training_errors").fields().forEachRemaining(f -> errs.append(f.getKey()).append(' ')
                        .append(number(f.getValue().asDouble())).append("; "));
                b.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td>%s</td><td>%s</td><td class=\"l\"><code>%s</code></td><td class=\"l\">%s</td></tr>\n",
                        Html.escape(dir.relativize(m).toString()), Html.escape(prov.path("seed").isIntegralNumber()
                                ? "0x" + Long.toHexString(prov.path("seed").asLong()) : prov.path("seed").asText()), Html.escape(prov.path("structures_fitted").asText()),
                        Html.escape(shortHash(prov.path("data_sha256").asText())), Html.escape(errs.toString())));
            }
        }
        b.append("</table>\n<h3>Campaign file (<code>").append(Html.escape(cfgFile.getFileName().toString())).append("</code>)</h3>\n<pre>")
                .append(Html.escape(Files.readString(cfgFile))).append("</pre>\n");
        return b.toString();
    }

    private static final java.util.regex.Pattern STAGE_DONE = java.util.regex.Pattern.compile("^\\S+ cycle (\\d+): (\\w+) done in ([0-9.]+) s");

    /** Seconds per stage and cycle as the campaign log files them ("cycle N: STAGE done in X s"). */
    static Map<String, TreeMap<Integer, Double>> stageSecondsByCycle(Path dir) throws IOException {
        Map<String, TreeMap<Integer, Double>> m = new LinkedHashMap<>();
        for (org.crucible.driver.campaign.Stage st : org.crucible.driver.campaign.Stage.values()) m.put(st.name().toLowerCase(Locale.ROOT), new TreeMap<>());
        Path log = dir.resolve("campaign.log");
        if (!Files.exists(log)) return m;
        try (Stream<String> lines = Files.lines(log)) {
            lines.forEach(l -> {
                var mm = STAGE_DONE.matcher(l);
                if (mm.find()) m.computeIfAbsent(mm.group(2), k -> new TreeMap<>()).merge(Integer.parseInt(mm.group(1)), Double.parseDouble(mm.group(3)), Double::sum);
            });
        }
        return m;
    }

    private static SvgPlot timePlot(Path dir, CampaignState state) throws IOException {
        SvgPlot p = new SvgPlot("stage-time", "Wall time per stage and cycle", "cycle", "wall time (s)");
        int j = 0;
        boolean any = false;
        for (Map.Entry<String, TreeMap<Integer, Double>> e : stageSecondsByCycle(dir).entrySet()) {
            if (e.getValue().isEmpty()) continue;
            any = true;
            double[] x = e.getValue().keySet().stream().mapToDouble(Integer::doubleValue).toArray();
            double[] y = e.getValue().values().stream().mapToDouble(Double::doubleValue).toArray();
            p.line(e.getKey(), x, y, Palette.category(j++), false);
        }
        if (!any) p.note("campaign.log has no finished stage yet");
        else p.note("one line per stage; a stage is filed under the cycle the campaign log names");
        return p;
    }

    private static String timeTable(CampaignState state) {
        StringBuilder b = new StringBuilder("<table><tr><th class=\"l\">stage</th><th>wall time (s)</th><th>share</th></tr>\n");
        double total = state.stageSeconds().values().stream().mapToDouble(Double::doubleValue).sum();
        for (org.crucible.driver.campaign.Stage st : org.crucible.driver.campaign.Stage.values()) {
            Double v = state.stageSeconds().get(st.name().toLowerCase(Locale.ROOT));
            if (v == null) continue;
            b.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td>%.1f</td><td>%.0f %%</td></tr>\n", st.name().toLowerCase(Locale.ROOT), v,
                    total > 0 ? 100 * v / total : 0));
        }
        b.append(String.format(Locale.ROOT, "<tr><th class=\"l\">total</th><th>%.1f</th><th></th></tr>\n</table>\n", total));
        return b.toString();
    }

    /** How the relaxations of the last pool ended (the pool entries' status), most frequent first. */
    private static String stopReasons(Path dir, CampaignConfig cfg, CampaignState state) {
        String poolUri = state.poolUri() == null ? null : org.crucible.driver.pool.PoolFiles.resolve(dir, cfg.pools().uri(), state.poolUri());
        if (poolUri == null || !org.crucible.driver.pool.PoolFiles.isPool(poolUri)) return "<p>No relaxed pool yet.</p>\n";
        Map<String, Integer> counts = new TreeMap<>();
        for (PoolEntry e : LocalPool.load(poolUri).entries()) {
            counts.merge(e.status() == null || e.status().isBlank() ? "n/a" : e.status(), 1, Integer::sum);
        }
        int n = counts.values().stream().mapToInt(Integer::intValue).sum();
        StringBuilder b = new StringBuilder("<h3>Relaxations of the last pool</h3>\n<table><tr><th class=\"l\">how it ended</th><th>structures</th><th>share</th></tr>\n");
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).forEach(e -> b.append(String.format(Locale.ROOT,
                "<tr><td class=\"l\">%s</td><td>%d</td><td>%.0f %%</td></tr>\n", Html.escape(e.getKey()), e.getValue(), 100.0 * e.getValue() / n)));
        return b.append("</table>\n").toString();
    }

    /** A number as people write it: integers without decimals, others to four significant digits. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.valueOf((long) v);
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static String shortHash(String h) {
        return h.length() > 16 ? h.substring(0, 16) + "\u2026" : h;
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("<tr><th class=\"l\">").append(Html.escape(k)).append("</th><td class=\"l\">").append(Html.escape(v)).append("</td></tr>\n");
    }
}
