package org.crucible.dft.vasp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.crucible.core.units.Units;
import org.crucible.dft.DftCode;
import org.crucible.dft.DftParseException;
import org.crucible.dft.DftResult;
import org.crucible.dft.DftStatus;
import org.crucible.dft.DftStep;

/**
 * Reads a VASP vasprun.xml with a streaming (StAX) parser, so large files use little memory and a file cut off
 * mid-run still yields the steps completed before the cut (status incomplete). Tested on 5.3.5, 5.4.4, 6.4.1.
 *
 * <p>Each {@code <calculation>} is an ionic step: energy from its own {@code <energy>} block
 * ({@code e_fr_energy}, the free energy), forces from {@code <varray name="forces">} (eV/Angstrom), stress from
 * {@code <varray name="stress">} (kB, pressure sign; converted with sigma_ASE = -0.1 GPa * kB). The sigma->0
 * energy is {@code e_0_energy}, except that VASP 5 prints 0.0 there at the calculation level (a known VASP
 * bug), in which case the last {@code <scstep>}'s value is used.
 *
 * <p>Electronic convergence (as pymatgen): a step converged when it used fewer than NELM {@code <scstep>}s, or
 * exactly NELM with its last energy change below EDIFF. Ionic convergence for relaxations (IBRION 1-3,
 * NSW > 0): fewer ionic steps than NSW. A file without {@code </modeling>} is incomplete.
 */
public final class VasprunParser {
    public DftResult parse(Path file, boolean allSteps) {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        State st = new State();
        String name = String.valueOf(file);
        try (InputStream in = Files.newInputStream(file)) {
            XMLStreamReader r = f.createXMLStreamReader(in);
            try {
                read(r, st, name);
            } catch (XMLStreamException e) {
                int line = e.getLocation() != null ? e.getLocation().getLineNumber() : 0;
                if (!st.sawModeling) throw new DftParseException(name, line, "not a vasprun.xml: " + e.getMessage().lines().reduce((a, b) -> b).orElse(""));
                st.truncatedAt = line;
            }
        } catch (IOException e) {
            throw new DftParseException(name, 0, "cannot read: " + e.getMessage());
        } catch (XMLStreamException e) {
            throw new DftParseException(name, 0, "not XML: " + e.getMessage());
        }
        if (!st.sawModeling) throw new DftParseException(name, 0, "not a vasprun.xml (no <modeling> root)");
        int nAtoms = st.nAtoms;
        if (nAtoms < 0) {
            return new DftResult(DftCode.VASP, st.version, DftStatus.INCOMPLETE, "vasprun.xml ends before <atominfo>", 0, null, List.of(), null, name);
        }
        int nelm = st.intParam("NELM", 60);
        double ediff = st.doubleParam("EDIFF", 1e-4);
        int ibrion = st.intParam("IBRION", -1);
        int nsw = st.intParam("NSW", 0);
        List<DftStep> steps = new ArrayList<>();
        for (Calc c : st.calcs) {
            if (c.eFr == null) continue;
            boolean conv = c.scsteps < nelm || (c.scsteps == nelm && c.lastScEnergies.size() == 2
                    && Math.abs(c.lastScEnergies.get(1) - c.lastScEnergies.get(0)) < ediff);
            Double e0 = c.e0;
            if (e0 != null && e0 == 0.0 && c.eFr != 0.0) e0 = c.lastScE0;
            steps.add(new DftStep(c.eFr, e0, c.eWo, c.forces, c.stress, conv));
        }
        boolean relax = nsw > 0 && ibrion >= 1 && ibrion <= 3;
        Boolean ionic = relax ? st.calcs.size() < nsw : null;
        DftStatus status;
        String message = null;
        DftStep last = steps.isEmpty() ? null : steps.get(steps.size() - 1);
        if (!st.complete) {
            status = DftStatus.INCOMPLETE;
            message = "vasprun.xml ends" + (st.truncatedAt > 0 ? " at line " + st.truncatedAt : "") + " without </modeling> (killed, out of wall time, or still running)";
            if (relax) ionic = Boolean.FALSE;
        } else if (last == null) {
            status = DftStatus.FAILED;
            message = "vasprun.xml has no complete <calculation>";
        } else if (!last.scfConverged()) {
            status = DftStatus.SCF_NOT_CONVERGED;
            message = "electronic loop used all NELM = " + nelm + " steps without reaching EDIFF = " + ediff;
        } else {
            status = DftStatus.OK;
            if (Boolean.FALSE.equals(ionic)) message = "relaxation used all NSW = " + nsw + " ionic steps";
        }
        List<DftStep> kept = allSteps || steps.isEmpty() ? steps : List.of(last);
        return new DftResult(DftCode.VASP, st.version, status, message, nAtoms, ionic, kept, null, name);
    }

    private static final class Calc {
        Double eFr;
        Double e0;
        Double eWo;
        Double lastScE0;
        int scsteps;
        List<Double> lastScEnergies = new ArrayList<>();
        double[] forces;
        double[] stress;
    }

