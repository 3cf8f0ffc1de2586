package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every command of the tree answers {@code --help} and {@code crucible help ...} with exit 0 and its usage; command
 * groups without a subcommand are usage errors (exit 2); bad input gets exit 2 and a message naming the file or
 * option with no Java class name; the launcher script passes arguments and exit codes through.
 */
class CliHelpTreeTest {
    /** A Java class name as it would leak from an exception: {@code java.io.IOException}, {@code CampaignException:}. */
    static final Pattern JAVA_CLASS = Pattern.compile("(?:[a-z]+\\.)+[A-Z]\\w+|\\w*(?:Exception|Error)\\b:|\\bat org\\.");

    record Result(int code, String out, String err) {
    }

    static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = CrucibleCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        PrintStream systemErr = System.err;
        ByteArrayOutputStream stray = new ByteArrayOutputStream();
        System.setErr(new PrintStream(stray, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = cl.execute(args);
        } finally {
            System.setErr(systemErr);
        }
        return new Result(code, out.toString(), err.toString() + stray.toString(StandardCharsets.UTF_8));
    }

    /** Every command path in the tree: [], [bench], [bench, csp-efficiency], ... */
    static List<List<String>> paths() {
        List<List<String>> all = new ArrayList<>();
        walk(CrucibleCommand.commandLine(), new ArrayList<>(), all);
        return all;
    }

