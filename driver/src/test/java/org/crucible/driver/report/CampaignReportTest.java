package org.crucible.driver.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crucible.core.Structure;
import org.crucible.core.io.Cif;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.driver.campaign.CampaignState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report of a real small campaign: every section and plot present, self-contained, structure files readable. */
class CampaignReportTest {
    static final List<String> PLOTS = List.of("energies", "oracle-calls", "parity-energy", "parity-forces", "uncertainty-energy", "uncertainty-forces",
            "pool-energy-volume", "pool-energy-volume-low", "similarity-map", "pool-space-groups", "stage-time", "core-hours", "core-hours-timeline");

    @TempDir
    static Path tmp;
    static CampaignState state;
    static CampaignReport.Summary summary;
    static String html;

    @BeforeAll
    static void build() throws Exception {
        state = ReportFixture.run(tmp.resolve("campaign"));
        summary = new CampaignReport(ReportFixture.clock()).write(tmp.resolve("campaign"), tmp.resolve("out/report.html").toAbsolutePath());
        html = Files.readString(summary.html());
    }

    static Path html() {
        return summary.html();
    }

    @Test
    void everyPlotIsThereWithData() {
        assertTrue(state.finished(), "the fixture campaign ran to the end: " + state.status());
        assertEquals(PLOTS, summary.plots());
        for (String id : PLOTS) {
            Matcher m = Pattern.compile("data-plot=\"" + id + "\" data-points=\"(\\d+)\"").matcher(html);
            assertTrue(m.find(), id);
            assertTrue(Integer.parseInt(m.group(1)) > 0, id + " has no data points");
        }
        assertFalse(html.contains("no data"), "a plot says it has no data");
        assertTrue(html.contains("RMSE"), "parity RMSE");
        assertTrue(html.contains("<tr><td>1</td><td class=\"l\">models/model-000.json</td>"), "cycle 1 labels are predicted with the model of cycle 0");
        assertTrue(html.contains("energy (eV/atom)") && html.contains("(eV/\u00c5)") && html.contains("(\u00c5\u00b3/atom)"), "axis units");
    }

    /** The SVG of one plot, from its opening tag to the next plot's. */
    static String plot(String id) {
        int from = html.indexOf("data-plot=\"" + id + "\"");
        assertTrue(from >= 0, id);
        int to = html.indexOf("data-plot=", from + 1);
        return html.substring(from, to < 0 ? html.length() : to);
    }

    @Test
    void uncertaintyPlotsHaveTheYEqualsXLineOnSharedAxes() {
        for (String id : List.of("uncertainty-energy", "uncertainty-forces")) {
            String svg = plot(id);
            assertTrue(svg.contains("class=\"diag\""), id + ": y = x line");
            Matcher m = Pattern.compile("error &gt; \u03c3 for (\\d+) of (\\d+) structures").matcher(svg);
            assertTrue(m.find(), id + ": calibration note");
            assertTrue(Integer.parseInt(m.group(1)) <= Integer.parseInt(m.group(2)) && Integer.parseInt(m.group(2)) > 0, m.group());
        }
        assertFalse(plot("energies").contains("class=\"diag\""), "no y = x where it means nothing");
    }

