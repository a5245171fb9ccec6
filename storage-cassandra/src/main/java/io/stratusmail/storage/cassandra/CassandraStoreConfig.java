package io.stratusmail.storage.cassandra;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import io.stratusmail.mailbox.message.MessageStore;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Settings of the Cassandra store.
 *
 * @param keyspace                   keyspace holding every table: 1 to 48 characters of {@code [a-z0-9_]}, starting
 *                                   with a letter
 * @param replication                replication used when the schema migrator creates the keyspace (an existing
 *                                   keyspace is left as it is)
 * @param consistency                consistency of every read and write, and the commit consistency of
 *                                   conditional writes (default {@code LOCAL_QUORUM}; architecture invariant 3)
 * @param serialConsistency          consistency of the Paxos phase of conditional writes and of serial reads
 *                                   (default {@code LOCAL_SERIAL})
 * @param maxMessageSize             largest message {@code append} accepts, in octets (default
 *                                   {@link MessageStore#DEFAULT_MAX_MESSAGE_SIZE})
 * @param maxCasAttempts             conditional-write attempts for one change before it fails with
 *                                   {@code StorageUnavailableException} when other nodes keep winning (default 64)
 * @param maxAppendsPerRound         appends one node commits together in one conditional batch (default 16)
 * @param maxPendingWritesPerMailbox writes a node queues for one mailbox before refusing more with
 *                                   {@code StorageUnavailableException} (back-pressure, default 1024)
 * @param pageSize                   rows per page of partition scans (default 1000)
 */
public record CassandraStoreConfig(String keyspace, Replication replication, ConsistencyLevel consistency,
                                   ConsistencyLevel serialConsistency, long maxMessageSize, int maxCasAttempts,
                                   int maxAppendsPerRound, int maxPendingWritesPerMailbox, int pageSize) {

    private static final Pattern KEYSPACE = Pattern.compile("[a-z][a-z0-9_]{0,47}");

    public CassandraStoreConfig {
        Objects.requireNonNull(keyspace, "keyspace");
        Objects.requireNonNull(replication, "replication");
        Objects.requireNonNull(consistency, "consistency");
        Objects.requireNonNull(serialConsistency, "serialConsistency");
        if (!KEYSPACE.matcher(keyspace).matches()) {
            throw new IllegalArgumentException("keyspace must match " + KEYSPACE.pattern() + ": " + keyspace);
        }
        if (!serialConsistency.isSerial()) {
            throw new IllegalArgumentException("serialConsistency must be SERIAL or LOCAL_SERIAL");
        }
        if (consistency.isSerial()) {
            throw new IllegalArgumentException("consistency must not be a serial level");
        }
        requirePositive(maxMessageSize, "maxMessageSize");
        requirePositive(maxCasAttempts, "maxCasAttempts");
        requirePositive(maxAppendsPerRound, "maxAppendsPerRound");
        requirePositive(maxPendingWritesPerMailbox, "maxPendingWritesPerMailbox");
        requirePositive(pageSize, "pageSize");
        if (maxMessageSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxMessageSize must fit a Java array");
        }
    }

    private static void requirePositive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    /** Defaults for the given keyspace: SimpleStrategy factor 1 (development), LOCAL_QUORUM, LOCAL_SERIAL. */
    public static CassandraStoreConfig defaults(String keyspace) {
        return new CassandraStoreConfig(keyspace, Replication.simple(1), DefaultConsistencyLevel.LOCAL_QUORUM,
                DefaultConsistencyLevel.LOCAL_SERIAL, MessageStore.DEFAULT_MAX_MESSAGE_SIZE, 64, 16, 1024, 1000);
    }

    /** A copy with another keyspace replication (used only when the keyspace is created). */
    public CassandraStoreConfig withReplication(Replication value) {
        return new CassandraStoreConfig(keyspace, value, consistency, serialConsistency, maxMessageSize,
                maxCasAttempts, maxAppendsPerRound, maxPendingWritesPerMailbox, pageSize);
    }

    /** A copy with other consistency levels: a non-serial one for reads and writes, a serial one for Paxos. */
    public CassandraStoreConfig withConsistency(ConsistencyLevel value, ConsistencyLevel serial) {
        return new CassandraStoreConfig(keyspace, replication, value, serial, maxMessageSize,
                maxCasAttempts, maxAppendsPerRound, maxPendingWritesPerMailbox, pageSize);
    }

    /** A copy with another message size limit, in octets. */
    public CassandraStoreConfig withMaxMessageSize(long value) {
        return new CassandraStoreConfig(keyspace, replication, consistency, serialConsistency, value,
                maxCasAttempts, maxAppendsPerRound, maxPendingWritesPerMailbox, pageSize);
    }

    /** A copy with other limits for conditional-write attempts, group commit size and queued writes per mailbox. */
    public CassandraStoreConfig withWriteLimits(int casAttempts, int appendsPerRound, int pendingWritesPerMailbox) {
        return new CassandraStoreConfig(keyspace, replication, consistency, serialConsistency, maxMessageSize,
                casAttempts, appendsPerRound, pendingWritesPerMailbox, pageSize);
    }

    /** A copy with another page size (rows) for partition scans. */
    public CassandraStoreConfig withPageSize(int value) {
        return new CassandraStoreConfig(keyspace, replication, consistency, serialConsistency, maxMessageSize,
                maxCasAttempts, maxAppendsPerRound, maxPendingWritesPerMailbox, value);
    }

    /** The keyspace-qualified name of a table, for CQL text. */
    public String table(String name) {
        return keyspace + "." + name;
    }

    /**
     * Keyspace replication used at creation.
     *
     * @param strategy           {@code SimpleStrategy} or {@code NetworkTopologyStrategy}
     * @param factorByDatacenter for SimpleStrategy the single entry {@code replication_factor}; for
     *                           NetworkTopologyStrategy the factor of each datacenter
     */
    public record Replication(String strategy, Map<String, Integer> factorByDatacenter) {

        private static final Pattern DATACENTER = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

        public Replication {
            if (!strategy.equals("SimpleStrategy") && !strategy.equals("NetworkTopologyStrategy")) {
                throw new IllegalArgumentException("unknown replication strategy " + strategy);
            }
            factorByDatacenter = Map.copyOf(factorByDatacenter);
            if (factorByDatacenter.isEmpty()) {
                throw new IllegalArgumentException("replication needs at least one factor");
            }
            factorByDatacenter.forEach((dc, factor) -> {
                if (!DATACENTER.matcher(dc).matches() || factor < 1 || factor > 9) {
                    throw new IllegalArgumentException("bad replication entry " + dc + "=" + factor);
                }
            });
        }

        /** SimpleStrategy with {@code factor} replicas (development and single-datacenter tests). */
        public static Replication simple(int factor) {
            return new Replication("SimpleStrategy", Map.of("replication_factor", factor));
        }

        /** NetworkTopologyStrategy with the given replicas per datacenter (production). */
        public static Replication networkTopology(Map<String, Integer> factorByDatacenter) {
            return new Replication("NetworkTopologyStrategy", factorByDatacenter);
        }

        /** The CQL map literal, e.g. {@code {'class': 'SimpleStrategy', 'replication_factor': 3}}. */
        public String toCql() {
            StringBuilder b = new StringBuilder("{'class': '").append(strategy).append('\'');
            new TreeMap<>(factorByDatacenter).forEach((k, v) -> b.append(", '").append(k).append("': ").append(v));
            return b.append('}').toString();
        }
    }
}
