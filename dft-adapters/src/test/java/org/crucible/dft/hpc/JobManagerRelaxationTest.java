package org.crucible.dft.hpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.crucible.core.Structure;
import org.crucible.core.io.Poscar;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.dft.DftCode;
import org.crucible.dft.DftParsers;
import org.crucible.dft.FeoSample;
import org.crucible.dft.RelaxationOutcome;
import org.crucible.dft.hpc.FarmState.TaskPhase;
import org.crucible.dft.hpc.testing.SiliconTasks;
import org.crucible.dft.input.InputSet;
import org.crucible.dft.input.RelaxationRequest;
import org.crucible.dft.qe.QeInputGenerator;
import org.crucible.dft.run.LocalRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relaxations as single tasks of the farm, run through the real job scripts, remote commands ({@link LocalShell})
 * and file transfers, with a scheduler that runs each job script at once on submission (no SLURM needed): a
 * real pw.x {@code vc-relax}, a pw.x {@code relax} stopped by its step limit (pw.x exits 3: done, not failed and
 * resubmitted), and a VASP-shaped task whose extra output CONTCAR must come back beside OUTCAR so that the
 * relaxation can be read from the downloaded outputs.
 */
class JobManagerRelaxationTest {
    @TempDir
    Path local;

    @TempDir
    Path remote;

    /** Runs the job script synchronously at "submission"; the queue is always empty (every job has ended). */
    static final class ImmediateScheduler extends Scheduler {
        @Override
        public String name() {
            return "immediate";
        }

        @Override
        protected String directivePrefix() {
            return "#IMMEDIATE";
        }

        @Override
        protected List<String> directives(JobRequest request) {
            return List.of("--job-name=" + request.jobName());
        }

        @Override
        public List<String> submitCommand(String scriptPath) {
            // job ids from a counter in the campaign directory (the command runs in <campaign>/jobs/<batch>)
            return List.of("sh", "-c", "n=$(( $(cat ../../job-counter 2>/dev/null || echo 0) + 1 )); echo $n > ../../job-counter; "
                    + "SLURM_JOB_ID=$n bash " + scriptPath + " > job.log 2>&1; echo \"Submitted batch job $n\"");
        }

        @Override
        public String parseJobId(String submitOutput) throws SchedulerException {
            String s = submitOutput.strip();
            if (!s.startsWith("Submitted batch job ")) throw new SchedulerException("unexpected submit output: " + s);
            return s.substring("Submitted batch job ".length());
        }

        @Override
        protected List<String> queueCommand(String jobName) {
            return List.of("true");
        }

        @Override
        protected List<QueueEntry> parseQueue(String output) {
            return List.of();
        }

        @Override
        protected List<String> cancelCommand(Collection<String> jobIds) {
            return List.of("true");
        }

        @Override
        public JobState state(String code) {
            return JobState.UNKNOWN;
        }
    }

    @Test
    void relaxationTasksComeBackReadable() throws Exception {
        QeInputGenerator g = SiliconTasks.assumePwAndRecipe();
        Path feo = TestEnvironment.assumeShared("dft-samples/vasp/FeO_relax_converged_v535");
        Structure si2 = SiliconTasks.si2(0.06).withCell(SiliconTasks.si2(0.0).cell().strained(new double[] {-0.02, -0.02, -0.02, 0, 0, 0}), true);
        InputSet vc = g.relaxationInputSet(si2, new RelaxationRequest(0.01, 0.0, 40, true));
        InputSet limited = g.relaxationInputSet(si2, new RelaxationRequest(0.001, 0.0, 1, false));
        // VASP is not installed: the "code" puts the real FeO OUTCAR and its final geometry in place
        Structure feoInitial = Poscar.read(feo.resolve("POSCAR"), w -> { });
        InputSet vasp = new InputSet(DftCode.VASP, Map.of("OUTCAR.src", Files.readString(feo.resolve("OUTCAR")), "CONTCAR.src", FeoSample.CONTCAR),
                List.of(), "vasp.out", "OUTCAR", List.of("CONTCAR"));

        FarmSettings fs = new FarmSettings("relax", remote.toString(), null, null, null, 1, 1, Duration.ofMinutes(10), List.of(),
                List.of("export OMP_NUM_THREADS=1"), 3, 1, Duration.ofMillis(10), Duration.ofMillis(20), 1, Duration.ofMinutes(5), false);
        try (JobManager m = new JobManager(fs, new LocalShell(), new ImmediateScheduler(), local.resolve("state"), Clock.systemUTC(), Sleeper.SYSTEM)) {
            List<String> qe = m.add(List.of(new DftTask("si2 vc-relax", vc), new DftTask("si2 relax 1 step", limited)),
                    in -> "pw.x " + ShellQuote.join(in.arguments()));
            List<String> vs = m.add(List.of(new DftTask("feo", vasp)), in -> "cp OUTCAR.src OUTCAR && cp CONTCAR.src CONTCAR");
            Map<String, TaskOutcome> out = m.run(p -> { });

            TaskOutcome vcOut = out.get(qe.get(0));
            assertEquals(TaskPhase.DONE, vcOut.phase(), vcOut.message() + " " + vcOut.failures());
            RelaxationOutcome viaFarm = DftParsers.relaxation(DftCode.QE, vcOut.outputDir(), vc, si2);
            assertTrue(viaFarm.converged());
            Path direct = local.resolve("direct");
            new LocalRunner(List.of("pw.x"), Map.of("OMP_NUM_THREADS", "1"), Duration.ofMinutes(3)).run(vc, direct);
            RelaxationOutcome here = DftParsers.relaxation(DftCode.QE, direct, vc, si2);
            assertEquals(here.ionicSteps(), viaFarm.ionicSteps());
            assertEquals(here.relaxed().labels().energy(), viaFarm.relaxed().labels().energy(), 1e-6);
            assertArrayEquals(here.relaxed().positions(), viaFarm.relaxed().positions(), 1e-8);

            TaskOutcome limitedOut = out.get(qe.get(1));
            assertEquals(TaskPhase.DONE, limitedOut.phase(), "pw.x's exit 3 at nstep is a normal end: " + limitedOut.failures());
            assertTrue(limitedOut.failures().isEmpty(), "not resubmitted: " + limitedOut.failures());
            assertEquals("3", Files.readString(limitedOut.outputDir().resolve("exit_code")).strip());
            RelaxationOutcome one = DftParsers.relaxation(DftCode.QE, limitedOut.outputDir(), limited, si2);
            assertFalse(one.converged());
            assertEquals(1, one.ionicSteps());

            TaskOutcome vaspOut = out.get(vs.get(0));
            assertEquals(TaskPhase.DONE, vaspOut.phase(), vaspOut.message() + " " + vaspOut.failures());
            assertTrue(Files.isRegularFile(vaspOut.outputDir().resolve("CONTCAR")), "the extra output was downloaded");
            assertEquals(List.of("CONTCAR"), m.state().tasks().get(vs.get(0)).extraOutputs());
            RelaxationOutcome feoOut = DftParsers.relaxation(DftCode.VASP, vaspOut.outputDir(), vasp, feoInitial);
            assertTrue(feoOut.converged());
            assertEquals(28, feoOut.ionicSteps());
            assertEquals(-2.00559199, feoOut.relaxed().cell().matrix()[0], 1e-12);
        }
    }
}
