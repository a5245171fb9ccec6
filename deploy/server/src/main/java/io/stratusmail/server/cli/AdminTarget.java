package io.stratusmail.server.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import io.stratusmail.mailbox.StorageUnavailableException;
import io.stratusmail.server.node.NodeConfig;
import io.stratusmail.server.node.StratusNode;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.cql.CqlSessions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where an administration command works: the Cassandra cluster of {@code --cassandra} (env
 * {@code STRATUS_CASSANDRA}), or else the local engines of {@code --data-dir} (those of a running
 * {@code stratus dev}, or started for the command and stopped after it). Applies pending schema migrations
 * first, as {@code serve} does.
 */
public final class AdminTarget {

    /** How long one administrative operation may take before the command gives up. */
    static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(60);

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Mixin
    LocalClusterOptions local;

    @Mixin
    StoreOptions store;

    @Option(names = "--cassandra", defaultValue = "${env:STRATUS_CASSANDRA}", paramLabel = "HOST:PORT[,..][/DC]",
            description = "Cassandra contact points, optionally with the datacenter, instead of the local engines "
                    + "(env STRATUS_CASSANDRA).")
    String cassandra;

    @Option(names = "--datacenter", defaultValue = "${env:STRATUS_CASSANDRA_DATACENTER:-datacenter1}",
            description = "Cassandra local datacenter unless --cassandra names one "
                    + "(env STRATUS_CASSANDRA_DATACENTER, default ${DEFAULT-VALUE}).")
    String datacenter;

    /** Runs {@code action} on an administration-only node (no IMAP, no LMTP, no index). */
    <T> T withNode(Function<StratusNode, T> action) {
        CassandraStoreConfig config = store.storeConfig(command.commandLine());
        try (RunningCluster cluster = cluster();
             StratusNode node = StratusNode.start(new NodeConfig(cluster.cassandraContactPoint(), cluster.datacenter(),
                     config.keyspace(), config.replication(), config.consistency(), config.serialConsistency(), null,
                     Set.of(), "127.0.0.1", 0, "127.0.0.1", 0, "stratus"))) {
            return action.apply(node);
        }
    }

    /** Runs {@code action} with a bare session and the store settings (for schema work). */
    <T> T withSession(BiFunction<CqlSession, CassandraStoreConfig, T> action) {
        CassandraStoreConfig config = store.storeConfig(command.commandLine());
        try (RunningCluster cluster = cluster();
             CqlSession session = CqlSessions.open(new CqlSessions.Settings(cluster.cassandraContactPoint(),
                     cluster.datacenter(), Duration.ofSeconds(10)))) {
            return action.apply(session, config);
        }
    }

    /**
     * {@link #withSession} on a keyspace that must already hold {@code table} (admin commands never migrate);
     * fails with a message naming the schema {@code version} that brings it (empty: any version).
     */
    <T> T withSchema(String table, String version, BiFunction<CqlSession, CassandraStoreConfig, T> action) {
        return withSession((session, config) -> {
            if (session.getMetadata().getKeyspace(config.keyspace()).flatMap(k -> k.getTable(table)).isEmpty()) {
                throw new IllegalStateException("keyspace " + config.keyspace() + " has no Stratus schema"
                        + (version.isEmpty() ? "" : " " + version) + " (run: stratus schema migrate)");
            }
            return action.apply(session, config);
        });
    }

    private RunningCluster cluster() {
        if (cassandra == null || cassandra.isBlank()) {
            return local.start(false);
        }
        CassandraTarget target = CassandraTarget.option(command.commandLine(), cassandra, datacenter);
        return new RunningCluster(target.contactPoints(), target.datacenter(), null, null);
    }

    /**
     * Waits for an administrative operation; rethrows its failure's cause (an {@link IllegalArgumentException},
     * a refusal, {@link StorageUnavailableException}) so the command line reports it by name.
     */
    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(OPERATION_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new StorageUnavailableException("no answer from Cassandra within " + OPERATION_TIMEOUT.toSeconds()
                    + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
