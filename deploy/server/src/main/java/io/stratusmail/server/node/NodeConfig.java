package io.stratusmail.server.node;

import java.util.Objects;
import java.util.Set;

/**
 * Everything one Stratus node needs to run.
 *
 * @param cassandraContactPoints {@code host:port[,host:port...]} of the Cassandra cluster
 * @param cassandraDatacenter    the local datacenter name (the driver's load-balancing policy needs it)
 * @param keyspace               the keyspace holding Stratus' tables
 * @param replicationFactor      SimpleStrategy replication factor used when the keyspace is created
 * @param openSearchUrl          base URL of OpenSearch ({@code http://host:9200}); null to run without index
 * @param services               which protocol services this node runs ({@code imap}, {@code lmtp})
 * @param imapHost               IMAP listen address
 * @param imapPort               IMAP listen port (0 picks a free one)
 * @param lmtpHost               LMTP listen address
 * @param lmtpPort               LMTP listen port (0 picks a free one)
 * @param hostname               the name the node gives itself in greetings and Received headers
 */
public record NodeConfig(String cassandraContactPoints, String cassandraDatacenter, String keyspace,
                         int replicationFactor, String openSearchUrl, Set<Service> services,
                         String imapHost, int imapPort, String lmtpHost, int lmtpPort, String hostname) {

    /** A protocol service a node can run. */
    public enum Service { IMAP, LMTP }

    public NodeConfig {
        Objects.requireNonNull(cassandraContactPoints, "cassandraContactPoints");
        Objects.requireNonNull(cassandraDatacenter, "cassandraDatacenter");
        Objects.requireNonNull(keyspace, "keyspace");
        services = Set.copyOf(services);
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be at least 1");
        }
    }
}
