package org.crucible.driver.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code crucible version}: Crucible, Java and Spark versions. */
@Command(name = "version", description = "Print Crucible, Java and Spark versions.")
public final class VersionCommand implements CliCommand, Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        for (String line : lines()) spec.commandLine().getOut().println(line);
        return 0;
    }

    /** Version of this build, from the filtered resource written by Maven. */
    public static String crucibleVersion() {
        return org.crucible.driver.VersionInfo.crucibleVersion();
    }

    static String[] lines() {
        Properties p = new Properties();
        try (InputStream in = VersionCommand.class.getResourceAsStream("/org/crucible/driver/crucible-version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the Crucible version resource", e);
        }
        return new String[] {
            "crucible " + p.getProperty("version", "unknown"),
            "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
            "spark " + p.getProperty("spark", "unknown") + " (Scala " + p.getProperty("scala", "unknown") + ")",
        };
    }

    /** picocli version provider for {@code crucible --version}. */
    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return lines();
        }
    }
}
