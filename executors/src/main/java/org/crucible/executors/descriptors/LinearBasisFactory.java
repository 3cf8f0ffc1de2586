package org.crucible.executors.descriptors;

import java.util.Map;

/** Rebuilds a {@link LinearBasis} from its {@link LinearBasis#spec()} (used when loading model files). */
public interface LinearBasisFactory {
    /** The basis described by {@code spec}; IllegalArgumentException naming the bad key otherwise. */
    LinearBasis fromSpec(Map<String, Object> spec);
}
