package org.crucible.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Report section "Energy-volume curves of the final model" (GAP-RSS paper, Fig. 3d-f): per tracked reference, the final
 * model's energy per atom (line) and the oracle's (markers) on the model-relaxed cell scaled uniformly over
 * +-{@code tracking.ev_curve.range} of its volume, from {@code protocol_state.tracking.ev_curves}, which the campaign
 * writes at validation. One plot per reference (eV/atom against Angstrom^3/atom) and a table of the rms differences.
 * Nothing is written for a campaign without {@code tracking.ev_curve}.
 */
final class EvCurvesSection {
    private EvCurvesSection() {
    }

    static void write(CampaignData d, ReportPage page) {
        JsonNode t = d.state().protocolState().get("tracking");
        if (t == null) return;
        JsonNode ev = t.path("ev_curves");
        if (!ev.path("references").isArray() || ev.path("references").isEmpty()) return;
        page.section("Energy-volume curves of the final model", String.format(Locale.ROOT,
                "Model %s against the oracle on each reference's model-relaxed cell, scaled uniformly (fractional coordinates fixed) over "
                        + "+-%.0f%% of its volume in %d steps; the oracle labels are reference single points, not training labels.",
                ev.path("model").asText(), 100 * ev.path("range").asDouble(), ev.path("points").asInt()));
        List<SvgPlot> plots = new ArrayList<>();
        StringBuilder table = new StringBuilder("<table><tr><th class=\"l\">reference</th><th>rms model - oracle (meV/atom)</th>"
                + "<th>model minimum (A^3/atom)</th><th>oracle minimum (A^3/atom)</th></tr>\n");
        for (JsonNode c : ev.get("references")) {
            String name = c.path("name").asText();
            if (c.has("failed")) {
                table.append("<tr><td class=\"l\">").append(Html.escape(name)).append("</td><td colspan=\"3\">no curve: ")
                        .append(Html.escape(c.path("failed").asText())).append("</td></tr>\n");
                continue;
            }
            double[] v = values(c.path("volume_A3_per_atom")), m = values(c.path("model_eV_per_atom")), o = values(c.path("oracle_eV_per_atom"));
            SvgPlot p = new SvgPlot("ev-" + name.replaceAll("[^A-Za-z0-9_-]", "_"), name, "volume (A^3/atom)", "energy (eV/atom)");
            p.line("model", v, m, Palette.category(0), false);
            p.scatter("oracle", v, o, Palette.category(1));
            plots.add(p);
            table.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td>%s</td><td>%s</td><td>%s</td></tr>%n", Html.escape(name),
                    text(c.path("rms_error_meV_per_atom"), "%.1f"), fmt(minimumAt(v, m)), fmt(minimumAt(v, o))));
        }
        page.plots(plots.toArray(SvgPlot[]::new)).html(table.append("</table>\n").toString());
    }

    private static double[] values(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).isNumber() ? a.get(i).asDouble() : Double.NaN;
        return v;
    }

    /** The volume of the lowest finite energy on the grid; NaN when none. */
    static double minimumAt(double[] v, double[] e) {
        int best = -1;
        for (int i = 0; i < e.length; i++) if (Double.isFinite(e[i]) && (best < 0 || e[i] < e[best])) best = i;
        return best < 0 ? Double.NaN : v[best];
    }

    private static String text(JsonNode n, String f) {
        return n.isNumber() ? String.format(Locale.ROOT, f, n.asDouble()) : "n/a";
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", v) : "n/a";
    }
}
