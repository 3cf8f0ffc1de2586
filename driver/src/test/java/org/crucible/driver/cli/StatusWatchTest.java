package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crucible.driver.campaign.CampaignState;
import org.crucible.driver.campaign.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code status --watch}: refreshes until the campaign has finished, without sleeping in the test. */
class StatusWatchTest {
    static CampaignState state(Stage next, String status, int cycle) {
        return new CampaignState(CampaignState.FORMAT, "w", 1, "abc", cycle, next, status, null, null, List.of(), List.of(), List.of(List.of(-4.3)),
                10 * cycle, 0, 0, Map.of(), List.of(), "");
    }

    @Test
    void refreshesUntilTheCampaignFinishes(@TempDir Path dir) throws Exception {
        state(Stage.RELAX, "running", 1).write(dir.resolve("state.json"));
        List<Long> sleeps = new ArrayList<>();
        StatusCommand cmd = new StatusCommand();
        CommandLine cl = new CommandLine(cmd);
        cmd.sleeper = ms -> {
            sleeps.add(ms);
            // The campaign moves on while we wait: a later cycle, then finished.
            try {
                if (sleeps.size() == 1) state(Stage.SELECT, "running", 2).write(dir.resolve("state.json"));
                else state(Stage.DONE, "converged", 2).write(dir.resolve("state.json"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        StringWriter sw = new StringWriter();
        cl.setOut(new PrintWriter(sw));
        assertEquals(0, cl.execute(dir.toString(), "--watch", "2"));
        String out = sw.toString();
        assertEquals(List.of(2000L, 2000L), sleeps);
        assertEquals(3, out.split("campaign w: ", -1).length - 1, out);
        assertTrue(out.contains("campaign w: stopped (next stage relax)"), out);
        assertTrue(out.contains("campaign w: converged (next stage done)"), out);
    }

    @Test
    void aFinishedCampaignPrintsOnceAndABadIntervalIsRefused(@TempDir Path dir) throws Exception {
        state(Stage.DONE, "max-cycles", 3).write(dir.resolve("state.json"));
        StatusCommand cmd = new StatusCommand();
        CommandLine cl = new CommandLine(cmd);
        cmd.sleeper = ms -> {
            throw new AssertionError("no refresh after the end");
        };
        StringWriter sw = new StringWriter();
        cl.setOut(new PrintWriter(sw));
        assertEquals(0, cl.execute(dir.toString(), "--watch"));
        assertTrue(sw.toString().contains("max-cycles"));
        CommandLine c2 = CrucibleCommand.commandLine();
        c2.setErr(new PrintWriter(new StringWriter()));
        assertEquals(2, c2.execute("status", dir.toString(), "--watch", "0"));
    }
}
