package org.crucible.config.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.crucible.core.config.ConfigNode;
import org.crucible.core.config.ConfigurationException;

class CampaignConfigLoaderTest {
    private static final String MINIMAL = "name: si8\ncomposition: Si8\noracle:\n  type: sw\n";

    @Test
    void minimalFileGetsThePaperDefaults() {
        CampaignConfig c = CampaignConfigLoader.parse(MINIMAL, false, "t.yaml");
        assertEquals("Si8", c.compositions().get(0).formula());
        assertEquals(1000, c.pools().training().size());
        assertEquals(30, c.pools().search().perGroup());
        assertEquals(100, c.protocol().cycle0Batch());
        assertEquals(0.05, c.protocol().relax().fmax());
        assertEquals(300, c.protocol().relax().steps());
        assertEquals(20, c.protocol().relax().patience());
        assertEquals(0.5, c.protocol().relax().maxUncertainty());
        assertEquals(0.5, c.protocol().selection().dbscanEps());
        assertEquals(2, c.protocol().selection().dbscanMinSamples());
        assertEquals("rms", c.protocol().selection().dbscanMetric(), "DBSCAN distances are per-feature RMS by default");
        assertEquals(0.5, c.protocol().selection().omegaF());
        assertEquals(100, c.protocol().selection().batch());
        assertEquals(CampaignConfig.Selection.AUTO_PRESELECT, c.protocol().selection().preselect(), "preselect: auto by default");
        assertEquals(0, c.protocol().selection().preselectFor(CampaignConfig.Selection.AUTO_ROWS), "auto: every row clustered up to AUTO_ROWS");
        assertEquals(CampaignConfig.Selection.AUTO_ROWS, c.protocol().selection().preselectFor(CampaignConfig.Selection.AUTO_ROWS + 1L),
                "auto: the AUTO_ROWS lowest scores above it");
        assertEquals(0.4, c.protocol().perturbation().epsilon(0), 1e-15);
        assertEquals(0.4 * 0.36, c.protocol().perturbation().epsilon(2), 1e-15);
        assertEquals(3, c.stopping().k());
        assertEquals(0.01, c.stopping().epsilonEvPerAtom());
        assertEquals(0.0, c.stopping().oracleAgreementEvPerAtom(), "the oracle-agreement rule is off unless asked for");
        assertEquals(15, c.stopping().maxCycles());
        assertEquals(8, c.potential().committee());
        assertEquals("local[*]", c.spark().master());
        assertEquals("store", c.store().uri());
        assertInstanceOf(Oracle.Embedded.class, c.oracle());
    }

