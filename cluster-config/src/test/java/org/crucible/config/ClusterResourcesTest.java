package org.crucible.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.crucible.core.config.ConfigurationException;
import org.crucible.dft.hpc.JobResources;
import org.junit.jupiter.api.Test;

/** First-class resources in a cluster profile: read, merged per code, scaled with the atom count, refused at their line. */
class ClusterResourcesTest {
    private static final Path F = Path.of("/etc/crucible/site.yaml");
    /** Lines 1-14 fixed; resource keys go at line 8 onwards by replacing the marker. */
    private static final String BASE = """
            name: site
            host: login.site.example.org
            user: jdoe
            identity_file: ~/.ssh/id_ed25519
            known_hosts: known_hosts
            work_root: /scratch/jdoe/crucible
            partition: standard
            RESOURCES
            codes:
              qe:
                command: "srun pw.x -in {input}"
              vasp:
                command: "srun vasp_std"
            """;

    private static ClusterProfile parse(String resources) {
        return ClusterProfiles.parse(BASE.replace("RESOURCES", resources), F, w -> { });
    }

    private static String problem(String resources) {
        return assertThrows(ConfigurationException.class, () -> parse(resources)).getMessage();
    }

    @Test
    void readsEveryResourceKeyWithPerCodeOverridesAndAtomScaling() {
        ClusterProfile p = ClusterProfiles.parse(BASE.replace("RESOURCES\n", """
                nodes: 2
                ntasks_per_node: 64
                cpus_per_task: 2
                mem: 200g
                gres: gpu:a100:4
                constraint: intel&(ib|opa)
                qos: high
                """).replace("    command: \"srun vasp_std\"\n", """
                    command: "srun -n {ntasks} vasp_std"
                    mem: 4096
                    ntasks_per_node: 32
                    scale_with_atoms: {atoms_per_task: 4, max_ntasks: 96}
                """), F, w -> { });
        assertEquals(new JobResources(2, 0, 64, 2, "200G", "gpu:a100:4", "intel&(ib|opa)"), p.jobResources("qe", 10),
                "QE: the profile's resources; the atom count changes nothing without a rule");
        assertEquals(128, p.ntasks(), "nodes x ntasks_per_node");
        assertEquals(2, p.cpusPerTask());
        assertEquals("high", p.qos());
        // VASP: memory and tasks per node overridden, ntasks from the rule, nodes left to SLURM
        assertEquals(new JobResources(0, 3, 32, 2, "4096M", "gpu:a100:4", "intel&(ib|opa)"), p.jobResources("vasp", 10),
                "ceil(10 / 4) = 3 tasks");
        assertEquals(1, p.jobResources("vasp", 1).ntasks(), "at least one task");
        assertEquals(96, p.jobResources("vasp", 1000).ntasks(), "capped at max_ntasks");
        assertEquals(96, p.jobResources("vasp", 0).ntasks(), "unknown size: the maximum");
    }

    @Test
    void aCodeGivingNtasksReplacesTheProfilesRuleAndTheOtherWayRound() {
        ClusterProfile p = parse("scale_with_atoms: {atoms_per_task: 8, max_ntasks: 16}");
        assertEquals(5, p.jobResources("qe", 33).ntasks(), "ceil(33 / 8)");
        ClusterProfile q = ClusterProfiles.parse(BASE.replace("RESOURCES", "scale_with_atoms: {atoms_per_task: 8, max_ntasks: 16}")
                .replace("    command: \"srun pw.x -in {input}\"\n", "    command: \"srun pw.x -in {input}\"\n    ntasks: 4\n"), F, w -> { });
        assertEquals(4, q.jobResources("qe", 33).ntasks(), "the code's ntasks wins over the profile's rule");
        assertEquals(5, q.jobResources("vasp", 33).ntasks(), "other codes keep the rule");
        ClusterProfile r = ClusterProfiles.parse(BASE.replace("RESOURCES", "ntasks: 12")
                .replace("    command: \"srun vasp_std\"\n", "    command: \"srun vasp_std\"\n    scale_with_atoms: {atoms_per_task: 2, max_ntasks: 64}\n"),
                F, w -> { });
        assertEquals(12, r.jobResources("qe", 33).ntasks());
        assertEquals(17, r.jobResources("vasp", 33).ntasks(), "the code's rule wins over the profile's ntasks");
        assertEquals(JobResources.of(1, 1), parse("# nothing").jobResources("qe", 8), "defaults: one task of one core");
    }

