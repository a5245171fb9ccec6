package io.stratusmail.storage.cassandra.message;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.cql.AsyncCql;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Data access for the table {@code messages}: one partition per mailbox, one row per message clustered by
 * UID ({@code uid -> modseq, flags, size, internal_date, blob_id}), and the statics {@code next_uid} and
 * {@code highest_modseq}.
 *
 * <p>Every write is a conditional batch on one partition: the statics' update carries the condition and the
 * row changes ride in the same Paxos round, so a change and its MODSEQ (and an append and its UID) become
 * visible together or not at all. Statics and rows are never written without a condition, so no plain write
 * with a client timestamp can overtake a Paxos write.
 */
final class MessagesTable {

    private final CqlSession session;
    private final CassandraStoreConfig config;
    private final PreparedStatement readState;
    private final PreparedStatement scan;
    private final PreparedStatement readRows;
    private final PreparedStatement readRow;
    private final PreparedStatement advanceBoth;
    private final PreparedStatement advanceModSeq;
    private final PreparedStatement insertRow;
    private final PreparedStatement updateRow;
    private final PreparedStatement deleteRow;

    private MessagesTable(CqlSession session, CassandraStoreConfig config, List<PreparedStatement> ps) {
        this.session = session;
        this.config = config;
        this.readState = ps.get(0);
        this.scan = ps.get(1);
        this.readRows = ps.get(2);
        this.readRow = ps.get(3);
        this.advanceBoth = ps.get(4);
        this.advanceModSeq = ps.get(5);
        this.insertRow = ps.get(6);
        this.updateRow = ps.get(7);
        this.deleteRow = ps.get(8);
    }

    static CompletionStage<MessagesTable> prepare(CqlSession session, CassandraStoreConfig config) {
        String t = config.table("messages");
        String columns = "uid, modseq, flags, size, internal_date, blob_id";
        return AsyncCql.prepareAll(session, List.of(
                        "SELECT next_uid, highest_modseq FROM " + t + " WHERE mailbox_id = ? LIMIT 1",
                        "SELECT " + columns + " FROM " + t + " WHERE mailbox_id = ?",
                        "SELECT " + columns + ", next_uid, highest_modseq FROM " + t
                                + " WHERE mailbox_id = ? AND uid IN ?",
                        "SELECT " + columns + " FROM " + t + " WHERE mailbox_id = ? AND uid = ?",
                        "UPDATE " + t + " SET next_uid = ?, highest_modseq = ? WHERE mailbox_id = ?"
                                + " IF next_uid = ? AND highest_modseq = ?",
                        "UPDATE " + t + " SET highest_modseq = ? WHERE mailbox_id = ? IF highest_modseq = ?",
                        "INSERT INTO " + t + " (mailbox_id, " + columns + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                        "UPDATE " + t + " SET flags = ?, modseq = ? WHERE mailbox_id = ? AND uid = ?",
                        "DELETE FROM " + t + " WHERE mailbox_id = ? AND uid = ?"))
                .thenApply(ps -> new MessagesTable(session, config, ps));
    }

    /** UIDNEXT and HIGHESTMODSEQ; at a serial level this also completes any conditional write in flight. */
    CompletionStage<PartitionState> readState(MailboxId mailbox, ConsistencyLevel consistency) {
        return AsyncCql.execute(session, readState.bind(mailbox.value())
                        .setConsistencyLevel(consistency).setIdempotent(true), "read mailbox state")
                .thenApply(rs -> {
                    Row row = rs.one();
                    return row == null ? PartitionState.INITIAL
                            : PartitionState.of(row.get("next_uid", Long.class), row.get("highest_modseq", Long.class));
                });
    }

    /** Every message with a UID below {@code uidBelow}, ascending, read page by page. */
    CompletionStage<List<MessageRecord>> scan(MailboxId mailbox, long uidBelow) {
        CompletionStage<AsyncResultSet> first = session.executeAsync(scan.bind(mailbox.value())
                .setConsistencyLevel(config.consistency()).setIdempotent(true).setPageSize(config.pageSize()));
        return AsyncCql.collect(first, row -> !row.isNull("uid") && row.getLong("uid") < uidBelow,
                row -> toStored(row).record(), "read mailbox");
    }

