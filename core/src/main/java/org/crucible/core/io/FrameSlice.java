package org.crucible.core.io;

import java.util.ArrayList;
import java.util.List;

/**
 * A Python-style selection of frames: {@code "5"} (one frame), {@code "-1"} (the last), {@code "0:10"},
 * {@code "::2"}, {@code "-10:"}, {@code "10:0:-1"}; exactly Python's {@code slice.indices(n)} semantics (stop
 * excluded, out-of-range bounds clipped). A single index out of range selects nothing rather than failing, so the
 * caller can say "no frame selected" with the file name.
 *
 * <pre>{@code
 * FrameSlice s = FrameSlice.parse("0:10");
 * if (!s.needsCount()) { ... s.selects(i) ... s.isPastEnd(i) ... } else { int[] idx = s.indices(total); }
 * }</pre>
 */
public final class FrameSlice {
    /** Every frame ({@code ":"}). */
    public static final FrameSlice ALL = new FrameSlice(null, null, 1, false, ":");

    private final Integer start;
    private final Integer stop;
    private final int step;
    private final boolean single;
    private final String text;

    private FrameSlice(Integer start, Integer stop, int step, boolean single, String text) {
        this.start = start;
        this.stop = stop;
        this.step = step;
        this.single = single;
        this.text = text;
    }

    /**
     * Parses {@code index} or {@code start:stop[:step]} with optional parts.
     *
     * @throws IllegalArgumentException naming the text when it is not a slice or the step is 0
     */
    public static FrameSlice parse(String text) {
        String t = text.strip();
        String[] p = t.split(":", -1);
        try {
            if (p.length == 1) {
                if (t.isEmpty()) throw new NumberFormatException();
                return new FrameSlice(Integer.parseInt(t), null, 1, true, t);
            }
            if (p.length > 3) throw new NumberFormatException();
            Integer start = p[0].isBlank() ? null : Integer.valueOf(p[0].strip());
            Integer stop = p[1].isBlank() ? null : Integer.valueOf(p[1].strip());
            int step = p.length == 3 && !p[2].isBlank() ? Integer.parseInt(p[2].strip()) : 1;
            if (step == 0) throw new IllegalArgumentException("frame slice '" + text + "': step must not be 0");
            return new FrameSlice(start, stop, step, false, t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("frame selection '" + text + "' is not an index or a start:stop:step slice (e.g. 0:10, -1, ::2)");
        }
    }

    /** True when the selection depends on the number of frames (negative bounds or a negative step). */
    public boolean needsCount() {
        return step < 0 || (start != null && start < 0) || (stop != null && stop < 0);
    }

    /** True when the selected frames come in file order (a single index or a positive step). */
    public boolean isAscending() {
        return single || step > 0;
    }

    /** For a slice that does not {@link #needsCount()}: whether frame i is selected. */
    public boolean selects(int i) {
        requireForward();
        int s = start == null ? 0 : start;
        if (single) return i == s;
        return i >= s && (stop == null || i < stop) && (i - s) % step == 0;
    }

    /** For a slice that does not {@link #needsCount()}: true when no frame at or after i can be selected. */
    public boolean isPastEnd(int i) {
        requireForward();
        if (single) return i > start;
        return stop != null && i >= stop;
    }

    private void requireForward() {
        if (needsCount()) throw new IllegalStateException("slice '" + text + "' needs the number of frames: use indices(n)");
    }

    /** The selected indices, in order, for n frames (Python's semantics). */
    public int[] indices(int n) {
        if (single) {
            int i = start < 0 ? start + n : start;
            return i >= 0 && i < n ? new int[] {i} : new int[0];
        }
        int lo, hi;
        if (step > 0) {
            lo = clip(start, n, 0, 0, n);
            hi = clip(stop, n, n, 0, n);
        } else {
            lo = clip(start, n, n - 1, -1, n - 1);
            hi = clip(stop, n, -1, -1, n - 1);
        }
        List<Integer> out = new ArrayList<>();
        for (int i = lo; step > 0 ? i < hi : i > hi; i += step) out.add(i);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int clip(Integer v, int n, int dflt, int min, int max) {
        if (v == null) return dflt;
        int x = v < 0 ? v + n : v;
        return Math.max(min, Math.min(max, x));
    }

    @Override
    public String toString() {
        return text;
    }
}
