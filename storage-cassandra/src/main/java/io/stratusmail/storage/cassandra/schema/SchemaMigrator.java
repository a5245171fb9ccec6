package io.stratusmail.storage.cassandra.schema;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.stratusmail.mailbox.StorageUnavailableException;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.cql.AsyncCql;
import io.stratusmail.storage.cassandra.cql.StorageErrors;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the keyspace when missing and applies the pending {@link #MIGRATIONS} in version order,
 * recording each in the table {@code schema_version}.
 *
 * <p>Safe when several nodes start at once: a node runs a migration only after claiming its version row
 * with a conditional insert ({@code IF NOT EXISTS}, at SERIAL); the others wait until the row says
 * {@code done}. A claim older than {@link #STALE_CLAIM} (its node died mid-way) is taken over, which is
 * harmless because every statement is idempotent. {@code schema_version} itself has a fixed table id
 * derived from the keyspace name, so two nodes creating it at the same moment create the same table.
 * Completes once the cluster agrees on the schema.
 */
public final class SchemaMigrator {

    /** Every migration, ascending by version. A new migration adds a file and a line here. */
    public static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "initial", "db/migration/V1__initial.cql"),
            new Migration(2, "mailbox registry", "db/migration/V2__mailbox_registry.cql"),
            new Migration(3, "message counters and change log", "db/migration/V3__message_counters_and_change_log.cql"),
            new Migration(5, "addresses", "db/migration/V5__addresses.cql"),
            new Migration(6, "shared blobs", "db/migration/V6__shared_blobs.cql"),
            new Migration(7, "quota limits", "db/migration/V7__quota_limits.cql"),
            new Migration(8, "delivery dedup", "db/migration/V8__delivery_dedup.cql"),
            new Migration(9, "nodes", "db/migration/V9__nodes.cql"),
            new Migration(10, "delivery dedup target", "db/migration/V10__delivery_dedup_target.cql"));

    /** A claim this old, still {@code running}, is taken over. */
    static final Duration STALE_CLAIM = Duration.ofMinutes(2);
    private static final Duration WAIT_LIMIT = Duration.ofMinutes(5);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration DDL_TIMEOUT = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

    private final CqlSession session;
    private final CassandraStoreConfig config;
    private final List<Migration> migrations;
    private final UUID node = UUID.randomUUID();
    private final Instant deadline = Instant.now().plus(WAIT_LIMIT);

    SchemaMigrator(CqlSession session, CassandraStoreConfig config, List<Migration> migrations) {
        this.session = session;
        this.config = config;
        this.migrations = List.copyOf(migrations);
    }

    /**
     * Applies every pending migration and waits for it: for start-up code, never on an event loop.
     *
     * @throws StorageUnavailableException when Cassandra does not answer, or another node's migration
     *                                     does not finish within five minutes
     */
    public static void migrate(CqlSession session, CassandraStoreConfig config) {
        try {
            migrateAsync(session, config).toCompletableFuture().join();
        } catch (CompletionException e) {
            Throwable cause = StorageErrors.unwrap(e);
            throw cause instanceof RuntimeException re ? re : e;
        }
    }

    /** Non-blocking form of {@link #migrate}. */
    public static CompletionStage<Void> migrateAsync(CqlSession session, CassandraStoreConfig config) {
        return new SchemaMigrator(session, config, MIGRATIONS).run();
    }

    CompletionStage<Void> run() {
        String versionTable = config.table("schema_version");
        UUID versionTableId = UUID.nameUUIDFromBytes(
                ("stratus:" + config.keyspace() + ".schema_version").getBytes(StandardCharsets.UTF_8));
        CompletionStage<Void> chain = ddl("CREATE KEYSPACE IF NOT EXISTS " + config.keyspace()
                + " WITH replication = " + config.replication().toCql())
                // Primary key: one partition per migration version; its row is the claim of that version.
                .thenCompose(v -> ddl("CREATE TABLE IF NOT EXISTS " + versionTable + " (version int PRIMARY KEY,"
                        + " description text, state text, claimed_by uuid, claimed_at timestamp,"
                        + " applied_at timestamp) WITH ID = " + versionTableId));
        for (Migration m : migrations) {
            chain = chain.thenCompose(v -> apply(m));
        }
        return chain.thenCompose(v -> awaitAgreement());
    }

    private CompletionStage<Void> apply(Migration m) {
        return lwt("SELECT state, claimed_by, claimed_at FROM " + config.table("schema_version")
                + " WHERE version = ?", m.version())
                .thenCompose(rs -> {
                    Row row = rs.one();
                    if (row == null) {
                        return claim(m);
                    }
                    if ("done".equals(row.getString("state"))) {
                        return CompletableFuture.completedFuture(null);
                    }
                    Instant claimedAt = row.getInstant("claimed_at");
                    if (claimedAt != null && claimedAt.plus(STALE_CLAIM).isBefore(Instant.now())) {
                        return takeOver(m, row.getUuid("claimed_by"));
                    }
                    return waitAndRetry(m);
                });
    }

    private CompletionStage<Void> claim(Migration m) {
        return lwt("INSERT INTO " + config.table("schema_version")
                        + " (version, description, state, claimed_by, claimed_at) VALUES (?, ?, 'running', ?, ?)"
                        + " IF NOT EXISTS", m.version(), m.description(), node, Instant.now())
                .thenCompose(rs -> rs.wasApplied() ? execute(m) : waitAndRetry(m));
    }

    private CompletionStage<Void> takeOver(Migration m, UUID previous) {
        LOG.warn("event=schema_migration_takeover version={} previous_node={} node={}", m.version(), previous, node);
        return lwt("UPDATE " + config.table("schema_version") + " SET claimed_by = ?, claimed_at = ?"
                        + " WHERE version = ? IF claimed_by = ? AND state = 'running'",
                node, Instant.now(), m.version(), previous)
                .thenCompose(rs -> rs.wasApplied() ? execute(m) : waitAndRetry(m));
    }

    private CompletionStage<Void> execute(Migration m) {
        LOG.info("event=schema_migration_start keyspace={} version={} description={} node={}",
                config.keyspace(), m.version(), m.description(), node);
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        for (String statement : m.statements(config.keyspace())) {
            chain = chain.thenCompose(v -> ddl(statement));
        }
        return chain
                .thenCompose(v -> awaitAgreement())
                .thenCompose(v -> lwt("UPDATE " + config.table("schema_version")
                        + " SET state = 'done', applied_at = ? WHERE version = ? IF claimed_by = ?",
                        Instant.now(), m.version(), node))
                .thenCompose(rs -> {
                    if (rs.wasApplied()) {
                        LOG.info("event=schema_migration_done keyspace={} version={} node={}",
                                config.keyspace(), m.version(), node);
                        return CompletableFuture.completedFuture(null);
                    }
                    // Another node took the claim over meanwhile; it finishes (and records) the same statements.
                    return waitAndRetry(m);
                });
    }

    private CompletionStage<Void> waitAndRetry(Migration m) {
        if (Instant.now().isAfter(deadline)) {
            return CompletableFuture.failedFuture(new StorageUnavailableException(
                    "schema migration " + m.version() + " claimed by another node did not finish in time", null));
        }
        return CompletableFuture.runAsync(() -> { },
                        CompletableFuture.delayedExecutor(POLL.toMillis(), TimeUnit.MILLISECONDS))
                .thenCompose(v -> apply(m));
    }

    private CompletionStage<Void> ddl(String cql) {
        return AsyncCql.execute(session, SimpleStatement.newInstance(cql).setTimeout(DDL_TIMEOUT), "schema change")
                .thenApply(rs -> null);
    }

    private CompletionStage<AsyncResultSet> lwt(String cql, Object... values) {
        // SERIAL/QUORUM rather than the LOCAL_ levels: two datacenters must not both claim a version.
        SimpleStatement statement = SimpleStatement.newInstance(cql, values)
                .setConsistencyLevel(DefaultConsistencyLevel.QUORUM)
                .setSerialConsistencyLevel(DefaultConsistencyLevel.SERIAL);
        if (cql.startsWith("SELECT")) {
            statement = statement.setConsistencyLevel(DefaultConsistencyLevel.SERIAL);
        }
        return AsyncCql.execute(session, statement, "schema version");
    }

    private CompletionStage<Void> awaitAgreement() {
        return AsyncCql.translated(session.checkSchemaAgreementAsync(), "schema agreement").thenCompose(agreed -> {
            if (agreed) {
                return CompletableFuture.completedFuture(null);
            }
            if (Instant.now().isAfter(deadline)) {
                return CompletableFuture.failedFuture(
                        new StorageUnavailableException("cluster did not agree on the schema in time", null));
            }
            return CompletableFuture.runAsync(() -> { },
                            CompletableFuture.delayedExecutor(POLL.toMillis(), TimeUnit.MILLISECONDS))
                    .thenCompose(v -> awaitAgreement());
        });
    }
}
