package org.crucible.driver;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this Crucible build, from the filtered resource Maven writes (recorded in label provenance). */
public final class VersionInfo {
    private VersionInfo() {
    }

    /** The build's version, or {@code unknown} when the resource is missing (running from an unfiltered tree). */
    public static String crucibleVersion() {
        Properties p = new Properties();
        try (InputStream in = VersionInfo.class.getResourceAsStream("/org/crucible/driver/crucible-version.properties")) {
            if (in == null) return "unknown";
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the Crucible version resource", e);
        }
        return p.getProperty("version", "unknown");
    }
}
