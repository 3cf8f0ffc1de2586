package org.crucible.driver.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A train/validation/test split of exported labels: named fractions summing to 1 and a seed. The assignment depends
 * only on the set of task hashes and the seed, not on store order or shard layout: the hashes are sorted, shuffled
 * by Fisher-Yates with {@code java.util.Random(seed)}, and cut into consecutive blocks whose sizes are the fractions
 * times n rounded by largest remainder (ties to the split named first), so the sizes sum to n exactly.
 *
 * <pre>{@code
 * ExportSplit s = ExportSplit.parse("train=0.8,valid=0.1,test=0.1", 42);
 * Map<String, String> splitOf = s.assign(taskHashes); // task hash -> "train" | "valid" | "test"
 * }</pre>
 *
 * @param fractions split name -> fraction (in the order given; each in (0, 1], summing to 1 within 1e-9)
 * @param seed      seed of the shuffle
 */
public record ExportSplit(Map<String, Double> fractions, long seed) {
    public ExportSplit {
        if (fractions == null || fractions.isEmpty()) throw new IllegalArgumentException("a split needs at least one name=fraction");
        double sum = 0;
        for (Map.Entry<String, Double> e : fractions.entrySet()) {
            if (!e.getKey().matches("[A-Za-z][A-Za-z0-9_-]*")) {
                throw new IllegalArgumentException("split name '" + e.getKey() + "' must be letters, digits, '_' or '-', starting with a letter");
            }
            double f = e.getValue();
            if (!(f > 0 && f <= 1)) throw new IllegalArgumentException("fraction of split '" + e.getKey() + "' must be in (0, 1], got " + f);
            sum += f;
        }
        if (Math.abs(sum - 1) > 1e-9) throw new IllegalArgumentException("split fractions must sum to 1, got " + sum + " (" + fractions + ")");
        fractions = Collections.unmodifiableMap(new LinkedHashMap<>(fractions));
    }

    /** Parses {@code name=fraction,...}, e.g. {@code train=0.8,valid=0.1,test=0.1}. */
    public static ExportSplit parse(String spec, long seed) {
        Map<String, Double> f = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("'" + p + "' is not name=fraction (e.g. train=0.8,valid=0.1,test=0.1)");
            String name = p.substring(0, eq).trim();
            double v;
            try {
                v = Double.parseDouble(p.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("fraction of split '" + name + "' is not a number: '" + p.substring(eq + 1) + "'");
            }
            if (f.put(name, v) != null) throw new IllegalArgumentException("split '" + name + "' given twice");
        }
        return new ExportSplit(f, seed);
    }

    /** The split names in the order given. */
    public List<String> names() {
        return List.copyOf(fractions.keySet());
    }

    /** Sizes of the splits for {@code n} labels (largest remainder; they sum to n). */
    public Map<String, Integer> sizes(int n) {
        List<String> names = names();
        int[] size = new int[names.size()];
        double[] rest = new double[names.size()];
        int used = 0;
        for (int i = 0; i < size.length; i++) {
            double exact = fractions.get(names.get(i)) * n;
            size[i] = (int) Math.floor(exact + 1e-9);
            rest[i] = exact - size[i];
            used += size[i];
        }
        for (; used < n; used++) {
            int best = 0;
            for (int i = 1; i < size.length; i++) if (rest[i] > rest[best] + 1e-12) best = i;
            size[best]++;
            rest[best] = -1;
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < size.length; i++) out.put(names.get(i), size[i]);
        return out;
    }

    /** Task hash -> split name for these (distinct) task hashes. */
    public Map<String, String> assign(Iterable<String> taskHashes) {
        List<String> order = new ArrayList<>();
        for (String h : taskHashes) order.add(h);
        Collections.sort(order);
        for (int i = 1; i < order.size(); i++) {
            if (order.get(i).equals(order.get(i - 1))) throw new IllegalArgumentException("task hash " + order.get(i) + " given twice");
        }
        Random rng = new Random(seed);
        for (int i = order.size() - 1; i > 0; i--) Collections.swap(order, i, rng.nextInt(i + 1));
        Map<String, String> out = new LinkedHashMap<>();
        int k = 0;
        for (Map.Entry<String, Integer> e : sizes(order.size()).entrySet()) {
            for (int j = 0; j < e.getValue(); j++) out.put(order.get(k++), e.getKey());
        }
        return out;
    }
}
