package org.crucible.config.campaign;

import java.util.Map;

/**
 * Which reference labels the campaign: an embedded calculator ({@code sw}, {@code tersoff}, {@code lj}, {@code eam}), a local
 * {@code pw.x}, or a cluster profile running a DFT code through a scheduler. Every oracle has a retry budget
 * ({@code oracle.max_attempts}, default {@link #DEFAULT_MAX_ATTEMPTS}): how many attempts a task whose label FAILED
 * gets in all, counted from the attempts in the training store, so the budget holds across resumes.
 */
public sealed interface Oracle {
    /** Attempts per task when {@code oracle.max_attempts} is not given: the first and one retry on resume. */
    int DEFAULT_MAX_ATTEMPTS = 2;
    /** The largest {@code oracle.max_attempts} accepted. */
    int MAX_MAX_ATTEMPTS = 100;

    /** Short type name as written in the file. */
    String type();

    /** Attempts a task gets in all when its label FAILED ({@code oracle.max_attempts}, 1 = never retried). */
    int maxAttempts();

    private static int attempts(int n) {
        if (n < 1 || n > MAX_MAX_ATTEMPTS) throw new IllegalArgumentException("oracle.max_attempts must be 1.." + MAX_MAX_ATTEMPTS + ", got " + n);
        return n;
    }

    /**
     * Embedded Stillinger-Weber or Tersoff; {@code parameterFile} is a LAMMPS-format file or null for built-ins;
     * {@code injectFailures} (null: none) makes a seeded subset of tasks fail, for reliability tests.
     */
    record Embedded(String type, String parameterFile, int maxAttempts, FailureInjection injectFailures) implements Oracle {
        public Embedded {
            Oracle.attempts(maxAttempts);
        }

        public Embedded(String type, String parameterFile, int maxAttempts) {
            this(type, parameterFile, maxAttempts, null);
        }

        public Embedded(String type, String parameterFile) {
            this(type, parameterFile, DEFAULT_MAX_ATTEMPTS);
        }
    }

    /**
     * {@code oracle.inject_failures}: deliberate failures of an embedded oracle, for the kill harness and other
     * reliability tests. A task fails when {@code SHA-256(seed + ":" + task hash)}, read as a number in [0, 1), is below
     * {@code fraction}; it then fails on its attempts {@code 1..attempts} (after {@code seconds} s, as a calculation
     * that dies after a while) and is computed normally from attempt {@code attempts + 1} on.
     *
     * @param fraction share of the tasks that fail, in [0, 1]
     * @param seed     chooses which tasks
     * @param seconds  how long a failing call takes before it fails, s, in [0, 3600]
     * @param attempts attempts that fail, 1..{@link #MAX_MAX_ATTEMPTS} ({@link #MAX_MAX_ATTEMPTS}: every attempt)
     */
    record FailureInjection(double fraction, long seed, double seconds, int attempts) {
        public FailureInjection {
            if (!(fraction >= 0 && fraction <= 1)) throw new IllegalArgumentException("oracle.inject_failures.fraction must be in [0, 1], got " + fraction);
            if (!(seconds >= 0 && seconds <= 3600)) throw new IllegalArgumentException("oracle.inject_failures.seconds must be in [0, 3600], got " + seconds);
            if (attempts < 1 || attempts > MAX_MAX_ATTEMPTS) {
                throw new IllegalArgumentException("oracle.inject_failures.attempts must be 1.." + MAX_MAX_ATTEMPTS + ", got " + attempts);
            }
        }
    }

    /**
     * Embedded EAM from a LAMMPS potential file ({@code .eam.alloy}, {@code .eam.fs} or {@code .eam}); {@code file}
     * is absolute (resolved against the campaign file's directory) and existed when the configuration was read.
     */
    record Eam(String file, int maxAttempts) implements Oracle {
        public Eam {
            if (file == null || file.isBlank()) throw new IllegalArgumentException("oracle.file: an EAM potential file is required");
            Oracle.attempts(maxAttempts);
        }

        public Eam(String file) {
            this(file, DEFAULT_MAX_ATTEMPTS);
        }

        @Override
        public String type() {
            return "eam";
        }
    }

    /** Embedded Lennard-Jones: epsilon (eV), sigma (Angstrom), cutoff (Angstrom). */
    record LennardJones(double epsilon, double sigma, double cutoff, int maxAttempts) implements Oracle {
        public LennardJones {
            Oracle.attempts(maxAttempts);
        }

        public LennardJones(double epsilon, double sigma, double cutoff) {
            this(epsilon, sigma, cutoff, DEFAULT_MAX_ATTEMPTS);
        }

        @Override
        public String type() {
            return "lj";
        }
    }

    /**
     * pw.x run on this machine, with either inline {@code settings} (the recipe keys as written) or a recipe file {@code settingsFile} (the same
     * format as {@code crucible dft write --settings}; absolute, resolved against the campaign file's directory);
     * exactly one of the two is non-null.
     */
    record LocalDft(String executable, int mpiRanks, Map<String, Object> settings, String settingsFile, int maxAttempts) implements Oracle {
        public LocalDft {
            Oracle.attempts(maxAttempts);
            settings = inline(settings);
        }

        public LocalDft(String executable, int mpiRanks, Map<String, Object> settings, String settingsFile) {
            this(executable, mpiRanks, settings, settingsFile, DEFAULT_MAX_ATTEMPTS);
        }

        public LocalDft(String executable, int mpiRanks, Map<String, Object> settings) {
            this(executable, mpiRanks, settings, null);
        }

        @Override
        public String type() {
            return "pw.x";
        }
    }

    /**
     * A DFT code run through a cluster profile and its scheduler; {@code profilesFile} is an explicit profile file
     * or null for the standard lookup ({@code $CRUCIBLE_CLUSTERS}, {@code ~/.crucible/clusters/NAME.yaml}, and for
     * {@code local} the profile written by deploy/local-slurm/up.sh). {@code code} is qe, vasp, castep or orca (molecules
     * and clusters only: the campaign's seeds must have no periodic axis); a code other than qe needs a recipe file ({@code settingsFile}, absolute); inline {@code settings} are pw.x's.
     */
    record Cluster(String profile, String profilesFile, String code, Map<String, Object> settings, String settingsFile, int maxAttempts) implements Oracle {
        public Cluster {
            Oracle.attempts(maxAttempts);
            settings = inline(settings);
        }

        public Cluster(String profile, String profilesFile, String code, Map<String, Object> settings, String settingsFile) {
            this(profile, profilesFile, code, settings, settingsFile, DEFAULT_MAX_ATTEMPTS);
        }

        public Cluster(String profile, String profilesFile, String code, Map<String, Object> settings) {
            this(profile, profilesFile, code, settings, null);
        }

        @Override
        public String type() {
            return "cluster";
        }
    }

    /**
     * Inline DFT settings as written in the campaign file ({@code oracle.settings}, the old spelling {@code kspacing}
     * already read as {@code kpoint_spacing}), validated at load time by dft-adapters' recipe reader
     * ({@code org.crucible.dft.input.DftRecipe}, the same schema and defaults as a recipe file); null when absent.
     */
    private static Map<String, Object> inline(Map<String, Object> settings) {
        return settings == null ? null : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
    }
}