    @Test
    void nonsenseIsRefusedAtItsLine() {
        String head = F + ": 1 problem\n  line 8: ";
        assertEquals(head + "mem: '4X' is not an amount of memory: a positive whole number with unit K, M, G or T (e.g. 4G, 500M; "
                + "a bare number is MB)", problem("mem: 4X"));
        assertEquals(head + "mem: '1.5G' is not an amount of memory: a positive whole number with unit K, M, G or T (e.g. 4G, 500M; "
                + "a bare number is MB)", problem("mem: 1.5G"));
        assertEquals(head + "gres: 'gpu' must be name[:type]:count with a count of at least 1, comma-separated (e.g. gpu:2, gpu:a100:4)",
                problem("gres: gpu"));
        assertEquals(head + "gres: 'gpu:a100:0' must be name[:type]:count with a count of at least 1, comma-separated (e.g. gpu:2, gpu:a100:4)",
                problem("gres: gpu:a100:0"));
        assertEquals(head + "constraint: 'intel&(ib' must be a node feature expression of letters, digits and _.-:&|,*[]() with "
                + "balanced brackets, no blanks (e.g. haswell, intel&ib, [rack1|rack2])", problem("constraint: intel&(ib"));
        assertEquals(head + "constraint: 'a\"b' must be a node feature expression of letters, digits and _.-:&|,*[]() with "
                + "balanced brackets, no blanks (e.g. haswell, intel&ib, [rack1|rack2])", problem("constraint: 'a\"b'"));
        assertEquals(head + "nodes: value 0 is out of range: allowed integers 1 to 2147483647", problem("nodes: 0"));
        assertEquals(head + "ntasks_per_node: expected an integer in [1, 2147483647], got the string 'lots'", problem("ntasks_per_node: lots"));
        assertEquals(F + ": 1 problem\n  line 9: scale_with_atoms: sets ntasks from the atom count; give either ntasks or "
                + "scale_with_atoms, not both", problem("ntasks: 4\nscale_with_atoms: {atoms_per_task: 8, max_ntasks: 16}"));
        assertEquals(head + "scale_with_atoms.max_ntasks: is required: the most MPI tasks of one calculation, e.g. 128",
                problem("scale_with_atoms: {atoms_per_task: 8}"));
        assertEquals(head + "ntasks: 9 is more than nodes x ntasks_per_node = 2 x 4; drop one of the three or make them agree",
                problem("ntasks: 9\nnodes: 2\nntasks_per_node: 4"));
        // a bad value inside a code's section is reported at its own line
        String e = assertThrows(ConfigurationException.class, () -> ClusterProfiles.parse(BASE.replace("RESOURCES\n", "")
                .replace("    command: \"srun vasp_std\"\n", "    command: \"srun vasp_std\"\n    mem: 8 GB\n"), F, w -> { })).getMessage();
        assertEquals(F + ": 1 problem\n  line 13: codes.vasp.mem: '8 GB' is not an amount of memory: a positive whole number with "
                + "unit K, M, G or T (e.g. 4G, 500M; a bare number is MB)", e);
    }

    @Test
    void anExtraDirectiveDuplicatingAFirstClassKeyIsRefused() {
        String head = F + ": 1 problem\n  line 8: ";
        assertEquals(head + "extra_directives: '--mem=4G' duplicates the profile key mem (the first-class way to ask for it); write "
                + "mem: ... instead", problem("extra_directives: [\"--hint=nomultithread\", \"--mem=4G\"]"));
        assertEquals(head + "extra_directives: '-N2' duplicates the profile key nodes (the first-class way to ask for it); write "
                + "nodes: ... instead", problem("extra_directives: [-N2]"));
        assertEquals(head + "extra_directives: '--constraint=haswell' duplicates the profile key constraint (the first-class way to "
                + "ask for it); write constraint: ... instead", problem("extra_directives: [--constraint=haswell]"));
        assertEquals(head + "extra_directives: '--job-name=x' sets --job-name, which Crucible sets itself for every job; remove it",
                problem("extra_directives: [--job-name=x]"));
        assertEquals(F + ": 1 problem\n  line 9: extra_directives: '--mem-per-cpu=2G' must be left out when mem is given (SLURM refuses both)",
                problem("mem: 4G\nextra_directives: [--mem-per-cpu=2G]"));
        assertEquals(java.util.List.of("--hint=nomultithread", "--mem-per-cpu=2G", "--gpus-per-task=1"),
                parse("extra_directives: [--hint=nomultithread, --mem-per-cpu=2G, --gpus-per-task=1]").extraDirectives(),
                "options without a first-class key stay allowed");
    }
}