    @Test
    void inlineDftSettingsReportEveryFieldErrorAtOnceWithItsLineAndTheOldSpellingOnce() {
        String yaml = """
                name: x
                composition: Si8
                oracle:
                  type: pw.x
                  settings:
                    pseudopotentials: {Si: Si.pz-vbc.UPF}
                    ecutwfc: -16
                    degauss: abc
                    kspacing: 0.4
                    kpoint_spacing: 0.3
                    ecutwfcc: 20
                """;
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> CampaignConfigLoader.parse(yaml, false, "c.yaml"));
        List<String> got = e.problems().stream().map(p -> p.line() + " " + p.path()).toList();
        assertTrue(got.contains("7 oracle.settings.ecutwfc") && got.contains("8 oracle.settings.degauss") && got.contains("11 oracle.settings.ecutwfcc"),
                e.getMessage());
        String both = e.problems().stream().filter(p -> p.path().equals("oracle.settings.kpoint_spacing")).findFirst().orElseThrow().message();
        assertTrue(both.contains("line 9") && both.contains("line 10") && both.contains("`kspacing`"), both);
        // The same recipe with the old spelling alone: read as kpoint_spacing (one warning on standard error).
        CampaignConfig c = CampaignConfigLoader.parse(yaml.replace("    kpoint_spacing: 0.3\n", "").replace("ecutwfc: -16", "ecutwfc: 16")
                .replace("degauss: abc", "degauss: 0.02").replace("    ecutwfcc: 20\n", ""), false, "c.yaml");
        assertEquals(0.4, ((Oracle.LocalDft) c.oracle()).settings().get("kpoint_spacing"));
    }

    @Test
    void fullFileIsReadField_by_field() {
        String yaml = """
                name: si16-sw
                seed: 7
                composition: [Si16, Si8]
                pools:
                  training: {size: 200, generator: random, min_separation_factor: 1.6, volume: metallic}
                  search: {per_group: 5, space_groups: [227, 141]}
                potential:
                  basis: {type: ace, cutoff: 4.5, max_degree: [10, 8], l_max: 4}
                  committee: 4
                protocol:
                  name: pool-relaxation
                  cycle0_batch: 20
                  relax: {fmax: 0.1, steps: 100, patience: 10, max_uncertainty: 0.3, min_separation_factor: 0.5, training_separation_factor: 0.8}
                  selection: {dbscan: {eps: 0.7, min_samples: 3, metric: euclidean}, omega_f: 0.2, batch: 10, noise: drop, preselect: 5000}
                  perturbation: {amplitude: 0.3, decay: 0.5}
                oracle:
                  type: pw.x
                  settings: {pseudopotentials: {Si: Si.pz-vbc.UPF}, ecutwfc: 16, kspacing: 0.5}
                stopping: {k: 2, epsilon: 0.005, cycles_compared: 2, max_cycles: 6, max_oracle_calls: 300, oracle_agreement: 0.025}
                spark: {master: "spark://127.0.0.1:7077", partitions: 4, ui: false}
                store: {uri: "hdfs://namenode:8020/crucible/si16"}
                """;
        CampaignConfig c = CampaignConfigLoader.parse(yaml, false, "t.yaml");
        assertEquals(7, c.seed());
        assertEquals(List.of("Si16", "Si8"), c.compositions().stream().map(Composition::formula).toList());
        assertEquals(List.of(227, 141), c.pools().search().spaceGroups());
        assertEquals(4.5, c.potential().cutoff());
        assertEquals(List.of(10, 8), c.potential().maxDegree());
        assertEquals("metallic", c.pools().training().volume());
        assertEquals(0.7, c.protocol().selection().dbscanEps());
        assertEquals(0.5, c.protocol().relax().minSeparationFactor());
        assertEquals(0.8, c.protocol().relax().trainingSeparationFactor());
        assertEquals("euclidean", c.protocol().selection().dbscanMetric());
        assertEquals("drop", c.protocol().selection().noise());
        assertEquals(5000, c.protocol().selection().preselect());
        Oracle.LocalDft dft = assertInstanceOf(Oracle.LocalDft.class, c.oracle());
        assertEquals(0.5, dft.settings().get("kpoint_spacing"), "the old spelling kspacing is read as kpoint_spacing");
        var resolved = org.crucible.dft.input.DftRecipe.resolve(org.crucible.dft.DftCode.QE,
                org.crucible.dft.input.Settings.of(dft.settings(), "t.yaml"), org.crucible.dft.input.RecipeDefaults.CURRENT).settings();
        assertEquals(64.0, resolved.get("ecutrho"));
        assertEquals(Map.of("Si", "Si.pz-vbc.UPF"), resolved.get("pseudopotentials"));
        assertEquals(0.025, c.stopping().oracleAgreementEvPerAtom());
        assertEquals(2, c.validation().topK(), "validation.top_k follows stopping.k by default");
        assertEquals("spark://127.0.0.1:7077", c.spark().master());
        assertFalse(c.spark().ui());
        assertEquals("hdfs://namenode:8020/crucible/si16", c.store().uri());
    }

    @Test
    void seedsTakeTheWholeUnsigned64BitRange() {
        assertEquals(-1L, CampaignConfigLoader.parse("seed: 18446744073709551615\n" + MINIMAL, false, "c.yaml").seed());
        assertEquals(Long.MIN_VALUE, CampaignConfigLoader.parse("seed: 9223372036854775808\n" + MINIMAL, false, "c.yaml").seed());
        assertEquals(Long.MAX_VALUE, CampaignConfigLoader.parse("seed: 9223372036854775807\n" + MINIMAL, false, "c.yaml").seed());
        assertEquals(0L, CampaignConfigLoader.parse(MINIMAL, false, "c.yaml").seed());
        assertEquals("18446744073709551615", Long.toUnsignedString(CampaignConfigLoader.parse("seed: 18446744073709551615\n" + MINIMAL, false, "c.yaml").seed()));
    }

    @Test
    void sparkSettingsPassThroughAsText() {
        CampaignConfig c = CampaignConfigLoader.parse(MINIMAL + "spark: {conf: {spark.driver.host: node01, spark.executor.cores: 4, "
                + "spark.speculation: false}}\n", false, "c.yaml");
        assertEquals(java.util.Map.of("spark.driver.host", "node01", "spark.executor.cores", "4", "spark.speculation", "false"), c.spark().conf());
        assertEquals(java.util.Map.of(), CampaignConfigLoader.parse(MINIMAL, false, "c.yaml").spark().conf());
    }

    @Test
    void jsonIsAccepted(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("c.json");
        Files.writeString(f, "{\"name\": \"j\", \"composition\": \"Si8\", \"oracle\": {\"type\": \"lj\", \"sigma\": 2.1},"
                + " \"protocol\": {\"selection\": {\"dbscan\": {\"eps\": 0.25}}}}");
        CampaignConfig c = CampaignConfigLoader.load(f);
        assertEquals(0.25, c.protocol().selection().dbscanEps());
        assertEquals(2.1, assertInstanceOf(Oracle.LennardJones.class, c.oracle()).sigma());
    }

    @Test
    void everyProblemOfAFileIsReportedAtOnceWithLines() {
        String yaml = "name: x\ncomposition: Si8\noracle: {type: sw}\nprotocol:\n  selection:\n    dbscan:\n      eps: -1\n"
                + "stopping:\n  max_cycle: 3\n";
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> CampaignConfigLoader.parse(yaml, false, "c.yaml"));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertEquals("protocol.selection.dbscan.eps", e.problems().get(0).path());
        assertEquals(7, e.problems().get(0).line());
        assertEquals("stopping.max_cycle", e.problems().get(1).path());
        assertEquals(9, e.problems().get(1).line());
        assertTrue(e.getMessage().startsWith("c.yaml: 2 problems"), e.getMessage());
    }

    @Test
    void theProtocolPresetChoosesEveryStageAndTheFileMaySwapOne() {
        CampaignConfig preset = CampaignConfigLoader.parse(MINIMAL, false, "c.yaml");
        assertEquals("pool-relaxation", preset.protocol().name());
        assertEquals(Protocols.POOL_RELAXATION, preset.protocol().stages());
        assertEquals("dbscan", preset.protocol().stage("selector"));
        CampaignConfig swapped = CampaignConfigLoader.parse(MINIMAL + "protocol:\n  name: pool-relaxation\n  stages:\n    selector: lowest-score\n"
                + "    convergence: none\n", false, "c.yaml");
        assertEquals("lowest-score", swapped.protocol().stage("selector"));
        assertEquals("none", swapped.protocol().stage("convergence"));
        assertEquals("relax", swapped.protocol().stage("explorer"), "stages not named keep the preset's");
        assertEquals(Protocols.KINDS.size(), swapped.protocol().stages().size());
    }

    @Test
    void everyStageKindHasItsPresetStageAmongTheKnownNames() {
        for (Map.Entry<String, Map<String, String>> p : Protocols.PRESETS.entrySet()) {
            assertEquals(Protocols.KINDS, List.copyOf(p.getValue().keySet()), p.getKey());
            for (String kind : Protocols.KINDS) assertTrue(Protocols.STAGES.get(kind).contains(p.getValue().get(kind)), p.getKey() + " " + kind);
        }
        assertEquals(Protocols.KINDS, List.copyOf(Protocols.STAGES.keySet()));
    }

    @Test
    void aKeyGivenTwiceIsRejectedWithItsLine() {
        String yaml = MINIMAL + "stopping:\n  k: 2\n  max_cycles: 4\n  k: 3\n";
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> CampaignConfigLoader.parse(yaml, false, "c.yaml"));
        assertTrue(e.getMessage().startsWith("c.yaml:"), e.getMessage());
        assertTrue(e.getMessage().contains("key 'k' is given twice"), e.getMessage());
        assertTrue(e.getMessage().contains(":8"), "line of the second k: " + e.getMessage());
        ConfigurationException j = assertThrows(ConfigurationException.class,
                () -> CampaignConfigLoader.parse("{\"name\": \"x\", \"name\": \"y\"}", true, "c.json"));
        assertTrue(j.getMessage().contains("key 'name' is given twice"), j.getMessage());
    }

    @Test
    void editDistanceIsLevenshtein() {
        assertEquals(0, ConfigNode.editDistance("eps", "eps"));
        assertEquals(1, ConfigNode.editDistance("max_cycle", "max_cycles"));
        assertEquals(3, ConfigNode.editDistance("kitten", "sitting"));
    }

    /** (description, yaml, expected path, fragments the message must contain). */
    static Stream<Arguments> mistakes() {
        return Stream.of(
                m("missing name", "composition: Si8\noracle: {type: sw}\n", "name", "is required"),
                m("bad name", "name: 'a b'\ncomposition: Si8\noracle: {type: sw}\n", "name", "'a b'"),
                m("missing composition", "name: x\noracle: {type: sw}\n", "composition", "is required"),
                m("unknown element", "name: x\ncomposition: Xx8\noracle: {type: sw}\n", "composition", "'Xx'"),
                m("garbled formula", "name: x\ncomposition: si8\noracle: {type: sw}\n", "composition", "'si8'"),
                m("formula not a string", "name: x\ncomposition: [Si8, 12]\noracle: {type: sw}\n", "composition[1]", "the number 12"),
                m("missing oracle", "name: x\ncomposition: Si8\n", "oracle", "is required"),
                m("unknown oracle", "name: x\ncomposition: Si8\noracle: {type: swx}\n", "oracle.type", "did you mean 'sw'"),
                m("unknown stage name", MINIMAL + "protocol:\n  stages:\n    selector: dbscn\n", "protocol.stages.selector",
                        "'dbscn'", "did you mean 'dbscan'", "lowest-score"),
                m("unknown stage kind", MINIMAL + "protocol: {stages: {selecter: dbscan}}\n", "protocol.stages.selecter", "did you mean 'selector'"),
                m("unknown protocol", MINIMAL + "protocol: {name: pool-relax}\n", "protocol.name", "'pool-relax'", "pool-relaxation"),
                m("unknown top-level key", MINIMAL + "stoping: {k: 2}\n", "stoping", "did you mean 'stopping'"),
                m("unknown nested key", MINIMAL + "protocol: {selection: {dbscan: {epsilon: 0.3}}}\n",
                        "protocol.selection.dbscan.epsilon", "did you mean 'eps'"),
                m("negative eps", MINIMAL + "protocol: {selection: {dbscan: {eps: -0.5}}}\n", "protocol.selection.dbscan.eps", "-0.5", "(0, 1000000]"),
                m("eps as text", MINIMAL + "protocol: {selection: {dbscan: {eps: half}}}\n", "protocol.selection.dbscan.eps", "'half'"),
                m("zero min_samples", MINIMAL + "protocol: {selection: {dbscan: {min_samples: 0}}}\n",
                        "protocol.selection.dbscan.min_samples", "out of range"),
                m("unknown DBSCAN metric", MINIMAL + "protocol: {selection: {dbscan: {metric: cosine}}}\n", "protocol.selection.dbscan.metric", "euclidean"),
                m("fractional steps", MINIMAL + "protocol: {relax: {steps: 2.5}}\n", "protocol.relax.steps", "expected an integer"),
                m("zero fmax", MINIMAL + "protocol: {relax: {fmax: 0}}\n", "protocol.relax.fmax", "eV/Angstrom"),
                m("unknown optimizer", MINIMAL + "protocol: {relax: {optimizer: lbfgs}}\n", "protocol.relax.optimizer", "[fire, bfgs]"),
                m("unknown protocol", MINIMAL + "protocol: {name: no-such-protocol}\n", "protocol.name", "pool-relaxation"),
                m("decay above one", MINIMAL + "protocol: {perturbation: {decay: 1.5}}\n", "protocol.perturbation.decay", "1.5"),
                m("noise handling", MINIMAL + "protocol: {selection: {noise: ignore}}\n", "protocol.selection.noise", "singletons"),
                m("batch smaller than k", MINIMAL + "protocol: {selection: {batch: 2}}\nstopping: {k: 3}\n", "protocol.selection.batch", "stopping.k"),
                m("negative preselect", MINIMAL + "protocol: {selection: {preselect: -5}}\n", "protocol.selection.preselect", "-5", "expected auto, 0 (off) or an integer"),
                m("preselect word", MINIMAL + "protocol: {selection: {preselect: sometimes}}\n", "protocol.selection.preselect", "sometimes", "expected auto"),
                m("preselect below batch", MINIMAL + "protocol: {selection: {preselect: 50, batch: 100}}\n", "protocol.selection.preselect",
                        "50", "protocol.selection.batch = 100"),
                m("cycle-0 batch beyond pool", MINIMAL + "pools: {training: {size: 50}}\n", "protocol.cycle0_batch", "pools.training.size"),
                m("space group 231", MINIMAL + "pools: {search: {space_groups: [227, 231]}}\n", "pools.search.space_groups", "1 to 230"),
                m("committee of one", MINIMAL + "potential: {committee: 1}\n", "potential.committee", "2 to 64"),
                m("degree list too long", MINIMAL + "potential: {basis: {max_degree: [10, 8, 6, 4]}}\n", "potential.basis.max_degree", "1 to 3"),
                m("basis cutoff", MINIMAL + "potential: {basis: {cutoff: 40}}\n", "potential.basis.cutoff", "Angstrom"),
                m("spark master", MINIMAL + "spark: {master: 'local[two]'}\n", "spark.master", "spark://HOST:PORT"),
                m("spark conf key", MINIMAL + "spark: {conf: {executor.memory: 8g}}\n", "spark.conf.executor.memory", "not a Spark setting"),
                m("spark conf master", MINIMAL + "spark: {conf: {spark.master: 'local[2]'}}\n", "spark.conf.spark.master", "own field"),
                m("spark conf nested", MINIMAL + "spark: {conf: {spark.executor: {memory: 8g}}}\n", "spark.conf.spark.executor", "expected a value"),
                m("store on an object store", MINIMAL + "store: {uri: 's3a://bucket/store'}\n", "store.uri", "not atomic", "exactly once"),
                m("store scheme", MINIMAL + "store: {uri: 'ftp://host/x'}\n", "store.uri", "unsupported scheme"),
                m("section not a mapping", MINIMAL + "stopping: 3\n", "stopping", "expected a mapping"),
                m("negative oracle agreement", MINIMAL + "stopping: {oracle_agreement: -0.1}\n", "stopping.oracle_agreement", "-0.1", "eV/atom"),
                m("stopping epsilon", MINIMAL + "stopping: {epsilon: 0}\n", "stopping.epsilon", "eV/atom"),
                m("hard-core guard above one", MINIMAL + "protocol: {relax: {min_separation_factor: 1.5}}\n", "protocol.relax.min_separation_factor",
                        "covalent radii"),
                m("ui flag", MINIMAL + "spark: {ui: yes please}\n", "spark.ui", "true or false"),
                m("dft without pseudopotentials", "name: x\ncomposition: Si8\noracle: {type: pw.x, settings: {ecutwfc: 20}}\n",
                        "oracle.settings.pseudopotentials", "is required"),
                m("pseudo for non-element", "name: x\ncomposition: Si8\noracle: {type: pw.x, settings: {pseudopotentials: {Sx: a.UPF}}}\n",
                        "oracle.settings.pseudopotentials.Sx", "not an element"),
                m("ecutrho too low", "name: x\ncomposition: Si8\noracle: {type: pw.x, settings: {pseudopotentials: {Si: a}, ecutwfc: 20, ecutrho: 40}}\n",
                        "oracle.settings.ecutrho", "4 * ecutwfc"),
                m("cluster without profile", "name: x\ncomposition: Si8\noracle: {type: cluster, settings: {pseudopotentials: {Si: a}}}\n",
                        "oracle.profile", "is required"),
                m("settings and settings_file", "name: x\ncomposition: Si8\noracle: {type: pw.x, settings_file: /etc/hostname, settings: {pseudopotentials: {Si: a}}}\n",
                        "oracle.settings", "not both"),
                m("missing recipe file", "name: x\ncomposition: Si8\noracle: {type: pw.x, settings_file: /nonexistent/qe.yaml}\n",
                        "oracle.settings_file", "does not exist"),
                m("vasp without recipe file", "name: x\ncomposition: Si8\noracle: {type: cluster, profile: p, code: vasp, settings: {pseudopotentials: {Si: a}}}\n",
                        "oracle.settings_file", "is required for code vasp"),
                m("eam without file", "name: x\ncomposition: Cu4Ni4\noracle: {type: eam}\n", "oracle.file", "is required"),
                m("missing eam file", "name: x\ncomposition: Cu4Ni4\noracle: {type: eam, file: /nonexistent/CuNi.eam.alloy}\n",
                        "oracle.file", "/nonexistent/CuNi.eam.alloy", "does not exist"),
                m("negative seed", "name: x\nseed: -1\ncomposition: Si8\noracle: {type: sw}\n", "seed", "[0, 18446744073709551615]", "-1"),
                m("seed above 2^64-1", "name: x\nseed: 18446744073709551616\ncomposition: Si8\noracle: {type: sw}\n", "seed", "18446744073709551616"),
                m("fractional seed", "name: x\nseed: 1.5\ncomposition: Si8\noracle: {type: sw}\n", "seed", "expected an integer"),
                m("sw key on lj", "name: x\ncomposition: Si8\noracle: {type: lj, parameter_file: Si.sw}\n",
                        "oracle.parameter_file", "unknown key"));
    }

    private static Arguments m(String what, String yaml, String path, String... fragments) {
        return Arguments.of(what, yaml, path, fragments);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void eachMistakeIsRejectedNamingItsField(String what, String yaml, String path, String[] fragments) {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> CampaignConfigLoader.parse(yaml, false, "c.yaml"), what);
        ConfigurationException.Problem p = e.problems().stream().filter(q -> q.path().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError(what + ": no problem at " + path + " in\n" + e.getMessage()));
        for (String f : fragments) assertTrue(p.message().contains(f), what + ": '" + f + "' missing from: " + p.message());
    }

    @Test
    void atLeastTwentyDistinctMistakesAreCovered() {
        assertTrue(mistakes().count() >= 20);
    }

    @Test
    void syntaxErrorNamesTheLine() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> CampaignConfigLoader.parse("name: x\ncomposition: [Si8\noracle: {type: sw}\n", false, "c.yaml"));
        assertTrue(e.getMessage().startsWith("c.yaml:"), e.getMessage());
        assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
    }

    @Test
    void recipeFileIsResolvedAgainstTheCampaignFileAndCanBeOverridden(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("campaigns"));
        Files.writeString(dir.resolve("campaigns/qe.yaml"), "code: qe\npseudopotentials: {Si: Si.pz-vbc.UPF}\necutwfc: 16\n");
        Path campaign = dir.resolve("campaigns/c.yaml");
        Files.writeString(campaign, "name: x\ncomposition: Si8\noracle: {type: cluster, profile: local, code: castep, settings_file: qe.yaml}\n");
        Oracle.Cluster c = assertInstanceOf(Oracle.Cluster.class, CampaignConfigLoader.load(campaign).oracle());
        assertEquals(dir.resolve("campaigns/qe.yaml").toString(), c.settingsFile());
        assertEquals("castep", c.code());
        assertEquals(null, c.settings(), "no inline settings with a recipe file");
        Path copy = dir.resolve("copy.yaml");
        Files.writeString(copy, "code: qe\n");
        Oracle.Cluster resumed = assertInstanceOf(Oracle.Cluster.class, CampaignConfigLoader.load(campaign, copy).oracle());
        assertEquals(copy.toString(), resumed.settingsFile(), "a resumed campaign reads its own copy of the recipe");
    }

    @Test
    void eamFileIsResolvedAgainstTheCampaignFile(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("campaigns/pot"));
        Files.writeString(dir.resolve("campaigns/pot/CuNi.eam.alloy"), "any contents: the calculator reads it\n");
        Path campaign = dir.resolve("campaigns/c.yaml");
        Files.writeString(campaign, "name: x\ncomposition: Cu4Ni4\noracle: {type: eam, file: pot/CuNi.eam.alloy}\n");
        Oracle.Eam e = assertInstanceOf(Oracle.Eam.class, CampaignConfigLoader.load(campaign).oracle());
        assertEquals(dir.resolve("campaigns/pot/CuNi.eam.alloy").toString(), e.file());
        assertEquals("eam", e.type());
    }
}
