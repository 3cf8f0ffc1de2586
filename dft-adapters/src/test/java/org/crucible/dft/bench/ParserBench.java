package org.crucible.dft.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.crucible.dft.DftCode;
import org.crucible.dft.DftParsers;
import org.crucible.dft.DftResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to parse the shared DFT samples (whole file, every step kept). Needs the shared samples: run from the
 * repository root with {@code -Dcrucible.shared=<dir>} or the default {@code ../shared}. See docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ParserBench {
    @Param({"vasp:vasp/HCNOAl_175at_singlepoint_v544/OUTCAR", "vasp:vasp/Y2O3_scf_unconverged_v641/vasprun.xml",
            "vasp:vasp/FeO_relax_converged_v535/OUTCAR", "vasp:vasp/FeO_relax_converged_v535/vasprun.xml",
            "qe:qe/co_relax_testsuite/relax.out", "castep:castep/Si2_geomopt_failed_v17/aiida.castep",
            "orca:orca/dvb_geomopt_orca501/dvb_gopt.out"})
    public String sample;

    private DftCode code;
    private Path file;

    @Setup
    public void setup() {
        String[] p = sample.split(":", 2);
        code = DftCode.parse(p[0]);
        file = Path.of(System.getProperty("crucible.shared", "../shared"), "dft-samples", p[1]);
    }

    @Benchmark
    public DftResult parseAllSteps() {
        return DftParsers.forCode(code).parse(file, true);
    }
}
