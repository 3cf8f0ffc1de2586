package org.crucible.dft.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShellQuoteTest {
    @Test
    void quotesGolden() {
        assertEquals("'abc'", ShellQuote.quote("abc"));
        assertEquals("''", ShellQuote.quote(""));
        assertEquals("'it'\\''s'", ShellQuote.quote("it's"));
        assertEquals("'$(rm -rf /)'", ShellQuote.quote("$(rm -rf /)"));
        assertEquals("'ls' 'a b' ';'", ShellQuote.join(List.of("ls", "a b", ";")));
    }

    @Test
    void rejectsNul() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShellQuote.quote("a\0b"));
        assertEquals("a shell argument cannot contain NUL: a\\0b", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ShellQuote.join(List.of()));
    }
}
