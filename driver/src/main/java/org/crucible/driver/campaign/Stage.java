package org.crucible.driver.campaign;

/**
 * The stages of the pool-relaxation protocol. Cycle 0: GENERATE, SELECT (random training cells), LABEL, FIT. Cycle
 * t &gt;= 1: RELAX, DESCRIBE, SELECT (DBSCAN rule and the convergence test), then LABEL and FIT, or VALIDATE when
 * converged or out of cycles or budget. DONE is terminal.
 */
public enum Stage {
    GENERATE, RELAX, DESCRIBE, SELECT, LABEL, FIT, VALIDATE, DONE
}
