package org.crucible.driver.protocol;

import java.util.List;
import java.util.function.Consumer;
import org.crucible.core.Structure;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.TrainingStore;

/**
 * What a stage may read while it runs: the cycle (0 for the first labels, t &gt;= 1 for each fitted potential), the
 * campaign seed, the training store (read only: the engine alone appends labels) and the campaign log. Everything a
 * stage decides must be a function of these, its configuration and the pool it is given, never of time or thread
 * scheduling, so a resumed campaign decides the same.
 */
public record StageContext(int cycle, long seed, TrainingStore store, Consumer<String> log) {
    /** The structures of the store's successful labels (what the current potential was fitted to). */
    public List<Structure> trainingStructures() {
        return store.trainingSet().stream().map(LabelRecord::structure).toList();
    }
}
