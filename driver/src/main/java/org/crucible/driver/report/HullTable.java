package org.crucible.driver.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;
import org.crucible.driver.campaign.CampaignState;
import org.crucible.executors.evolution.BinaryRange;
import org.crucible.executors.evolution.ConvexHull;
import org.crucible.executors.evolution.HullFitness;

/**
 * The convex hull of a variable-composition campaign ({@code evolution.composition}) from its validated structures:
 * each structure relaxed with the oracle ({@code best/best-NN.extxyz}, energy per atom from the state, eV/atom), its
 * fraction x of the second element, formation enthalpy H_f = h - (1 - x) h_A - x h_B against the lowest validated pure
 * A and pure B (eV/atom), distance above the lower hull of H_f ({@link HullFitness}, {@link ConvexHull}) and whether it
 * is a hull vertex. Used by {@code crucible status} ({@code hull} in the JSON) and the report ({@link HullSection}).
 *
 * @param elements the binary's elements A, B (x is the fraction of B)
 * @param rows     one per validated structure, by x then by energy
 */
public record HullTable(List<String> elements, List<Row> rows) {
    /** One validated structure; energies eV/atom. */
    public record Row(String formula, double x, double energyPerAtom, double formationEnthalpy, double aboveHull, boolean onHull, String spaceGroup,
                      long poolId) {
    }

    public HullTable {
        elements = List.copyOf(elements);
        rows = List.copyOf(rows);
    }

    /**
     * The table of the validated structures of the campaign in {@code dir}; empty when the campaign has fixed
     * composition, nothing is validated yet, or no validated structure is pure A or none pure B (then no formation
     * enthalpy is defined).
     *
     * @throws IOException when a validated structure's file cannot be read
     */
    public static Optional<HullTable> validated(Path dir, CampaignConfig cfg, CampaignState state) throws IOException {
        if (!cfg.evolution().variableComposition() || state.best().isEmpty()) return Optional.empty();
        CampaignConfig.VariableComposition v = cfg.evolution().composition();
        BinaryRange range = BinaryRange.of(v.elements().get(0), v.elements().get(1), 1, Integer.MAX_VALUE, 0, 1);
        List<Structure> structures = new ArrayList<>();
        double[] x = new double[state.best().size()], h = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            CampaignState.Best b = state.best().get(i);
            Structure s = ExtendedXyz.read(dir.resolve(b.file())).get(0);
            structures.add(s);
            x[i] = range.fraction(s);
            h[i] = b.energyEvPerAtom();
        }
        Optional<HullFitness> fit = HullFitness.of(x, h);
        if (fit.isEmpty()) return Optional.empty();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            double hf = fit.get().formationEnthalpy(x[i], h[i]);
            double above = Math.max(0, fit.get().distance(x[i], h[i]));
            final double xi = x[i];
            boolean vertex = fit.get().hull().vertices().stream().anyMatch(p -> p.x() == xi && p.enthalpy() == hf);
            CampaignState.Best b = state.best().get(i);
            rows.add(new Row(formula(structures.get(i), v.elements()), x[i], h[i], hf, above, vertex, b.spaceGroup(), b.poolId()));
        }
        rows.sort(Comparator.comparingDouble(Row::x).thenComparingDouble(Row::energyPerAtom));
        return Optional.of(new HullTable(v.elements(), rows));
    }

    /** The rows of the hull vertices, by x. */
    public List<Row> vertices() {
        return rows.stream().filter(Row::onHull).toList();
    }

    /** JSON form for {@code crucible status --json}: elements, source and one object per row. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("elements", elements);
        m.put("source", "validated structures (oracle relaxations), formation enthalpies against the lowest validated elements");
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("formula", r.formula());
            o.put("x", r.x());
            o.put("energy_eV_per_atom", r.energyPerAtom());
            o.put("formation_eV_per_atom", r.formationEnthalpy());
            o.put("above_hull_eV_per_atom", r.aboveHull());
            o.put("on_hull", r.onHull());
            o.put("space_group", r.spaceGroup());
            o.put("pool_id", r.poolId());
            out.add(o);
        }
        m.put("rows", out);
        return m;
    }

    /** The formula with A first, e.g. {@code Si2C2}, {@code C4}. */
    private static String formula(Structure s, List<String> elements) {
        Map<String, Integer> c = s.composition();
        StringBuilder b = new StringBuilder();
        for (String e : elements) if (c.getOrDefault(e, 0) > 0) b.append(e).append(c.get(e));
        return b.length() == 0 ? s.formula() : b.toString();
    }

}
