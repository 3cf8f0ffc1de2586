package org.crucible.dft.hpc;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one job (or one element of a job array) asks the scheduler for, scheduler-neutral: nodes, MPI tasks, tasks per
 * node, cores per task, memory per node, generic resources (GPUs) and a node constraint. Every value is checked here,
 * so nothing a profile says can reach a job script unless it is one of these shapes.
 *
 * <p>Counts of 0 mean "not asked for" (the scheduler's default); {@code cpusPerTask} is always at least 1 and always
 * written. Memory is per node in the scheduler's units K, M, G, T (a bare number is MB): {@code 4G}, {@code 500M}.
 * {@code gres} is a comma-separated list of {@code name[:type]:count}, count required ({@code gpu:2},
 * {@code gpu:a100:4}). {@code constraint} is a SLURM feature expression of letters, digits and {@code _.-:&|,*[]()}.
 *
 * <p>Example: {@code new JobResources(2, 0, 64, 2, "200G", "gpu:4", "a100")} asks for 2 nodes of 64 tasks of 2 cores,
 * 200 GB and 4 GPUs per node, on nodes with feature {@code a100}.
 *
 * @param nodes nodes, 0 for the scheduler's choice
 * @param ntasks MPI tasks of the allocation, 0 when not asked for (see {@link #tasks()})
 * @param ntasksPerNode MPI tasks per node, 0 when not asked for
 * @param cpusPerTask cores per MPI task, at least 1
 * @param mem memory per node, normalised ({@code 4G}, {@code 4096M}), or null
 * @param gres generic resources, or null
 * @param constraint node feature expression, or null
 */
public record JobResources(int nodes, int ntasks, int ntasksPerNode, int cpusPerTask, String mem, String gres, String constraint) {
    private static final Pattern MEM = Pattern.compile("([0-9]{1,9})([KMGTkmgt]?)");
    private static final Pattern GRES = Pattern.compile("[A-Za-z][A-Za-z0-9_]*(?::[A-Za-z0-9_.-]+)?:([0-9]{1,6})");
    private static final Pattern CONSTRAINT = Pattern.compile("[A-Za-z0-9_.:&|,*\\[\\]()-]+");

    public JobResources {
        if (nodes < 0) throw new IllegalArgumentException("nodes: " + nodes + " must be >= 1");
        if (ntasks < 0) throw new IllegalArgumentException("ntasks: " + ntasks + " must be >= 1");
        if (ntasksPerNode < 0) throw new IllegalArgumentException("ntasks_per_node: " + ntasksPerNode + " must be >= 1");
        if (cpusPerTask < 1) throw new IllegalArgumentException("cpus_per_task: " + cpusPerTask + " must be >= 1");
        mem = checked("mem", mem, JobResources::memory);
        gres = checked("gres", gres, JobResources::gres);
        constraint = checked("constraint", constraint, JobResources::constraint);
        if (nodes > 0 && ntasksPerNode > 0 && ntasks > (long) nodes * ntasksPerNode) {
            throw new IllegalArgumentException("ntasks: " + ntasks + " is more than nodes x ntasks_per_node = " + nodes + " x "
                    + ntasksPerNode + "; drop one of the three or make them agree");
        }
    }

    private static String checked(String field, String value, java.util.function.UnaryOperator<String> check) {
        if (value == null) return null;
        try {
            return check.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
        }
    }

    /** {@code ntasks} MPI tasks of {@code cpusPerTask} cores, nothing else asked for (the resources before they were first-class). */
    public static JobResources of(int ntasks, int cpusPerTask) {
        if (ntasks < 1) throw new IllegalArgumentException("ntasks: " + ntasks + " must be >= 1");
        return new JobResources(0, ntasks, 0, cpusPerTask, null, null, null);
    }

    /**
     * The MPI tasks the job runs: {@code ntasks}, else {@code nodes x ntasksPerNode} (one node when not given), else one
     * per node (SLURM's default for {@code --nodes} alone), else 1.
     */
    public int tasks() {
        if (ntasks > 0) return ntasks;
        if (ntasksPerNode > 0) return Math.max(1, nodes) * ntasksPerNode;
        return Math.max(1, nodes);
    }

    /** Cores the job occupies: {@link #tasks()} x {@code cpusPerTask} (what core-hours are counted with). */
    public int cores() {
        return Math.multiplyExact(tasks(), cpusPerTask);
    }

    /**
     * The request in the profile's words, e.g. {@code "4 cores: ntasks 2 x cpus_per_task 2, nodes 1, mem 200M"} (fields
     * not asked for are left out).
     */
    public String describe() {
        StringBuilder b = new StringBuilder().append(cores()).append(cores() == 1 ? " core: " : " cores: ");
        b.append("ntasks ").append(tasks()).append(" x cpus_per_task ").append(cpusPerTask);
        if (nodes > 0) b.append(", nodes ").append(nodes);
        if (ntasksPerNode > 0) b.append(", ntasks_per_node ").append(ntasksPerNode);
        if (mem != null) b.append(", mem ").append(mem);
        if (gres != null) b.append(", gres ").append(gres);
        if (constraint != null) b.append(", constraint ").append(constraint);
        return b.toString();
    }

    /** A copy asking for {@code n} MPI tasks (e.g. scaled with the atom count); nodes are left to the scheduler. */
    public JobResources withNtasks(int n) {
        return new JobResources(0, n, ntasksPerNode, cpusPerTask, mem, gres, constraint);
    }

    /**
     * Memory per node normalised to an integer with a unit: {@code 4g} gives {@code 4G}, {@code 4096} gives {@code
     * 4096M} (a bare number is MB, as for sbatch).
     *
     * @throws IllegalArgumentException naming the value, for anything else ({@code 4X}, {@code 1.5G}, {@code 0})
     */
    public static String memory(String value) {
        Matcher m = MEM.matcher(value.strip());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new IllegalArgumentException("'" + value + "' is not an amount of memory: a positive whole number with "
                    + "unit K, M, G or T (e.g. 4G, 500M; a bare number is MB)");
        }
        return Long.parseLong(m.group(1)) + (m.group(2).isEmpty() ? "M" : m.group(2).toUpperCase(Locale.ROOT));
    }

    /** A comma-separated list of {@code name[:type]:count}, each count at least 1, or an error naming the value. */
    public static String gres(String value) {
        String v = value.strip();
        for (String one : v.split(",", -1)) {
            Matcher m = GRES.matcher(one);
            if (!m.matches() || Integer.parseInt(m.group(1)) < 1) {
                throw new IllegalArgumentException("'" + value + "' must be name[:type]:count with a count of at least 1, "
                        + "comma-separated (e.g. gpu:2, gpu:a100:4)");
            }
        }
        return v;
    }

    /** A node feature expression (letters, digits, {@code _.-:&|,*[]()}, brackets balanced), or an error naming it. */
    public static String constraint(String value) {
        String v = value.strip();
        int depth = 0;
        boolean ok = CONSTRAINT.matcher(v).matches();
        for (int i = 0; ok && i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '(' || c == '[') depth++;
            if (c == ')' || c == ']') ok = --depth >= 0;
        }
        if (!ok || depth != 0) {
            throw new IllegalArgumentException("'" + value + "' must be a node feature expression of letters, digits "
                    + "and _.-:&|,*[]() with balanced brackets, no blanks (e.g. haswell, intel&ib, [rack1|rack2])");
        }
        return v;
    }
}
