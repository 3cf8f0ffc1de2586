package org.crucible.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How a profile's {@code host} was resolved through an OpenSSH client config file: the file, the alias as written in
 * the profile, and the jump hosts, first hop
 * first.
 *
 * @param config the ssh config file read
 * @param alias the profile's {@code host} value
 * @param jumps jump hosts in connection order (empty: direct)
 */
public record SshRoute(Path config, String alias, List<SshHop> jumps) {
    public SshRoute {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(alias, "alias");
        jumps = List.copyOf(jumps);
    }
}
