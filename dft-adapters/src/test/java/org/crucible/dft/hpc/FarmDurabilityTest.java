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

    /** Skips the test where strace exists but cannot trace (a container without CAP_SYS_PTRACE, or a seccomp profile forbidding ptrace). */
    static void assumeStrace() throws Exception {
        TestEnvironment.assumeExecutable("strace", "strace");
        Process probe = new ProcessBuilder("strace", "-f", "-qq", "-o", "/dev/null", "true").redirectErrorStream(true).start();
        String probeOut = new String(probe.getInputStream().readAllBytes());
        assertTrue(probe.waitFor(30, TimeUnit.SECONDS), "strace probe finished");
        org.junit.jupiter.api.Assumptions.assumeTrue(probe.exitValue() == 0, "strace cannot trace here (ptrace not permitted?): " + probeOut.strip());
    }

    /**
     * Runs {@link FarmWriterProcess} on the state directory {@code state} under strace and returns its successful mkdir,
     * fsync, fdatasync and rename calls on paths under this test's directory, in order (a rename's argument is
     * {@code from -> to}).
     */
    List<Call> traceFarm(Path state, Path remote, Path trace) throws Exception {
        Files.createDirectories(remote);
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
        return calls;
    }

    /** Indexes of the renames of {@code dir/state.json}. */
    static List<Integer> stateRenames(List<Call> calls, String dir) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) if (calls.get(i).name().equals("rename") && calls.get(i).arg().endsWith(dir + "/state.json")) out.add(i);
        return out;
    }

    /** Whether {@code dir} is fsynced strictly between the state.json renames around call {@code at}. */
    static boolean fsyncedBetweenStateRenamesAround(List<Call> calls, List<Integer> renames, int at, String dir) {
        int prev = renames.stream().filter(r -> r < at).reduce((a, b) -> b).orElse(-1);
        int next = renames.stream().filter(r -> r > at).findFirst().orElse(calls.size());
        for (int k = prev + 1; k < next; k++) if (calls.get(k).name().equals("fsync") && calls.get(k).arg().equals(dir)) return true;
        return false;
    }

    @Test
    void everyNewDirectoryAndEveryStateFileReachesTheDiskBeforeTheStateThatNamesIt() throws Exception {
        assumeStrace();
        Path state = tmp.resolve("local/farm");
        List<Call> calls = traceFarm(state, tmp.resolve("remote"), tmp.resolve("trace"));
        String root = tmp.toRealPath().toString();
        String local = root + "/local";
        List<Integer> stateRenames = stateRenames(calls, local + "/farm");
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

    /**
     * A farm killed in the middle of a harvest leaves the task's {@code out/} (its mkdir done, the fsync of the task's
     * directory not yet) and killed in the middle of recording a task leaves {@code tasks/H/}. The next farm reuses both:
     * before the {@code state.json} that names them it must force their parents to disk, because it cannot tell such a
     * leftover from a durable directory. (Fails on the code before session 35: the reused {@code out/} and {@code tasks/H/}
     * were taken as they were.)
     */
    @Test
    void directoriesLeftByAKilledFarmAreForcedToDiskByTheFarmThatReusesThem() throws Exception {
        assumeStrace();
        Path state = tmp.resolve("leftover/farm");
        String hash = FarmWriterProcess.task().hash();
        Files.createDirectories(state.resolve("tasks").resolve(hash).resolve("out")); // what the killed farm left
        List<Call> calls = traceFarm(state, tmp.resolve("remote-leftover"), tmp.resolve("trace-leftover"));
        String stateDir = tmp.toRealPath().toString() + "/leftover/farm";
        String taskDir = stateDir + "/tasks/" + hash;
        List<Integer> renames = stateRenames(calls, stateDir);
        assertTrue(renames.size() >= 3, "state.json written when the task is added, submitted and judged: " + calls);

        int harvest = -1;
        for (int i = 0; i < calls.size() && harvest < 0; i++) {
            if (calls.get(i).name().equals("rename") && calls.get(i).arg().contains(" -> " + taskDir + "/out/")) harvest = i;
        }
        assertTrue(harvest >= 0, "the harvest wrote the task's outputs into the reused out/: " + calls);
        assertTrue(calls.stream().noneMatch(c -> c.name().equals("mkdir") && c.arg().equals(taskDir + "/out")), "out/ was reused, not made");
        assertTrue(fsyncedBetweenStateRenamesAround(calls, renames, harvest, taskDir),
                "the reused out/'s parent " + taskDir + " fsynced in the harvest, before the state.json that records it: " + calls);

        int inputs = -1;
        for (int i = 0; i < calls.size() && inputs < 0; i++) if (calls.get(i).name().equals("mkdir") && calls.get(i).arg().equals(taskDir + "/inputs")) inputs = i;
        assertTrue(inputs >= 0, "the task's inputs/ was made in the reused task directory: " + calls);
        assertTrue(fsyncedBetweenStateRenamesAround(calls, renames, inputs, stateDir + "/tasks"),
                "the reused task directory's parent fsynced before the state.json that records the task: " + calls);
        System.out.println("[farm-durability] leftover out/ and tasks/H reused: " + calls.size() + " traced calls, parents forced before "
                + renames.size() + " state.json renames");
    }
}
