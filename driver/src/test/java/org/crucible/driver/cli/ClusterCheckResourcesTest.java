package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crucible cluster check --offline [--atoms N] [--json]}: the resources each code's jobs ask for under a profile
 * with top-level resources, a per-code override and {@code scale_with_atoms}, as the request in the profile's words and
 * the {@code #SBATCH} lines of the real script writer; bad {@code --atoms} is exit 2. No cluster is contacted.
 */
class ClusterCheckResourcesTest {
    static final String PROFILE = """
            name: site
            transport: local
            host: login.site.org
            user: jdoe
            work_root: /scratch/crucible
            partition: standard
            account: e89
            nodes: 1
            ntasks_per_node: 16
            cpus_per_task: 2
            mem: 64G
            walltime: "02:00:00"
            codes:
              qe:
                command: "srun pw.x -in {input}"
              vasp:
                command: "srun vasp_std"
                mem: 8G
                scale_with_atoms: {atoms_per_task: 4, max_ntasks: 96}
            """;

    @TempDir
    Path tmp;

    @Test
    void printsEachCodesRequestAndItsSbatchLinesForTheGivenSize() throws Exception {
        Path f = Files.writeString(tmp.resolve("site.yaml"), PROFILE);
        CampaignCliTest.Result r = CampaignCliTest.cli("cluster", "check", "--cluster", "site", "--config", f.toString(), "--offline", "--atoms", "10");
        assertEquals(0, r.code(), r.out() + r.err());
        String out = r.out();
        assertTrue(out.startsWith("PASS  profile    " + f), out);
        assertTrue(out.contains("a calculation of 10 atom(s)"), out);
        assertTrue(out.contains("qe: 32 cores: ntasks 16 x cpus_per_task 2, nodes 1, ntasks_per_node 16, mem 64G"), out);
        // 10 atoms / 4 per task -> 3 ranks; nodes left to SLURM; the code's own memory
        assertTrue(out.contains("vasp: 6 cores: ntasks 3 x cpus_per_task 2, ntasks_per_node 16, mem 8G"), out);
        List<String> vasp = directivesAfter(out, "vasp:");
        assertEquals(List.of("#SBATCH --partition=standard", "#SBATCH --account=e89", "#SBATCH --ntasks=3", "#SBATCH --ntasks-per-node=16",
                "#SBATCH --cpus-per-task=2", "#SBATCH --mem=8G", "#SBATCH --time=02:00:00", "#SBATCH --no-requeue"), vasp);
        assertFalse(out.contains("ssh"), "--offline: nothing contacted: " + out);

        r = CampaignCliTest.cli("cluster", "check", "--cluster", "site", "--config", f.toString(), "--offline", "--json");
        assertEquals(0, r.code(), r.out() + r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("site", j.get("cluster").asText());
        assertFalse(j.get("connected").asBoolean());
        JsonNode v = j.get("resources").get("vasp");
        assertTrue(v.get("atoms").isNull(), "no --atoms: the rule's maximum");
        assertEquals(96, v.get("ntasks").asInt());
        assertEquals(192, v.get("cores").asInt());
        assertEquals("8G", v.get("mem").asText());
        assertTrue(v.get("nodes").isNull());
        JsonNode q = j.get("resources").get("qe");
        assertEquals(1, q.get("nodes").asInt());
        assertEquals(16, q.get("ntasks").asInt());
        assertEquals(2, q.get("cpus_per_task").asInt());
        assertEquals("64G", q.get("mem").asText());
        assertTrue(q.get("directives").toString().contains("#SBATCH --nodes=1"), q.toString());
        assertEquals(1, j.get("checks").size(), "the profile check only: " + j.get("checks"));
        assertTrue(j.get("ok").asBoolean());

        r = CampaignCliTest.cli("cluster", "check", "--cluster", "site", "--config", f.toString(), "--offline", "--atoms", "0");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--atoms: 0 must be >= 1"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertEquals("", r.out(), "bad input before any output");
    }

    /** The directive lines printed under the code's line. */
    private static List<String> directivesAfter(String out, String codeLine) {
        List<String> lines = out.lines().map(String::strip).toList();
        List<String> d = new ArrayList<>();
        int i = lines.indexOf(lines.stream().filter(l -> l.startsWith(codeLine)).findFirst().orElseThrow());
        for (int k = i + 1; k < lines.size() && lines.get(k).startsWith("#SBATCH"); k++) d.add(lines.get(k));
        return d;
    }
}
