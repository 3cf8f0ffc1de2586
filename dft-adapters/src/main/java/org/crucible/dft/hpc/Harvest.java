package org.crucible.dft.hpc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.crucible.dft.DftCode;
import org.crucible.dft.DftParseException;
import org.crucible.dft.DftParsers;
import org.crucible.dft.DftResult;
import org.crucible.dft.hpc.FarmState.Attempt;
import org.crucible.dft.hpc.FarmState.BatchRecord;
import org.crucible.dft.hpc.FarmState.TaskPhase;
import org.crucible.dft.hpc.FarmState.TaskRecord;

/**
 * Result retrieval: one command reads every task's {@code started}/{@code exit_code} ({@link #scan()}), one checksummed
 * transfer brings back the outputs of the tasks that finished in their current job ({@link #harvest}), and each is
 * parsed and judged ({@link FailureClassifier#ofTask}).
 */
final class Harvest {
    private static final String STDERR = TaskFarmScript.STDERR;
    private static final String EXIT_CODE = TaskFarmScript.EXIT_CODE;
    private static final String STARTED = TaskFarmScript.STARTED;
    private final FarmBook book;
    private final Retries retries;

    Harvest(FarmBook book, Retries retries) {
        this.book = book;
        this.retries = retries;
    }

    /** What the task directory shows: the job that last started it, and its exit status if it finished. */
    record TaskFiles(String startedBy, Integer exitCode) {
    }

    Map<String, TaskFiles> scan() throws RemoteException {
        String cmd = "cd " + ShellQuote.quote(book.settings.campaignDir()) + " 2>/dev/null || exit 0; for f in */" + STARTED
                + " */" + EXIT_CODE + "; do [ -f \"$f\" ] && printf '%s %s\\n' \"$f\" \"$(head -c 40 \"$f\")\"; done; exit 0";
        CommandResult r = book.shell.run(cmd, RemoteShell.DEFAULT_TIMEOUT).orThrow();
        Map<String, String> started = new LinkedHashMap<>();
        Map<String, Integer> exit = new LinkedHashMap<>();
        for (String line : r.stdout().split("\n")) {
            int slash = line.indexOf('/');
            int space = line.indexOf(' ');
            if (slash < 0 || space < slash) continue;
            String hash = line.substring(0, slash);
            String file = line.substring(slash + 1, space);
            String value = line.substring(space + 1).strip();
            if (file.equals(STARTED)) {
                started.put(hash, value);
            } else if (file.equals(EXIT_CODE)) {
                try {
                    exit.put(hash, Integer.parseInt(value));
                } catch (NumberFormatException e) {
                    // a half-visible file on a shared file system: read it again next poll
                    book.event("scan: unreadable exit code '" + value + "' of task " + hash);
                }
            }
        }
        Map<String, TaskFiles> out = new LinkedHashMap<>();
        for (String h : started.keySet()) out.put(h, new TaskFiles(started.get(h), exit.get(h)));
        return out;
    }

    /** Fetches (one transfer) and judges every task that finished in its current job since the last poll. */
    void harvest(Map<String, TaskFiles> files) throws RemoteException {
        List<TaskRecord> finished = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (TaskRecord t : book.state.tasks().values()) {
            if (t.phase() != TaskPhase.SUBMITTED) continue;
            BatchRecord b = book.state.batches().get(t.batch());
            TaskFiles f = files.get(t.hash());
            if (b == null || b.jobId() == null || f == null || f.exitCode() == null || !b.jobId().equals(f.startedBy())) continue;
            finished.add(t);
            for (String name : fetched(t)) paths.add(book.taskDir(t.hash()) + "/" + name);
        }
        if (finished.isEmpty()) return;
        // a crashed code may not have written its output file: fetch what exists, judge the rest as missing
        Map<String, byte[]> got = book.shell.getIfPresent(paths);
        for (TaskRecord t : finished) {
            Path out = book.stateDir.resolve("tasks").resolve(t.hash()).resolve("out");
            try {
                FarmJournal.createDirectoriesDurably(out, out.getParent()); // an out/ left by a killed harvest is made durable too
                for (String name : fetched(t)) {
                    byte[] content = got.get(book.taskDir(t.hash()) + "/" + name);
                    if (content != null) FarmJournal.writeAtomically(out.resolve(name), content);
                    else Files.deleteIfExists(out.resolve(name)); // never judge an attempt by an older attempt's file
                }
            } catch (IOException e) {
                throw new RemoteException("cannot store the outputs of task " + t.hash() + " in " + out + ": " + e.getMessage(), e);
            }
            BatchRecord b = book.state.batches().get(t.batch());
            int exit = files.get(t.hash()).exitCode();
            judge(t, b, exit, out);
        }
    }

    /** The files brought back when a task finishes: its outputs (main, stdout, extras), stderr and exit code. */
    private static List<String> fetched(TaskRecord t) {
        LinkedHashSet<String> names = new LinkedHashSet<>(t.outputFiles());
        names.add(STDERR);
        names.add(EXIT_CODE);
        return List.copyOf(names);
    }

    private void judge(TaskRecord t, BatchRecord b, int exit, Path out) {
        DftResult r = null;
        String parseError = null;
        if (!Files.isRegularFile(out.resolve(t.mainOutput()))) {
            parseError = t.mainOutput() + " was not written";
        } else {
            try {
                r = DftParsers.forCode(DftCode.parse(t.code())).parse(out.resolve(t.mainOutput()));
            } catch (DftParseException e) {
                parseError = e.getMessage();
            }
        }
        FailureClassifier.Decision d = FailureClassifier.ofTask(exit, r, parseError, book.settings.taskTimeout(), null);
        if (d == null) {
            book.state.tasks().put(t.hash(), t.with(TaskPhase.DONE, t.batch(), t.failures(), null));
            book.event("done " + t.hash() + " (" + t.name() + ") in job " + b.jobId() + ": E = " + r.energy() + " eV");
            return;
        }
        String detail = d.reason() == FailureReason.CODE_FAILED ? d.detail() + stderrTail(out) : d.detail();
        retries.fail(t, new Attempt(b.id(), b.jobId(), d.reason(), detail), d.retry());
    }

    private static String stderrTail(Path out) {
        try {
            String s = Files.readString(out.resolve(STDERR)).strip();
            if (s.isEmpty()) return "";
            return "; stderr: " + (s.length() > 300 ? s.substring(s.length() - 300) : s);
        } catch (IOException e) {
            return "";
        }
    }

    /** The outcome of a task; a DONE task is parsed from its local outputs. */
    TaskOutcome outcome(TaskRecord t) {
        Path out = book.stateDir.resolve("tasks").resolve(t.hash()).resolve("out");
        DftResult r = null;
        if (t.phase() == TaskPhase.DONE) {
            r = DftParsers.forCode(DftCode.parse(t.code())).parse(out.resolve(t.mainOutput()));
        }
        return new TaskOutcome(t.hash(), t.name(), t.phase(), r, t.failures(), t.message(), Files.isDirectory(out) ? out : null);
    }
}
