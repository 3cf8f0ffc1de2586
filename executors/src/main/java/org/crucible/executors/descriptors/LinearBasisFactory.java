package org.crucible.executors.descriptors;

import java.util.Map;

/**
 * Rebuilds a {@link LinearBasis} from its {@link LinearBasis#spec()} (used when loading model files).
 * Implementations are registered for {@link java.util.ServiceLoader} in
 * {@code META-INF/services/org.crucible.executors.descriptors.LinearBasisFactory}; a model file picks the first
 * registered factory that {@link #accepts} its spec.
 */
public interface LinearBasisFactory {
    /** The basis described by {@code spec}; IllegalArgumentException naming the bad key otherwise. */
    LinearBasis fromSpec(Map<String, Object> spec);

    /**
     * Whether this factory builds bases of this spec's kind (typically by its "type" key). The default accepts
     * everything, which is right only while a single factory is registered.
     */
    default boolean accepts(Map<String, Object> spec) {
        return true;
    }
}
