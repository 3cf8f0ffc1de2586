package org.crucible.executors.relax;

import org.crucible.core.Structure;

/**
 * A predicate evaluated on every frame of a relaxation (the current structure with its labels); returning
 * true stops the relaxation with {@link StopReason#EARLY_STOP}. Used to stop when a model's uncertainty exceeds
 * a threshold. Must be pure and thread-safe.
 *
 * <pre>{@code
 * EarlyStop tooFar = (s, step) -> s.cell().volume() > 40.0 * s.size();
 * }</pre>
 */
@FunctionalInterface
public interface EarlyStop {
    /** Never stops. */
    EarlyStop NEVER = (s, step) -> false;

    /**
     * @param current the current frame, with energy, forces and (variable cell) stress as labels
     * @param step    optimiser steps taken so far
     */
    boolean shouldStop(Structure current, int step);
}
