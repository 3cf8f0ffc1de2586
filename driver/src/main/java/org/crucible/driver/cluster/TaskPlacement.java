package org.crucible.driver.cluster;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crucible.config.ClusterProfile;
import org.crucible.dft.hpc.DftTask;
import org.crucible.dft.hpc.JobManager;
import org.crucible.dft.hpc.JobResources;
import org.crucible.dft.hpc.TaskCommand;

/**
 * How one code's calculations are placed on a cluster: what each job asks the scheduler for (the profile's resources,
 * the code's overrides and the atom-count rule, {@link ClusterProfile#jobResources}) and the command line that runs
 * the code with those resources ({@code {ntasks}}, {@code {cpus}} filled in).
 *
 * <p>Example: with {@code scale_with_atoms: {atoms_per_task: 4, max_ntasks: 16}}, {@code placement.add(farm, tasks,
 * List.of(8, 64))} records the 8-atom task with {@code --ntasks=2} and the 64-atom one with {@code --ntasks=16}; they
 * go out in separate jobs (or arrays).
 *
 * @param profile the site
 * @param code the code's id in the profile's {@code codes} ({@code qe}, {@code vasp}, ...)
 */
public record TaskPlacement(ClusterProfile profile, String code) {
    public TaskPlacement {
        profile.code(code); // a configuration error naming the profile when the code has no command there
    }

    /** The resources of one calculation on {@code atoms} atoms. */
    public JobResources resources(int atoms) {
        return profile.jobResources(code, atoms);
    }

    /** The command line of a calculation whose job has {@code resources}. */
    public TaskCommand command(JobResources resources) {
        return ClusterConnection.command(profile, code, resources);
    }

    /**
     * Adds {@code tasks} to {@code farm}, task {@code i} asking for the resources of {@code atoms.get(i)} atoms (one
     * {@link JobManager#add(List, TaskCommand, JobResources)} per distinct request).
     *
     * @return the hash of each task, in the order given
     */
    public List<String> add(JobManager farm, List<DftTask> tasks, List<Integer> atoms) throws IOException {
        if (tasks.size() != atoms.size()) throw new IllegalArgumentException(tasks.size() + " tasks but " + atoms.size() + " atom counts");
        Map<JobResources, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < tasks.size(); i++) groups.computeIfAbsent(resources(atoms.get(i)), r -> new ArrayList<>()).add(i);
        String[] hashes = new String[tasks.size()];
        for (Map.Entry<JobResources, List<Integer>> g : groups.entrySet()) {
            List<DftTask> sub = new ArrayList<>();
            for (int i : g.getValue()) sub.add(tasks.get(i));
            List<String> h = farm.add(sub, command(g.getKey()), g.getKey());
            for (int k = 0; k < h.size(); k++) hashes[g.getValue().get(k)] = h.get(k);
        }
        return Arrays.asList(hashes);
    }
}
