package org.crucible.config;

/**
 * A configuration file is invalid. The message names the file, the line and the field, and quotes the bad value,
 * e.g. {@code clusters/archer2.yaml line 4: port: 70000 is not in 1..65535}.
 */
public class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
