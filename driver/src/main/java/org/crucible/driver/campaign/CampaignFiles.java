package org.crucible.driver.campaign;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.driver.oracle.OracleTask;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.ShardCodec;

/**
 * The files of a campaign directory and how each is written: every file atomically (temp file, then rename), so a
 * file the state points to is whole. Pools are kept relative to the pool root in the state
 * ({@code cycle=N/stage=WHAT} under {@code pools.uri}), so a campaign directory can be moved; the oracle batch of a cycle
 * ({@code cycles/NNN/batch.json}, format {@code crucible-oracle-batch-1}: task hash, pool id, cell and positions in
 * Angstrom, atomic numbers) is written before any of its tasks is sent.
 */
final class CampaignFiles {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path dir;
    private final String poolsUri;

    /** {@code poolsUri}: the campaign's {@code pools.uri} (null: {@code pools/} under the campaign directory). */
    CampaignFiles(Path dir, String poolsUri) {
        this.dir = dir;
        this.poolsUri = poolsUri;
    }

    Path dir() {
        return dir;
    }

    /** A pool's location relative to the pool root ({@code pools.uri}): {@code cycle=N/stage=WHAT}. */
    static String poolUri(int cycle, String what) {
        return org.crucible.driver.pool.PoolFiles.location(cycle, what);
    }

    /** The absolute URI of a pool location kept relative in the state (old checkpoints' locations included). */
    String resolve(String relativePool) {
        return org.crucible.driver.pool.PoolFiles.resolve(dir, poolsUri, relativePool);
    }

    /** {@code cycles/NNN}, created when missing. */
    Path cycleDir(int cycle) {
        Path d = dir.resolve(String.format("cycles/%03d", cycle));
        try {
            Files.createDirectories(d);
        } catch (IOException ex) {
            throw new CampaignException("cannot create " + d + ": " + ex.getMessage(), ex);
        }
        return d;
    }

    /** The oracle batch files ({@code cycles/NNN/batch.json}) of cycles 0..{@code lastCycle} that exist, in cycle order. */
    List<Path> batches(int lastCycle) {
        List<Path> out = new ArrayList<>();
        for (int c = 0; c <= lastCycle; c++) {
            Path b = dir.resolve(String.format("cycles/%03d/batch.json", c));
            if (Files.exists(b)) out.add(b);
        }
        return out;
    }

    static void writeJson(Path file, Object value) {
        try {
            Files.createDirectories(file.getParent());
            org.crucible.driver.store.DurableFiles.writeAtomically(file, JSON.writeValueAsBytes(value)); // fsync file and directory
        } catch (IOException ex) {
            throw new CampaignException("cannot write " + file + ": " + ex.getMessage(), ex);
        }
    }

    static void writeBatch(Path file, List<OracleTask> batch) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (OracleTask t : batch) {
            Structure s = t.structure();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("task_hash", t.taskHash());
            m.put("pool_id", t.poolId());
            m.put("cell", s.cell().matrix());
            m.put("pbc", s.cell().pbc());
            m.put("numbers", s.atomicNumbers());
            m.put("positions", s.positions());
            rows.add(m);
        }
        writeJson(file, Map.of("format", "crucible-oracle-batch-1", "tasks", rows));
    }

    static List<OracleTask> readBatch(Path file) {
        try {
            var root = JSON.readTree(file.toFile());
            List<OracleTask> out = new ArrayList<>();
            for (var t : root.path("tasks")) {
                double[] cell = JSON.treeToValue(t.path("cell"), double[].class);
                boolean[] pbc = JSON.treeToValue(t.path("pbc"), boolean[].class);
                int[] z = JSON.treeToValue(t.path("numbers"), int[].class);
                double[] xyz = JSON.treeToValue(t.path("positions"), double[].class);
                out.add(new OracleTask(t.path("task_hash").asText(), Structure.of(new Cell(cell, pbc), z, xyz), t.path("pool_id").asLong()));
            }
            return out;
        } catch (IOException | RuntimeException ex) {
            throw new CampaignException("cannot read the recorded oracle batch " + file + ": " + ex.getMessage(), ex);
        }
    }

    /** One labelled structure as extended XYZ with its provenance. */
    static void writeRecord(Path file, LabelRecord record) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer w = new OutputStreamWriter(Files.newOutputStream(tmp), StandardCharsets.UTF_8)) {
                ShardCodec.write(w, record, true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ex) {
            throw new CampaignException("cannot write " + file + ": " + ex.getMessage(), ex);
        }
    }
}
