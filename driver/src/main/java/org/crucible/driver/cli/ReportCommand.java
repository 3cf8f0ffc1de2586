package org.crucible.driver.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.crucible.core.config.ConfigurationException;
import org.crucible.driver.report.CampaignReport;
import org.crucible.executors.descriptors.SoapParameters;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code crucible report DIR [-o report.html] [--soap key=value ...]}: the campaign report, one self-contained HTML
 * file (inline SVG and CSS) plus the best structures as CIF and extended XYZ in {@code report-files/} beside it.
 */
@Command(name = "report", description = "Write a self-contained HTML report of a campaign (plots, best structures, provenance).")
public final class ReportCommand implements CliCommand, Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "campaign directory")
    Path dir;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "HTML file to write (default: DIR/report.html)")
    Path output;

    @Option(names = "--soap", paramLabel = "KEY=VALUE", description = "SOAP setting of the similarity map (nMax, lMax, sigmaAt, rCut, cutoffWidth, "
            + "centralWeight, zeta, species); default nMax=8 lMax=6 sigmaAt=0.5 rCut=5.0 zeta=4")
    Map<String, String> soap = new LinkedHashMap<>();

    @Override
    public Integer call() {
        CampaignCli.requireCampaign(dir);
        Path out = output != null ? output : dir.resolve("report.html");
        SoapParameters sp = null;
        if (!soap.isEmpty()) {
            try {
                sp = CampaignReport.defaultSoap().with(soap);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--soap: " + e.getMessage(), e);
            }
        }
        CampaignReport.Summary s;
        try {
            s = new CampaignReport(Clock.systemUTC(), sp).write(dir, out);
        } catch (ConfigurationException e) {
            throw new BadInputException(e.getMessage(), e);
        } catch (IOException | UncheckedIOException e) {
            throw new BadInputException("cannot write the report of " + dir + ": " + e.getMessage(), e);
        }
        var w = spec.commandLine().getOut();
        w.printf("wrote %s (%d bytes, %d plots, %d structure files)%n", s.html(), s.bytes(), s.plots().size(), s.files().size());
        w.flush();
        return 0;
    }
}
