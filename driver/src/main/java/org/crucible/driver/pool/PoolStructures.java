package org.crucible.driver.pool;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.crucible.core.Structure;
import org.crucible.core.io.StructureReader;

/**
 * A saved pool as a stream of structures, one partition file in memory at a time, so that every command that reads
 * structure files reads pools too. Each structure carries the model's labels when the pool has them (energy eV,
 * forces eV/Angstrom, stress) and its per-structure state as info keys: {@code pool_id}, {@code status},
 * {@code origin}, and when known {@code uncertainty} (eV/atom), {@code max_force} (eV/Angstrom), {@code steps},
 * {@code cluster_id}.
 *
 * <pre>{@code
 * try (StructureReader r = PoolStructures.open("hdfs://nn/run/pools/cycle=2/stage=relaxed")) { while (r.hasNext()) use(r.next()); }
 * }</pre>
 */
public final class PoolStructures {
    private PoolStructures() {
    }

    /** The structure of one entry with its labels and state (see the class comment). */
    public static Structure toStructure(PoolEntry e) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("pool_id", e.id());
        info.put("status", e.status());
        info.put("origin", e.origin());
        if (!Double.isNaN(e.uncertainty())) info.put("uncertainty", e.uncertainty());
        if (!Double.isNaN(e.maxForce())) info.put("max_force", e.maxForce());
        if (e.steps() > 0) info.put("steps", e.steps());
        if (e.clusterId() != -1) info.put("cluster_id", e.clusterId());
        return e.structureWithModelEnergy().withInfo(info);
    }

    /** Streams a complete pool (fails at once, with the URI, when it is missing or incomplete). */
    public static StructureReader open(String uri) {
        List<String> parts = PoolFiles.partitions(uri);
        return new StructureReader() {
            private int nextPart;
            private Iterator<PoolEntry> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && nextPart < parts.size()) current = PoolFiles.readPartition(parts.get(nextPart++)).iterator();
                return current.hasNext();
            }

            @Override
            public Structure next() {
                if (!hasNext()) throw new NoSuchElementException("pool " + uri + " has no more structures");
                return toStructure(current.next());
            }

            @Override
            public void close() {
                nextPart = parts.size();
                current = Collections.emptyIterator();
            }
        };
    }
}
