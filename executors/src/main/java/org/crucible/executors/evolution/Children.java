package org.crucible.executors.evolution;

import java.util.LinkedHashMap;
import java.util.Map;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.executors.generators.GenerationException;
import org.crucible.executors.generators.MinimumSeparation;

/** Helpers shared by the operators: separation check over periodic images and the bounded-retry loop. */
final class Children {
    private Children() {
    }

    /** True when every pair is at least its minimum separation apart (all periodic images within the cutoff). */
    static boolean separated(Structure s, MinimumSeparation d) {
        double max = 0;
        int n = s.size();
        for (int i = 0; i < n; i++) for (int j = i; j < n; j++) max = Math.max(max, d.of(s.atomicNumber(i), s.atomicNumber(j)));
        if (max == 0) return true;
        org.crucible.core.neighbors.NeighborList nl = org.crucible.core.neighbors.NeighborList.build(s, max);
        for (int i = 0; i < n; i++) {
            for (int k = nl.start(i); k < nl.start(i + 1); k++) {
                if (nl.distance(k) < d.of(s.atomicNumber(i), s.atomicNumber(nl.neighbor(k)))) return false;
            }
        }
        return true;
    }

    static GenerationException failed(String operator, int attempts, MinimumSeparation d) {
        return new GenerationException(GenerationException.Constraint.MINIMUM_SEPARATION, operator + ": no child kept the minimum separations ("
                + d + ") in " + attempts + " attempts");
    }

    static Structure tagged(Cell cell, int[] z, double[] frac, Map<String, Object> parentInfo, String operator) {
        Map<String, Object> info = new LinkedHashMap<>();
        if (parentInfo.containsKey("pressure_GPa")) info.put("pressure_GPa", parentInfo.get("pressure_GPa"));
        info.put("generator", operator);
        double[] f = frac.clone();
        for (int i = 0; i < f.length; i++) f[i] = Cell.wrapUnit(f[i]);
        return Structure.of(cell, z, cell.toCartesianAll(f), info, null);
    }

    static int[] species(Structure s) {
        int[] z = new int[s.size()];
        for (int i = 0; i < z.length; i++) z[i] = s.atomicNumber(i);
        return z;
    }
}
