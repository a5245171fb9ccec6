package io.stratusmail.storage.cassandra.user;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.cql.AsyncCql;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes all the mail of one user: the {@code messages} partition of each of its mailboxes (messages, counters,
 * change log), then every row of its {@code mailboxes} partition, then its {@code subscriptions} partition.
 *
 * <p>The mailbox rows go with one range deletion that keeps the partition's static {@code last_uid_validity}
 * (and {@code registry_change}): a user created again with the same name gets an INBOX with a larger UIDVALIDITY
 * than any mailbox it had before (RFC 3501 section 2.3.1.1), so no client cache of the old mail can pass for
 * the new. The {@code provisioned} mark goes in the same single-partition batch, so the new user gets the
 * default mailboxes again. The messages of a mailbox go first, so a crash half-way leaves mailboxes that still
 * list (and, on a second run, delete) their messages rather than messages nobody can find. Message content in
 * {@code blob_chunks} is left to the blob collector (unreferenced blobs; architecture note on blobs).
 * Partitions are deleted one after the other: the work is bounded by the user's mailbox count and never floods
 * the cluster.
 */
final class UserMailDeletion {

    private static final Logger LOG = LoggerFactory.getLogger(UserMailDeletion.class);

    private final CqlSession session;
    private final CassandraStoreConfig config;
    private final PreparedStatement selectMailboxIds;
    private final PreparedStatement deleteMessages;
    private final PreparedStatement deleteMailboxRows;
    private final PreparedStatement deleteProvisioned;
    private final PreparedStatement deleteSubscriptions;

    private UserMailDeletion(CqlSession session, CassandraStoreConfig config, List<PreparedStatement> ps) {
        this.session = session;
        this.config = config;
        this.selectMailboxIds = ps.get(0);
        this.deleteMessages = ps.get(1);
        this.deleteMailboxRows = ps.get(2);
        this.deleteProvisioned = ps.get(3);
        this.deleteSubscriptions = ps.get(4);
    }

    static CompletionStage<UserMailDeletion> prepare(CqlSession session, CassandraStoreConfig config) {
        String mailboxes = config.table("mailboxes");
        return AsyncCql.prepareAll(session, List.of(
                        "SELECT id FROM " + mailboxes + " WHERE owner = ?",
                        "DELETE FROM " + config.table("messages") + " WHERE mailbox_id = ?",
                        // every clustering row (names are never empty), not the static UIDVALIDITY counter
                        "DELETE FROM " + mailboxes + " WHERE owner = ? AND name >= ''",
                        "DELETE provisioned FROM " + mailboxes + " WHERE owner = ?",
                        "DELETE FROM " + config.table("subscriptions") + " WHERE owner = ?"))
                .thenApply(ps -> new UserMailDeletion(session, config, ps));
    }

    private BoundStatement bind(PreparedStatement ps, Object... values) {
        return ps.bind(values).setConsistencyLevel(config.consistency()).setIdempotent(true);
    }

    /** Deletes the mail; completes with the number of mailboxes deleted. Safe to run again after a failure. */
    CompletionStage<Integer> delete(Username user) {
        return AsyncCql.collect(session.executeAsync(bind(selectMailboxIds, user.value()).setPageSize(config.pageSize())),
                        row -> !row.isNull("id"), (Row row) -> row.getUuid("id"), "list mailboxes to delete")
                .thenCompose(ids -> {
                    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
                    for (UUID id : ids) {
                        chain = chain.thenCompose(v -> AsyncCql.execute(session, bind(deleteMessages, id),
                                "delete messages").thenApply(rs -> null));
                    }
                    BatchStatement registry = BatchStatement.newInstance(DefaultBatchType.UNLOGGED,
                                    deleteMailboxRows.bind(user.value()), deleteProvisioned.bind(user.value()))
                            .setConsistencyLevel(config.consistency()).setIdempotent(true);
                    return chain.thenCompose(v -> AsyncCql.execute(session, registry, "delete mailboxes"))
                            .thenCompose(rs -> AsyncCql.execute(session, bind(deleteSubscriptions, user.value()),
                                    "delete subscriptions"))
                            .thenApply(rs -> {
                                LOG.info("event=user_mail_deleted user={} mailboxes={}", user, ids.size());
                                return ids.size();
                            });
                });
    }
}
