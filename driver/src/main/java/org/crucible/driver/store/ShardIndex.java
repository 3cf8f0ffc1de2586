package org.crucible.driver.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The index file of a merged shard ({@code index/shard-N-M.idx}): a header line, one tab-separated line per frame
 * in shard order ({@code task_hash offset status cycle code selector attempt}, offset in bytes from the shard's start),
 * and a closing {@code # end FRAMES BYTES} line. An index without its end line is truncated and refused. Indexes
 * written before FAILED labels could be retried have no {@code attempt} column (header {@link #HEADER_V1}); their
 * frames are first attempts.
 */
final class ShardIndex {
    static final String HEADER = "# " + TrainingStore.FORMAT + " index: task_hash offset status cycle code selector attempt";
    static final String HEADER_V1 = "# " + TrainingStore.FORMAT + " index: task_hash offset status cycle code selector";

    private ShardIndex() {
    }

    /** Writes and fsyncs {@code entries} (task hash to entry, in frame order) as index {@code file} of a shard of {@code bytes}. */
    static void write(FileSystem fs, Path file, Map<String, TrainingStore.Entry> entries, long bytes) throws IOException {
        try (FSDataOutputStream out = fs.create(file, true);
             Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
            StringBuilder sb = new StringBuilder(HEADER).append('\n');
            for (Map.Entry<String, TrainingStore.Entry> me : entries.entrySet()) {
                TrainingStore.Entry e = me.getValue();
                sb.append(me.getKey()).append('\t').append(e.offset()).append('\t').append(e.status().label()).append('\t').append(e.cycle())
                        .append('\t').append(escape(e.code())).append('\t').append(escape(e.selector()))
                        .append('\t').append(e.attempt()).append('\n');
                if (sb.length() > 1 << 16) {
                    w.write(sb.toString());
                    sb.setLength(0);
                }
            }
            sb.append("# end ").append(entries.size()).append(' ').append(bytes).append('\n');
            w.write(sb.toString());
            w.flush();
            DurableFiles.sync(out);
        }
        DurableFiles.syncClosed(fs, file);
    }

    /**
     * Reads index {@code file} of shard {@code shardName}, handing each frame's entry to {@code entry} in frame order
     * and the shard's recorded size in bytes to {@code bytes} (indexes written before the lease record none).
     *
     * @throws StoreException naming the file and line for a bad header, field or frame count, or a missing end line
     */
    static void read(FileSystem fs, Path file, String shardName, BiConsumer<String, TrainingStore.Entry> entry, LongConsumer bytes) throws IOException {
        int lineNo = 0;
        int frames = 0;
        boolean ended = false;
        int fields = 7;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (lineNo == 1) {
                    if (line.equals(HEADER_V1)) fields = 6;
                    else if (!line.equals(HEADER)) throw new StoreException(file + ":1: not a " + TrainingStore.FORMAT + " index (header '" + line + "')");
                    continue;
                }
                if (line.startsWith("# end ")) {
                    String[] end = line.substring(6).trim().split("\\s+");
                    if (Integer.parseInt(end[0]) != frames) {
                        throw new StoreException(file + ":" + lineNo + ": index ends with " + end[0] + " frames but lists " + frames);
                    }
                    if (end.length > 1) bytes.accept(Long.parseLong(end[1])); // "# end FRAMES BYTES" since the lease
                    ended = true;
                    continue;
                }
                String[] t = line.split("\t", -1);
                if (t.length != fields) throw new StoreException(file + ":" + lineNo + ": expected " + fields + " tab-separated fields, got " + t.length);
                try {
                    TrainingStore.Entry e = new TrainingStore.Entry(shardName, frames, Long.parseLong(t[1]), LabelStatus.parse(t[2]),
                            Integer.parseInt(t[3]), unescape(t[5]), unescape(t[4]), fields == 7 ? Integer.parseInt(t[6]) : 1);
                    entry.accept(t[0], e);
                } catch (IllegalArgumentException e) {
                    throw new StoreException(file + ":" + lineNo + ": " + e.getMessage(), e);
                }
                frames++;
            }
        }
        if (!ended) throw new StoreException(file + ": truncated index (no '# end' line after " + frames + " frames)");
    }

    private static String escape(String s) {
        return s.replace("\t", "\\t");
    }

    private static String unescape(String s) {
        return s.replace("\\t", "\t");
    }
}
