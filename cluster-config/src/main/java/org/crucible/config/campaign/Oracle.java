package org.crucible.config.campaign;

import java.util.Map;

/**
 * Which reference labels the campaign: an embedded calculator ({@code sw}, {@code tersoff}, {@code lj}, {@code eam}), a local
 * {@code pw.x}, or a cluster profile running a DFT code through a scheduler.
 */
public sealed interface Oracle {

    /** Short type name as written in the file. */
    String type();

    /** Embedded Stillinger-Weber or Tersoff; {@code parameterFile} is a LAMMPS-format file or null for built-ins. */
    record Embedded(String type, String parameterFile) implements Oracle {
    }

    /**
     * Embedded EAM from a LAMMPS potential file ({@code .eam.alloy}, {@code .eam.fs} or {@code .eam}); {@code file}
     * is absolute (resolved against the campaign file's directory) and existed when the configuration was read.
     */
    record Eam(String file) implements Oracle {
        public Eam {
            if (file == null || file.isBlank()) throw new IllegalArgumentException("oracle.file: an EAM potential file is required");
        }

        @Override
        public String type() {
            return "eam";
        }
    }

    /** Embedded Lennard-Jones: epsilon (eV), sigma (Angstrom), cutoff (Angstrom). */
    record LennardJones(double epsilon, double sigma, double cutoff) implements Oracle {
        @Override
        public String type() {
            return "lj";
        }
    }

    /**
     * pw.x run on this machine, with either inline {@code settings} or a recipe file {@code settingsFile} (the same
     * format as {@code crucible dft write --settings}; absolute, resolved against the campaign file's directory);
     * exactly one of the two is non-null.
     */
    record LocalDft(String executable, int mpiRanks, DftSettings settings, String settingsFile) implements Oracle {
        public LocalDft(String executable, int mpiRanks, DftSettings settings) {
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
     * {@code local} the profile written by deploy/local-slurm/up.sh). {@code code} is qe, vasp or castep; a code
     * other than qe needs a recipe file ({@code settingsFile}, absolute); inline {@code settings} are pw.x's.
     */
    record Cluster(String profile, String profilesFile, String code, DftSettings settings, String settingsFile) implements Oracle {
        public Cluster(String profile, String profilesFile, String code, DftSettings settings) {
            this(profile, profilesFile, code, settings, null);
        }

        @Override
        public String type() {
            return "cluster";
        }
    }

    /**
     * Single-point DFT settings: pseudopotential directory and files per element, plane-wave cutoff (Ry, QE's unit
     * at this boundary because users copy it from QE inputs), k-point spacing (1/Angstrom, 2 pi included),
     * smearing and its width (Ry), wall-time limit per calculation (seconds).
     */
    record DftSettings(String pseudoDir, Map<String, String> pseudopotentials, double ecutwfcRy, double ecutrhoRy,
                       double kspacing, String smearing, double degaussRy, int timeoutSeconds) {
        public DftSettings {
            pseudopotentials = Map.copyOf(pseudopotentials);
        }
    }
}
