package org.crucible.driver.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where a training store's compaction stands, told from its files alone (no lease, no reading of records): what the
 * {@link KillHarness} records for a kill that landed during a compaction.
 *
 * <pre>{@code
 * String s = CompactionProbe.step(storeDir); // "" when no compaction is under way
 * }</pre>
 */
final class CompactionProbe {
    private static final Pattern MERGED = Pattern.compile("shard-(\\d+)-(\\d+)\\.(extxyz|idx)");
    private static final Pattern SINGLE = Pattern.compile("shard-(\\d+)\\.extxyz");

    private CompactionProbe() {
    }

    /**
     * The step of a compaction the store's files show, or "" when none is under way: the merged shard in {@code _tmp/}
     * (being written), its index in {@code _tmp/}, the merged shard published beside its inputs without an index (not
     * committed), or committed with inputs not yet deleted.
     */
    static String step(Path store) {
        List<String> tmp = names(store.resolve("_tmp"));
        if (tmp.stream().anyMatch(n -> MERGED.matcher(n).matches() && n.endsWith(".idx"))) return "index written, not committed";
        if (tmp.stream().anyMatch(n -> MERGED.matcher(n).matches())) return "merged shard being written";
        List<String> shards = names(store.resolve("shards"));
        List<String> index = names(store.resolve("index"));
        for (String n : shards) {
            Matcher m = MERGED.matcher(n);
            if (!m.matches() || !n.endsWith(".extxyz")) continue;
            long a = Long.parseLong(m.group(1));
            long b = Long.parseLong(m.group(2));
            boolean inputsLeft = shards.stream().map(SINGLE::matcher).anyMatch(s -> s.matches() && Long.parseLong(s.group(1)) >= a && Long.parseLong(s.group(1)) <= b);
            boolean committed = index.contains(n.substring(0, n.length() - ".extxyz".length()) + ".idx");
            if (!committed) return "merged shard published, not committed";
            if (inputsLeft) return "committed, inputs being deleted";
        }
        return "";
    }

    private static List<String> names(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            return List.of(); // the directory changed under us: nothing to conclude
        }
    }

}
