package org.crucible.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.crucible.core.config.ConfigurationException;

/**
 * A site: how to reach its login node, where Crucible may write, which queue to use and how each DFT code is
 * run there. Read from YAML by {@link ClusterProfiles}; see docs/clusters.md for a full example.
 *
 * <p>Nothing here is part of a task's identity: changing partition, walltime or packing never resubmits
 * finished work.
 *
 * @param name cluster name ({@code --cluster NAME})
 * @param transport {@code ssh} (default, Crucible's own SSH client), {@code openssh} (the system {@code ssh} with a
 *     ControlMaster socket, for logins with a second factor; docs/interop.md) or {@code local}: run scheduler commands
 *     on this machine (Crucible itself runs on the login node); host, user and keys are then unused
 * @param host login node
 * @param port SSH port
 * @param user remote user
 * @param identityFile OpenSSH private key, or null to use the ssh-agent
 * @param passphraseEnv environment variable holding the key's passphrase, or null
 * @param useAgent offer the ssh-agent's keys
 * @param knownHosts known_hosts file the host key is checked against
 * @param workRoot absolute remote directory; campaigns live in {@code <workRoot>/<campaign>/}
 * @param scheduler scheduler kind; {@code slurm}
 * @param submitCommand submit executable ({@code sbatch} or a site wrapper)
 * @param partition partition, or null
 * @param account account, or null
 * @param qos QOS, or null
 * @param ntasks MPI tasks per job (without a code's overrides and the atom-count rule: {@link #jobResources} is what a
 *     job asks for)
 * @param cpusPerTask cores per MPI task (ditto)
 * @param packing single points run one after another in one allocation (task farm), at least 1; with job arrays, in
 *     one array element (profile key {@code tasks_per_element})
 * @param walltime job time limit
 * @param taskTimeout limit of one task inside a job (killed and recorded as timed out)
 * @param maxJobsInQueue cap on this campaign's jobs in the queue at once
 * @param pollInterval time between status polls (one squeue for all jobs)
 * @param maxResubmissions resubmissions allowed per task after a failed attempt
 * @param accounting whether {@code sacct} works at this site (cross-check for jobs that left the queue)
 * @param environment shell lines run before the tasks (module loads, exports)
 * @param extraDirectives further scheduler directives, one token each
 * @param codes code name (e.g. {@code qe}) to its command template
 * @param maxChannels bound on concurrent SSH channels
 * @param unreachableDeadline how long the cluster may fail to answer (every SSH call refused or timing out) before a
 *     campaign stops cleanly with its state saved, to be resumed later
 * @param source the file this profile was read from, or null
 * @param sshRoute how {@code host} was resolved through an OpenSSH config file (alias, jump hosts), or null when it
 *     was used as written
 * @param controlPersist {@code openssh} transport: how long the master connection stays up after the last command
 *     (profile key {@code control_persist}, default 10 min)
 * @param arrayParallelism 0: jobs are task farms of {@code packing} tasks; N >= 1 (profile keys {@code array_submission:
 *     true}, {@code array_parallelism: N}): pending tasks go out as one SLURM job array per poll, {@code packing} tasks
 *     per element ({@code tasks_per_element}),
 *     at most N elements running at once
 * @param resources the profile's first-class resources (nodes, ntasks, ntasks_per_node, cpus_per_task, mem, gres,
 *     constraint, scale_with_atoms), which each code's section may override; null: {@code ntasks} tasks of
 *     {@code cpusPerTask} cores
 * @param reconnect the SSH client's reconnection schedule after a refused or dropped connection (profile key
 *     {@code reconnect: {attempts, initial_delay, max_delay, factor}}; default {@link org.crucible.dft.hpc.Backoff#DEFAULT_RECONNECT}:
 *     8 attempts, 1 s doubling to 60 s, about 2 min of waiting before a command fails); {@code ssh} transport only
 */
