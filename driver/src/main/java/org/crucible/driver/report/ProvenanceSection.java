package org.crucible.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.driver.campaign.CampaignState;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.LabelStatus;

/**
 * Report section "Settings and provenance": campaign name, seed, SHA-256 of the campaign file, status, versions, wall
 * time per stage; the oracle's code, version, settings hash, host and selector from the training store; per model
 * file its seed (as an unsigned decimal: derived 64-bit seeds would otherwise print negative), structures fitted, data SHA-256 and training errors; the campaign file verbatim.
 */
final class ProvenanceSection {
    private ProvenanceSection() {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    static void write(CampaignData d, ReportPage page) throws IOException {
        page.section("Settings and provenance", "").html(provenance(d.dir(), d.config(), d.configFile(), d.state(), d.records()));
    }

    private static String provenance(Path dir, CampaignConfig cfg, Path cfgFile, CampaignState state, List<LabelRecord> records) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("<table>");
        ReportPage.row(b, "campaign", state.name());
        ReportPage.row(b, "seed", Long.toUnsignedString(state.seed()));
        ReportPage.row(b, "campaign file SHA-256", state.configSha256());
        ReportPage.row(b, "status", state.status() + (state.message().isEmpty() ? "" : ": " + state.message()));
        ReportPage.row(b, "oracle", cfg.oracle().type() + (cfg.oracle() instanceof org.crucible.config.campaign.Oracle.Cluster c ? " (cluster profile " + c.profile() + ")" : ""));
        Path master = dir.resolve("spark-master.txt");
        ReportPage.row(b, "Spark master", Files.exists(master) ? Files.readString(master).trim() + " (--master)" : cfg.spark().master());
        ReportPage.row(b, "crucible", org.crucible.driver.cli.VersionCommand.crucibleVersion());
        ReportPage.row(b, "java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        Map<String, Double> secs = new TreeMap<>(state.stageSeconds());
        StringBuilder st = new StringBuilder();
        for (Map.Entry<String, Double> e : secs.entrySet()) st.append(String.format(Locale.ROOT, "%s %.1f s; ", e.getKey(), e.getValue()));
        ReportPage.row(b, "wall time per stage", st.toString());
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
                                ? Long.toUnsignedString(prov.path("seed").asLong()) : prov.path("seed").asText()), Html.escape(prov.path("structures_fitted").asText()),
                        Html.escape(shortHash(prov.path("data_sha256").asText())), Html.escape(errs.toString())));
            }
        }
        b.append("</table>\n<h3>Campaign file (<code>").append(Html.escape(cfgFile.getFileName().toString())).append("</code>)</h3>\n<pre>")
                .append(Html.escape(Files.readString(cfgFile))).append("</pre>\n");
        return b.toString();
    }

    /** A number as people write it: integers without decimals, others to four significant digits. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.valueOf((long) v);
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static String shortHash(String h) {
        return h.length() > 16 ? h.substring(0, 16) + "\u2026" : h;
    }
}
