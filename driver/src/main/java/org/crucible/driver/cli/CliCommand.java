package org.crucible.driver.cli;

/**
 * Marker for a picocli subcommand of {@code crucible}. Implementations are annotated with
 * {@code @picocli.CommandLine.Command(name = ...)} and listed in
 * {@code META-INF/services/org.crucible.driver.cli.CliCommand}, so each feature adds its command without
 * editing the top-level command.
 */
public interface CliCommand {
}
