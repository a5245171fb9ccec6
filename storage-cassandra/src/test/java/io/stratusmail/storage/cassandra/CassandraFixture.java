package io.stratusmail.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import io.stratusmail.localcluster.CassandraEndpoint;
import io.stratusmail.localcluster.TestCluster;
import io.stratusmail.storage.cassandra.cql.CqlSessions;
import io.stratusmail.storage.cassandra.schema.SchemaMigrator;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Sessions and stores on the shared test Cassandra node ({@link TestCluster#cassandra()}). */
public final class CassandraFixture {

    private CassandraFixture() {
    }

    /** A new session to the shared node (as a separate server node would open). */
    public static CqlSession openSession() {
        CassandraEndpoint node = TestCluster.cassandra();
        String contactPoint = (node.host().contains(":") ? "[" + node.host() + "]" : node.host()) + ":" + node.port();
        return CqlSessions.open(new CqlSessions.Settings(contactPoint, node.localDatacenter(), Duration.ofSeconds(12)));
    }

    /** The configuration for a keyspace of the test (SimpleStrategy factor 1, LOCAL_QUORUM). */
    public static CassandraStoreConfig config(String keyspace) {
        return CassandraStoreConfig.defaults(keyspace);
    }

    /** Migrates the keyspace and opens a store on it. */
    public static CassandraStore store(CqlSession session, CassandraStoreConfig config) {
        SchemaMigrator.migrate(session, config);
        return join(CassandraStore.open(session, config));
    }

    /** A short unique suffix for user names and mailbox names. */
    public static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** Waits for a stage (30 s at most); rethrows its failure's cause. */
    public static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("stage did not complete in 30 s", e);
        }
    }

    /** The failure a stage completes with (fails the test if it succeeds). */
    public static Throwable failure(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
        throw new AssertionError("expected the stage to fail");
    }
}
