package org.crucible.driver.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.driver.campaign.CampaignRunner;
import org.crucible.driver.campaign.CampaignState;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.TrainingStore;
import org.crucible.executors.descriptors.SoapParameters;

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
 *       vs true error: committee sigma_E per atom and max_i sigma_F,i against the actual errors, with the y = x line
 *       (calibration: above it the error exceeds sigma).</li>
 *   <li>The last pool's energy-volume scatter coloured by DBSCAN cluster (re-clustered with the campaign's own
 *       selection settings, deterministic), and its structures per space group, as generated and after relaxation
 *       ({@link PoolSymmetrySection}).</li>
 *   <li>Similarity map of the training set: configuration-averaged SOAP distances ({@link SimilarityMap}) embedded by
 *       {@link ClassicalMds}, coloured by oracle energy per atom.</li>
 *   <li>Time per stage and cycle with the executor CPU time of each stage's Spark tasks ({@link TimeSection}); core-hours
 *       per cycle, per stage and over wall time: oracle labels and validation, Spark executors ({@link CostSection}).</li>
 *   <li>Best structures: energy above the lowest (meV/atom), space group (found at the campaign's
 *       symmetry tolerance when the state has none), volume per atom, file links.</li>
 *   <li>Convex hull (variable-composition campaigns only, {@link HullSection}): formation enthalpies of the validated
 *       structures and the lower hull.</li>
 *   <li>Settings and provenance: the campaign file verbatim, seeds, oracle codes and versions from the store, hosts,
 *       model provenance, versions of this build.</li>
 * </ol>
 * Each section is its own class ({@link SearchProgressSection}, {@link ParitySection}, {@link PoolSection},
 * {@link PoolSymmetrySection}, {@link TimeSection}, {@link CostSection}, {@link BestStructuresSection}, {@link ProvenanceSection}) appending to a {@link ReportPage} from
 * the {@link CampaignData} read once here; a new section is one class and one call line in {@link #write}.
 * Reading only: the campaign directory is not modified (the store is opened read-only), so a report of a running
 * campaign is safe.
 *
 * <pre>{@code
 * CampaignReport.Summary s = new CampaignReport(Clock.systemUTC()).write(Path.of("runs/si16"), Path.of("report.html"));
 * }</pre>
 */
public final class CampaignReport {
    /** Training structures embedded in the similarity map at most (deterministic subsample beyond). */
    public static final int MAX_MAP_POINTS = SimilarityMap.MAX_POINTS;

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
        CampaignData d = new CampaignData(dir, cfgFile, cfg, state, records);
        String base = html.getFileName().toString().replaceFirst("\\.html?$", "");
        Path filesDir = html.toAbsolutePath().getParent().resolve(base + "-files");

        List<Path> files = new ArrayList<>();
        ReportPage page = new ReportPage();
        page.html("<h1>Campaign " + Html.escape(state.name()) + "</h1>\n");
        page.html(String.format(Locale.ROOT, "<p class=\"lead\">status <b>%s</b> (next stage %s), %d cycle(s), %d oracle single points (%d failed), "
                        + "%d validation single points. Report generated %s from <code>%s</code>.</p>\n", Html.escape(state.status()),
                state.next().name().toLowerCase(Locale.ROOT), state.cycle(), state.oracleSinglePoints(), state.oracleFailures(), state.validationSinglePoints(),
                clock.instant(), Html.escape(dir.toAbsolutePath().toString())));
        SearchProgressSection.write(d, page);
        ReferenceTrackingSection.write(d, page);
        EvCurvesSection.write(d, page);
        ParitySection.write(d, page);
        PoolSection.write(d, page, soapOverride);
        PoolSymmetrySection.write(d, page);
        TimeSection.write(d, page);
        CostSection.write(d, page);
        BestStructuresSection.write(d, page, filesDir, base + "-files", files);
        HullSection.write(d, page);
        ProvenanceSection.write(d, page);

        String doc = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
                + "<title>Crucible report: " + Html.escape(state.name()) + "</title><style>" + CSS + "</style></head>\n<body>\n" + page.body() + "</body></html>\n";
        Path tmp = html.toAbsolutePath().resolveSibling(html.getFileName() + ".tmp");
        Files.writeString(tmp, doc, StandardCharsets.UTF_8);
        Files.move(tmp, html, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Summary(html, Files.size(html), page.plotIds(), List.copyOf(files));
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
}
