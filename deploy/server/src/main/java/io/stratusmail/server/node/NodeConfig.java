package io.stratusmail.server.node;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import io.stratusmail.imap.ImapConfig;
import io.stratusmail.lmtp.LmtpConfig;
import io.stratusmail.mailbox.quota.QuotaLimits;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.CassandraStoreConfig.Replication;
import java.util.Objects;
import java.util.Set;

/**
 * Everything one Stratus node needs to run.
 *
 * @param cassandraContactPoints {@code host:port[,host:port...]} of the Cassandra cluster
 * @param cassandraDatacenter    the local datacenter name (the driver's load-balancing policy needs it)
 * @param keyspace               the keyspace holding Stratus' tables
 * @param replication            replication used when the keyspace is created (SimpleStrategy for one-datacenter
 *                               development, NetworkTopologyStrategy in production); an existing keyspace is left
 *                               as it is
 * @param consistency            consistency of every read and write, and the commit consistency of conditional
 *                               writes (LOCAL_QUORUM unless there is a reason; architecture invariant 3)
 * @param serialConsistency      consistency of the Paxos phase of conditional writes (LOCAL_SERIAL or SERIAL)
 * @param openSearchUrl          base URL of OpenSearch ({@code http://host:9200}); null to run without index
 * @param services               which protocol services this node runs ({@code imap}, {@code lmtp}); empty for
 *                               an administration-only node
 * @param imapHost               IMAP listen address
 * @param imapPort               IMAP listen port (0 picks a free one)
 * @param lmtpHost               LMTP listen address
 * @param lmtpPort               LMTP listen port (0 picks a free one)
 * @param hostname               the name the node gives itself in greetings and Received headers
 * @param defaultQuota           limits of users without their own (RFC 9208 STORAGE in octets, MESSAGE);
 *                               {@link QuotaLimits#UNLIMITED} for none
 * @param overQuotaAtRcpt        the LMTP reply to a RCPT for a full account (452 4.2.2 or 552 5.2.2)
 * @param lmtp                   the LMTP limits, timeouts and policies ({@link LmtpConfig}); its host name, TLS
 *                               context and over-quota reply are replaced by {@code hostname}, the node's TLS
 *                               settings and {@code overQuotaAtRcpt}
 * @param imap                   the IMAP limits and timeouts ({@link ImapConfig}: line length, connections per
 *                               user and per address (per node), autologout/IDLE timeout, login delays); its TLS
 *                               context and IDLE poll interval are replaced by the node's TLS and hint settings
 */
