package org.crucible.driver.store;

import java.util.Objects;
import org.crucible.core.Structure;

/**
 * One record of the training store: the task hash (structure and oracle settings; see {@link TaskHash}), the
 * structure (with labels when {@code status == OK}: energy eV, forces eV/Angstrom, stress eV/Angstrom^3 in ASE
 * convention), the status, a message for failures and the provenance.
 */
public record LabelRecord(String taskHash, Structure structure, LabelStatus status, String message, Provenance provenance) {
    public LabelRecord {
        Objects.requireNonNull(taskHash, "taskHash");
        if (!taskHash.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("task hash must be 64 hex digits, got " + taskHash);
        Objects.requireNonNull(structure, "structure");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(provenance, "provenance");
        message = message == null ? "" : message.replace('\n', ' ').replace('\r', ' ').replace('"', '\'').replace('\\', '/');
        if (status == LabelStatus.OK && !(structure.labels().hasEnergy() && structure.labels().hasForces())) {
            throw new IllegalArgumentException("an OK record needs energy and forces (task " + taskHash + ")");
        }
    }

    /** A successful label. */
    public static LabelRecord ok(String taskHash, Structure labelled, Provenance p) {
        return new LabelRecord(taskHash, labelled, LabelStatus.OK, "", p);
    }

    /** A failed or unconverged calculation; the structure is kept without labels. */
    public static LabelRecord failed(String taskHash, Structure s, LabelStatus status, String message, Provenance p) {
        if (status == LabelStatus.OK) throw new IllegalArgumentException("use ok(...) for a successful label");
        return new LabelRecord(taskHash, s.withLabels(org.crucible.core.Labels.NONE), status, message, p);
    }

    /**
     * This record as the next attempt after {@code stored}, the FAILED record of the same task the store holds: its
     * attempt number is one more than {@code stored}'s, and its provenance carries {@code stored}'s earlier failures
     * followed by {@code stored}'s own (see {@link Provenance}).
     */
    public LabelRecord retryOf(LabelRecord stored) {
        if (!stored.taskHash().equals(taskHash)) throw new IllegalArgumentException("task " + taskHash + " is not a retry of task " + stored.taskHash());
        java.util.List<Provenance.Failure> failures = new java.util.ArrayList<>(stored.provenance().earlierFailures());
        failures.add(Provenance.Failure.of(stored));
        return new LabelRecord(taskHash, structure, status, message, provenance.asAttempt(stored.provenance().attempt() + 1, failures));
    }
}
