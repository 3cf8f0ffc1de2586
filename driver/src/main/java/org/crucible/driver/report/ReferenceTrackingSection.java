package org.crucible.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Report section "Tracked reference crystals" (GAP-RSS paper, Fig. 3): per fitted model (cycle), the error
 * E_model - E_oracle in meV/atom of each reference crystal relaxed by that model, from the state section
 * {@code protocol_state.tracking} the campaign writes after every fit ({@code tracking.references}, docs/gap-rss.md).
 * One line per reference; the stop rule's band +-tol is drawn dashed when the campaign has one. Nothing is written
 * for a campaign that tracks no references.
 */
final class ReferenceTrackingSection {
    private ReferenceTrackingSection() {
    }

    static void write(CampaignData d, ReportPage page) {
        JsonNode t = d.state().protocolState().get("tracking");
        if (t == null || !t.path("cycles").isArray() || t.path("cycles").isEmpty()) return;
        List<String> names = new ArrayList<>();
        t.path("references").forEach(n -> names.add(n.asText()));
        JsonNode cycles = t.get("cycles");
        page.section("Tracked reference crystals", "After each fit the model relaxes every reference (variable cell) and the oracle labels the relaxed "
                + "cell: error = E_model - E_oracle per atom on that cell. " + t.path("oracle_single_points").asInt() + " reference single points in all "
                + "(not training labels).");
        SvgPlot p = new SvgPlot("reference-errors", "Reference errors by fitted model", "cycle of the fit", "E_model - E_oracle (meV/atom)");
        double[] x = new double[cycles.size()];
        for (int i = 0; i < x.length; i++) x[i] = cycles.get(i).path("cycle").asDouble();
        StringBuilder table = new StringBuilder("<table><tr><th>cycle</th><th class=\"l\">model</th>");
        for (String n : names) table.append("<th>").append(Html.escape(n)).append("</th>");
        table.append("<th>largest |error|</th></tr>\n");
        for (int r = 0; r < names.size(); r++) {
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) y[i] = value(cycles.get(i).path("errors_meV_per_atom").path(names.get(r)));
            p.line(names.get(r), x, y, Palette.category(r), false);
        }
        for (JsonNode c : cycles) {
            table.append(String.format(Locale.ROOT, "<tr><td>%d</td><td class=\"l\">%s</td>", c.path("cycle").asInt(), Html.escape(c.path("model").asText())));
            for (String n : names) table.append("<td>").append(text(value(c.path("errors_meV_per_atom").path(n)))).append("</td>");
            table.append("<td>").append(text(value(c.path("max_abs_error_meV_per_atom")))).append("</td></tr>\n");
        }
        table.append("</table>\n");
        JsonNode stop = t.path("stop");
        if (stop.isObject() && x.length > 0) {
            double tol = stop.path("tol_meV_per_atom").asDouble();
            double[] band = {x[0], x[x.length - 1]};
            p.line("+" + fmt(tol), band, new double[] {tol, tol}, Palette.OTHER, true);
            p.line("-" + fmt(tol), band, new double[] {-tol, -tol}, Palette.OTHER, true);
            p.note(String.format(Locale.ROOT, "stop rule: every |error| <= %s meV/atom for %d fits in a row; streak %d%s", fmt(tol),
                    stop.path("cycles").asInt(), stop.path("streak").asInt(), stop.path("converged").asBoolean() ? ", converged" : ""));
        }
        page.plots(p).html(table.toString());
    }

    private static double value(JsonNode v) {
        return v.isNumber() ? v.asDouble() : Double.NaN;
    }

    private static String text(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%+.1f", v) : "n/a";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
