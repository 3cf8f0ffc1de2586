package org.crucible.driver.cli;

import org.crucible.driver.pool.Seeds;
import picocli.CommandLine;

/**
 * The {@code --seed} options: an unsigned decimal up to 2^64 - 1 as the logs, model files and reports print seeds, or
 * Java's signed form for the same 64 bits ({@link Seeds#parse}). A bad value is a usage error (exit 2) naming the option.
 *
 * <pre>{@code
 * @Option(names = "--seed", converter = SeedConverter.class) long seed;
 * }</pre>
 */
public final class SeedConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        try {
            return Seeds.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
