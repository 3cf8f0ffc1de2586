package org.crucible.driver.cli;

import java.net.URI;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * Checks, before a command creates anything, that Hadoop can open the filesystem scheme of a campaign's
 * {@code pools.uri} and {@code store.uri} ({@code s3a:}, {@code gs:}, {@code abfs:} ... need their connector jars on
 * the class path, which this build does not bundle). Asks Hadoop itself ({@link FileSystem#getFileSystemClass}), so
 * a connector a site adds to the class path (or to {@code HADOOP_CONF_DIR}'s {@code fs.SCHEME.impl}) is accepted.
 * Plain paths and {@code file:} always pass.
 */
final class FileSystemPreflight {
    private FileSystemPreflight() {
    }

    /** Why {@code uri} (the value of {@code field}) cannot be opened; empty when its scheme has a filesystem. */
    static Optional<String> problem(String uri, String field) {
        String scheme;
        try {
            scheme = URI.create(uri).getScheme();
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a plain path with characters URI rejects: the local filesystem
        }
        if (scheme == null || scheme.equals("file") || scheme.length() == 1) return Optional.empty(); // C: style drive letters
        try {
            FileSystem.getFileSystemClass(scheme, new Configuration());
            return Optional.empty();
        } catch (java.io.IOException | RuntimeException | LinkageError e) {
            return Optional.of(field + ": '" + uri + "' needs Hadoop's " + scheme + ": connector, which is not on Crucible's class path; add the "
                    + "connector jar (e.g. hadoop-aws for s3a:) to driver/target/lib or use hdfs: or a shared path");
        }
    }
}
