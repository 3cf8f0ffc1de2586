package org.crucible.config;

import java.util.List;
import java.util.Map;
import org.crucible.core.config.ConfigNode;
import org.crucible.dft.hpc.JobResources;

/**
 * The resources a profile asks for, as written: at the top of a cluster profile (every code) or inside one code's
 * section ({@code codes: {qe: {command: ..., ntasks_per_node: 4}}}, overriding the top field by field). Null means
 * "not given here". Profile keys: {@code nodes, ntasks, ntasks_per_node, cpus_per_task, mem, gres, constraint,
 * scale_with_atoms: {atoms_per_task, max_ntasks}}.
 *
 * <p>{@code scale_with_atoms} sizes each calculation by its structure: {@code ntasks = min(max_ntasks, ceil(atoms /
 * atoms_per_task))}, at least 1 (a 10-atom cell with {@code atoms_per_task: 4, max_ntasks: 64} runs on 3 MPI tasks,
 * a 1,000-atom one on 64). It replaces {@code ntasks}, so the two are not given in one section; a code section that
 * gives either one replaces the other from the top of the profile.
 *
 * @param nodes nodes, or null
 * @param ntasks MPI tasks per calculation, or null
 * @param ntasksPerNode MPI tasks per node, or null
 * @param cpusPerTask cores per MPI task, or null (1)
 * @param mem memory per node, normalised ({@link JobResources#memory}), or null
 * @param gres generic resources ({@code gpu:2}), or null
 * @param constraint node feature expression, or null
 * @param scaling the atom-count rule, or null
 */