public record ClusterProfile(String name, String transport, String host, int port, String user, Path identityFile, String passphraseEnv,
        boolean useAgent, Path knownHosts, String workRoot, String scheduler, String submitCommand, String partition,
        String account, String qos, int ntasks, int cpusPerTask, int packing, Duration walltime, Duration taskTimeout,
        int maxJobsInQueue, Duration pollInterval, int maxResubmissions, boolean accounting, List<String> environment,
        List<String> extraDirectives, Map<String, CodeProfile> codes, int maxChannels, Duration unreachableDeadline, Path source,
        SshRoute sshRoute, Duration controlPersist, int arrayParallelism, ResourceSpec resources, org.crucible.dft.hpc.Backoff reconnect) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    /** Remote paths end up in scheduler directives, which are split on blanks: keep them to plain characters. */
    private static final Pattern REMOTE_PATH = Pattern.compile("/[A-Za-z0-9._/+@=,-]*");
    /**
     * Scheduler directive values (partition, account, qos, extra directives) are split on blanks by the scheduler
     * and end up in a job script: the same plain tokens the job request accepts, checked here so that {@code cluster
     * check} and a campaign refuse them before anything is submitted.
     */
    private static final Pattern DIRECTIVE = Pattern.compile("[A-Za-z0-9._:/%+=,@-]+");

    public ClusterProfile {
        require(name != null && NAME.matcher(name).matches(), "name", name, "letters, digits, '.', '_' or '-'");
        require(host != null && !host.isBlank(), "host", host, "a host name or address");
        require(port >= 1 && port <= 65535, "port", port, "in 1..65535");
        require(user != null && !user.isBlank(), "user", user, "a user name");
        require("ssh".equals(transport) || "openssh".equals(transport) || "local".equals(transport), "transport", transport,
                "'ssh', 'openssh' or 'local'");
        if (identityFile == null && !useAgent && "ssh".equals(transport)) {
            throw new IllegalArgumentException("identity_file: not given; name a private key file or set use_agent: true (only key authentication is supported)");
        }
        Objects.requireNonNull(knownHosts, "known_hosts");
        require(workRoot != null && REMOTE_PATH.matcher(workRoot).matches() && !workRoot.contains(".."), "work_root",
                workRoot, "an absolute path of letters, digits and ._/+@=,- without '..'");
        require("slurm".equals(scheduler), "scheduler", scheduler, "'slurm'");
        require(submitCommand != null && !submitCommand.isBlank(), "submit_command", submitCommand, "an executable");
        require(ntasks >= 1, "ntasks", ntasks, ">= 1");
        require(cpusPerTask >= 1, "cpus_per_task", cpusPerTask, ">= 1");
        require(packing >= 1, "packing", packing, ">= 1");
        require(walltime != null && walltime.toSeconds() >= 1, "walltime", walltime, "positive");
        require(taskTimeout != null && taskTimeout.toSeconds() >= 1, "task_timeout", taskTimeout, "positive");
        require(maxJobsInQueue >= 1, "max_jobs_in_queue", maxJobsInQueue, ">= 1");
        require(pollInterval != null && pollInterval.toMillis() >= 100, "poll_interval", pollInterval, ">= 100 ms");
        require(maxResubmissions >= 0, "max_resubmissions", maxResubmissions, ">= 0");
        require(maxChannels >= 1, "max_channels", maxChannels, ">= 1");
        require(unreachableDeadline != null && unreachableDeadline.toSeconds() >= 1, "unreachable_deadline", unreachableDeadline, "positive");
        require(arrayParallelism >= 0, "array_parallelism", arrayParallelism, ">= 1");
        require(controlPersist != null && controlPersist.toSeconds() >= 1, "control_persist", controlPersist, "at least 1s");
        if (reconnect == null) reconnect = org.crucible.dft.hpc.Backoff.DEFAULT_RECONNECT;
        for (String[] d : new String[][] {{"partition", partition}, {"account", account}, {"qos", qos}}) {
            require(d[1] == null || DIRECTIVE.matcher(d[1]).matches(), d[0], d[1], "letters, digits and ._:/%+=,@- only (no blanks, quotes or ';')");
        }
        environment = List.copyOf(environment);
        extraDirectives = List.copyOf(extraDirectives);
        for (String d : extraDirectives) {
            require(DIRECTIVE.matcher(d).matches(), "extra_directives", d, "one token of letters, digits and ._:/%+=,@- (e.g. --constraint=haswell)");
        }
        if (resources == null) resources = new ResourceSpec(null, ntasks, null, cpusPerTask, null, null, null, null);
        for (String d : extraDirectives) {
            String dup = ResourceSpec.duplicate(d);
            if (dup != null) throw new IllegalArgumentException("extra_directives: " + dup);
        }
        codes = Map.copyOf(codes);
        for (Map.Entry<String, CodeProfile> c : codes.entrySet()) {
            ResourceSpec merged = resources.overriddenBy(c.getValue().resources());
            if (merged.mem() != null) {
                for (String d : extraDirectives) {
                    require(!d.startsWith("--mem-per-"), "extra_directives", d, "left out when mem is given (SLURM refuses both)");
                }
            }
            try {
                merged.job(0);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("codes." + c.getKey() + ": " + e.getMessage(), e);
            }
        }
        require(!codes.isEmpty(), "codes", codes, "at least one code, e.g. qe: {command: \"srun pw.x -in {input}\"}");
        for (String line : environment) {
            require(line.indexOf('\n') < 0, "environment", line, "one line per entry");
        }
    }

    /** A profile with the default SSH reconnection schedule. */
    public ClusterProfile(String name, String transport, String host, int port, String user, Path identityFile, String passphraseEnv,
            boolean useAgent, Path knownHosts, String workRoot, String scheduler, String submitCommand, String partition,
            String account, String qos, int ntasks, int cpusPerTask, int packing, Duration walltime, Duration taskTimeout,
            int maxJobsInQueue, Duration pollInterval, int maxResubmissions, boolean accounting, List<String> environment,
            List<String> extraDirectives, Map<String, CodeProfile> codes, int maxChannels, Duration unreachableDeadline, Path source,
            SshRoute sshRoute, Duration controlPersist, int arrayParallelism, ResourceSpec resources) {
        this(name, transport, host, port, user, identityFile, passphraseEnv, useAgent, knownHosts, workRoot, scheduler,
                submitCommand, partition, account, qos, ntasks, cpusPerTask, packing, walltime, taskTimeout, maxJobsInQueue,
                pollInterval, maxResubmissions, accounting, environment, extraDirectives, codes, maxChannels, unreachableDeadline,
                source, sshRoute, controlPersist, arrayParallelism, resources, null);
    }

    /** A profile whose jobs ask for {@code ntasks} tasks of {@code cpusPerTask} cores and nothing else first-class. */
    public ClusterProfile(String name, String transport, String host, int port, String user, Path identityFile, String passphraseEnv,
            boolean useAgent, Path knownHosts, String workRoot, String scheduler, String submitCommand, String partition,
            String account, String qos, int ntasks, int cpusPerTask, int packing, Duration walltime, Duration taskTimeout,
            int maxJobsInQueue, Duration pollInterval, int maxResubmissions, boolean accounting, List<String> environment,
            List<String> extraDirectives, Map<String, CodeProfile> codes, int maxChannels, Duration unreachableDeadline, Path source,
            SshRoute sshRoute, Duration controlPersist, int arrayParallelism) {
        this(name, transport, host, port, user, identityFile, passphraseEnv, useAgent, knownHosts, workRoot, scheduler,
                submitCommand, partition, account, qos, ntasks, cpusPerTask, packing, walltime, taskTimeout, maxJobsInQueue,
                pollInterval, maxResubmissions, accounting, environment, extraDirectives, codes, maxChannels, unreachableDeadline,
                source, sshRoute, controlPersist, arrayParallelism, null, null);
    }

    /**
     * What one calculation of {@code code} on a structure of {@code atoms} atoms asks the scheduler for: the profile's
     * resources, overridden field by field by the code's section, with {@code scale_with_atoms} applied (atoms 0:
     * unknown, the rule's maximum). E.g. {@code ntasks_per_node: 4} at the top and {@code codes: {vasp: {mem: 8G}}} give
     * VASP jobs both.
     */
    public org.crucible.dft.hpc.JobResources jobResources(String code, int atoms) {
        return resources.overriddenBy(code(code).resources()).job(atoms);
    }

    /** The profile's resources without any code's overrides (the farm's default for tasks recorded without their own). */
    public org.crucible.dft.hpc.JobResources defaultResources() {
        return resources.job(0);
    }

    /** Whether commands go through the system OpenSSH client ({@code transport: openssh}). */
    public boolean openssh() {
        return "openssh".equals(transport);
    }

    /** Whether tasks are submitted as job arrays ({@code array_submission: true}). */
    public boolean arraySubmission() {
        return arrayParallelism > 0;
    }

    /** Whether scheduler commands run on this machine rather than over SSH. */
    public boolean local() {
        return "local".equals(transport);
    }

    private static void require(boolean ok, String field, Object value, String expected) {
        if (!ok) throw new IllegalArgumentException(field + ": '" + value + "' must be " + expected);
    }

    /** The command template for {@code code}, or a configuration error listing the configured codes. */
    public CodeProfile code(String code) {
        CodeProfile c = codes.get(code);
        if (c == null) {
            throw new ConfigurationException((source == null ? "cluster " + name : source.toString())
                    + ": no command for code '" + code + "' (configured: " + String.join(", ", codes.keySet().stream().sorted().toList())
                    + "); add codes: {" + code + ": {command: ...}}");
        }
        return c;
    }
}
