package org.crucible.driver.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The body of the report page as the sections append to it: headings with a caption, grids of plots, HTML fragments.
 * Keeps the ids of the plots in page order for {@link CampaignReport.Summary}.
 *
 * <pre>{@code
 * page.section("Time", "Wall time per stage").plots(timePlot).html(table);
 * }</pre>
 */
final class ReportPage {
    private final StringBuilder body = new StringBuilder(1 << 16);
    private final List<String> plots = new ArrayList<>();

    /** A heading and, when not empty, a caption line under it. */
    ReportPage section(String title, String caption) {
        body.append("<h2>").append(Html.escape(title)).append("</h2>\n");
        if (!caption.isEmpty()) body.append("<p class=\"cap\">").append(Html.escape(caption)).append("</p>\n");
        return this;
    }

    /** The plots side by side (two columns on a wide screen, one on a narrow one). */
    ReportPage plots(SvgPlot... ps) {
        body.append("<div class=\"grid\">\n");
        for (SvgPlot p : ps) {
            plots.add(p.id());
            body.append(p.render()).append('\n');
        }
        body.append("</div>\n");
        return this;
    }

    /** An HTML fragment, already escaped by its author. */
    ReportPage html(String fragment) {
        body.append(fragment);
        return this;
    }

    String body() {
        return body.toString();
    }

    List<String> plotIds() {
        return List.copyOf(plots);
    }

    /** One table row with a header cell and a value cell, both escaped. */
    static void row(StringBuilder b, String k, String v) {
        b.append("<tr><th class=\"l\">").append(Html.escape(k)).append("</th><td class=\"l\">").append(Html.escape(v)).append("</td></tr>\n");
    }
}
