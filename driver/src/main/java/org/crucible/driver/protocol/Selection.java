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
}
