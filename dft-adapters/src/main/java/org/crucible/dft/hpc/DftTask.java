package org.crucible.dft.hpc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.crucible.dft.input.InputSet;

/**
 * One DFT calculation to run on a cluster (a single point, or a whole relaxation as one job): a display name and
 * the code's input files.
 *
 * <p>Its identity ({@link #hash()}) is a SHA-256 over what determines the result: the code, every input file
 * (structure, cutoffs, k-points, pseudopotentials, ... as written), the arguments the code is started with, the
 * standard output file and, when the set has any, its extra output files ({@link InputSet#extraOutputs()}).
 * Queue, account, walltime, packing and the site's command line are not part of it, so changing them never
 * resubmits finished work, and submitting the same structure with the same settings twice is recognised as one
 * task (the name is only a label).
 *
 * @param name label for messages and output (any text; never interpreted by a shell)
 * @param inputs the code's input files
 */
public record DftTask(String name, InputSet inputs) {
    public DftTask {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(inputs, "inputs");
    }

    /** 32 hex digits (128 bits) of the SHA-256 of code, sorted input files, arguments, stdout file and extra outputs. */
    public String hash() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            field(md, "crucible-dft-task-v1");
            field(md, inputs.code().id());
            for (Map.Entry<String, String> f : new TreeMap<>(inputs.files()).entrySet()) {
                field(md, f.getKey());
                field(md, f.getValue());
            }
            for (String a : inputs.arguments()) field(md, a);
            field(md, inputs.stdoutFile());
            // Added after tasks were first recorded: only sets that have extra outputs hash them, so every
            // single-point task keeps its recorded identity.
            if (!inputs.extraOutputs().isEmpty()) {
                field(md, "extra-outputs");
                for (String o : inputs.extraOutputs()) field(md, o);
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static void field(MessageDigest md, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        md.update(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
        md.update((byte) ':');
        md.update(b);
    }
}
