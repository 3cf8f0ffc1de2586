package org.crucible.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FrameSliceTest {
    @Test
    void followsPythonSliceSemantics() {
        // expected values are what Python gives for list(range(10))[slice]
        assertArrayEquals(new int[] {0, 1, 2}, FrameSlice.parse("0:3").indices(10));
        assertArrayEquals(new int[] {8, 9}, FrameSlice.parse("-2:").indices(10));
        assertArrayEquals(new int[] {9}, FrameSlice.parse("-1").indices(10));
        assertArrayEquals(new int[] {9, 6, 3, 0}, FrameSlice.parse("::-3").indices(10));
        assertArrayEquals(new int[] {5, 4, 3}, FrameSlice.parse("5:2:-1").indices(10));
        assertArrayEquals(new int[] {0, 2, 4, 6, 8}, FrameSlice.parse("::2").indices(10));
        assertArrayEquals(new int[] {}, FrameSlice.parse("12").indices(10));
        assertArrayEquals(new int[] {7, 8, 9}, FrameSlice.parse("7:100").indices(10));
        assertArrayEquals(new int[] {0, 1}, FrameSlice.parse("-100:2").indices(10));
        assertArrayEquals(IntStream.range(0, 10).toArray(), FrameSlice.ALL.indices(10));
    }

    @Test
    void streamingSelectionMatchesIndices() {
        for (String text : new String[] {"0:3", "2:9:3", "4", ":", "1:"}) {
            FrameSlice s = FrameSlice.parse(text);
            assertFalse(s.needsCount());
            int[] expected = s.indices(10);
            int[] streamed = IntStream.range(0, 10).takeWhile(i -> !s.isPastEnd(i)).filter(s::selects).toArray();
            assertArrayEquals(expected, streamed, text);
        }
        assertTrue(FrameSlice.parse("-1").needsCount());
        assertTrue(FrameSlice.parse("-3:").isAscending());
        assertFalse(FrameSlice.parse("::-1").isAscending());
        assertThrows(IllegalArgumentException.class, () -> FrameSlice.parse("1:x"));
        assertThrows(IllegalArgumentException.class, () -> FrameSlice.parse("::0"));
        assertThrows(IllegalArgumentException.class, () -> FrameSlice.parse("1:2:3:4"));
    }
}
