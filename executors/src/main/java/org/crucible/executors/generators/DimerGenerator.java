package org.crucible.executors.generators;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crucible.core.Cell;
import org.crucible.core.Elements;
import org.crucible.core.Structure;

/**
 * Isolated atoms and dimers in a large cubic box, as in the GAP-RSS database: candidate i enumerates, for every
 * element an isolated atom, then for every unordered pair of elements {@code steps} dimers with bond lengths
 * evenly spaced over [rMin, rMax] Angstrom, cyclically (index modulo the number of distinct structures). The
 * box is periodic (plane-wave codes need one) and large enough that images do not interact.
 *
 * @param elements element symbols
 * @param rMin     shortest bond length, Angstrom
 * @param rMax     longest bond length, Angstrom
 * @param steps    bond lengths per pair (>= 1)
 * @param box      cubic box edge, Angstrom
 */
public record DimerGenerator(List<String> elements, double rMin, double rMax, int steps, double box) implements CandidateGenerator {
    public DimerGenerator {
        if (elements == null || elements.isEmpty()) throw new IllegalArgumentException("dimers need at least one element");
        elements = List.copyOf(elements);
        for (String e : elements) Elements.bySymbol(e);
        if (!(rMin > 0) || !(rMax >= rMin)) throw new IllegalArgumentException("bond lengths need 0 < rMin <= rMax, got " + rMin + ".." + rMax);
        if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        if (!(box > 2 * rMax)) throw new IllegalArgumentException("box " + box + " Angstrom must exceed twice the longest bond " + rMax);
    }

    /** Number of distinct structures before the sequence repeats. */
    public int distinct() {
        int n = elements.size();
        return n + n * (n + 1) / 2 * steps;
    }

    @Override
    public Structure generate(long seed, long index) {
        int i = (int) Math.floorMod(index, (long) distinct());
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("seed", org.crucible.core.io.SeedInfo.value(seed));
        info.put("candidate", index);
        Cell cell = Cell.cubic(box);
        double c = box / 2;
        if (i < elements.size()) {
            info.put("generator", "isolated_atom");
            return Structure.of(cell, new int[] {Elements.bySymbol(elements.get(i)).z()}, new double[] {c, c, c}, info, null);
        }
        i -= elements.size();
        List<int[]> pairs = new ArrayList<>();
        for (int a = 0; a < elements.size(); a++) for (int b = a; b < elements.size(); b++) pairs.add(new int[] {a, b});
        int[] p = pairs.get(i / steps);
        int step = i % steps;
        double r = steps == 1 ? rMin : rMin + (rMax - rMin) * step / (steps - 1);
        info.put("generator", "dimer");
        info.put("bond_length", r);
        int[] z = {Elements.bySymbol(elements.get(p[0])).z(), Elements.bySymbol(elements.get(p[1])).z()};
        return Structure.of(cell, z, new double[] {c - r / 2, c, c, c + r / 2, c, c}, info, null);
    }
}
