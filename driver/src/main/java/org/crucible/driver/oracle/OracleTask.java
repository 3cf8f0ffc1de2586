package org.crucible.driver.oracle;

import java.util.Objects;
import org.crucible.core.Structure;
import org.crucible.driver.store.TaskHash;

/**
 * One single-point calculation to do: the structure and its task hash (structure content hash and the oracle's
 * settings hash, {@link TaskHash}), plus the pool id it came from (-1 when none), for provenance and reports, and
 * which attempt at the task this is (1 for the first; a FAILED label sent again is attempt 2, ...). Oracles label
 * every attempt alike; the attempt number is for the oracle-call ledger and the store's provenance.
 */
public record OracleTask(String taskHash, Structure structure, long poolId, int attempt) {
    public OracleTask {
        Objects.requireNonNull(taskHash, "taskHash");
        Objects.requireNonNull(structure, "structure");
        if (attempt < 1) throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
    }

    /** A first attempt. */
    public OracleTask(String taskHash, Structure structure, long poolId) {
        this(taskHash, structure, poolId, 1);
    }

    /** The same task as attempt {@code n}. */
    public OracleTask asAttempt(int n) {
        return new OracleTask(taskHash, structure, poolId, n);
    }

    /** A task for {@code s} under the given oracle. */
    public static OracleTask of(Structure s, Oracle oracle, long poolId) {
        return new OracleTask(TaskHash.of(s, oracle.settingsHash()), s, poolId);
    }
}
