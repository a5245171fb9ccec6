package io.stratusmail.localcluster;

/**
 * An engine could not be started or stopped: a port is taken, the data directory is in use by a
 * running engine, the engine exited or was not ready in time (the message then carries the tail of
 * its log files), or the engine's files are missing.
 */
public class LocalClusterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what failed, naming the engine, port or path concerned */
    public LocalClusterException(String message) {
        super(message);
    }

    /**
     * @param message what failed, naming the engine, port or path concerned
     * @param cause   the underlying failure
     */
    public LocalClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
