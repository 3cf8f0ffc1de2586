package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} refuses an unknown {@code flat_histogram.quantity} with exit 2, naming file, line and field, before anything starts. */
class GapRssQuantityCliTest {
    @TempDir
    Path tmp;

    @Test
    void anUnknownHistogramQuantityExitsTwoNamingFileLineAndField() throws Exception {
        Path bad = tmp.resolve("gaprss-bad.yaml");
        Files.writeString(bad, """
                name: x
                composition: Si8
                oracle: {type: sw}
                protocol:
                  name: gap-rss
                  gap_rss:
                    flat_histogram: {bins: 10, candidates: 300, quantity: entropy}
                """);
        Path d = tmp.resolve("never");
        CampaignCliTest.Result r = CampaignCliTest.cli("run", bad.toString(), "--dir", d.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("gaprss-bad.yaml") && r.err().contains("protocol.gap_rss.flat_histogram.quantity")
                && r.err().contains("'entropy'") && r.err().contains("[enthalpy, energy]") && r.err().contains("line 7: protocol.gap_rss.flat_histogram.quantity"), r.err());
        assertFalse(Files.exists(d), "nothing is created");
    }
}