public record NodeConfig(String cassandraContactPoints, String cassandraDatacenter, String keyspace,
                         Replication replication, ConsistencyLevel consistency, ConsistencyLevel serialConsistency,
                         String openSearchUrl, Set<Service> services,
                         String imapHost, int imapPort, String lmtpHost, int lmtpPort, String hostname,
                         QuotaLimits defaultQuota, LmtpConfig.OverQuotaReply overQuotaAtRcpt, LmtpConfig lmtp,
                         ImapConfig imap) {

    /** A protocol service a node can run. */
    public enum Service { IMAP, LMTP }

    /** @throws IllegalArgumentException for a bad keyspace name or consistency levels in the wrong role */
    public NodeConfig {
        Objects.requireNonNull(cassandraContactPoints, "cassandraContactPoints");
        Objects.requireNonNull(cassandraDatacenter, "cassandraDatacenter");
        Objects.requireNonNull(keyspace, "keyspace");
        Objects.requireNonNull(replication, "replication");
        Objects.requireNonNull(consistency, "consistency");
        Objects.requireNonNull(serialConsistency, "serialConsistency");
        services = Set.copyOf(services);
        Objects.requireNonNull(defaultQuota, "defaultQuota");
        Objects.requireNonNull(overQuotaAtRcpt, "overQuotaAtRcpt");
        Objects.requireNonNull(lmtp, "lmtp");
        Objects.requireNonNull(imap, "imap");
        storeConfig(keyspace, replication, consistency, serialConsistency);
    }

    /** A node without default quota limits and a temporary over-quota reply at RCPT. */
    public NodeConfig(String cassandraContactPoints, String cassandraDatacenter, String keyspace,
                      Replication replication, ConsistencyLevel consistency, ConsistencyLevel serialConsistency,
                      String openSearchUrl, Set<Service> services,
                      String imapHost, int imapPort, String lmtpHost, int lmtpPort, String hostname) {
        this(cassandraContactPoints, cassandraDatacenter, keyspace, replication, consistency, serialConsistency,
                openSearchUrl, services, imapHost, imapPort, lmtpHost, lmtpPort, hostname, QuotaLimits.UNLIMITED,
                LmtpConfig.OverQuotaReply.TEMPORARY, LmtpConfig.defaults(hostname), ImapConfig.defaults(hostname));
    }

    /** This configuration with other quota defaults and over-quota reply at RCPT. */
    public NodeConfig withQuota(QuotaLimits defaultQuota, LmtpConfig.OverQuotaReply overQuotaAtRcpt) {
        return new NodeConfig(cassandraContactPoints, cassandraDatacenter, keyspace, replication, consistency,
                serialConsistency, openSearchUrl, services, imapHost, imapPort, lmtpHost, lmtpPort, hostname,
                defaultQuota, overQuotaAtRcpt, lmtp, imap);
    }

    /** This configuration with other LMTP limits, timeouts and policies (see {@link #lmtp()}). */
    public NodeConfig withLmtp(LmtpConfig lmtp) {
        return new NodeConfig(cassandraContactPoints, cassandraDatacenter, keyspace, replication, consistency,
                serialConsistency, openSearchUrl, services, imapHost, imapPort, lmtpHost, lmtpPort, hostname,
                defaultQuota, overQuotaAtRcpt, lmtp, imap);
    }

    /** This configuration with other IMAP limits and timeouts (see {@link #imap()}). */
    public NodeConfig withImap(ImapConfig imap) {
        return new NodeConfig(cassandraContactPoints, cassandraDatacenter, keyspace, replication, consistency,
                serialConsistency, openSearchUrl, services, imapHost, imapPort, lmtpHost, lmtpPort, hostname,
                defaultQuota, overQuotaAtRcpt, lmtp, imap);
    }

    /**
     * A node with SimpleStrategy replication {@code replicationFactor} and the default consistency levels
     * (LOCAL_QUORUM, LOCAL_SERIAL).
     */
    public NodeConfig(String cassandraContactPoints, String cassandraDatacenter, String keyspace,
                      int replicationFactor, String openSearchUrl, Set<Service> services,
                      String imapHost, int imapPort, String lmtpHost, int lmtpPort, String hostname) {
        this(cassandraContactPoints, cassandraDatacenter, keyspace, simple(replicationFactor),
                DefaultConsistencyLevel.LOCAL_QUORUM, DefaultConsistencyLevel.LOCAL_SERIAL, openSearchUrl, services,
                imapHost, imapPort, lmtpHost, lmtpPort, hostname);
    }

    private static Replication simple(int replicationFactor) {
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be at least 1");
        }
        return Replication.simple(replicationFactor);
    }

    /** The largest replication factor of a datacenter (the OpenSearch index gets one replica less). */
    public int replicationFactor() {
        return replication.maxFactor();
    }

    /** The store settings: keyspace, replication and consistency levels, other limits at their defaults. */
    public CassandraStoreConfig storeConfig() {
        return storeConfig(keyspace, replication, consistency, serialConsistency);
    }

    private static CassandraStoreConfig storeConfig(String keyspace, Replication replication,
                                                    ConsistencyLevel consistency, ConsistencyLevel serial) {
        return CassandraStoreConfig.defaults(keyspace).withReplication(replication).withConsistency(consistency, serial);
    }
}
