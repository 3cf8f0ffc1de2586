package org.crucible.executors.calculators;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds a reference calculator from a one-line specification (the CLI's {@code --calculator}):
 *
 * <ul>
 *   <li>{@code sw} -- Stillinger-Weber silicon, 1985 parameters (built in);</li>
 *   <li>{@code sw:FILE} -- Stillinger-Weber from a LAMMPS {@code .sw} file;</li>
 *   <li>{@code tersoff:FILE} -- Tersoff from a LAMMPS {@code .tersoff} file;</li>
 *   <li>{@code eam:FILE} -- embedded-atom method from a LAMMPS {@code .eam.alloy} (setfl), {@code .eam.fs} or
 *       {@code .eam} (funcfl) file, see {@link Eam};</li>
 *   <li>{@code lj:PARAMS} -- Lennard-Jones, PARAMS as in {@link LennardJones#parse}, e.g.
 *       {@code lj:Ar:eps=0.0104,sigma=3.40,rc=8.5}.</li>
 * </ul>
 *
 * A relative FILE is resolved against {@code baseDir} (the caller's working directory).
 */
public final class CalculatorSpec {
    private CalculatorSpec() {
    }

    /**
     * @throws IllegalArgumentException naming the specification and what is wrong with it (unknown kind,
     *                                  missing or unreadable file, bad parameters with file and line)
     */
    public static ShortRangeCalculator parse(String spec, Path baseDir) {
        if (spec == null || spec.isBlank()) throw new IllegalArgumentException("calculator specification is empty; use sw[:FILE], tersoff:FILE, eam:FILE or lj:PARAMS");
        String s = spec.strip();
        int colon = s.indexOf(':');
        String kind = colon < 0 ? s : s.substring(0, colon);
        String arg = colon < 0 ? "" : s.substring(colon + 1);
        switch (kind) {
            case "sw":
                return arg.isEmpty() ? StillingerWeber.silicon() : StillingerWeber.fromFile(file(spec, arg, baseDir));
            case "tersoff":
                if (arg.isEmpty()) throw new IllegalArgumentException("calculator '" + spec + "': tersoff needs a parameter file, e.g. tersoff:/usr/share/lammps/potentials/Si.tersoff");
                return Tersoff.fromFile(file(spec, arg, baseDir));
            case "eam":
                if (arg.isEmpty()) throw new IllegalArgumentException("calculator '" + spec + "': eam needs a potential file, e.g. eam:/usr/share/lammps/potentials/CuNi.eam.alloy");
                return Eam.fromFile(file(spec, arg, baseDir));
            case "lj":
                if (arg.isEmpty()) throw new IllegalArgumentException("calculator '" + spec + "': lj needs parameters, e.g. lj:Ar:eps=0.0104,sigma=3.40,rc=8.5");
                return LennardJones.parse(arg);
            default:
                throw new IllegalArgumentException("calculator '" + spec + "': unknown kind '" + kind + "'; use sw[:FILE], tersoff:FILE, eam:FILE or lj:PARAMS");
        }
    }

    private static Path file(String spec, String arg, Path baseDir) {
        Path p = Path.of(arg);
        if (!p.isAbsolute() && baseDir != null) p = baseDir.resolve(p);
        if (!Files.isRegularFile(p)) throw new IllegalArgumentException("calculator '" + spec + "': parameter file " + p + " does not exist");
        return p;
    }
}
