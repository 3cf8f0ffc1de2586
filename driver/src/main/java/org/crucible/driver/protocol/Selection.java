package org.crucible.driver.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A selector's decision: the pool ids to label (in order), the ascending lowest energies (eV/atom) it tracked for the
 * convergence test (one per cluster, or per structure), the best structures worth validating with the oracle, the
 * record written to {@code cycles/NNN/selection.json} and a one-line summary for the log.
 */
public record Selection(String selector, List<Long> picks, List<Double> lowestEnergies, List<Long> validationCandidates,
                        Map<String, Object> record, String summary) {
    public Selection {
        picks = List.copyOf(picks);
        lowestEnergies = List.copyOf(lowestEnergies);
        validationCandidates = List.copyOf(validationCandidates);
        record = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(record));
    }

    /** Energies for a log line: {@code [-4.5706, -4.5503]} (4 decimals, eV/atom), at most the first five. */
    public static String energies(List<Double> values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < Math.min(5, values.size()); i++) {
            if (i > 0) b.append(", ");
            b.append(String.format(java.util.Locale.ROOT, "%.4f", values.get(i)));
        }
        if (values.size() > 5) b.append(", ... ").append(values.size() - 5).append(" more");
        return b.append(']').toString();
    }
}
