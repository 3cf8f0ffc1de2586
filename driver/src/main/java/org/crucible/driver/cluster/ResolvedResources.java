package org.crucible.driver.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crucible.config.ClusterProfile;
import org.crucible.dft.hpc.JobRequest;
import org.crucible.dft.hpc.JobResources;

/**
 * What a job of one code asks the scheduler for under a profile, for a calculation of a given size: the resources
 * ({@link ClusterProfile#jobResources}: the profile's values, the code's overrides, {@code scale_with_atoms}) and the
 * scheduler directives its script gets, as {@code crucible cluster check} shows them. The directives are those of the
 * real job script writer ({@link org.crucible.dft.hpc.Scheduler#script}) without the per-job bookkeeping (job name,
 * comment, working directory, output file).
 *
 * <p>Example: with {@code ntasks: 1, cpus_per_task: 1, partition: debug}, {@code ResolvedResources.of(p, 8).get(0)
 * .directives()} is {@code [#SBATCH --partition=debug, #SBATCH --ntasks=1, #SBATCH --cpus-per-task=1, #SBATCH
 * --time=00:30:00, #SBATCH --no-requeue]}.
 *
 * @param code       the code's name in the profile ({@code qe}, {@code vasp}, ...)
 * @param atoms      atoms of the calculation, 0 when not given ({@code scale_with_atoms} at its maximum)
 * @param resources  the job's request
 * @param directives the directive lines of its script, in order
 */
public record ResolvedResources(String code, int atoms, JobResources resources, List<String> directives) {
    /** Directives that differ per job rather than per request. */
    private static final List<String> BOOKKEEPING = List.of("--job-name=", "--comment=", "--chdir=", "--output=");

    public ResolvedResources {
        if (code == null || resources == null) throw new IllegalArgumentException("code and resources are required");
        if (atoms < 0) throw new IllegalArgumentException("atoms must be >= 0, got " + atoms);
        directives = List.copyOf(directives);
    }

    /** Every code of profile {@code p}, in name order, for a calculation of {@code atoms} atoms (0: not given). */
    public static List<ResolvedResources> of(ClusterProfile p, int atoms) {
        if (atoms < 0) throw new IllegalArgumentException("atoms must be >= 0, got " + atoms);
        List<ResolvedResources> out = new ArrayList<>();
        for (String code : p.codes().keySet().stream().sorted().toList()) {
            JobResources r = p.jobResources(code, atoms);
            JobRequest probe = new JobRequest("crucible-check", "check", p.workRoot(), p.workRoot() + "/slurm-%j.out", p.partition(), p.account(),
                    p.qos(), r, p.walltime(), p.extraDirectives());
            List<String> lines = new ArrayList<>();
            for (String l : ClusterConnection.scheduler(p).script(probe, List.of()).split("\n")) {
                if (!l.startsWith("#") || l.startsWith("#!")) continue;
                String option = l.substring(l.indexOf(' ') + 1);
                if (l.indexOf(' ') < 0 || BOOKKEEPING.stream().noneMatch(option::startsWith)) lines.add(l);
            }
            out.add(new ResolvedResources(code, atoms, r, lines));
        }
        return out;
    }

    /** The fields in the profile's words, for {@code --json}. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("atoms", atoms == 0 ? null : atoms);
        m.put("cores", resources.cores());
        m.put("nodes", resources.nodes() == 0 ? null : resources.nodes());
        m.put("ntasks", resources.tasks());
        m.put("ntasks_per_node", resources.ntasksPerNode() == 0 ? null : resources.ntasksPerNode());
        m.put("cpus_per_task", resources.cpusPerTask());
        m.put("mem", resources.mem());
        m.put("gres", resources.gres());
        m.put("constraint", resources.constraint());
        m.put("directives", directives);
        return m;
    }
}
