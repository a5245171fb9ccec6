package io.stratusmail.storage.cassandra;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import io.stratusmail.mailbox.message.MessageStore;
import java.time.Duration;
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
 * @param pageSize                   rows per page of partition scans (default 5000; a message row is about 100
 *                                   octets, so a page is about 0.5 MB)
 * @param changeLogRetention         how long each mailbox keeps its change log (the MODSEQ and UID of every
 *                                   append, flag change and expunge, for RFC 7162 CHANGEDSINCE/QRESYNC VANISHED)
 *                                   and its MOVE markers: 1 second to 3650 days, default 30 days; written as a
 *                                   CQL TTL, so an expired entry is a tombstone until compaction after the table's
 *                                   {@code gc_grace_seconds}
 * @param blobGrace                  how long stored content no message refers to is kept before it is freed
 *                                   (1 second to 30 days, default 1 hour): longer than any single store
 *                                   operation, so a COPY that read a message before its expunge, or an LMTP
 *                                   delivery between storing its content and appending it, still finds the
 *                                   content ({@link io.stratusmail.mailbox.message.StoredContent})
 */
public record CassandraStoreConfig(String keyspace, Replication replication, ConsistencyLevel consistency,
                                   ConsistencyLevel serialConsistency, long maxMessageSize, int maxCasAttempts,
                                   int maxAppendsPerRound, int maxPendingWritesPerMailbox, int pageSize,
                                   Duration changeLogRetention, Duration blobGrace) {

    private static final Pattern KEYSPACE = Pattern.compile("[a-z][a-z0-9_]{0,47}");
    /** Default of {@link #changeLogRetention}. */
    public static final Duration DEFAULT_CHANGE_LOG_RETENTION = Duration.ofDays(30);
    private static final Duration MAX_CHANGE_LOG_RETENTION = Duration.ofDays(3650);
    /** Default of {@link #blobGrace}. */
    public static final Duration DEFAULT_BLOB_GRACE = Duration.ofHours(1);

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
        Objects.requireNonNull(changeLogRetention, "changeLogRetention");
        if (changeLogRetention.toSeconds() < 1 || changeLogRetention.compareTo(MAX_CHANGE_LOG_RETENTION) > 0) {
            throw new IllegalArgumentException("changeLogRetention must be 1 second to 3650 days");
        }
        Objects.requireNonNull(blobGrace, "blobGrace");
        if (blobGrace.toSeconds() < 1 || blobGrace.compareTo(Duration.ofDays(30)) > 0) {
            throw new IllegalArgumentException("blobGrace must be 1 second to 30 days");
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
                DefaultConsistencyLevel.LOCAL_SERIAL, MessageStore.DEFAULT_MAX_MESSAGE_SIZE, 64, 16, 1024, 5000,
                DEFAULT_CHANGE_LOG_RETENTION, DEFAULT_BLOB_GRACE);
    }

    /** A copy with another keyspace replication (used only when the keyspace is created). */
    public CassandraStoreConfig withReplication(Replication value) {
        return new CassandraStoreConfig(keyspace, value, consistency, serialConsistency, maxMessageSize,
                maxCasAttempts, maxAppendsPerRound, maxPendingWritesPerMailbox, pageSize, changeLogRetention, blobGrace);
    }

    /** A copy with other consistency levels: a non-serial one for reads and writes, a serial one for Paxos. */
    public CassandraStoreConfig withConsistency(ConsistencyLevel value, ConsistencyLevel serial) {
        return new CassandraStoreConfig(keyspace, replication, value, serial, maxMessageSize,
                maxCasAttempts, maxAppendsPerRound, maxPendingWritesPerMailbox, pageSize, changeLogRetention, blobGrace);
    }

    /** A copy with another message size limit, in octets. */
    public CassandraStoreConfig withMaxMessageSize(long value) {
        return new CassandraStoreConfig(keyspace, replication, consistency, serialConsistency, value,
                maxCasAttempts, maxAppendsPerRound, maxPendingWritesPerMailbox, pageSize, changeLogRetention, blobGrace);
    }

    /** A copy with other limits for conditional-write attempts, group commit size and queued writes per mailbox. */
    public CassandraStoreConfig withWriteLimits(int casAttempts, int appendsPerRound, int pendingWritesPerMailbox) {
        return new CassandraStoreConfig(keyspace, replication, consistency, serialConsistency, maxMessageSize,
                casAttempts, appendsPerRound, pendingWritesPerMailbox, pageSize, changeLogRetention, blobGrace);
    }

    /** A copy with another page size (rows) for partition scans. */
    public CassandraStoreConfig withPageSize(int value) {
        return new CassandraStoreConfig(keyspace, replication, consistency, serialConsistency, maxMessageSize,
                maxCasAttempts, maxAppendsPerRound, maxPendingWritesPerMailbox, value, changeLogRetention, blobGrace);
    }

    /** A copy with another retention of the change log and MOVE markers. */
    public CassandraStoreConfig withChangeLogRetention(Duration value) {
        return new CassandraStoreConfig(keyspace, replication, consistency, serialConsistency, maxMessageSize,
                maxCasAttempts, maxAppendsPerRound, maxPendingWritesPerMailbox, pageSize, value, blobGrace);
    }

    /** A copy with another grace period before unreferenced stored content is freed ({@link #blobGrace}). */
    public CassandraStoreConfig withBlobGrace(Duration value) {
        return new CassandraStoreConfig(keyspace, replication, consistency, serialConsistency, maxMessageSize,
                maxCasAttempts, maxAppendsPerRound, maxPendingWritesPerMailbox, pageSize, changeLogRetention, value);
    }

    /**
     * Parses a consistency level name such as {@code LOCAL_QUORUM} or {@code local_serial} (case-insensitive).
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static ConsistencyLevel consistencyLevel(String name) {
        try {
            return DefaultConsistencyLevel.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown consistency level '" + name + "' (one of "
                    + java.util.Arrays.toString(DefaultConsistencyLevel.values()) + ")", e);
        }
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

        /**
         * Parses the command-line form: {@code SimpleStrategy:N} or
         * {@code NetworkTopologyStrategy:dc1=N,dc2=M} (strategy names case-insensitive, factors 1 to 9).
         *
         * @throws IllegalArgumentException naming what is wrong
         */
        public static Replication parse(String text) {
            String t = text.trim();
            int colon = t.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("replication must be SimpleStrategy:N or "
                        + "NetworkTopologyStrategy:dc1=N[,dc2=M...], not '" + text + "'");
            }
            String strategy = t.substring(0, colon).trim();
            String factors = t.substring(colon + 1).trim();
            if (strategy.equalsIgnoreCase("SimpleStrategy")) {
                return simple(factor(factors, text));
            }
            if (!strategy.equalsIgnoreCase("NetworkTopologyStrategy")) {
                throw new IllegalArgumentException("unknown replication strategy '" + strategy
                        + "' (SimpleStrategy or NetworkTopologyStrategy)");
            }
            Map<String, Integer> byDatacenter = new TreeMap<>();
            for (String entry : factors.split(",")) {
                int eq = entry.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("NetworkTopologyStrategy needs datacenter=factor entries, not '"
                            + entry.trim() + "'");
                }
                String dc = entry.substring(0, eq).trim();
                if (byDatacenter.put(dc, factor(entry.substring(eq + 1), text)) != null) {
                    throw new IllegalArgumentException("datacenter " + dc + " given twice");
                }
            }
            return networkTopology(byDatacenter);
        }

        private static int factor(String text, String whole) {
            try {
                return Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("replication factor must be a number in '" + whole + "'", e);
            }
        }

        /** The command-line form accepted by {@link #parse}. */
        public String toOption() {
            if (strategy.equals("SimpleStrategy")) {
                return strategy + ":" + factorByDatacenter.get("replication_factor");
            }
            java.util.StringJoiner entries = new java.util.StringJoiner(",", strategy + ":", "");
            new TreeMap<>(factorByDatacenter).forEach((k, v) -> entries.add(k + "=" + v));
            return entries.toString();
        }

        /** The largest number of replicas in one datacenter. */
        public int maxFactor() {
            return factorByDatacenter.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        }

        /** The CQL map literal, e.g. {@code {'class': 'SimpleStrategy', 'replication_factor': 3}}. */
        public String toCql() {
            StringBuilder b = new StringBuilder("{'class': '").append(strategy).append('\'');
            new TreeMap<>(factorByDatacenter).forEach((k, v) -> b.append(", '").append(k).append("': ").append(v));
            return b.append('}').toString();
        }
    }
}
