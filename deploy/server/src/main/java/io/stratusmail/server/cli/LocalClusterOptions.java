package io.stratusmail.server.cli;

import io.stratusmail.localcluster.CassandraEndpoint;
import io.stratusmail.localcluster.Endpoints;
import io.stratusmail.localcluster.Engine;
import io.stratusmail.localcluster.LocalCluster;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the local engines of {@code stratus dev} live and listen, shared by the commands that use them
 * ({@code dev}, {@code user}). A command that finds the engines of a running {@code stratus dev} on these
 * ports uses them; otherwise it starts its own on the data directory and stops them when done.
 */
public final class LocalClusterOptions {

    static final String KEYSPACE = "stratus";

    @Option(names = "--data-dir", defaultValue = "data",
            description = "Directory of the local Cassandra and OpenSearch data (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--cassandra-port", defaultValue = "19042", description = "Local Cassandra CQL port (default: ${DEFAULT-VALUE}).")
    int cqlPort;

    @Option(names = "--cassandra-storage-port", defaultValue = "17000", description = "Local Cassandra storage port (default: ${DEFAULT-VALUE}).")
    int storagePort;

    @Option(names = "--opensearch-port", defaultValue = "19200", description = "Local OpenSearch HTTP port (default: ${DEFAULT-VALUE}).")
    int openSearchPort;

    @Option(names = "--opensearch-transport-port", defaultValue = "19300", description = "Local OpenSearch transport port (default: ${DEFAULT-VALUE}).")
    int openSearchTransportPort;

    Path dataDir() {
        return dataDir;
    }

    /**
     * Starts the local engines on the data directory (Cassandra, and OpenSearch when {@code withOpenSearch}),
     * or reuses those of a {@code stratus dev} already answering on the configured ports.
     */
    RunningCluster start(boolean withOpenSearch) {
        String host = "127.0.0.1";
        if (answers(host, cqlPort) && (!withOpenSearch || answers(host, openSearchPort))) {
            System.out.println("stratus: using the engines already running on " + host + ":" + cqlPort);
            return new RunningCluster(host + ":" + cqlPort, CassandraEndpoint.LOCAL_DATACENTER,
                    withOpenSearch ? "http://" + host + ":" + openSearchPort : null, null);
        }
        System.out.println("stratus: starting Cassandra" + (withOpenSearch ? " and OpenSearch" : "")
                + " in " + dataDir.toAbsolutePath() + " ...");
        LocalCluster.Builder builder = LocalCluster.builder(dataDir)
                .host(host)
                .cqlPort(cqlPort)
                .storagePort(storagePort)
                .openSearchHttpPort(openSearchPort)
                .openSearchTransportPort(openSearchTransportPort);
        builder = withOpenSearch ? builder.engines(Engine.CASSANDRA, Engine.OPENSEARCH) : builder.engines(Engine.CASSANDRA);
        LocalCluster cluster = builder.build();
        Endpoints endpoints = cluster.start();
        CassandraEndpoint c = endpoints.cassandra().orElseThrow();
        return new RunningCluster(c.host() + ":" + c.port(), c.localDatacenter(),
                endpoints.openSearch().map(Object::toString).orElse(null), cluster);
    }

    private static boolean answers(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
