package org.crucible.executors.potentials.bench;

import java.util.List;
import org.crucible.core.Structure;
import org.crucible.executors.calculators.StillingerWeber;
import org.crucible.executors.descriptors.AceBasis;
import org.crucible.executors.descriptors.AceParameters;
import org.crucible.executors.potentials.FitOptions;
import org.crucible.executors.potentials.FitResult;
import org.crucible.executors.potentials.PotentialFitter;
import org.crucible.executors.potentials.SiStructures;

/**
 * The accuracy bar's data (300 train, 500 test SW-labelled Si structures) fitted with the default ACE basis
 * (rCut 5, correlation order 3, F = 307) for comparison with the SW-matched basis of SwAceBarTest.
 */
public final class BarReport {
    public static void main(String[] args) {
        StillingerWeber sw = StillingerWeber.silicon();
        List<Structure> train = SiStructures.label(SiStructures.mixed(1, 300), sw);
        List<Structure> test = SiStructures.label(SiStructures.mixed(2, 500), sw);
        for (String solver : new String[] {"brr", "ard"}) {
            AceBasis basis = new AceBasis(AceParameters.defaults(14));
            FitResult fit = PotentialFitter.fit(train, basis, FitOptions.defaults().withSolver(solver).withActiveSet(false));
            System.out.printf("default ACE F=%d %s: train %s test %s hyper %s excluded %d%n", basis.size(), solver, fit.trainingErrors(),
                    PotentialFitter.errors(fit.potential(), test), fit.posterior().hyperparameters(), fit.excluded().size());
        }
    }
}
