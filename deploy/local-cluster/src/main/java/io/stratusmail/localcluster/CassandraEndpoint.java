package io.stratusmail.localcluster;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where a Cassandra cluster answers CQL (native protocol) and the datacenter a driver should treat
 * as local.
 *
 * @param host            host name or address, e.g. {@code 127.0.0.1}
 * @param port            native protocol (CQL) port, 1-65535
 * @param localDatacenter datacenter name for the driver's load balancing, e.g. {@code datacenter1}
 */
public record CassandraEndpoint(String host, int port, String localDatacenter) {

    /** The datacenter of a single node run by {@link LocalCluster} (Cassandra's SimpleSnitch). */
    public static final String LOCAL_DATACENTER = "datacenter1";

    /**
     * @throws IllegalArgumentException if host or datacenter is blank or the port is out of range
     */
    public CassandraEndpoint {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(localDatacenter, "localDatacenter");
        if (host.isBlank() || localDatacenter.isBlank()) {
            throw new IllegalArgumentException("host and localDatacenter must not be blank");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port out of range 1-65535: " + port);
        }
    }

    /**
     * Parses {@code host:port} or {@code host:port/datacenter} (the datacenter defaults to
     * {@value #LOCAL_DATACENTER}); an IPv6 host is written in brackets, {@code [::1]:9042}.
     *
     * @throws IllegalArgumentException if the text has no port or the port is not a number in range
     */
    public static CassandraEndpoint parse(String text) {
        String hostPort = text.strip();
        String datacenter = LOCAL_DATACENTER;
        int slash = hostPort.indexOf('/');
        if (slash >= 0) {
            datacenter = hostPort.substring(slash + 1);
            hostPort = hostPort.substring(0, slash);
        }
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("expected host:port[/datacenter], got: " + text);
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected host:port[/datacenter], got: " + text, e);
        }
        return new CassandraEndpoint(host, port, datacenter);
    }

    /** The contact point for a driver (resolved now). */
    public InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return host + ":" + port + "/" + localDatacenter;
    }
}
