package org.crucible.driver.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.crucible.executors.calculators.Calculator;
import org.crucible.executors.potentials.LinearPotential;
import org.crucible.executors.potentials.ModelFile;
import org.crucible.executors.potentials.Prediction;
import org.crucible.executors.relax.EarlyStop;

/**
 * The {@code --potential MODEL.json} options shared by {@code calc} and {@code relax}: loading a fitted
 * {@link LinearPotential} (docs/potential.md), choosing between it and a reference {@code --calculator}, the
 * uncertainty fields of calc's JSON lines and relax's {@code --max-uncertainty} stop rule.
 */
final class PotentialOptions {
    private PotentialOptions() {
    }

    /** Exactly one of {@code --calculator SPEC} and {@code --potential MODEL.json}. */
    static Calculator choose(String calculatorSpec, Path potential) {
        if ((calculatorSpec == null) == (potential == null)) {
            throw new BadInputException("give exactly one of --calculator SPEC and --potential MODEL.json");
        }
        return potential != null ? load(potential) : CalcCommand.calculator(calculatorSpec);
    }

    static LinearPotential load(Path model) {
        return load(model, "--potential");
    }

    /** The model file given as {@code what} (an option such as --potential, or a parameter such as MODEL.json), named in errors. */
    static LinearPotential load(Path model, String what) {
        if (!Files.isRegularFile(model)) throw new BadInputException(what + ": model file " + model + " does not exist");
        try {
            return ModelFile.read(model).potential();
        } catch (IllegalArgumentException e) {
            throw new BadInputException(what + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new BadInputException(what + ": cannot read " + model + ": " + e.getMessage(), e);
        }
    }

    /** calc's JSON line with sigma_energy_eV, max_rel_force_uncertainty, ensemble_uncertainty and extrapolation_grade. */
    static String withUncertainty(String jsonLine, Prediction p) {
        StringBuilder sb = new StringBuilder(jsonLine.substring(0, jsonLine.length() - 1));
        sb.append(",\"sigma_energy_eV\":").append(p.sigmaEnergy());
        sb.append(",\"max_rel_force_uncertainty\":").append(p.maxRelativeForceUncertainty());
        sb.append(",\"softmax_rel_force_uncertainty\":").append(p.softmaxRelativeForceUncertainty());
        sb.append(",\"ensemble_uncertainty\":").append(number(p.ensembleUncertainty()));
        sb.append(",\"extrapolation_grade\":").append(number(p.extrapolationGrade()));
        return sb.append('}').toString();
    }

    /** Stops a relaxation once U = max_i sigma_F,i / max_i |F_i| (NN-ensemble paper, eq. 5) exceeds {@code bound}. */
    static EarlyStop uncertaintyStop(LinearPotential potential, double bound) {
        if (!(bound > 0)) throw new BadInputException("--max-uncertainty must be > 0, got " + bound);
        return (s, step) -> potential.predict(s, false).ensembleUncertainty() > bound;
    }

    private static String number(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }
}
