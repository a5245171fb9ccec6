package io.stratusmail.server.cli;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.CassandraStoreConfig.Replication;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Keyspace, replication and consistency options shared by {@code serve}, {@code dev}, {@code schema migrate} and
 * the administration commands; each defaults to an environment variable so a container or a Kubernetes Job
 * needs no arguments.
 */
public final class StoreOptions {

    @Option(names = "--keyspace", defaultValue = "${env:STRATUS_KEYSPACE:-" + LocalClusterOptions.KEYSPACE + "}",
            description = "Keyspace (env STRATUS_KEYSPACE, default ${DEFAULT-VALUE}).")
    String keyspace;

    @Option(names = "--replication", defaultValue = "${env:STRATUS_REPLICATION:-SimpleStrategy:1}",
            converter = ReplicationConverter.class, paramLabel = "STRATEGY:FACTORS",
            description = "Replication if the keyspace must be created: SimpleStrategy:N (development) or "
                    + "NetworkTopologyStrategy:dc1=N[,dc2=M] (production) (env STRATUS_REPLICATION, default "
                    + "${DEFAULT-VALUE}). An existing keyspace is left as it is.")
    Replication replication;

    @Option(names = "--consistency", defaultValue = "${env:STRATUS_CONSISTENCY:-LOCAL_QUORUM}",
            converter = ConsistencyConverter.class, paramLabel = "LEVEL",
            description = "Consistency of reads and writes (env STRATUS_CONSISTENCY, default ${DEFAULT-VALUE}).")
    ConsistencyLevel consistency;

    @Option(names = "--serial-consistency", defaultValue = "${env:STRATUS_SERIAL_CONSISTENCY:-LOCAL_SERIAL}",
            converter = ConsistencyConverter.class, paramLabel = "LEVEL",
            description = "Consistency of the Paxos phase of conditional writes: LOCAL_SERIAL or SERIAL "
                    + "(env STRATUS_SERIAL_CONSISTENCY, default ${DEFAULT-VALUE}).")
    ConsistencyLevel serialConsistency;

    /**
     * The store settings these options give.
     *
     * @throws CommandLine.ParameterException when the keyspace or a level does not fit its role
     */
    CassandraStoreConfig storeConfig(CommandLine commandLine) {
        try {
            return CassandraStoreConfig.defaults(keyspace).withReplication(replication)
                    .withConsistency(consistency, serialConsistency);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage(), e);
        }
    }

    /** {@code SimpleStrategy:N} or {@code NetworkTopologyStrategy:dc1=N,...}. */
    static final class ReplicationConverter implements CommandLine.ITypeConverter<Replication> {
        @Override
        public Replication convert(String value) {
            try {
                return Replication.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** A consistency level name, case-insensitive. */
    static final class ConsistencyConverter implements CommandLine.ITypeConverter<ConsistencyLevel> {
        @Override
        public ConsistencyLevel convert(String value) {
            try {
                return CassandraStoreConfig.consistencyLevel(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
