package org.crucible.executors.generators;

/**
 * A candidate could not be generated: the named constraint cannot be met (or was not met within the bounded
 * number of attempts). The message states the constraint, the requested values and what was tried.
 */
public final class GenerationException extends RuntimeException {
    /** Which constraint failed. */
    public enum Constraint {
        /** The composition cannot be written as a sum of Wyckoff multiplicities of the group. */
        COMPOSITION,
        /** No placement kept every pair at or above its minimum separation at the requested volume. */
        MINIMUM_SEPARATION,
        /** No lattice of the crystal system had all lengths within [l_min, l_max] at the requested volume. */
        LATTICE_BOUNDS,
        /** The request itself is inconsistent (e.g. no space group with the requested number of operations). */
        SPECIFICATION
    }

    private final Constraint constraint;

    public GenerationException(Constraint constraint, String message) {
        super(constraint.name().toLowerCase().replace('_', ' ') + ": " + message);
        this.constraint = constraint;
    }

    public Constraint constraint() {
        return constraint;
    }
}