    @Test
    void poolSpaceGroupHistogramCountsEveryStructureOfTheLastPool() throws Exception {
        String svg = plot("pool-space-groups");
        assertTrue(svg.contains(">generated as<") && svg.contains(">after relaxation<"), "both series in the legend");
        String ticks = svg.substring(0, svg.indexOf("</svg></svg>") < 0 ? svg.length() : svg.indexOf("</svg></svg>"));
        assertTrue(ticks.contains("class=\"tick\" text-anchor=\"middle\">200</text>") && !ticks.contains("class=\"tick\" text-anchor=\"middle\">-"),
                "the x axis spans space groups 1 to 230, no negative ticks");
        int start = html.indexOf("<h2>Space groups of the pool</h2>");
        assertTrue(start >= 0, "section heading");
        String section = html.substring(start, html.indexOf("<h2>", start + 4));
        // the fixture generates in 227, 194, 12, 166 and 221: those groups are recorded in the pool's origins
        Matcher row = Pattern.compile("<tr><td class=\"l\">([^<]+) \\((\\d+)\\)</td><td>(\\d+)</td><td>(\\d+)</td>").matcher(section);
        int generated = 0, relaxed = 0;
        java.util.Set<Integer> groups = new java.util.TreeSet<>();
        while (row.find()) {
            generated += Integer.parseInt(row.group(3));
            relaxed += Integer.parseInt(row.group(4));
            if (Integer.parseInt(row.group(3)) > 0) groups.add(Integer.parseInt(row.group(2)));
        }
        Matcher others = Pattern.compile("<tr><td class=\"l\">\\d+ other groups</td><td>(\\d+)</td><td>(\\d+)</td>").matcher(section);
        if (others.find()) {
            generated += Integer.parseInt(others.group(1));
            relaxed += Integer.parseInt(others.group(2));
        }
        Matcher rest = Pattern.compile("not recorded / not found</td><td>(\\d+)</td><td>(\\d+)</td>").matcher(section);
        assertTrue(rest.find(), "not recorded / not found row");
        var cfg = org.crucible.config.campaign.CampaignConfigLoader.load(tmp.resolve("campaign/campaign.yaml"));
        int poolSize = (int) org.crucible.driver.pool.PoolFiles.count(org.crucible.driver.pool.PoolFiles.resolve(tmp.resolve("campaign"),
                cfg.pools().uri(), state.poolUri()));
        assertTrue(poolSize > 0);
        assertEquals(poolSize, generated + Integer.parseInt(rest.group(1)), "every structure counted once as generated (or not recorded)");
        assertTrue(relaxed + Integer.parseInt(rest.group(2)) <= poolSize && relaxed > 0, "relaxed " + relaxed + " of " + poolSize);
        assertTrue(groups.containsAll(List.of(227, 194)), "generated groups " + groups);
        assertTrue(section.contains("Fd-3m (227)"), "symbol and number");
    }

    @Test
    void coreHoursTimelineSumsTheStoredWallTimes() throws Exception {
        String svg = plot("core-hours");
        assertTrue(svg.contains("oracle core-hours (core\u00b7h)"), "unit on the axis");
        assertTrue(svg.contains(">cumulative<") && svg.contains(">per cycle<"));
        int start = html.indexOf("<h2>Compute cost</h2>");
        assertTrue(start >= 0);
        String section = html.substring(start, html.indexOf("<h2>", start + 4));
        assertTrue(section.contains("embedded calculator (sw): one core per calculation"), section);
        double wall = 0;
        try (var store = org.crucible.driver.store.TrainingStore.openReadOnly(org.crucible.driver.campaign.CampaignRunner.storeUri(
                org.crucible.config.campaign.CampaignConfigLoader.load(tmp.resolve("campaign/campaign.yaml")), tmp.resolve("campaign")),
                new org.apache.hadoop.conf.Configuration())) {
            for (var r : store.all()) wall += r.provenance().wallTimeSeconds();
        }
        assertTrue(wall > 0, "the fixture's oracle records wall time");
        Matcher last = Pattern.compile("<td>([0-9.e-]+)</td></tr>\n</table>").matcher(section);
        assertTrue(last.find(), "cumulative column");
        assertEquals(wall / 3600, Double.parseDouble(last.group(1)), 0.01 * wall / 3600, "cumulative core-hours = stored wall time x 1 core");
        assertTrue(state.validationSinglePoints() > 0);
        assertTrue(section.matches("(?s).*Final validation: " + state.validationSinglePoints() + " oracle single points.*"), "validation single points counted");
    }

