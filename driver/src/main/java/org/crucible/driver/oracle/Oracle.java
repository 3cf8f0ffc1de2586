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

    /**
     * Relaxes each task's structure with the oracle itself, variable cell at zero pressure, until the largest atomic
     * force is below {@code fmaxEvPerAngstrom} (and the stress below 0.1 GPa) or {@code maxSteps} steps: the campaign's
     * final validation. Results come back in task order; a relaxation that fails is reported as such, never thrown.
     *
     * <p>The default runs FIRE with {@link #calculator()} in this JVM (one evaluation per single point). DFT oracles
     * override it to run the code's own relaxation as one job per structure (pw.x {@code vc-relax}, VASP
     * {@code IBRION=2 ISIF=3}, ...), where every ionic step is one single point.
     *
     * @throws UnsupportedOperationException when the oracle can do neither
     */
    default java.util.List<OracleRelaxation> relax(List<OracleTask> tasks, double fmaxEvPerAngstrom, int maxSteps) {
        var calc = calculator().orElseThrow(() -> new UnsupportedOperationException(code() + " cannot relax structures"));
        var settings = org.crucible.executors.relax.RelaxSettings.DEFAULT.withFmax(fmaxEvPerAngstrom).withMaxSteps(maxSteps)
                .withSmaxGPa(org.crucible.driver.pool.RelaxStage.STRESS_TOLERANCE_GPA);
        java.util.List<OracleRelaxation> out = new java.util.ArrayList<>();
        for (OracleTask t : tasks) {
            var r = new org.crucible.executors.relax.Fire().relax(t.structure(), calc, settings);
            out.add(new OracleRelaxation(t.poolId(), r.lowest(), r.evaluations(), r.reason().name().toLowerCase(), "driver"));
        }
        return out;
    }

    /**
     * True when a call runs in this JVM (or a process it waits for) and ends with the driver: an embedded calculator,
     * a local DFT code. False for an oracle whose calculations are jobs that outlive the driver and are re-attached on
     * resume (a cluster scheduler). The oracle-call ledger writes a begin line before each call of the former.
     */
    default boolean runsInDriver() {
        return true;
    }

    /** A name or version printed by a code as one provenance token: quotes, backslashes and blanks become '_'. */
    static String token(String text) {
        return text.replaceAll("[\"\\\\\\s]+", "_");
    }

    @Override
    default void close() {
    }
}
