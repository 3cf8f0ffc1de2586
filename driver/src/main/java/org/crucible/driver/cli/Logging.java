package org.crucible.driver.cli;

import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.AppenderComponentBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;

/**
 * The one logging path of the command line: Crucible, Spark and Hadoop log through the SLF4J 2 API (System.Logger is
 * routed there too) into log4j2, configured here rather than from a file so the console level follows
 * {@code --quiet}/{@code --verbose} and campaign commands can add their {@code campaign.log}.
 *
 * <p>Console (standard error): warnings and errors by default ({@link Verbosity#NORMAL}), errors only with
 * {@code --quiet}, Crucible's information messages and Spark's warnings with {@code --verbose}. The campaign log file
 * gets Crucible at INFO and everything else at WARN (INFO for all with {@code --verbose}), each line with its time
 * (UTC), level and logger, so Spark's own warnings and errors are kept beside the campaign's events.
 *
 * <pre>{@code Logging.configure(Verbosity.NORMAL, dir.resolve("campaign.log")); }</pre>
 */
public final class Logging {
    /** How much reaches the console. */
    public enum Verbosity {
        QUIET, NORMAL, VERBOSE
    }

    private static final String CONSOLE_PATTERN = "crucible: %p %c{1}: %m%n";
    private static final String FILE_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}{UTC} %-5p %c{1}: %m%n";

    /** Logger of command failures (stack traces), written to the log file only. */
    static final String FAILURES = "org.crucible.cli.failures";

    private static volatile Verbosity current = Verbosity.NORMAL;
    private static volatile Path currentFile;

    private Logging() {
    }

    /** The verbosity set last (NORMAL until a command line was parsed). */
    public static Verbosity verbosity() {
        return current;
    }

    /** Console logging only. */
    public static void configure(Verbosity v) {
        configure(v, null);
    }

    /**
     * Replaces the log4j2 configuration: console at the level of {@code v}, plus {@code logFile} (appended) when not
     * null. Calling it again (for example with the campaign directory once it is known) replaces the previous setup.
     */
    public static synchronized void configure(Verbosity v, Path logFile) {
        current = v;
        currentFile = logFile;
        ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
        b.setConfigurationName("crucible-cli");
        b.setStatusLevel(Level.ERROR);
        Level consoleLevel = switch (v) {
            case QUIET -> Level.ERROR;
            case NORMAL -> Level.WARN;
            case VERBOSE -> Level.INFO;
        };
        AppenderComponentBuilder console = b.newAppender("console", "Console").addAttribute("target", "SYSTEM_ERR")
                .add(b.newLayout("PatternLayout").addAttribute("pattern", CONSOLE_PATTERN))
                .add(b.newFilter("ThresholdFilter", "ACCEPT", "DENY").addAttribute("level", consoleLevel));
        b.add(console);
        Level other = v == Verbosity.VERBOSE ? Level.INFO : Level.WARN;
        var root = b.newRootLogger(other).add(b.newAppenderRef("console"));
        var crucible = b.newLogger("org.crucible", v == Verbosity.VERBOSE ? Level.DEBUG : Level.INFO).addAttribute("additivity", false)
                .add(b.newAppenderRef("console"));
        if (logFile != null) {
            b.add(b.newAppender("file", "File").addAttribute("fileName", logFile.toAbsolutePath().toString()).addAttribute("append", true)
                    .addAttribute("immediateFlush", true).addAttribute("bufferedIo", false).addAttribute("createOnDemand", true)
                    .add(b.newLayout("PatternLayout").addAttribute("pattern", FILE_PATTERN)));
            root.add(b.newAppenderRef("file"));
            crucible.add(b.newAppenderRef("file"));
        }
        b.add(root);
        b.add(crucible);
        // Failures of a command: the stack trace goes to the log file only, the console has the one-line message.
        var failures = b.newLogger(FAILURES, Level.ERROR).addAttribute("additivity", false);
        if (logFile != null) failures.add(b.newAppenderRef("file"));
        b.add(failures);
        // Spark's own chatter that even --verbose does not need on the console.
        for (String noisy : new String[] {"org.sparkproject.jetty", "org.apache.hadoop.util.NativeCodeLoader", "org.apache.spark.util.Utils"}) {
            b.add(b.newLogger(noisy, v == Verbosity.VERBOSE ? Level.WARN : Level.ERROR));
        }
        Configurator.reconfigure(b.build());
    }

    /** Adds (or moves) the log file, keeping the console verbosity. */
    public static void logTo(Path logFile) {
        configure(current, logFile);
    }

    /** The file logged to now, or null. */
    static Path file() {
        return currentFile;
    }
}
