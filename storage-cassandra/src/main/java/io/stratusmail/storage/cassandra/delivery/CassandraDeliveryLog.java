package io.stratusmail.storage.cassandra.delivery;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.mailbox.message.DeliveryLog;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.cql.AsyncCql;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Data access for the table {@code delivery_dedup} (migrations V8, V10): one row per recipient account and
 * message digest, holding the target mailbox and stored content of the delivery's append (null in rows written
 * before V10, which mean "stored"), written with a TTL of the duplicate window. {@link #find} is one single-row
 * read, {@link #record} one plain upsert that replaces every column (no Paxos round: a conditional write could not
 * keep two racing first deliveries from both storing, and a repeated upsert only restarts the TTL).
 * Both run at the configured consistency (QUORUM-class in production), so a retry through any node after the
 * acknowledgement sees the record. The TTL is the window rounded up to whole seconds. Stages fail with
 * {@link io.stratusmail.mailbox.StorageUnavailableException} when Cassandra cannot answer.
 */
public final class CassandraDeliveryLog implements DeliveryLog {

    private final CqlSession session;
    private final CassandraStoreConfig config;
    private final PreparedStatement insert;
    private final PreparedStatement select;

    private CassandraDeliveryLog(CqlSession session, CassandraStoreConfig config, List<PreparedStatement> ps) {
        this.session = session;
        this.config = config;
        this.insert = ps.get(0);
        this.select = ps.get(1);
    }

    /** Prepares the statements once; the schema must be migrated. */
    public static CompletionStage<CassandraDeliveryLog> prepare(CqlSession session, CassandraStoreConfig config) {
        String t = config.table("delivery_dedup");
        return AsyncCql.prepareAll(session, List.of(
                        "INSERT INTO " + t + " (recipient, digest, delivered_at, mailbox_id, blob_id)"
                                + " VALUES (?, ?, ?, ?, ?) USING TTL ?",
                        "SELECT delivered_at, mailbox_id, blob_id FROM " + t + " WHERE recipient = ? AND digest = ?"))
                .thenApply(ps -> new CassandraDeliveryLog(session, config, ps));
    }

    private BoundStatement bind(PreparedStatement ps, Object... values) {
        return ps.bind(values).setConsistencyLevel(config.consistency()).setIdempotent(true);
    }

    @Override
    public CompletionStage<Optional<Delivery>> find(Username recipient, byte[] digest) {
        try {
            DeliveryLog.check(digest, null);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return AsyncCql.execute(session, bind(select, recipient.value(), ByteBuffer.wrap(digest.clone())),
                "read delivery log").thenApply(rs -> Optional.ofNullable(rs.one()).map(row ->
                        row.isNull("mailbox_id") || row.isNull("blob_id") ? Delivery.STORED
                                : new Delivery(new MailboxId(row.getUuid("mailbox_id")), row.getUuid("blob_id"))));
    }

    @Override
    public CompletionStage<Void> record(Username recipient, byte[] digest, Delivery delivery, Duration window) {
        try {
            java.util.Objects.requireNonNull(delivery, "delivery");
            DeliveryLog.check(digest, window);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        long seconds = window.getSeconds() + (window.getNano() > 0 ? 1 : 0);
        return AsyncCql.execute(session, bind(insert, recipient.value(), ByteBuffer.wrap(digest.clone()),
                        Instant.now(), delivery.stored() ? null : delivery.mailbox().value(), delivery.contentId(),
                        (int) seconds), "write delivery log")
                .thenApply(rs -> null);
    }
}
