package org.crucible.driver.oracle;

import java.util.List;
import java.util.function.Consumer;
import org.crucible.driver.store.LabelRecord;

/**
 * The reference that labels structures: an embedded calculator, a local DFT code or a cluster scheduler. It sees
 * only a batch of tasks and returns one {@link LabelRecord} per task, OK (energy eV, forces eV/Angstrom, stress
 * eV/Angstrom^3 in ASE convention) or FAILED/UNCONVERGED with a message, each with provenance. A failure of one task
 * never fails the batch.
 *
 * <p>Results are handed to {@code sink} as they complete (in any order; matched by task hash), so the campaign can
 * store each label at once and a crash loses at most the calculations in flight.
 */
public interface Oracle extends AutoCloseable {

    /** Code name for provenance and the settings hash that enters every task hash (code, version, settings). */
    String code();

    /** Version of the code (e.g. "crucible 0.1.0" for embedded calculators, "6.7" for pw.x). */
    String codeVersion();

    /** SHA-256 of everything that determines the labels (code, parameters, DFT settings). */
    String settingsHash();

    /**
     * Labels every task of {@code batch}, calling {@code sink} once per task.
     *
     * @param cycle    campaign cycle, for provenance
     * @param selector what chose these structures (e.g. "cycle0-random", "dbscan"), for provenance
     */
    void label(List<OracleTask> batch, int cycle, String selector, Consumer<LabelRecord> sink);

    /**
     * The oracle as a calculator for relaxations (final validation relaxes the best cells with the oracle itself),
     * when it can be called structure by structure in this JVM; empty for batch oracles (DFT through a scheduler).
     */
    default java.util.Optional<org.crucible.executors.calculators.Calculator> calculator() {
        return java.util.Optional.empty();
    }

    @Override
    default void close() {
    }
}
