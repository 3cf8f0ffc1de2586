package org.crucible.driver.campaign;

/** A campaign cannot start or continue; the message names the stage, cycle and file or component at fault. */
public class CampaignException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CampaignException(String message) {
        super(message);
    }

    public CampaignException(String message, Throwable cause) {
        super(message, cause);
    }
}
