package org.crucible.driver.oracle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.crucible.driver.store.DurableFiles;

/**
 * The audit of what was paid for: one line per oracle evaluation in {@code oracle-calls.jsonl} of the campaign
 * directory, appended and fsynced (fdatasync) <em>before</em> the result is handed to the training store. The store
 * says which labels exist; the ledger says how many times the oracle was called for each, so a label computed twice
 * (a repeated DFT calculation) is visible even though the store keeps it once.
 *
 * <pre>
 * {"kind":"label","task":"9f2c...","structure":"51ab...","status":"OK","cycle":1,"singlePoints":1,"pid":4242,"time":"2026-12-06T05:10:00.123Z","attempt":1}
 * {"kind":"relax","task":"77d0...","structure":"0c1e...","status":"converged","cycle":-1,"singlePoints":31,"pid":4242,"time":"..."}
 * </pre>
 *
 * <p>{@code kind} is {@code label} (a single point whose record goes to the store), {@code reference} (a single point of
 * a tracked reference crystal relaxed by the model, kept in {@code references/labels/}, never in the store: the oracle
 * is called with the selector {@link #REFERENCE}) or {@code relax} (a final-validation relaxation with the oracle,
 * {@code singlePoints} evaluations, never stored). The file is only ever appended to, by
 * one writer at a time (the campaign driver, which holds the store's lease). A line is written with one {@code write}
 * call, so a kill -9 cannot cut it; a power loss can, and then the reader reports the torn line instead of failing, and
 * the next writer first ends it with a newline so its own lines stay whole.
 *
 * <pre>{@code
 * try (OracleCallLedger ledger = OracleCallLedger.open(dir.resolve(OracleCallLedger.FILE))) { ledger.record(call); }
 * OracleCallLedger.Contents c = OracleCallLedger.read(dir.resolve(OracleCallLedger.FILE));
 * }</pre>
 */
public final class OracleCallLedger implements AutoCloseable {
    /** The ledger's name in the campaign directory. */
    public static final String FILE = "oracle-calls.jsonl";
    /** The selector (and ledger kind) of reference-tracking single points, which are not training labels. */
    public static final String REFERENCE = "reference";

    /**
     * One oracle evaluation. {@code time} is when its result arrived (UTC), for the audit only; {@code attempt} is which
     * attempt at the task it was (1 for the first, more for a FAILED label sent again; 1 for lines written before
     * attempts were recorded and for relaxations).
     */
    public record Call(String kind, String taskHash, String structureHash, String status, int cycle, int singlePoints, long pid, Instant time,
                       int attempt) {
        /** A first attempt. */
        public Call(String kind, String taskHash, String structureHash, String status, int cycle, int singlePoints, long pid, Instant time) {
            this(kind, taskHash, structureHash, status, cycle, singlePoints, pid, time, 1);
        }

        public Call {
            if (attempt < 1) throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
            if (!kind.equals("label") && !kind.equals("relax") && !kind.equals(REFERENCE)) {
                throw new IllegalArgumentException("ledger kind must be label, reference or relax, got " + kind);
            }
            Objects.requireNonNull(taskHash, "taskHash");
            Objects.requireNonNull(structureHash, "structureHash");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(time, "time");
            if (singlePoints < 0) throw new IllegalArgumentException("singlePoints must be >= 0, got " + singlePoints);
        }

        /** The JSON line (no newline). Hashes, kind and status are plain tokens; the status is escaped anyway. */
        String json() {
            return "{\"kind\":\"" + kind + "\",\"task\":\"" + taskHash + "\",\"structure\":\"" + structureHash + "\",\"status\":\""
                    + status.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"cycle\":" + cycle + ",\"singlePoints\":" + singlePoints
                    + ",\"pid\":" + pid + ",\"time\":\"" + time + "\",\"attempt\":" + attempt + "}";
        }
    }

    /** What a ledger holds: the whole lines in order, and how many lines could not be read (torn by a power loss). */
    public record Contents(List<Call> calls, int tornLines) {
        public Contents {
            calls = List.copyOf(calls);
        }

        /** The {@code label} calls, in the order they were made. */
        public List<Call> labels() {
            return calls.stream().filter(c -> c.kind().equals("label")).toList();
        }
    }

    private final Path file;
    private final FileChannel channel;

    private OracleCallLedger(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Opens {@code file} for appending, creating it (and fsyncing its directory) when absent; ends a torn last line. */
    public static OracleCallLedger open(Path file) {
        try {
            boolean created = !Files.exists(file);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            if (created) {
                ch.force(true);
                DurableFiles.fsyncDirectory(file.toAbsolutePath().getParent());
            } else if (endsTorn(file)) {
                ch.write(ByteBuffer.wrap(new byte[] {'\n'}));
                ch.force(false);
            }
            return new OracleCallLedger(file, ch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the oracle-call ledger " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean endsTorn(Path file) throws IOException {
        try (FileChannel r = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = r.size();
            if (size == 0) return false;
            ByteBuffer last = ByteBuffer.allocate(1);
            r.read(last, size - 1);
            return last.get(0) != '\n';
        }
    }

    /** Appends {@code call} as one line with one write and forces it to disk before returning. */
    public synchronized void record(Call call) {
        ByteBuffer b = ByteBuffer.wrap((call.json() + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            while (b.hasRemaining()) channel.write(b);
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the oracle-call ledger " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a ledger; an absent file is empty. Lines that are not a whole call are counted as torn, never thrown. */
    public static Contents read(Path file) {
        if (!Files.exists(file)) return new Contents(List.of(), 0);
        List<Call> calls = new ArrayList<>();
        int torn = 0;
        ObjectMapper json = new ObjectMapper();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) continue;
                try {
                    JsonNode n = json.readTree(line);
                    calls.add(new Call(n.get("kind").asText(), n.get("task").asText(), n.get("structure").asText(), n.get("status").asText(),
                            n.get("cycle").asInt(), n.get("singlePoints").asInt(), n.get("pid").asLong(), Instant.parse(n.get("time").asText()),
                            n.path("attempt").asInt(1)));
                } catch (IOException | RuntimeException e) {
                    torn++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the oracle-call ledger " + file + ": " + e.getMessage(), e);
        }
        return new Contents(calls, torn);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the oracle-call ledger " + file + ": " + e.getMessage(), e);
        }
    }
}
