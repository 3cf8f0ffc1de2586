package org.crucible.driver.pool;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-structure work on executors that expands one entry into several (the subsampled frames of a minimisation
 * trajectory, the harvested ends of annealing cycles). Must be pure given (entry, model, seed), like {@link PoolStage}.
 * The pool renumbers the outputs ({@link Pool#flatMap}): output {@code i} of entry {@code id} becomes
 * {@code id * stride + i}, so the stage need not invent ids.
 *
 * @param <M> the broadcast model type (Serializable)
 */
@FunctionalInterface
public interface PoolFlatStage<M> extends Serializable {
    /** The entries {@code entry} expands into, in a deterministic order (may be empty). */
    List<PoolEntry> apply(PoolEntry entry, M model, long seed);

    /** {@code outputs} under ids {@code parent.id() * stride + i}; more than {@code stride} outputs is refused. */
    static List<PoolEntry> renumber(PoolEntry parent, List<PoolEntry> outputs, int stride) {
        if (stride < 1) throw new IllegalArgumentException("flatMap stride must be >= 1, got " + stride);
        if (outputs.size() > stride) {
            throw new IllegalStateException("entry " + parent.id() + " expanded into " + outputs.size() + " entries, more than the stride " + stride);
        }
        if (parent.id() > Long.MAX_VALUE / stride - 1) throw new IllegalStateException("entry id " + parent.id() + " times stride " + stride + " overflows");
        List<PoolEntry> out = new ArrayList<>(outputs.size());
        for (int i = 0; i < outputs.size(); i++) out.add(outputs.get(i).withId(parent.id() * stride + i));
        return out;
    }
}