    private static void walk(CommandLine cl, List<String> prefix, List<List<String>> all) {
        all.add(List.copyOf(prefix));
        for (var e : cl.getSubcommands().entrySet()) {
            prefix.add(e.getKey());
            walk(e.getValue(), prefix, all);
            prefix.remove(prefix.size() - 1);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCommandAnswersHelp() {
        List<List<String>> paths = paths();
        assertTrue(paths.size() >= 30, "the tree has " + paths.size() + " commands");
        return paths.stream().map(p -> DynamicTest.dynamicTest("crucible " + String.join(" ", p) + " --help", () -> {
            List<String> args = new ArrayList<>(p);
            args.add("--help");
            Result r = cli(args.toArray(String[]::new));
            assertEquals(0, r.code(), r.err());
            assertEquals("", r.err(), "nothing on standard error (no picocli warnings)");
            String name = String.join(" ", p);
            assertTrue(r.out().startsWith("Usage: crucible" + (p.isEmpty() ? "" : " " + name)), r.out());
            assertTrue(r.out().contains("--help"), r.out());
            assertTrue(r.out().lines().count() >= 3, "usage with a description and options: " + r.out());

            List<String> viaHelp = new ArrayList<>(List.of("help"));
            viaHelp.addAll(p);
            Result h = cli(viaHelp.toArray(String[]::new));
            assertEquals(0, h.code(), h.err());
            assertEquals(r.out(), h.out(), "crucible help " + name + " prints the same usage");
        }));
    }

    @Test
    void groupsWithoutASubcommandAreUsageErrors() {
        for (List<String> p : paths()) {
            if (p.equals(List.of("help"))) continue;
            CommandLine cl = CrucibleCommand.commandLine();
            for (String s : p) cl = cl.getSubcommands().get(s);
            if (cl.getSubcommands().isEmpty()) continue;
            Result r = cli(p.toArray(String[]::new));
            assertEquals(2, r.code(), "crucible " + p + ": " + r.out() + r.err());
            assertTrue(r.err().contains("give a subcommand"), r.err());
            assertTrue(r.err().contains("Usage: crucible"), r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    void unknownCommandsAndHelpTopicsAreUsageErrors() {
        Result r = cli("stat");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Did you mean: crucible status"), r.err());
        Result h = cli("help", "store", "nope");
        assertEquals(2, h.code());
        assertTrue(h.err().contains("no command 'nope' in 'crucible store'; its commands are export, stats, compact"), h.err());
    }

    @Test
    void badInputIsExit2NamingTheFileWithoutJavaClassNames(@TempDir Path tmp) throws Exception {
        Path missing = tmp.resolve("missing.yaml");
        Path notCampaign = Files.createDirectories(tmp.resolve("empty"));
        Path badYaml = Files.writeString(tmp.resolve("bad.yaml"), "name: x\nseed: [1, 2\n");
        Path badFrame = Files.writeString(tmp.resolve("bad.extxyz"), "2\nLattice=\"5 0 0 0 5 0 0 0 5\" Properties=species:S:1:pos:R:3\nSi 0 0 0\n");
        List<List<String>> cases = List.of(
                List.of("run", missing.toString()),
                List.of("run", badYaml.toString(), "--dir", tmp.resolve("never").toString()),
                List.of("status", notCampaign.toString()),
                List.of("report", notCampaign.toString()),
                List.of("resume", notCampaign.toString()),
                List.of("relabel", notCampaign.toString(), "--failed"),
                List.of("symmetry", missing.toString()),
                List.of("symmetry", badFrame.toString()),
                List.of("calc", badFrame.toString(), "--calculator", "sw"),
                List.of("status", notCampaign.toString(), "--watch", "0"),
                List.of("store", "stats", missing.toString()),
                List.of("serve", missing.toString(), "--structure", badFrame.toString(), "--unix", "x"),
                List.of("compare-sets", missing.toString(), badFrame.toString()),
                List.of("bench", "kill-harness", "--config", missing.toString(), "--dir", tmp.resolve("never").toString()));
        for (List<String> c : cases) {
            Result r = cli(c.toArray(String[]::new));
            String shown = "crucible " + String.join(" ", c) + " -> " + r.err();
            assertEquals(2, r.code(), shown);
            assertTrue(r.err().startsWith("crucible " + c.get(0)), shown);
            assertFalse(JAVA_CLASS.matcher(r.err()).find(), "no Java class name: " + shown);
            assertTrue(r.err().contains(tmp.toString()) || r.err().contains("--watch"), "names the file or option: " + shown);
            assertFalse(r.err().contains("\tat "), "no stack trace: " + shown);
        }
        assertFalse(Files.exists(tmp.resolve("never")), "nothing is created for a bad campaign file");
    }

    /**
     * {@code main} builds only the named command's model (start-up time); its usage, and a usage error inside it, read
     * exactly as from the whole tree; no command, {@code help} or a misspelt name get the whole tree.
     */
    @Test
    void oneCommandLineIsBuiltForTheNamedCommandAndReadsTheSame() {
        assertEquals(List.of("calc", "help"), List.copyOf(CrucibleCommand.commandLine(new String[] {"-q", "calc", "x.xyz"}).getSubcommands().keySet()));
        assertEquals(List.of("store", "help"), List.copyOf(CrucibleCommand.commandLine(new String[] {"store", "stats"}).getSubcommands().keySet()));
        int all = CrucibleCommand.commandLine().getSubcommands().size();
        assertTrue(all > 20, "commands: " + all);
        for (String[] args : new String[][] {{}, {"help", "calc"}, {"clac"}, {"--version"}}) {
            assertEquals(all, CrucibleCommand.commandLine(args).getSubcommands().size(), String.join(" ", args));
        }
        for (String[] args : new String[][] {{"calc", "--help"}, {"store", "stats", "--help"}, {"calc", "--no-such-option"}, {"bench", "pool", "--help"}}) {
            StringWriter out1 = new StringWriter(), err1 = new StringWriter(), out2 = new StringWriter(), err2 = new StringWriter();
            CommandLine one = CrucibleCommand.commandLine(args), whole = CrucibleCommand.commandLine();
            one.setOut(new PrintWriter(out1));
            one.setErr(new PrintWriter(err1));
            whole.setOut(new PrintWriter(out2));
            whole.setErr(new PrintWriter(err2));
            assertEquals(whole.execute(args), one.execute(args), String.join(" ", args));
            assertEquals(out2.toString(), out1.toString(), String.join(" ", args));
            assertEquals(err2.toString(), err1.toString(), String.join(" ", args));
        }
    }

    @Test
    void userMessagesDropJavaClassNamesFromCauses() {
        Exception e = new RuntimeException(new java.io.IOException("java.io.FileNotFoundException: /x/y (No such file or directory)"));
        assertEquals("/x/y (No such file or directory)", CrucibleCommand.userMessage(e));
        assertFalse(CrucibleCommand.userMessage(new NullPointerException()).contains("NullPointer"));
    }

    @Test
    void launcherScriptPassesArgumentsAndExitCodes() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Path script = Files.exists(root.resolve("crucible")) ? root.resolve("crucible") : root.getParent().resolve("crucible");
        assertTrue(Files.isExecutable(script), script.toString());
        record Case(List<String> args, int code, String expected) {
        }
        for (Case c : List.of(new Case(List.of("run", "--help"), 0, "Usage: crucible run"),
                new Case(List.of("store", "stats", "--help"), 0, "Usage: crucible store stats"),
                new Case(List.of("help", "bench", "selection"), 0, "Usage: crucible bench selection"),
                new Case(List.of("--version"), 0, "crucible "),
                new Case(List.of(), 2, "give a subcommand"))) {
            List<String> cmd = new ArrayList<>(List.of(script.toString()));
            cmd.addAll(c.args());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("CRUCIBLE_CLASSPATH", System.getProperty("java.class.path"));
            Process p = pb.start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(c.code(), p.exitValue(), cmd + ": " + text);
            assertTrue(text.contains(c.expected()), cmd + ": " + text);
            assertFalse(text.contains("SLF4J"), "no SLF4J start-up lines: " + text);
        }
    }
}
