package org.crucible.core.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Where tests find things outside the repository: the shared sample folder ({@code ../shared} beside the
 * repository root, or {@code $CRUCIBLE_SHARED}), external programs (lmp, pw.x, sbatch, chromium) and Debian's
 * Python with ASE/spglib. Tests call the {@code assume...} methods, which skip with a message naming what is
 * missing and how CI installs it.
 */
public final class TestEnvironment {
    private TestEnvironment() {
    }

    /** The repository root: the nearest ancestor of the working directory holding {@code mvnw}. */
    public static Path repositoryRoot() {
        Path p = Paths.get("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("mvnw"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("cannot find the repository root (no mvnw above " + Paths.get("").toAbsolutePath() + ")");
        return p;
    }

    /** The shared folder ({@code $CRUCIBLE_SHARED} or {@code <repo>/../shared}), if present. */
    public static Optional<Path> sharedDir() {
        String env = System.getenv("CRUCIBLE_SHARED");
        Path p = env != null && !env.isBlank() ? Paths.get(env) : repositoryRoot().getParent().resolve("shared");
        return Files.isDirectory(p) ? Optional.of(p.toAbsolutePath().normalize()) : Optional.empty();
    }

    /** A path inside the shared folder; skips the test with a message when it is absent. */
    public static Path assumeShared(String relative) {
        Optional<Path> dir = sharedDir();
        assumeTrue(dir.isPresent(), "shared/ not found beside the repository (set CRUCIBLE_SHARED): skipping " + relative);
        Path p = dir.get().resolve(relative);
        assumeTrue(Files.exists(p), "shared sample " + p + " is absent: skipping");
        return p;
    }

    /** The absolute path of an executable on PATH, if any. */
    public static Optional<Path> which(String exe) {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path p = Paths.get(dir, exe);
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        for (String dir : List.of("/usr/bin", "/usr/sbin", "/usr/local/bin")) {
            Path p = Paths.get(dir, exe);
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** Skips unless the executable exists; the message says which Debian package CI installs for it. */
    public static Path assumeExecutable(String exe, String debianPackage) {
        Optional<Path> p = which(exe);
        assumeTrue(p.isPresent(), exe + " not found: install Debian package '" + debianPackage + "' (CI does): skipping");
        return p.get();
    }

    /**
     * Debian's {@code /usr/bin/python3} if it imports every module named (the python3 first on PATH may be
     * another interpreter without them); otherwise the test is skipped with a message.
     */
    public static Path assumeDebianPython(String... modules) {
        Path py = Paths.get("/usr/bin/python3");
        assumeTrue(Files.isExecutable(py), "/usr/bin/python3 not found: skipping (CI installs python3-ase python3-spglib)");
        StringBuilder code = new StringBuilder();
        for (String m : modules) code.append("import ").append(m).append(";");
        boolean ok;
        try {
            List<String> cmd = new ArrayList<>(List.of(py.toString(), "-c", code.length() == 0 ? "pass" : code.toString()));
            Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            proc.getInputStream().readAllBytes();
            ok = proc.waitFor(60, TimeUnit.SECONDS) && proc.exitValue() == 0;
        } catch (IOException e) {
            ok = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ok = false;
        }
        assumeTrue(ok, "/usr/bin/python3 cannot import " + String.join(", ", modules)
                + ": install python3-ase python3-spglib python3-sklearn (CI does): skipping");
        return py;
    }
}