    @Test
    void coreHoursPerStageAndOverWallTimeCountTheLabelsAndTheValidation() throws Exception {
        String svg = plot("core-hours-timeline");
        assertTrue(svg.contains(">label (oracle)<") && svg.contains(">validate (oracle)<"), "oracle series per stage");
        assertTrue(svg.contains("no Spark executor CPU time recorded"), "the fixture runs without Spark, and the plot says so");
        assertFalse(html.contains("driver start-up"), "nor the driver's CPU time: its columns say not recorded");
        int start = html.indexOf("<h3>Core-hours per stage</h3>");
        assertTrue(start >= 0, "per-stage table");
        String table = html.substring(start, html.indexOf("</table>", start));
        double wall = 0;
        try (var store = org.crucible.driver.store.TrainingStore.openReadOnly(org.crucible.driver.campaign.CampaignRunner.storeUri(
                org.crucible.config.campaign.CampaignConfigLoader.load(tmp.resolve("campaign/campaign.yaml")), tmp.resolve("campaign")),
                new org.apache.hadoop.conf.Configuration())) {
            for (var r : store.all()) wall += r.provenance().wallTimeSeconds();
        }
        Matcher label = Pattern.compile("<tr><td class=\"l\">label</td><td>[0-9.e-]+</td><td>not recorded</td><td>not recorded</td><td>([0-9.e-]+)</td><td>([0-9.e-]+)</td></tr>")
                .matcher(table);
        assertTrue(label.find(), table);
        assertEquals(wall / 3600, Double.parseDouble(label.group(1)), 0.01 * wall / 3600, "label core-hours = stored wall time x 1 core");
        double validate = state.stageSeconds().get("validate");
        Matcher v = Pattern.compile("<tr><td class=\"l\">validate</td><td>[0-9.e-]+</td><td>not recorded</td><td>not recorded</td><td>([0-9.e-]+)</td>").matcher(table);
        assertTrue(v.find(), table);
        assertEquals(validate / 3600, Double.parseDouble(v.group(1)), 0.01 * validate / 3600, "validation core-hours = validate wall time x 1 core");
    }

    @Test
    void isSelfContained() {
        assertFalse(html.contains("<script"), "no JavaScript");
        assertFalse(html.contains("<link"), "no external stylesheet");
        String stripped = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assertFalse(stripped.contains("http://") || stripped.contains("https://") || stripped.contains("src="), "nothing fetched");
        assertTrue(html.contains("default-src 'none'"), "a content security policy forbids loads");
    }

    @Test
    void bestStructuresAreWrittenAndLinked() {
        assertEquals(2 * state.best().size(), summary.files().size());
        assertTrue(state.best().size() >= 1);
        for (Path f : summary.files()) {
            assertTrue(Files.isRegularFile(f), f.toString());
            assertTrue(html.contains("report-files/" + f.getFileName()), "linked: " + f.getFileName());
        }
        Structure s = Cif.read(summary.files().get(0)).get(0);
        assertEquals(8, s.size());
        assertTrue(html.matches("(?s).*<td class=\"l\">[^<]*\\(\\d{1,3}\\)</td>.*"), "a space group symbol (number) in the table");
        assertTrue(html.contains("<td>0.0</td>"), "the lowest structure is 0.0 meV/atom above the lowest");
    }

    @Test
    void provenanceNamesSeedOracleAndModels() throws Exception {
        assertTrue(html.contains("crucible-test"), "oracle code version from the store");
        assertTrue(html.contains("models/model-000.json"));
        assertTrue(html.contains("seed: 7"), "campaign file verbatim");
        assertTrue(html.contains(state.configSha256()));
        assertTrue(html.contains("<th class=\"l\">Spark master</th><td class=\"l\">local[1]</td>"), "compute cluster");
        assertTrue(html.contains("<th class=\"l\">oracle</th><td class=\"l\">sw</td>"));
        // model seeds are derived 64-bit values; people see them as unsigned decimals, never negative
        long seed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(tmp.resolve("campaign/models/model-000.json").toFile())
                .path("provenance").path("seed").asLong();
        assertTrue(html.contains("<td>" + Long.toUnsignedString(seed) + "</td>"), "model seed as unsigned decimal: " + Long.toUnsignedString(seed));
        // the campaign log names the same seed for the model it fitted
        assertTrue(Files.readString(tmp.resolve("campaign/campaign.log")).contains("model models/model-000.json (seed " + Long.toUnsignedString(seed) + ")"),
                "campaign log and model file agree on the seed");
        assertFalse(html.matches("(?s).*<td>-\\d{6,}</td>.*"), "no negative seed in a table");
    }

