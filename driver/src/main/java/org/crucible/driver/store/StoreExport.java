package org.crucible.driver.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;

/**
 * Exports the OK labels of a {@link TrainingStore} as training data, one frame per label, streamed (one record in
 * memory at a time, after a first pass that lists the task hashes):
 *
 * <ul>
 *   <li>every frame keeps its provenance in its info: {@code config_type} (the selector), {@code task_hash},
 *       {@code cycle}, {@code oracle_code}, {@code oracle_version}, {@code settings_hash}, {@code selector}
 *       (and {@code split} when split);</li>
 *   <li>isolated atoms: a stored OK label of a single atom is written with {@code config_type=IsolatedAtom} (MACE's
 *       convention for its E0s); energies given by the user ({@link IsolatedAtomEnergies}) add one such frame per
 *       element and take precedence (a stored single-atom label of that element is then an ordinary frame). They go
 *       to the first split only (the training file), never into validation or test;</li>
 *   <li>with an {@link ExportSplit}, each remaining label goes to the split its task hash is assigned to, into that
 *       split's sink, in store order.</li>
 * </ul>
 *
 * Energies eV, forces eV/Angstrom, stress eV/Angstrom^3 (ASE sign), exactly as stored.
 *
 * <pre>{@code
 * StoreExport.Result r = StoreExport.export(store, IsolatedAtomEnergies.parse("Si=-0.123"),
 *         ExportSplit.parse("train=0.8,valid=0.1,test=0.1", 42),
 *         split -> StoreExport.extxyz(Files.newBufferedWriter(Path.of("data_" + split + ".extxyz"))));
 * }</pre>
 */
public final class StoreExport {
    private StoreExport() {
    }

    /** Where frames go (an extended-XYZ file, an ASE database). */
    public interface FrameSink extends Closeable {
        void add(Structure frame) throws IOException;
    }

    /** Opens the sink of one split ({@code null} when the export is not split). */
    @FunctionalInterface
    public interface SinkFactory {
        FrameSink open(String split) throws IOException;
    }

    /**
     * What was written.
     *
     * @param framesBySplit frames per split name ({@link #ALL} when not split), isolated atoms included
     * @param isolatedAtoms IsolatedAtom frames written (given and stored)
     * @param notExported   records that are not OK (failed, unconverged) and so not exported
     */
    public record Result(Map<String, Integer> framesBySplit, int isolatedAtoms, int notExported) {
        /** All frames written. */
        public int frames() {
            return framesBySplit.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** Name of the single output when the export is not split. */
    public static final String ALL = "all";

    /**
     * Writes the store's OK labels.
     *
     * @param given energies of isolated atoms to add, or null
     * @param split the split, or null for one output
     */
    public static Result export(TrainingStore store, IsolatedAtomEnergies given, ExportSplit split, SinkFactory sinks) throws IOException {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(sinks, "sinks");
        Map<Integer, Double> user = given == null ? Map.of() : given.energies();
        // first pass: which OK labels are stored isolated atoms (written as IsolatedAtom) and which enter the split
        List<String> splittable = new ArrayList<>();
        Set<String> isolated = new TreeSet<>();
        int[] notOk = {0};
        store.forEach(r -> {
            if (r.status() != LabelStatus.OK) {
                notOk[0]++;
            } else if (r.structure().size() == 1 && !user.containsKey(r.structure().atomicNumber(0))) {
                isolated.add(r.taskHash());
            } else {
                splittable.add(r.taskHash());
            }
        });
        Map<String, String> splitOf = split == null ? Map.of() : split.assign(splittable);
        List<String> names = split == null ? List.of(ALL) : split.names();
        String first = names.get(0);
        Map<String, FrameSink> open = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String n : names) counts.put(n, 0);
        try {
            for (String n : names) open.put(n, sinks.open(split == null ? null : n));
            FrameSink train = open.get(first);
            for (Map.Entry<Integer, Double> e : user.entrySet()) {
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("config_type", IsolatedAtomEnergies.CONFIG_TYPE);
                info.put("source", "user");
                if (split != null) info.put("split", first);
                train.add(IsolatedAtomEnergies.frame(e.getKey(), e.getValue()).withInfo(info));
                counts.merge(first, 1, Integer::sum);
            }
            store.forEach(r -> {
                if (r.status() != LabelStatus.OK) return;
                boolean atom = isolated.contains(r.taskHash());
                String where = atom || split == null ? first : splitOf.get(r.taskHash());
                try {
                    open.get(where).add(frame(r, atom ? IsolatedAtomEnergies.CONFIG_TYPE : r.provenance().selector(), split == null ? null : where));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                counts.merge(where, 1, Integer::sum);
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            IOException failed = null;
            for (FrameSink s : open.values()) {
                try {
                    s.close();
                } catch (IOException e) {
                    if (failed == null) failed = e;
                }
            }
            if (failed != null) throw failed;
        }
        return new Result(counts, user.size() + isolated.size(), notOk[0]);
    }

    /** The exported frame of one OK record: its labelled structure with the provenance in info. */
    public static Structure frame(LabelRecord r, String configType, String split) {
        Provenance p = r.provenance();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("config_type", configType);
        info.put("task_hash", r.taskHash());
        info.put("cycle", p.cycle());
        info.put("oracle_code", p.code());
        info.put("oracle_version", p.codeVersion());
        info.put("settings_hash", p.settingsHash());
        info.put("selector", p.selector());
        if (split != null) info.put("split", split);
        return r.structure().withInfo(info);
    }

    /** An extended-XYZ sink on a writer (which it closes). */
    public static FrameSink extxyz(Writer w) {
        return new FrameSink() {
            @Override
            public void add(Structure frame) throws IOException {
                ExtendedXyz.write(w, frame);
            }

            @Override
            public void close() throws IOException {
                w.close();
            }
        };
    }
}
