package org.crucible.driver.campaign;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;

/**
 * The campaign log: {@code campaign.log} in the campaign directory (appended, one timestamped line per event, from
 * the injected clock) and the same line on the console.
 */
public final class CampaignLog {
    private final Path file;
    private final Clock clock;
    private final PrintStream console;

    public CampaignLog(Path file, Clock clock, PrintStream console) {
        this.file = file;
        this.clock = clock;
        this.console = console;
    }

    public void info(String message) {
        String line = Instant.now(clock) + " " + message;
        try {
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the campaign log " + file, e);
        }
        if (console != null) console.println(message);
    }
}
