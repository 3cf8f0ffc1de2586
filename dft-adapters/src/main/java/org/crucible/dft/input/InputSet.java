package org.crucible.dft.input;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.crucible.dft.DftCode;
import org.crucible.dft.DftInputException;

/**
 * The input files of one calculation (file name -> contents, in writing order) and how the code is pointed at
 * them, as pymatgen's {@code InputSet}. The command itself (binary, MPI launcher, modules) is a site's profile
 * and lives in cluster-config; the set only says which arguments follow that command and where its standard
 * output must go.
 *
 * <pre>{@code
 * InputSet set = new QeInputGenerator(settings).inputSet(structure);
 * set.writeInput(workDir);                        // writes pw.in
 * // command line: <profile command> + set.arguments()  (e.g. pw.x -in pw.in), stdout -> set.stdoutFile()
 * }</pre>
 *
 * @param code       the code these files are for
 * @param files      file name (relative, no directories) -> contents
 * @param arguments  arguments appended to the site's command (e.g. {@code -in pw.in}); may be empty
 * @param stdoutFile file name the program's standard output is written to (the parser reads it for QE and
 *                   ORCA); for codes writing their own output files it still keeps the log
 * @param mainOutput the output file name the parser reads after the run
 * @param extraOutputs further output files (plain names) that must be brought back with the main output because a
 *                   reader needs them, e.g. VASP's {@code CONTCAR} (the final geometry of a relaxation); empty for
 *                   single points. The cluster farm downloads them beside {@code stdoutFile} and
 *                   {@code mainOutput}; they enter {@code DftTask.hash()} only when present, so sets without extras
 *                   keep the identity they always had
 */
public record InputSet(DftCode code, Map<String, String> files, List<String> arguments, String stdoutFile, String mainOutput,
                       List<String> extraOutputs) {
    public InputSet {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(files, "files");
        for (String name : files.keySet()) checkPlainName("input file", name);
        files = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
        arguments = List.copyOf(arguments);
        Objects.requireNonNull(stdoutFile, "stdoutFile");
        Objects.requireNonNull(mainOutput, "mainOutput");
        extraOutputs = extraOutputs == null ? List.of() : List.copyOf(extraOutputs);
        for (String name : extraOutputs) checkPlainName("output file", name);
    }

    /** A set whose outputs are its standard output and main output only (every single point). */
    public InputSet(DftCode code, Map<String, String> files, List<String> arguments, String stdoutFile, String mainOutput) {
        this(code, files, arguments, stdoutFile, mainOutput, List.of());
    }

    /** This set with {@code names} as its extra outputs (replacing any it had). */
    public InputSet withExtraOutputs(List<String> names) {
        return new InputSet(code, files, arguments, stdoutFile, mainOutput, names);
    }

    private static void checkPlainName(String what, String name) {
        if (name.isBlank() || name.contains("/") || name.contains("\\") || name.equals("..") || name.equals(".")) {
            throw new IllegalArgumentException(what + " name must be a plain file name, got '" + name + "'");
        }
    }

    /** Contents of one input file; throws when the set has no such file. */
    public String file(String name) {
        String s = files.get(name);
        if (s == null) throw new IllegalArgumentException("input set has no file '" + name + "' (has " + files.keySet() + ")");
        return s;
    }

    /** Writes every file into {@code dir} (created if needed), replacing files of the same names. */
    public void writeInput(Path dir) {
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, String> e : files.entrySet()) {
                Files.writeString(dir.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new DftInputException("cannot write " + code.id() + " input files into " + dir + ": " + e.getMessage(), e);
        }
    }
}