    /**
     * The rows with the given UIDs that exist, ascending, with the partition's statics as read together
     * with them (one partition read, so rows and statics are one consistent state).
     *
     * @param uids at most a few hundred
     */
    CompletionStage<RowsRead> read(MailboxId mailbox, List<Long> uids, ConsistencyLevel consistency) {
        CompletionStage<AsyncResultSet> first = session.executeAsync(readRows.bind(mailbox.value(), uids)
                .setConsistencyLevel(consistency).setIdempotent(true).setPageSize(config.pageSize()));
        return AsyncCql.collect(first, row -> !row.isNull("uid"), row -> row, "read messages").thenApply(rows -> {
            if (rows.isEmpty()) {
                return new RowsRead(List.of(), null);
            }
            Row any = rows.get(0);
            PartitionState state = PartitionState.of(any.get("next_uid", Long.class),
                    any.get("highest_modseq", Long.class));
            return new RowsRead(rows.stream().map(MessagesTable::toStored).toList(), state);
        });
    }

    /** One row, empty when the message does not exist. */
    CompletionStage<Optional<StoredMessage>> read(MailboxId mailbox, long uid, ConsistencyLevel consistency) {
        return AsyncCql.execute(session, readRow.bind(mailbox.value(), uid)
                        .setConsistencyLevel(consistency).setIdempotent(true), "read message")
                .thenApply(rs -> Optional.ofNullable(rs.one()).filter(r -> !r.isNull("uid"))
                        .map(MessagesTable::toStored));
    }

    /**
     * Makes the messages visible with the UIDs and MODSEQs they carry, provided the statics still equal
     * {@code expected}; moves the statics to {@code next}.
     */
    CompletionStage<CasOutcome> append(MailboxId mailbox, PartitionState expected, PartitionState next,
                                       List<StoredMessage> messages) {
        BatchStatementBuilder batch = batch().addStatement(advanceBoth.bind(next.nextUid(), next.highestModSeq(),
                mailbox.value(), expected.expectedNextUid(), expected.expectedHighestModSeq()));
        for (StoredMessage m : messages) {
            MessageRecord r = m.record();
            batch.addStatement(insertRow.bind(mailbox.value(), r.uid(), r.modSeq(), r.flags().values(), r.size(),
                    r.internalDate(), m.blobId()));
        }
        return AsyncCql.execute(session, batch.build(), "append").thenApply(MessagesTable::outcome);
    }

    /**
     * Applies flag changes (each record carries its new flags and MODSEQ) and removals, provided
     * HIGHESTMODSEQ still equals {@code expectedHighest}; sets it to {@code newHighest}.
     */
    CompletionStage<CasOutcome> change(MailboxId mailbox, long expectedHighest, long newHighest,
                                       List<MessageRecord> updated, List<Long> removed) {
        BatchStatementBuilder batch = batch().addStatement(
                advanceModSeq.bind(newHighest, mailbox.value(), expectedHighest));
        for (MessageRecord r : updated) {
            batch.addStatement(updateRow.bind(r.flags().values(), r.modSeq(), mailbox.value(), r.uid()));
        }
        for (long uid : removed) {
            batch.addStatement(deleteRow.bind(mailbox.value(), uid));
        }
        return AsyncCql.execute(session, batch.build(), "store flags").thenApply(MessagesTable::outcome);
    }

    private BatchStatementBuilder batch() {
        return new BatchStatementBuilder(DefaultBatchType.LOGGED)
                .setConsistencyLevel(config.consistency())
                .setSerialConsistencyLevel(config.serialConsistency())
                .setIdempotence(false);
    }

    private static CasOutcome outcome(AsyncResultSet rs) {
        if (rs.wasApplied()) {
            return new CasOutcome(true, null);
        }
        Long nextUid = null;
        Long highest = null;
        boolean sawStatics = false;
        for (Row row : rs.currentPage()) {
            if (row.getColumnDefinitions().contains("highest_modseq")) {
                sawStatics = true;
                highest = row.get("highest_modseq", Long.class);
                if (row.getColumnDefinitions().contains("next_uid")) {
                    nextUid = row.get("next_uid", Long.class);
                }
            }
        }
        // An answer without any statics means the partition has none yet (a new mailbox).
        PartitionState current = !sawStatics ? PartitionState.INITIAL
                : nextUid != null && highest != null ? PartitionState.of(nextUid, highest) : null;
        return new CasOutcome(false, current);
    }

    private static StoredMessage toStored(Row row) {
        Set<String> flags = row.getSet("flags", String.class);
        MessageRecord record = new MessageRecord(row.getLong("uid"), row.getLong("modseq"),
                flags == null || flags.isEmpty() ? Flags.EMPTY : Flags.of(flags), row.getLong("size"),
                row.getInstant("internal_date"));
        return new StoredMessage(record, row.getUuid("blob_id"));
    }

    /**
     * Rows read for a change.
     *
     * @param rows  the existing rows, ascending by UID
     * @param state the statics read with them, null when no row exists
     */
    record RowsRead(List<StoredMessage> rows, PartitionState state) {
    }
}
