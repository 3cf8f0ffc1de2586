package org.crucible.executors.potentials;

import java.util.Map;

/**
 * A potential with the provenance of its model file (data hash, seed, solver, hyperparameters, excluded
 * structures, training errors), as read by {@link ModelFile#read}.
 */
public record PotentialModel(LinearPotential potential, Map<String, Object> provenance) {
    public PotentialModel {
        provenance = Map.copyOf(provenance);
    }
}