    private static final class State {
        boolean sawModeling;
        boolean complete;
        int truncatedAt;
        String version;
        int nAtoms = -1;
        Map<String, String> params = new HashMap<>();
        List<Calc> calcs = new ArrayList<>();

        int intParam(String k, int dflt) {
            String v = params.get(k);
            if (v == null) return dflt;
            try {
                return (int) Math.round(Double.parseDouble(v.trim()));
            } catch (NumberFormatException e) {
                return dflt;
            }
        }

        double doubleParam(String k, double dflt) {
            String v = params.get(k);
            if (v == null) return dflt;
            try {
                return Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                return dflt;
            }
        }
    }

    private static void read(XMLStreamReader r, State st, String file) throws XMLStreamException {
        Deque<String> stack = new ArrayDeque<>();
        Calc calc = null;
        String varray = null;
        List<double[]> rows = new ArrayList<>();
        boolean inScstep = false;
        while (r.hasNext()) {
            int ev = r.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                String el = r.getLocalName();
                String nameAttr = r.getAttributeValue(null, "name");
                String parent = stack.peek();
                stack.push(el);
                if (el.equals("modeling")) st.sawModeling = true;
                else if (el.equals("calculation") && "modeling".equals(parent)) {
                    calc = new Calc();
                } else if (el.equals("scstep") && calc != null) {
                    inScstep = true;
                    calc.scsteps++;
                } else if (el.equals("varray") && calc != null && "calculation".equals(parent)
                        && ("forces".equals(nameAttr) || "stress".equals(nameAttr))) {
                    varray = nameAttr;
                    rows = new ArrayList<>();
                } else if (el.equals("v") && varray != null) {
                    rows.add(numbers(r.getElementText(), file, r, 3));
                    stack.pop();
                } else if (el.equals("i") && nameAttr != null) {
                    boolean inGenerator = stack.contains("generator");
                    boolean inParameters = stack.contains("parameters");
                    boolean inEnergy = "energy".equals(parent);
                    if (inGenerator && nameAttr.equals("version")) {
                        st.version = r.getElementText().trim();
                        stack.pop();
                    } else if (inParameters) {
                        String text = r.getElementText();
                        st.params.putIfAbsent(nameAttr, text.trim());
                        stack.pop();
                    } else if (inEnergy && calc != null) {
                        double v = numbers(r.getElementText(), file, r, 1)[0];
                        stack.pop();
                        if (inScstep) {
                            if (nameAttr.equals("e_fr_energy")) {
                                calc.lastScEnergies.add(v);
                                if (calc.lastScEnergies.size() > 2) calc.lastScEnergies.remove(0);
                            } else if (nameAttr.equals("e_0_energy")) {
                                calc.lastScE0 = v;
                            }
                        } else if (stack.contains("calculation")) {
                            if (nameAttr.equals("e_fr_energy")) calc.eFr = v;
                            else if (nameAttr.equals("e_0_energy")) calc.e0 = v;
                            else if (nameAttr.equals("e_wo_entrp")) calc.eWo = v;
                        }
                    }
                } else if (el.equals("atoms") && "atominfo".equals(parent)) {
                    st.nAtoms = (int) numbers(r.getElementText(), file, r, 1)[0];
                    stack.pop();
                }
            } else if (ev == XMLStreamConstants.END_ELEMENT) {
                String el = stack.isEmpty() ? r.getLocalName() : stack.pop();
                if (el.equals("scstep")) inScstep = false;
                else if (el.equals("varray") && varray != null) {
                    if (varray.equals("forces")) {
                        double[] fl = new double[3 * rows.size()];
                        for (int a = 0; a < rows.size(); a++) System.arraycopy(rows.get(a), 0, fl, 3 * a, 3);
                        calc.forces = fl;
                    } else if (rows.size() == 3) {
                        double[] m = new double[9];
                        for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++) m[3 * a + b] = -rows.get(a)[b] * Units.KBAR_TO_EV_PER_A3;
                        calc.stress = Units.toVoigt(m);
                    }
                    varray = null;
                } else if (el.equals("calculation") && calc != null && stack.size() == 1) {
                    st.calcs.add(calc);
                    calc = null;
                } else if (el.equals("modeling")) {
                    st.complete = true;
                }
            }
        }
    }

    private static double[] numbers(String text, String file, XMLStreamReader r, int count) {
        String[] tok = text.trim().split("\\s+");
        if (tok.length < count || (tok.length == 1 && tok[0].isEmpty())) {
            throw new DftParseException(file, r.getLocation().getLineNumber(), "expected " + count + " numbers, got '" + text.trim() + "'");
        }
        double[] v = new double[count];
        for (int k = 0; k < count; k++) {
            try {
                v[k] = Double.parseDouble(tok[k]);
            } catch (NumberFormatException e) {
                throw new DftParseException(file, r.getLocation().getLineNumber(), "cannot read a number from '" + tok[k] + "'");
            }
            if (!Double.isFinite(v[k])) throw new DftParseException(file, r.getLocation().getLineNumber(), "number is not finite: '" + tok[k] + "'");
        }
        return v;
    }
}
