package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.crucible.core.testing.TestEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The launcher's class-data sharing archive, with the packaged jar (an integration test: it needs {@code package}):
 * the first run makes {@code driver/target/crucible.jsa} in the background, later runs map their classes from it
 * and print the same results, and a stale or damaged archive is ignored without a word on standard error.
 */
class LauncherCdsIT {
    private static final Path ROOT = TestEnvironment.repositoryRoot();
    private static final Path JSA = ROOT.resolve("driver/target/crucible.jsa");

    record Run(int code, String out, String err) {
    }

    private static Run crucible(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("crucible").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("CRUCIBLE_CLASSPATH");
        pb.environment().remove("CRUCIBLE_NO_CDS");
        pb.environment().remove("CRUCIBLE_JAVA_OPTS");
        pb.environment().putAll(env);
        Path out = Files.createTempFile("cds-out", ".txt"), err = Files.createTempFile("cds-err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "launcher finished");
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void archiveIsMadeInTheBackgroundUsedAfterwardsAndIgnoredWhenStaleOrDamaged() throws Exception {
        Path jar = ROOT.resolve("driver/target/crucible.jar");
        assertTrue(Files.isRegularFile(jar), "package builds " + jar);
        String structure = ROOT.resolve("examples/si8-diamond.extxyz").toString();
        Files.deleteIfExists(JSA);
        Files.deleteIfExists(ROOT.resolve("driver/target/crucible.jsa.lock"));

        Run first = crucible(Map.of(), "calc", structure, "--calculator", "sw");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("E = "), first.out());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(JSA) && System.nanoTime() < deadline) Thread.sleep(200);
        assertTrue(Files.size(JSA) > 1 << 20, "the background training run wrote " + JSA);

        // later runs map Crucible's classes from the archive ("(top)": the dynamic archive) and print the same
        Run shared = crucible(Map.of("CRUCIBLE_JAVA_OPTS", "-Xlog:class+load=info:file=" + JSA.getParent().resolve("cds-classes.log")),
                "calc", structure, "--calculator", "sw");
        assertEquals(0, shared.code(), shared.err());
        assertEquals(first.out(), shared.out());
        assertEquals("", shared.err());
        List<String> loaded = Files.readAllLines(JSA.getParent().resolve("cds-classes.log"), StandardCharsets.UTF_8);
        long fromArchive = loaded.stream().filter(l -> l.contains("org.crucible.") && l.contains("shared objects file (top)")).count();
        long crucible = loaded.stream().filter(l -> l.contains(" org.crucible.")).count();
        assertTrue(fromArchive > 50 && fromArchive > crucible * 9 / 10, fromArchive + " of " + crucible + " Crucible classes from the archive");

        // damaged (and newer than the jar, so the launcher offers it): the JVM refuses it, the command runs as before
        Files.write(JSA, new byte[4096]);
        Files.setLastModifiedTime(JSA, FileTime.fromMillis(System.currentTimeMillis() + 1000));
        Run damaged = crucible(Map.of(), "calc", structure, "--calculator", "sw");
        assertEquals(0, damaged.code(), damaged.err());
        assertEquals(first.out(), damaged.out());
        assertEquals("", damaged.err());

        // older than the jar: not offered, and made again in the background
        Files.setLastModifiedTime(JSA, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
        Run stale = crucible(Map.of(), "calc", structure, "--calculator", "sw");
        assertEquals(0, stale.code(), stale.err());
        assertEquals(first.out(), stale.out());
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (Files.size(JSA) < 1 << 20 && System.nanoTime() < deadline) Thread.sleep(200);
        assertTrue(Files.size(JSA) > 1 << 20, "the archive was made again");
    }
}
