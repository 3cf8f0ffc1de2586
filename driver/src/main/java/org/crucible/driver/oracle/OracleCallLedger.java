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
 * <p>Before each call made inside the driver's JVM (an embedded calculator, local pw.x; {@link Oracle#runsInDriver}) a
 * {@code begin} line is written and fsynced the same way, so a call killed midway (paid for, no result) is on record:
 *
 * <pre>
 * {"kind":"begin","call":"label","task":"9f2c...","attempt":1,"cycle":1,"pid":4242,"time":"2026-12-06T05:09:58.001Z"}
 * </pre>
 *
 * A begin line is <em>finished</em> by the next call line of the same pid with the same kind, task and attempt
 * (matched latest begin first, so a reused pid still pairs each call with its own begin); one left unmatched is a call
 * begun and never finished ({@link Contents#unfinished}): the driver was killed during it, or the calculation threw. A
 * cluster oracle writes no begin lines (its jobs outlive the driver; the farm's {@code events.log} records them), and
 * ledgers written before begin lines existed read as before, with nothing unfinished.
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

    /**
     * The intent to make one call, written before the oracle is called: {@code kind} is the kind of the call begun
     * ({@code label}, {@code reference} or {@code relax}), {@code time} when it began (UTC).
     */
    public record Begin(String kind, String taskHash, int attempt, int cycle, long pid, Instant time) {
        public Begin {
            if (attempt < 1) throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
            if (!kind.equals("label") && !kind.equals("relax") && !kind.equals(REFERENCE)) {
                throw new IllegalArgumentException("ledger kind must be label, reference or relax, got " + kind);
            }
            Objects.requireNonNull(taskHash, "taskHash");
            Objects.requireNonNull(time, "time");
        }

        /** The JSON line (no newline). */
        String json() {
            return "{\"kind\":\"" + BEGIN + "\",\"call\":\"" + kind + "\",\"task\":\"" + taskHash + "\",\"attempt\":" + attempt + ",\"cycle\":" + cycle
                    + ",\"pid\":" + pid + ",\"time\":\"" + time + "\"}";
        }

        private boolean startedBy(Call c) {
            return c.pid() == pid && c.kind().equals(kind) && c.taskHash().equals(taskHash) && c.attempt() == attempt;
        }
    }

    /**
     * What a ledger holds: the finished calls in order, how many begin lines it has, the begun calls that never finished
     * (in order), and how many lines could not be read (torn by a power loss).
     */
    public record Contents(List<Call> calls, int begun, List<Begin> unfinished, int tornLines) {
        public Contents {
            calls = List.copyOf(calls);
            unfinished = List.copyOf(unfinished);
            if (begun < unfinished.size()) throw new IllegalArgumentException("begun " + begun + " < unfinished " + unfinished.size());
        }

        /** Finished calls only (a ledger without begin lines). */
        public Contents(List<Call> calls, int tornLines) {
            this(calls, 0, List.of(), tornLines);
        }

        /** The {@code label} calls, in the order they were made. */
        public List<Call> labels() {
            return calls.stream().filter(c -> c.kind().equals("label")).toList();
        }

        /** The {@code label} calls begun and never finished: paid for (in part), no label from them. */
        public List<Begin> unfinishedLabels() {
            return unfinished.stream().filter(b -> b.kind().equals("label")).toList();
        }
    }

    /** The {@code kind} of a begin line. */
    public static final String BEGIN = "begin";

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
    public void record(Call call) {
        append(call.json());
    }

    /** Appends the begin line of a call about to be made, forced to disk before returning (so before the call). */
    public void begin(Begin begin) {
        append(begin.json());
    }

    private synchronized void append(String line) {
        ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            while (b.hasRemaining()) channel.write(b);
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the oracle-call ledger " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a ledger; an absent file is empty. Lines that are not a whole call or begin line are counted as torn, never
     * thrown; a torn begin line begins nothing, so the call it announced, when it finished, reads as a call without one.
     */
    public static Contents read(Path file) {
        if (!Files.exists(file)) return new Contents(List.of(), 0);
        List<Call> calls = new ArrayList<>();
        List<Begin> open = new ArrayList<>(); // begun, not (yet) finished, in order
        int begun = 0;
        int torn = 0;
        ObjectMapper json = new ObjectMapper();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) continue;
                try {
                    JsonNode n = json.readTree(line);
                    if (BEGIN.equals(n.get("kind").asText())) {
                        open.add(new Begin(n.get("call").asText(), n.get("task").asText(), n.get("attempt").asInt(), n.get("cycle").asInt(),
                                n.get("pid").asLong(), Instant.parse(n.get("time").asText())));
                        begun++;
                        continue;
                    }
                    Call c = new Call(n.get("kind").asText(), n.get("task").asText(), n.get("structure").asText(), n.get("status").asText(),
                            n.get("cycle").asInt(), n.get("singlePoints").asInt(), n.get("pid").asLong(), Instant.parse(n.get("time").asText()),
                            n.path("attempt").asInt(1));
                    calls.add(c);
                    for (int i = open.size() - 1; i >= 0; i--) {
                        if (open.get(i).startedBy(c)) {
                            open.remove(i);
                            break;
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    torn++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the oracle-call ledger " + file + ": " + e.getMessage(), e);
        }
        return new Contents(calls, begun, open, torn);
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
