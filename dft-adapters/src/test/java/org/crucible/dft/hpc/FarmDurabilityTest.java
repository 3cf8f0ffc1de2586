package org.crucible.dft.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crucible.core.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power-loss ordering of the task farm's local book, read from the system calls of a real farm ({@link FarmWriterProcess}
 * under {@code strace -f -y}): every directory the farm creates (its state directory, a task's {@code inputs/}, a task's
 * fetched {@code out/}) has its parent directory fsynced before the next {@code state.json} is renamed into place, so
 * the state never names inputs or outputs whose directory a power loss could take back; every {@code state.json} rename
 * is preceded by an fsync of the temporary file and followed by an fsync of its directory before the next one; and
 * {@code events.log}'s directory is fsynced after the file is created. No power is cut: this checks the order of the
 * calls that make the data durable, as docs/reliability.md's strace of the store does.
 */
class FarmDurabilityTest {
    private static final Pattern CALL = Pattern.compile("^\\d+\\s+(\\w+)\\((.*)\\)\\s+=\\s+(-?\\d+)");
    private static final Pattern FD_PATH = Pattern.compile("^\\d+<([^>]*)>");

    @TempDir
    Path tmp;

    record Call(String name, String arg) {
    }

    @Test
    void everyNewDirectoryAndEveryStateFileReachesTheDiskBeforeTheStateThatNamesIt() throws Exception {
        TestEnvironment.assumeExecutable("strace", "strace");
        // A container without CAP_SYS_PTRACE (or with a seccomp profile that forbids ptrace) has strace but cannot trace.
        Process probe = new ProcessBuilder("strace", "-f", "-qq", "-o", "/dev/null", "true").redirectErrorStream(true).start();
        String probeOut = new String(probe.getInputStream().readAllBytes());
        assertTrue(probe.waitFor(30, TimeUnit.SECONDS), "strace probe finished");
        org.junit.jupiter.api.Assumptions.assumeTrue(probe.exitValue() == 0, "strace cannot trace here (ptrace not permitted?): " + probeOut.strip());
        Path state = tmp.resolve("local/farm");
        Path remote = tmp.resolve("remote");
        Files.createDirectories(remote);
        Path trace = tmp.resolve("trace");
        List<String> cmd = new ArrayList<>(List.of("strace", "-f", "-y", "-qq", "-o", trace.toString(),
                "-e", "trace=mkdir,mkdirat,fsync,fdatasync,rename,renameat,renameat2"));
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), FarmWriterProcess.class.getName(), state.toString(), remote.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("FARM FAILED"), "the task was run, fetched and judged: " + out);

        String root = tmp.toRealPath().toString();
        String local = root + "/local";
        List<Call> calls = new ArrayList<>();
        for (String line : Files.readAllLines(trace)) {
            Matcher m = CALL.matcher(line);
            if (!m.find() || !m.group(3).equals("0")) continue;
            String name = m.group(1);
            String args = m.group(2);
            String arg;
            if (name.startsWith("mkdir") || name.startsWith("rename")) {
                Matcher q = Pattern.compile("\"([^\"]*)\"").matcher(args);
                List<String> paths = new ArrayList<>();
                while (q.find()) paths.add(q.group(1));
                if (paths.isEmpty()) continue;
                arg = String.join(" -> ", paths);
            } else {
                Matcher f = FD_PATH.matcher(args);
                if (!f.find()) continue;
                arg = f.group(1);
            }
            if (arg.contains(root)) calls.add(new Call(name.startsWith("mkdir") ? "mkdir" : name.startsWith("rename") ? "rename" : name, arg));
        }
        List<Integer> stateRenames = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) if (calls.get(i).name().equals("rename") && calls.get(i).arg().endsWith("/state.json")) stateRenames.add(i);
        assertTrue(stateRenames.size() >= 3, "state.json written when created, when the task is added, submitted and judged: " + calls);

        List<String> made = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            Call c = calls.get(i);
            if (!c.name().equals("mkdir") || !(c.arg().equals(local) || c.arg().startsWith(local + "/"))) continue; // not the remote side's directories
            made.add(c.arg());
            String parent = Path.of(c.arg()).getParent().toString();
            int at = i;
            int next = stateRenames.stream().filter(r -> r > at).findFirst().orElse(calls.size());
            boolean synced = false;
            for (int k = i + 1; k < next; k++) synced |= calls.get(k).name().equals("fsync") && calls.get(k).arg().equals(parent);
            assertTrue(synced, "mkdir " + c.arg() + " followed by an fsync of " + parent + " before the next state.json: " + calls.subList(i, Math.min(next + 1, calls.size())));
        }
        assertTrue(made.stream().anyMatch(d -> d.endsWith("/inputs")), "a task's inputs directory was created: " + made);
        assertTrue(made.stream().anyMatch(d -> d.endsWith("/out")), "a task's outputs directory was created: " + made);
        assertTrue(made.containsAll(List.of(local, local + "/farm")), "the state directory and its parent were created: " + made);

        String stateDir = local + "/farm";
        for (int n = 0; n < stateRenames.size(); n++) {
            int r = stateRenames.get(n);
            assertTrue(r > 0 && calls.get(r - 1).arg().equals(stateDir + "/state.json.tmp") && calls.get(r - 1).name().equals("fsync"),
                    "state.json.tmp fsynced right before its rename: " + calls.subList(Math.max(0, r - 2), r + 1));
            int end = n + 1 < stateRenames.size() ? stateRenames.get(n + 1) : calls.size();
            boolean dirSynced = false;
            for (int k = r + 1; k < end; k++) dirSynced |= calls.get(k).name().equals("fsync") && calls.get(k).arg().equals(stateDir);
            assertTrue(dirSynced, "the state directory fsynced after rename " + n + " of state.json");
        }
        int firstEventSync = -1;
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).arg().equals(stateDir + "/events.log") && calls.get(i).name().equals("fdatasync")) {
                firstEventSync = i;
                break;
            }
        }
        assertTrue(firstEventSync >= 0, "events.log forced: " + calls);
        assertTrue(calls.get(firstEventSync + 1).name().equals("fsync") && calls.get(firstEventSync + 1).arg().equals(stateDir),
                "the new events.log's directory entry forced: " + calls.subList(firstEventSync, Math.min(firstEventSync + 3, calls.size())));
        System.out.println("[farm-durability] " + calls.size() + " traced calls under " + local + ": " + made.size() + " directories created, "
                + stateRenames.size() + " state.json renames, each ordered");
    }
}
