package org.crucible.driver.oracle;

import java.util.Objects;
import org.crucible.core.Structure;
import org.crucible.driver.store.TaskHash;

/**
 * One single-point calculation to do: the structure and its task hash (structure content hash and the oracle's
 * settings hash, {@link TaskHash}), plus the pool id it came from (-1 when none), for provenance and reports.
 */
public record OracleTask(String taskHash, Structure structure, long poolId) {
    public OracleTask {
        Objects.requireNonNull(taskHash, "taskHash");
        Objects.requireNonNull(structure, "structure");
    }

    /** A task for {@code s} under the given oracle. */
    public static OracleTask of(Structure s, Oracle oracle, long poolId) {
        return new OracleTask(TaskHash.of(s, oracle.settingsHash()), s, poolId);
    }
}
