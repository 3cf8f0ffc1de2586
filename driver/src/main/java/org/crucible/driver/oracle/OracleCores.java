package org.crucible.driver.oracle;

import java.util.Locale;
import org.crucible.config.ClusterProfile;
import org.crucible.config.campaign.Oracle;

/**
 * Cores one oracle calculation occupies, for core-hours: 1 for an embedded calculator (it runs on one driver thread),
 * {@code oracle.mpi_ranks} for a local DFT code, tasks x cores per task of the cluster profile for a cluster oracle.
 * NaN when the cluster profile cannot be read (a campaign directory copied off its cluster), with the reason.
 *
 * <pre>{@code
 * OracleCores c = OracleCores.of(cfg.oracle());   // c.cores() == 32 for a profile with ntasks 32, cpus_per_task 1
 * }</pre>
 *
 * @param cores  cores per calculation (NaN when unknown)
 * @param source where the figure comes from, in words
 */
public record OracleCores(double cores, String source) {
    public OracleCores {
        if (!(Double.isNaN(cores) || cores >= 1)) throw new IllegalArgumentException("cores per calculation must be >= 1 or NaN, got " + cores);
        if (source == null || source.isBlank()) throw new IllegalArgumentException("the source of the core count is required");
    }

    /** Whether the count is known. */
    public boolean known() {
        return !Double.isNaN(cores);
    }

    /** The cores of the campaign file's oracle, reading a cluster profile as it is now. */
    public static OracleCores of(Oracle o) {
        if (o instanceof Oracle.LocalDft l) return new OracleCores(l.mpiRanks(), "pw.x on this machine with " + l.mpiRanks() + " MPI rank(s) (oracle.mpi_ranks)");
        if (o instanceof Oracle.Cluster c) {
            try {
                ClusterProfile p = OracleFactory.profile(c);
                // the code's resources; with scale_with_atoms the largest a calculation may ask for
                var r = p.jobResources(c.code(), 0);
                return new OracleCores(r.tasks() * r.cpusPerTask(), String.format(Locale.ROOT, "cluster profile %s: %d task(s) x %d core(s) per %s calculation",
                        c.profile(), r.tasks(), r.cpusPerTask(), c.code()));
            } catch (RuntimeException e) {
                // said in the figure's caption, not swallowed: the report of a campaign copied off its cluster still works
                return new OracleCores(Double.NaN, "cores per calculation unknown, the cluster profile " + c.profile() + " cannot be read here ("
                        + e.getMessage() + ")");
            }
        }
        return new OracleCores(1, "embedded calculator (" + o.type() + "): one core per calculation");
    }
}
