package org.crucible.driver.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import org.crucible.core.config.ConfigurationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code crucible} command line. Subcommands are discovered with {@link ServiceLoader} ({@link CliCommand}).
 *
 * <p>Every command and subcommand answers {@code --help} (exit 0, usage on standard output), {@code crucible help CMD
 * [SUB]} prints the same, and {@code --quiet}/{@code --verbose} work after any command. A command group named
 * without a subcommand ({@code crucible}, {@code crucible store}) prints its usage to standard error and exits 2.
 *
 * <p>Exit codes: 0 success, 1 a failure while working (calculation, cluster, I/O), 2 bad input or usage (the
 * message names the file, line or option). Messages are {@code crucible CMD SUB: what went wrong}, without Java class
 * names or stack traces ({@code CRUCIBLE_DEBUG=1} adds the stack trace).
 */
@Command(name = "crucible", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Active learning of interatomic potentials and crystal structure search on Spark and SLURM.",
        subcommandsRepeatable = false,
        footer = {"", "Run 'crucible help COMMAND' or 'crucible COMMAND --help' for a command's options; docs/cli.md lists them all."})
public final class CrucibleCommand implements Runnable {
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_BAD_INPUT = 2;

    @CommandLine.Spec
    CommandSpec spec;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, description = "Console: errors only (the campaign log keeps everything).")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, description = "Console: Crucible's progress messages and Spark's warnings.")
    boolean verbose;

    @Override
    public void run() {
        throw missingSubcommand(spec);
    }

    /** The usage error of a command group named without one of its subcommands (exit 2, usage on standard error). */
    static CommandLine.ParameterException missingSubcommand(CommandSpec spec) {
        return new CommandLine.ParameterException(spec.commandLine(), "give a subcommand: " + String.join(", ", spec.subcommands().keySet()));
    }

    /** The configured command line, with every discovered subcommand added in name order. */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The command line for one invocation: when {@code args} name a command (after any {@code -q}/{@code -v}), only
     * that command's model is built; otherwise (no command, {@code help}, {@code --help}, a misspelt name that needs
     * the suggestions) every discovered command is added in name order.
     *
     * <p>Why: picocli reflects over every option of every command when it is added, about 0.4 s of a 1 s
     * {@code crucible calc}; the command's name is read from its {@link Command} annotation without instantiating it.
     */
    static CommandLine commandLine(String[] args) {
        CrucibleCommand root = new CrucibleCommand();
        CommandLine cl = new CommandLine(root);
        String wanted = args == null ? null : firstCommand(args);
        List<CliCommand> commands = new ArrayList<>();
        ServiceLoader<CliCommand> loader = ServiceLoader.load(CliCommand.class);
        if (wanted != null) {
            loader.stream().filter(p -> names(p.type()).contains(wanted)).findFirst().ifPresent(p -> commands.add(p.get()));
        }
        if (commands.isEmpty()) {
            loader.forEach(commands::add);
            commands.sort(Comparator.comparing(c -> new CommandLine(c).getCommandName()));
        }
        for (CliCommand c : commands) cl.addSubcommand(c);
        cl.addSubcommand("help", new Help());
        addHelpOption(cl);
        cl.setExecutionExceptionHandler(CrucibleCommand::handleException);
        cl.setParameterExceptionHandler(CrucibleCommand::handleUsageError);
        cl.setExecutionStrategy(parsed -> {
            Logging.configure(root.quiet ? Logging.Verbosity.QUIET : root.verbose ? Logging.Verbosity.VERBOSE : Logging.Verbosity.NORMAL);
            List<CommandLine> chain = parsed.asCommandLineList();
            boolean help = chain.stream().anyMatch(c -> c.isUsageHelpRequested() || c.isVersionHelpRequested());
            CommandLine last = chain.get(chain.size() - 1);
            // every command group, whoever wrote it: without a subcommand it is a usage error, not a usage page and exit 0
            if (!help && !last.getSubcommands().isEmpty()) throw missingSubcommand(last.getCommandSpec());
            return new CommandLine.RunLast().execute(parsed);
        });
        return cl;
    }

    /** {@code crucible help [COMMAND [SUBCOMMAND ...]]}: the usage of any command in the tree. */
    @Command(name = "help", description = "Show the usage of a command, e.g. 'crucible help store stats'.", helpCommand = true)
    static final class Help implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Spec
        CommandSpec spec;

        @CommandLine.Parameters(paramLabel = "COMMAND", arity = "0..*", description = "a command and its subcommands")
        List<String> path = new ArrayList<>();

        @Override
        public Integer call() {
            CommandLine target = spec.parent().commandLine();
            for (String name : path) {
                CommandLine next = target.getSubcommands().get(name);
                if (next == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "no command '" + name + "' in '"
                            + target.getCommandSpec().qualifiedName() + "'; its commands are " + String.join(", ", target.getSubcommands().keySet()));
                }
                target = next;
            }
            target.usage(spec.commandLine().getOut(), spec.commandLine().getColorScheme());
            return 0;
        }
    }

    private static int handleUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println(cl.getCommandSpec().qualifiedName() + ": " + CLASS_PREFIX.matcher(String.valueOf(e.getMessage())).replaceAll(""));
        if (CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) err.println();
        else cl.usage(err, cl.getColorScheme());
        err.flush();
        return EXIT_BAD_INPUT;
    }

    /** Gives every command in the tree a {@code -h, --help} option (commands declaring their own keep it). */
    private static void addHelpOption(CommandLine cl) {
        CommandSpec s = cl.getCommandSpec();
        if (s.optionsMap().get("--help") == null) {
            s.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help message and exit.").build());
        }
        OptionSpec version = s.optionsMap().get("--version");
        if (s.parent() != null && version != null && version.versionHelp() && s.version().length == 0 && s.versionProvider() == null) {
            s.remove(version); // mixinStandardHelpOptions on a subcommand: a --version that would print nothing
        }
        for (CommandLine sub : cl.getSubcommands().values()) addHelpOption(sub);
    }

    private static final Pattern CLASS_PREFIX = Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error)(?::\\s*|\\b)");

    /**
     * The message a user sees for a failure: the first non-empty message along the cause chain, without Java class
     * names (Spark and Hadoop put {@code java.io.IOException: ...} into their own messages).
     */
    /** {@code text} without Java class names ({@code java.net.ConnectException: Connection refused} -> {@code Connection refused}). */
    static String clean(String text) {
        return CLASS_PREFIX.matcher(String.valueOf(text)).replaceAll("").strip();
    }

    static String userMessage(Throwable e) {
        Throwable t = e;
        String msg = null;
        while (t != null) {
            String m = t.getMessage();
            if (m != null && !m.isBlank() && (t.getCause() == null || !m.equals(t.getCause().toString()))) {
                msg = m;
                break;
            }
            t = t.getCause();
        }
        if (msg == null) return "internal error (please report it; CRUCIBLE_DEBUG=1 prints the details)";
        String clean = CLASS_PREFIX.matcher(msg).replaceAll("").strip();
        return clean.isEmpty() ? "internal error (please report it; CRUCIBLE_DEBUG=1 prints the details)" : clean;
    }

    private static int handleException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        String who = cl.getCommandSpec().qualifiedName();
        boolean bad = e instanceof BadInputException || e instanceof ConfigurationException || e instanceof org.crucible.core.io.FormatException;
        err.println(who + ": " + userMessage(e));
        if (!bad && Logging.file() != null) err.println(who + ": details in " + Logging.file());
        org.slf4j.LoggerFactory.getLogger(Logging.FAILURES).error("{} failed", who, e);
        if (System.getenv("CRUCIBLE_DEBUG") != null) e.printStackTrace(err);
        err.flush();
        return bad ? EXIT_BAD_INPUT : EXIT_FAILURE;
    }

    /** Runs the command line and returns the exit code (used by tests). */
    public static int execute(String... args) {
        return commandLine(args).execute(args);
    }

    /** The first argument that is not one of the root's own options, or null. */
    private static String firstCommand(String[] args) {
        for (String a : args) {
            if (a.equals("-q") || a.equals("--quiet") || a.equals("-v") || a.equals("--verbose")) continue;
            return a.startsWith("-") ? null : a;
        }
        return null;
    }

    /** The name and aliases a command class declares. */
    private static List<String> names(Class<?> type) {
        Command c = type.getAnnotation(Command.class);
        List<String> n = new ArrayList<>();
        if (c == null) return n;
        n.add(c.name());
        n.addAll(List.of(c.aliases()));
        return n;
    }

    public static void main(String[] args) {
        if (!LineModeStream.isTerminal(2)) {
            // into a file or pipe: progress bars as whole lines, not carriage-return redraws
            System.setErr(new java.io.PrintStream(new LineModeStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), 30,
                    java.util.concurrent.TimeUnit.SECONDS, System::nanoTime), true, java.nio.charset.StandardCharsets.UTF_8));
        }
        System.exit(execute(args));
    }
}