public record ResourceSpec(Integer nodes, Integer ntasks, Integer ntasksPerNode, Integer cpusPerTask, String mem, String gres,
        String constraint, AtomScaling scaling) {
    /** Nothing given. */
    public static final ResourceSpec NONE = new ResourceSpec(null, null, null, null, null, null, null, null);

    /** The profile keys of a resource section, in the order they are documented. */
    public static final List<String> KEYS = List.of("nodes", "ntasks", "ntasks_per_node", "cpus_per_task", "mem", "gres",
            "constraint", "scale_with_atoms");

    public ResourceSpec {
        positive("nodes", nodes);
        positive("ntasks", ntasks);
        positive("ntasks_per_node", ntasksPerNode);
        positive("cpus_per_task", cpusPerTask);
        if (ntasks != null && scaling != null) {
            throw new IllegalArgumentException("scale_with_atoms: sets ntasks from the atom count; give either ntasks or scale_with_atoms, not both");
        }
        // the same checks as the job request, so a bad value is refused when the profile is read
        mem = checked("mem", mem, JobResources::memory);
        gres = checked("gres", gres, JobResources::gres);
        constraint = checked("constraint", constraint, JobResources::constraint);
    }

    private static String checked(String field, String value, java.util.function.UnaryOperator<String> check) {
        if (value == null) return null;
        try {
            return check.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
        }
    }

    private static void positive(String field, Integer v) {
        if (v != null && v < 1) throw new IllegalArgumentException(field + ": " + v + " must be >= 1");
    }

    /**
     * MPI tasks from the atom count: {@code ntasks = min(maxNtasks, ceil(atoms / atomsPerTask))}, at least 1.
     *
     * @param atomsPerTask atoms per MPI task, at least 1
     * @param maxNtasks most MPI tasks of one calculation, at least 1
     */
    public record AtomScaling(int atomsPerTask, int maxNtasks) {
        public AtomScaling {
            if (atomsPerTask < 1) throw new IllegalArgumentException("scale_with_atoms.atoms_per_task: " + atomsPerTask + " must be >= 1");
            if (maxNtasks < 1) throw new IllegalArgumentException("scale_with_atoms.max_ntasks: " + maxNtasks + " must be >= 1");
        }

        /** MPI tasks for a structure of {@code atoms} atoms; {@code maxNtasks} when the count is unknown (0). */
        public int ntasks(int atoms) {
            if (atoms <= 0) return maxNtasks;
            return (int) Math.min(maxNtasks, Math.max(1, ((long) atoms + atomsPerTask - 1) / atomsPerTask));
        }
    }

    /** This section with every field {@code o} gives replaced; {@code ntasks} and {@code scale_with_atoms} replace each other. */
    public ResourceSpec overriddenBy(ResourceSpec o) {
        boolean tasksGiven = o.ntasks != null || o.scaling != null;
        return new ResourceSpec(pick(o.nodes, nodes), tasksGiven ? o.ntasks : ntasks, pick(o.ntasksPerNode, ntasksPerNode),
                pick(o.cpusPerTask, cpusPerTask), pick(o.mem, mem), pick(o.gres, gres), pick(o.constraint, constraint),
                tasksGiven ? o.scaling : scaling);
    }

    private static <T> T pick(T over, T base) {
        return over != null ? over : base;
    }

    /**
     * What one calculation's job asks for, for a structure of {@code atoms} atoms (0: unknown, then {@code
     * scale_with_atoms} gives its maximum).
     *
     * @throws IllegalArgumentException when the fields contradict each other (ntasks above nodes x ntasks_per_node)
     */
    public JobResources job(int atoms) {
        int n = scaling != null ? scaling.ntasks(atoms) : ntasks != null ? ntasks : 0;
        int nodeCount = scaling != null || nodes == null ? 0 : nodes;
        if (n == 0 && nodeCount == 0 && ntasksPerNode == null) n = 1; // nothing said: one task, as before resources were first-class
        return new JobResources(nodeCount, n, ntasksPerNode == null ? 0 : ntasksPerNode, cpusPerTask == null ? 1 : cpusPerTask,
                mem, gres, constraint);
    }

    /**
     * Reads the resource keys of {@code n} (the top of a profile or a code's section), each problem reported at its
     * line; keys absent stay null.
     */
    public static ResourceSpec read(ConfigNode n) {
        Integer nodes = count(n, "nodes");
        Integer ntasks = count(n, "ntasks");
        Integer perNode = count(n, "ntasks_per_node");
        Integer cpus = count(n, "cpus_per_task");
        String mem = text(n, "mem", JobResources::memory);
        String gres = text(n, "gres", JobResources::gres);
        String constraint = text(n, "constraint", JobResources::constraint);
        AtomScaling scaling = null;
        if (n.has("scale_with_atoms")) {
            ConfigNode s = n.object("scale_with_atoms");
            if (!s.has("atoms_per_task")) s.problems().add(s.child("atoms_per_task"), "is required: atoms per MPI task, e.g. 8");
            if (!s.has("max_ntasks")) s.problems().add(s.child("max_ntasks"), "is required: the most MPI tasks of one calculation, e.g. 128");
            int per = s.integer("atoms_per_task", 1, 1, Integer.MAX_VALUE);
            int max = s.integer("max_ntasks", 1, 1, Integer.MAX_VALUE);
            s.finish();
            scaling = new AtomScaling(per, max);
            if (ntasks != null) {
                n.problems().add(n.child("scale_with_atoms"), "sets ntasks from the atom count; give either ntasks or scale_with_atoms, not both");
                scaling = null;
            }
        }
        return new ResourceSpec(nodes, ntasks, perNode, cpus, mem, gres, constraint, scaling);
    }

    private static Integer count(ConfigNode n, String key) {
        return n.has(key) ? n.integer(key, 1, 1, Integer.MAX_VALUE) : null;
    }

    private static String text(ConfigNode n, String key, java.util.function.UnaryOperator<String> check) {
        return n.parsed(key, v -> {
            if (!v.isValueNode() || v.asText().isBlank()) return ConfigNode.Parsed.<String>error("expected a value, got " + ConfigNode.describe(v));
            try {
                return ConfigNode.Parsed.ok(check.apply(v.asText()));
            } catch (IllegalArgumentException e) {
                return ConfigNode.Parsed.<String>error(e.getMessage());
            }
        }).orElse(null);
    }

    /**
     * Scheduler options that a first-class key sets, option to key: an {@code extra_directives} entry giving one of them
     * is refused (two values for one setting; which one SLURM takes depends on the order of lines).
     */
    static final Map<String, String> OPTIONS = Map.ofEntries(
            Map.entry("--nodes", "nodes"), Map.entry("-N", "nodes"), Map.entry("--ntasks", "ntasks"), Map.entry("-n", "ntasks"),
            Map.entry("--ntasks-per-node", "ntasks_per_node"), Map.entry("--cpus-per-task", "cpus_per_task"),
            Map.entry("-c", "cpus_per_task"), Map.entry("--mem", "mem"), Map.entry("--gres", "gres"),
            Map.entry("--constraint", "constraint"), Map.entry("-C", "constraint"), Map.entry("--qos", "qos"), Map.entry("-q", "qos"),
            Map.entry("--partition", "partition"), Map.entry("-p", "partition"), Map.entry("--account", "account"),
            Map.entry("-A", "account"), Map.entry("--time", "walltime"), Map.entry("-t", "walltime"),
            Map.entry("--array", "array_submission"), Map.entry("-a", "array_submission"), Map.entry("--job-name", ""),
            Map.entry("-J", ""), Map.entry("--output", ""), Map.entry("-o", ""), Map.entry("--chdir", ""), Map.entry("-D", ""),
            Map.entry("--comment", ""), Map.entry("--requeue", ""), Map.entry("--no-requeue", ""));

    /**
     * Why {@code directive} may not be an extra directive, or null when it may: the profile key that sets the same
     * option ({@code --mem=4G}: "write mem: 4G"), or that Crucible sets it itself (job name, output, ...).
     */
    static String duplicate(String directive) {
        String option;
        if (directive.startsWith("--")) {
            int eq = directive.indexOf('=');
            option = eq < 0 ? directive : directive.substring(0, eq);
        } else if (directive.length() >= 2 && directive.charAt(0) == '-') {
            option = directive.substring(0, 2);
        } else {
            return null;
        }
        String key = OPTIONS.get(option);
        if (key == null) return null;
        if (key.isEmpty()) return "'" + directive + "' sets " + option + ", which Crucible sets itself for every job; remove it";
        return "'" + directive + "' duplicates the profile key " + key + " (the first-class way to ask for it); write " + key
                + ": ... instead";
    }
}
