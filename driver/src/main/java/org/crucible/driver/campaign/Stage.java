package org.crucible.driver.campaign;

/**
 * The steps of the campaign loop, the same for every protocol (the protocol decides what each does; see
 * docs/campaign-engine.md). Cycle 0: GENERATE (generator), SELECT (initial selector), LABEL, FIT. Cycle t &gt;= 1:
 * RELAX (the protocol's explorer), DESCRIBE, SELECT (selector and convergence test), then LABEL and FIT, or VALIDATE
 * when converged or out of cycles or budget. DONE is terminal. Stored by name in {@code state.json} ({@code next}).
 */
public enum Stage {
    GENERATE, RELAX, DESCRIBE, SELECT, LABEL, FIT, VALIDATE, DONE
}
