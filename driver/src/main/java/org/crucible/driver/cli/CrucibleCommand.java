package org.crucible.driver.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code crucible} command line. Subcommands are discovered with {@link ServiceLoader} ({@link CliCommand}).
 *
 * <p>Exit codes: 0 success, 1 a failure while working (calculation, cluster, I/O), 2 bad input or usage (the
 * message names the file, line or option).
 */
@Command(name = "crucible", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Active learning of interatomic potentials and crystal structure search on Spark and SLURM.",
        subcommandsRepeatable = false)
public final class CrucibleCommand implements Runnable {
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The configured command line, with every discovered subcommand added in name order. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new CrucibleCommand());
        List<CliCommand> commands = new ArrayList<>();
        ServiceLoader.load(CliCommand.class).forEach(commands::add);
        commands.sort(Comparator.comparing(c -> new CommandLine(c).getCommandName()));
        for (CliCommand c : commands) cl.addSubcommand(c);
        cl.setExecutionExceptionHandler(CrucibleCommand::handleException);
        return cl;
    }

    private static int handleException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (e instanceof BadInputException) {
            err.println("crucible " + cl.getCommandName() + ": " + e.getMessage());
            return EXIT_BAD_INPUT;
        }
        err.println("crucible " + cl.getCommandName() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        if (System.getenv("CRUCIBLE_DEBUG") != null) e.printStackTrace(err);
        return EXIT_FAILURE;
    }

    /** Runs the command line and returns the exit code (used by tests). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }
}
