package org.crucible.driver.oracle;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.crucible.dft.DftCode;
import org.crucible.driver.store.Provenance;
import org.crucible.driver.store.TaskHash;

/**
 * What every labelling {@link Oracle} stamps on its records: the settings hash (hashed once from the settings that
 * determine the labels, so it enters every task hash), the code version (fixed, or learnt from the first output that
 * states it), the host and the injected clock. Subclasses implement the calculation; the {@link Provenance} of each
 * record comes from {@link #provenance}, so the oracles cannot disagree on how it is built.
 */
abstract class ProvenancedOracle implements Oracle {
    private final String settingsHash;
    private final String host;
    private final Clock clock;
    private volatile String version;

    /**
     * @param version  the code version until an output states one ({@code "unknown"} for DFT codes)
     * @param settings what determines the labels (code, pseudopotentials, cutoffs, k-points, parameter-file hash...)
     * @param host     where the calculations run, for provenance
     */
    protected ProvenancedOracle(String version, Map<String, ?> settings, String host, Clock clock) {
        this.version = Objects.requireNonNull(version, "version");
        this.settingsHash = TaskHash.ofSettings(settings);
        this.host = Objects.requireNonNull(host, "host");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public final String codeVersion() {
        return version;
    }

    @Override
    public final String settingsHash() {
        return settingsHash;
    }

    /** Records the version an output states ({@link Oracle#token} of it); null (not stated) keeps the current one. */
    protected final void noteVersion(String stated) {
        if (stated != null) version = Oracle.token(stated);
    }

    /**
     * The provenance of one record made now.
     *
     * @param job         where it ran: a scheduler job id, {@code local:DIR}, or {@code "-"}
     * @param wallSeconds the calculation's wall time (s); negative values (a ticker that went backwards) become 0
     */
    protected final Provenance provenance(String job, int cycle, String selector, double wallSeconds) {
        return new Provenance(code(), version, settingsHash, job, host, cycle, selector, Math.max(0, wallSeconds), Instant.now(clock));
    }

    /** The name a DFT code goes by in provenance and task hashes: {@code pw.x} for Quantum Espresso, else the code in lower case. */
    static String dftCodeName(DftCode code) {
        return code == DftCode.QE ? "pw.x" : code.name().toLowerCase();
    }
}
