package io.stratusmail.localcluster;

/** A port an engine needs is already bound by another process; nothing was launched. */
public final class PortInUseException extends LocalClusterException {

    private static final long serialVersionUID = 1L;

    private final int port;

    /**
     * @param host    the address the port was checked on
     * @param port    the port that is taken
     * @param purpose what the engine needs it for, e.g. {@code Cassandra CQL}
     */
    PortInUseException(String host, int port, String purpose, Throwable cause) {
        super("port " + port + " on " + host + " (" + purpose + ") is already in use: " + cause.getMessage(), cause);
        this.port = port;
    }

    /** The port that is taken. */
    public int port() {
        return port;
    }
}
