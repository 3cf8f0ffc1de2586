package org.crucible.driver.report;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Report section "Convex hull" of a variable-composition campaign ({@code evolution.composition}): the formation
 * enthalpies of the validated structures against the fraction x of the second element, the lower hull as a line, and
 * the table of {@link HullTable} (formula, x, oracle energy, formation enthalpy, distance above the hull, eV/atom). A
 * fixed-composition campaign has no such section.
 */
final class HullSection {
    private HullSection() {
    }

    static void write(CampaignData d, ReportPage page) throws IOException {
        if (!d.config().evolution().variableComposition()) return;
        Optional<HullTable> t = HullTable.validated(d.dir(), d.config(), d.state());
        String a = d.config().evolution().composition().elements().get(0), b = d.config().evolution().composition().elements().get(1);
        page.section("Convex hull", "Formation enthalpies of the validated structures (oracle relaxations) against x, the fraction of " + b
                + "; references the lowest validated " + a + " and " + b + ".");
        if (t.isEmpty()) {
            page.html("<p>No hull yet: it needs validated structures of pure " + Html.escape(a) + " and pure " + Html.escape(b)
                    + " (validation runs when the campaign stops).</p>\n");
            return;
        }
        List<HullTable.Row> rows = t.get().rows();
        double[] x = rows.stream().mapToDouble(HullTable.Row::x).toArray(), y = rows.stream().mapToDouble(HullTable.Row::formationEnthalpy).toArray();
        List<HullTable.Row> v = t.get().vertices();
        SvgPlot p = new SvgPlot("hull", "Convex hull of formation enthalpies", "x (fraction of " + b + ")", "formation enthalpy (eV/atom)");
        p.line("hull", v.stream().mapToDouble(HullTable.Row::x).toArray(), v.stream().mapToDouble(HullTable.Row::formationEnthalpy).toArray(), "#333333", false);
        p.scatter("validated", x, y, Palette.category(0));
        page.plots(p);
        StringBuilder h = new StringBuilder("<table><tr><th class=\"l\">formula</th><th>x</th><th>E oracle (eV/atom)</th><th>H<sub>f</sub> (eV/atom)</th>"
                + "<th>above hull (meV/atom)</th><th class=\"l\">on hull</th><th class=\"l\">space group</th><th>pool id</th></tr>\n");
        for (HullTable.Row r : rows) {
            h.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td>%.3f</td><td>%.5f</td><td>%.5f</td><td>%.1f</td><td class=\"l\">%s</td>"
                            + "<td class=\"l\">%s</td><td>%d</td></tr>\n", Html.escape(r.formula()), r.x(), r.energyPerAtom(), r.formationEnthalpy(),
                    1000 * r.aboveHull(), r.onHull() ? "yes" : "no", Html.escape(String.valueOf(r.spaceGroup())), r.poolId()));
        }
        page.html(h.append("</table>\n").toString());
    }
}
