package org.crucible.dft.hpc;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.crucible.dft.hpc.FarmState.BatchPhase;
import org.crucible.dft.hpc.FarmState.BatchRecord;

/**
 * What the parts of a {@link JobManager} share: the settings, the remote shell and scheduler, the local state directory
 * with its journal, the current {@link FarmState} and the last queue answer. {@link #save()} writes the state
 * atomically; {@link #event} appends to the audit log. Not thread-safe: the manager serialises every call.
 */
final class FarmBook {
    final FarmSettings settings;
    final RemoteShell shell;
    final Scheduler scheduler;
    final Path stateDir;
    final FarmJournal journal;
    FarmState state;
    Map<String, QueueEntry> lastQueue = Map.of();
    /** Set by {@link JobManager#cancel()}: nothing more is submitted. */
    boolean cancelled;

    FarmBook(FarmSettings settings, RemoteShell shell, Scheduler scheduler, Path stateDir, FarmJournal journal) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.shell = Objects.requireNonNull(shell, "shell");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
        this.journal = Objects.requireNonNull(journal, "journal");
    }

    void save() {
        journal.save(state);
    }

    void event(String message) {
        journal.event(message);
    }

    /** Remote directory of a job: script, submission lock and record, scheduler log. */
    String jobDir(String batch) {
        return settings.campaignDir() + "/jobs/" + batch;
    }

    /** Remote directory of a task: inputs, {@code started}, outputs, {@code exit_code}. */
    String taskDir(String hash) {
        return settings.campaignDir() + "/" + hash;
    }

    /** Local directory of a task's downloaded outputs. */
    Path localOut(String hash) {
        return stateDir.resolve("tasks").resolve(hash).resolve("out");
    }

    /** Jobs prepared or submitted and not yet ended (counted against the queue cap). */
    int activeBatches() {
        int n = 0;
        for (BatchRecord b : state.batches().values()) {
            if (b.phase() == BatchPhase.PREPARED || b.phase() == BatchPhase.SUBMITTED) n++;
        }
        return n;
    }
}