    @Test
    void rendersInHeadlessChromiumWithContentInEveryPlotAndNoErrors() throws Exception {
        Path chromium = TestEnvironment.assumeExecutable("chromium", "chromium");
        Path work = Files.createDirectories(tmp.resolve("chromium"));
        HeadlessChromium.Render r = HeadlessChromium.render(chromium, HeadlessChromium.instrument(html(), ""), work);
        assertEquals(List.of(), r.errors(), "console errors, failed loads or CSP violations");
        assertEquals(PLOTS, r.boxes().stream().map(HeadlessChromium.Box::id).toList());
        for (HeadlessChromium.Box b : r.boxes()) {
            assertEquals(SvgPlot.WIDTH, b.w(), b.id() + " width");
            assertEquals(SvgPlot.HEIGHT, b.h(), b.id() + " height");
            assertTrue(b.y() + b.h() <= r.screenshot().getHeight(), b.id() + " inside the screenshot");
            int inside = HeadlessChromium.colouredPixels(r.screenshot(), b.x() + b.ax(), b.y() + b.ay(), b.aw(), b.ah(), 40);
            assertTrue(inside >= 30, b.id() + ": only " + inside + " coloured pixels in its data area");
        }
        // The screen between the two plot columns is blank: the pixel test can tell content from none.
        HeadlessChromium.Box first = r.boxes().get(0);
        assertEquals(0, HeadlessChromium.colouredPixels(r.screenshot(), first.x() + first.w() + 3, first.y(), 8, first.h(), 40));
        Files.copy(work.resolve("screenshot.png"), tmp.resolve("out/screenshot.png"));
        String keep = System.getProperty("crucible.report.keep");
        if (keep != null) {
            Files.createDirectories(Path.of(keep));
            Files.copy(work.resolve("screenshot.png"), Path.of(keep, "screenshot.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(html(), Path.of(keep, "report.html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void theChromiumCheckCatchesAScriptErrorAndAnAttemptedLoad() throws Exception {
        Path chromium = TestEnvironment.assumeExecutable("chromium", "chromium");
        Path work = Files.createDirectories(tmp.resolve("chromium-negative"));
        Path bad = HeadlessChromium.instrument(html(), "<script>undefinedReportFunction();</script><img src=\"http://127.0.0.1:9/x.png\">");
        HeadlessChromium.Render r = HeadlessChromium.render(chromium, bad, work);
        String all = String.join("\n", r.errors());
        assertTrue(all.contains("undefinedReportFunction"), "script error detected: " + all);
        assertTrue(all.contains("csp"), "blocked load detected: " + all);
    }

    @Test
    void aCampaignThatHasNotRunYetGetsAReportThatSaysSo() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("fresh"));
        Files.writeString(d.resolve("campaign.yaml"), ReportFixture.YAML);
        CampaignState.initial("si8-report", 7, org.crucible.driver.store.TaskHash.sha256(ReportFixture.YAML)).write(d.resolve("state.json"));
        CampaignReport.Summary s = new CampaignReport(ReportFixture.clock()).write(d, d.resolve("r.html"));
        String page = Files.readString(s.html());
        assertEquals(PLOTS, s.plots());
        assertTrue(page.contains("no pool has been written yet"));
        assertTrue(page.contains("No validated structures yet"));
        assertTrue(page.contains("no selection cycle has run yet"));
        assertEquals(List.of(), s.files());
    }

    @Test
    void theCommandWritesTheReportAndRefusesADirectoryThatIsNoCampaign() throws Exception {
        var cl = org.crucible.driver.cli.CrucibleCommand.commandLine();
        java.io.StringWriter out = new java.io.StringWriter(), err = new java.io.StringWriter();
        cl.setOut(new java.io.PrintWriter(out));
        cl.setErr(new java.io.PrintWriter(err));
        Path target = tmp.resolve("cli/si8.html");
        Files.createDirectories(target.getParent());
        assertEquals(0, cl.execute("report", tmp.resolve("campaign").toString(), "-o", target.toString(), "--soap", "nMax=4", "--soap", "lMax=2"));
        assertTrue(out.toString().contains(PLOTS.size() + " plots"), out.toString());
        assertTrue(Files.readString(target).contains("SOAP nMax 4, lMax 2"));
        assertTrue(Files.isRegularFile(tmp.resolve("cli/si8-files/best-01.cif")));
        assertEquals(2, cl.execute("report", tmp.resolve("cli").toString()));
        assertTrue(err.toString().contains("not a campaign directory"), err.toString());
        assertEquals(2, cl.execute("report", tmp.resolve("campaign").toString(), "-o", tmp.resolve("cli/x.html").toString(), "--soap", "nmax=4"));
        assertTrue(err.toString().contains("unknown SOAP parameter 'nmax'"), err.toString());
    }

    @Test
    void fitsAPhoneScreen() throws Exception {
        Path chromium = TestEnvironment.assumeExecutable("chromium", "chromium");
        Path work = Files.createDirectories(tmp.resolve("chromium-phone"));
        HeadlessChromium.Render r = HeadlessChromium.render(chromium, HeadlessChromium.instrument(html(), ""), work, 560, 12000);
        assertEquals(List.of(), r.errors());
        assertEquals(PLOTS, r.boxes().stream().map(HeadlessChromium.Box::id).toList());
        for (HeadlessChromium.Box b : r.boxes()) {
            // 560 px: headless Chromium lays out no narrower than 500 px whatever the window; a small phone-sized screen
            int screen = r.screenshot().getWidth();
            assertTrue(screen < SvgPlot.WIDTH, "a screen narrower than one plot: " + screen);
            assertTrue(b.x() >= 0 && b.x() + b.w() <= screen, b.id() + " fits the " + screen + " px screen: x " + b.x() + ", w " + b.w());
            assertTrue(b.w() >= screen - 40, b.id() + " is scaled to the screen, not collapsed: w " + b.w());
            assertEquals(SvgPlot.HEIGHT * b.w() / (double) SvgPlot.WIDTH, b.h(), 2.0, b.id() + " keeps its aspect ratio");
        }
        String keep = System.getProperty("crucible.report.keep");
        if (keep != null) {
            Files.createDirectories(Path.of(keep));
            Files.copy(work.resolve("screenshot.png"), Path.of(keep, "screenshot-phone.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void aVaspCampaignWithARelativeRecipeFileGetsItsReportFromTheCampaignsCopy() throws Exception {
        Path d = tmp.resolve("vasp-campaign");
        try (var files = Files.walk(tmp.resolve("campaign"))) {
            for (Path p : files.toList()) {
                Path t = d.resolve(tmp.resolve("campaign").relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
        // as 'crucible run' leaves it: the campaign file names the recipe relative to where it was started, the
        // campaign directory holds the copy
        Files.writeString(d.resolve("campaign.yaml"), ReportFixture.YAML.replace("oracle: {type: sw}",
                "oracle: {type: cluster, profile: hpc, code: vasp, settings_file: recipes/vasp-si.yaml}"));
        var cl = org.crucible.driver.cli.CrucibleCommand.commandLine();
        java.io.StringWriter out = new java.io.StringWriter(), err = new java.io.StringWriter();
        cl.setOut(new java.io.PrintWriter(out));
        cl.setErr(new java.io.PrintWriter(err));
        assertEquals(2, cl.execute("report", d.toString()), "without the copy the recipe is missing");
        assertTrue(err.toString().contains("oracle.settings_file") && err.toString().contains("recipes/vasp-si.yaml"), err.toString());
        Files.writeString(d.resolve(org.crucible.driver.campaign.CampaignRunner.RECIPE_COPY), "code: vasp\nincar: {ENCUT: 300}\n");
        assertEquals(0, cl.execute("report", d.toString()), err.toString());
        assertTrue(Files.readString(d.resolve("report.html")).contains("<th class=\"l\">oracle</th><td class=\"l\">cluster"), "the report names the oracle");
    }
}
