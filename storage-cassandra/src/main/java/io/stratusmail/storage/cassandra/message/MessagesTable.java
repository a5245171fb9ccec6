package io.stratusmail.storage.cassandra.message;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.cql.AsyncCql;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Data access for the table {@code messages}: one partition per mailbox. Its clustering key {@code uid} holds
 * three kinds of rows ({@link ClusteringKeys}): messages ({@code uid -> modseq, flags, size, internal_date,
 * blob_id}), the change log ({@code -2^63 + MODSEQ -> change_uid, change_expunge}, expiring after the
 * configured retention) and MOVE markers ({@code hash -> origin_mailbox, origin_uid, copy_uid}, expiring
 * likewise). The statics are UIDNEXT ({@code next_uid}), HIGHESTMODSEQ ({@code highest_modseq}), the counters
 * ({@code message_count}, {@code unseen_count}, {@code total_size}) and the {@code \Recent} floor
 * ({@code recent_floor}).
 *
 * <p>Every write of messages is a conditional batch on one partition: the statics' update carries the
 * condition and the row changes, log entries and markers ride in the same Paxos round, so a change, its
 * MODSEQ, its log entry and the counters (and an append and its UID) become visible together or not at all.
 * Statics and rows are never written without a condition, so no plain write with a client timestamp can
 * overtake a Paxos write.
 */
final class MessagesTable {

    private static final String STATICS = "next_uid, highest_modseq, message_count, unseen_count, total_size";

    private final CqlSession session;
    private final CassandraStoreConfig config;
    private final PreparedStatement readState;
    private final PreparedStatement scan;
    private final PreparedStatement readRows;
    private final PreparedStatement readRow;
    private final PreparedStatement advance;
    private final PreparedStatement insertRow;
    private final PreparedStatement updateRow;
    private final PreparedStatement deleteRow;
    private final PreparedStatement insertLog;
    private final PreparedStatement insertMarker;
    private final PreparedStatement readLog;
    private final PreparedStatement readMarkers;
    private final PreparedStatement initCounters;
    private final PreparedStatement claimRecent;
    private final PreparedStatement insertMoveLog;

    private MessagesTable(CqlSession session, CassandraStoreConfig config, List<PreparedStatement> ps) {
        this.session = session;
        this.config = config;
        this.readState = ps.get(0);
        this.scan = ps.get(1);
        this.readRows = ps.get(2);
        this.readRow = ps.get(3);
        this.advance = ps.get(4);
        this.insertRow = ps.get(5);
        this.updateRow = ps.get(6);
        this.deleteRow = ps.get(7);
        this.insertLog = ps.get(8);
        this.insertMarker = ps.get(9);
        this.readLog = ps.get(10);
        this.readMarkers = ps.get(11);
        this.initCounters = ps.get(12);
        this.claimRecent = ps.get(13);
        this.insertMoveLog = ps.get(14);
    }

    /** Most UID slices one {@link #scan} reads in parallel. */
    static final int SCAN_SLICES = 4;
    /** UIDs per slice below which a scan is not split (a small mailbox is one sequential read). */
    static final long SCAN_SLICE_MIN_UIDS = 20_000;

    static CompletionStage<MessagesTable> prepare(CqlSession session, CassandraStoreConfig config) {
        String t = config.table("messages");
        String columns = "uid, modseq, flags, size, internal_date, blob_id, ref_id, header_prefix";
        return AsyncCql.prepareAll(session, List.of(
                        "SELECT " + STATICS + ", recent_floor FROM " + t + " WHERE mailbox_id = ? LIMIT 1",
                        "SELECT uid, modseq, flags, size, internal_date FROM " + t
                                + " WHERE mailbox_id = ? AND uid >= ? AND uid < ?",
                        "SELECT " + columns + ", " + STATICS + " FROM " + t + " WHERE mailbox_id = ? AND uid IN ?",
                        "SELECT " + columns + " FROM " + t + " WHERE mailbox_id = ? AND uid = ?",
                        "UPDATE " + t + " SET next_uid = ?, highest_modseq = ?, message_count = ?, unseen_count = ?,"
                                + " total_size = ? WHERE mailbox_id = ? IF next_uid = ? AND highest_modseq = ?"
                                + " AND message_count = ? AND unseen_count = ? AND total_size = ?",
                        "INSERT INTO " + t + " (mailbox_id, " + columns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        "UPDATE " + t + " SET flags = ?, modseq = ? WHERE mailbox_id = ? AND uid = ?",
                        "DELETE FROM " + t + " WHERE mailbox_id = ? AND uid = ?",
                        "INSERT INTO " + t + " (mailbox_id, uid, change_uid, change_expunge) VALUES (?, ?, ?, ?)"
                                + " USING TTL ?",
                        "INSERT INTO " + t + " (mailbox_id, uid, origin_mailbox, origin_uid, copy_uid)"
                                + " VALUES (?, ?, ?, ?, ?) USING TTL ?",
                        "SELECT uid, change_uid, change_expunge, move_target, copy_uid, next_uid, highest_modseq"
                                + " FROM " + t
                                + " WHERE mailbox_id = ? AND uid > ? AND uid < ? LIMIT ?",
                        "SELECT uid, origin_mailbox, origin_uid, copy_uid FROM " + t
                                + " WHERE mailbox_id = ? AND uid IN ?",
                        "UPDATE " + t + " SET message_count = ?, unseen_count = ?, total_size = ?, recent_floor = ?"
                                + " WHERE mailbox_id = ? IF highest_modseq = ? AND message_count = null"
                                + " AND recent_floor = ?",
                        "UPDATE " + t + " SET recent_floor = ? WHERE mailbox_id = ? IF recent_floor = ?",
                        "INSERT INTO " + t + " (mailbox_id, uid, change_uid, change_expunge, move_target, copy_uid)"
                                + " VALUES (?, ?, ?, true, ?, ?) USING TTL ?"))
                .thenApply(ps -> new MessagesTable(session, config, ps));
    }

    /** The statics; at a serial level this also completes any conditional write in flight. */
    CompletionStage<PartitionState> readState(MailboxId mailbox, ConsistencyLevel consistency) {
        return AsyncCql.execute(session, readState.bind(mailbox.value())
                        .setConsistencyLevel(consistency).setIdempotent(true), "read mailbox state")
                .thenApply(rs -> {
                    Row row = rs.one();
                    return row == null ? PartitionState.INITIAL : PartitionState.of(row);
                });
    }

    /**
     * Every message with a UID below {@code uidBelow}, ascending. A large mailbox is read as up to
     * {@value #SCAN_SLICES} consecutive UID slices in parallel, each a sequential read page by page, so SELECT of
     * a big mailbox uses more than one of the node's cores.
     */
    CompletionStage<List<MessageRecord>> scan(MailboxId mailbox, long uidBelow) {
        return scan(mailbox, uidBelow, SCAN_SLICE_MIN_UIDS);
    }

    /** {@link #scan(MailboxId, long)} with slices of at least {@code minUidsPerSlice} UIDs (tests use small ones). */
    CompletionStage<List<MessageRecord>> scan(MailboxId mailbox, long uidBelow, long minUidsPerSlice) {
        int slices = (int) Math.max(1, Math.min(SCAN_SLICES, uidBelow / minUidsPerSlice));
        long width = (uidBelow - 1 + slices - 1) / slices;
        List<CompletableFuture<List<MessageRecord>>> parts = new ArrayList<>(slices);
        for (int i = 0; i < slices; i++) {
            long from = 1 + i * width;
            long to = i == slices - 1 ? uidBelow : Math.min(uidBelow, from + width);
            CompletionStage<AsyncResultSet> first = session.executeAsync(scan.bind(mailbox.value(), from, to)
                    .setConsistencyLevel(config.consistency()).setIdempotent(true).setPageSize(config.pageSize()));
            parts.add(AsyncCql.collect(first, row -> !row.isNull("uid") && !row.isNull("modseq"),
                    MessagesTable::toRecord, "read mailbox").toCompletableFuture());
        }
        if (slices == 1) {
            return parts.get(0);
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<MessageRecord> all = new ArrayList<>(parts.stream().mapToInt(p -> p.join().size()).sum());
            parts.forEach(p -> all.addAll(p.join()));
            return all;
        });
    }

    /**
     * How many messages have a UID from {@code fromUid} (inclusive) to {@code uidBelow} (exclusive): one
     * sequential slice of the partition, page by page (STATUS RECENT).
     */
    CompletionStage<Long> countMessages(MailboxId mailbox, long fromUid, long uidBelow) {
        CompletionStage<AsyncResultSet> first = session.executeAsync(scan.bind(mailbox.value(), fromUid, uidBelow)
                .setConsistencyLevel(config.consistency()).setIdempotent(true).setPageSize(config.pageSize()));
        return AsyncCql.collect(first, row -> !row.isNull("uid") && !row.isNull("modseq"), row -> Boolean.TRUE,
                "count messages").thenApply(rows -> (long) rows.size());
    }

    /**
     * The rows with the given UIDs that exist, ascending, with the partition's statics as read together
     * with them (one partition read, so rows and statics are one consistent state).
     *
     * @param uids at most a few hundred, each 1 to 2^32-1
     */
    CompletionStage<RowsRead> read(MailboxId mailbox, List<Long> uids, ConsistencyLevel consistency) {
        CompletionStage<AsyncResultSet> first = session.executeAsync(readRows.bind(mailbox.value(), uids)
                .setConsistencyLevel(consistency).setIdempotent(true).setPageSize(config.pageSize()));
        return AsyncCql.collect(first, row -> !row.isNull("uid") && !row.isNull("modseq"), row -> row,
                "read messages").thenApply(rows -> {
                    if (rows.isEmpty()) {
                        return new RowsRead(List.of(), null);
                    }
                    return new RowsRead(rows.stream().map(MessagesTable::toStored).toList(),
                            PartitionState.of(rows.get(0)));
                });
    }

    /** One message, empty when it does not exist; {@code uid} must be 1 to 2^32-1. */
    CompletionStage<Optional<StoredMessage>> read(MailboxId mailbox, long uid, ConsistencyLevel consistency) {
        return AsyncCql.execute(session, readRow.bind(mailbox.value(), uid)
                        .setConsistencyLevel(consistency).setIdempotent(true), "read message")
                .thenApply(rs -> Optional.ofNullable(rs.one()).filter(r -> !r.isNull("uid") && !r.isNull("modseq"))
                        .map(MessagesTable::toStored));
    }

    /**
     * Makes the messages visible with the UIDs and MODSEQs they carry, logs each append and writes the MOVE
     * markers, provided the statics still equal {@code expected}; moves the statics to {@code next}.
     */
    CompletionStage<CasOutcome> append(MailboxId mailbox, PartitionState expected, PartitionState next,
                                       List<StoredMessage> messages, List<MoveMarker> markers) {
        BatchStatementBuilder batch = batch().addStatement(advance(mailbox, expected, next));
        int ttl = logTtl();
        for (StoredMessage m : messages) {
            MessageRecord r = m.record();
            batch.addStatement(insertRow.bind(mailbox.value(), r.uid(), r.modSeq(), r.flags().values(), r.size(),
                    r.internalDate(), m.blobId(), m.refId(),
                    m.headerPrefix().length == 0 ? null : java.nio.ByteBuffer.wrap(m.headerPrefix())));
            batch.addStatement(insertLog.bind(mailbox.value(), ClusteringKeys.logKey(r.modSeq()), r.uid(), false, ttl));
        }
        for (MoveMarker marker : markers) {
            batch.addStatement(insertMarker.bind(mailbox.value(),
                    ClusteringKeys.markerKey(marker.origin(), marker.originUid()), marker.origin().value(),
                    marker.originUid(), marker.copyUid(), ttl));
        }
        return AsyncCql.execute(session, batch.build(), "append").thenApply(MessagesTable::outcome);
    }

    /**
     * Applies flag changes (each record carries its new flags and MODSEQ) and removals (each with its own
     * MODSEQ), logging every one, provided the statics still equal {@code expected}; moves them to
     * {@code next}.
     */
    CompletionStage<CasOutcome> change(MailboxId mailbox, PartitionState expected, PartitionState next,
                                       List<MessageRecord> updated, List<Removal> removed) {
        BatchStatementBuilder batch = batch().addStatement(advance(mailbox, expected, next));
        int ttl = logTtl();
        for (MessageRecord r : updated) {
            batch.addStatement(updateRow.bind(r.flags().values(), r.modSeq(), mailbox.value(), r.uid()));
            batch.addStatement(insertLog.bind(mailbox.value(), ClusteringKeys.logKey(r.modSeq()), r.uid(), false, ttl));
        }
        for (Removal r : removed) {
            batch.addStatement(deleteRow.bind(mailbox.value(), r.uid()));
            long key = ClusteringKeys.logKey(r.modSeq());
            batch.addStatement(r.moveTarget() == null
                    ? insertLog.bind(mailbox.value(), key, r.uid(), true, ttl)
                    : insertMoveLog.bind(mailbox.value(), key, r.uid(), r.moveTarget().value(), r.copyUid(), ttl));
        }
        return AsyncCql.execute(session, batch.build(), "store flags").thenApply(MessagesTable::outcome);
    }

    /**
     * Sets the counters of a partition written before they existed, provided HIGHESTMODSEQ is still
     * {@code expected}'s (so the rows counted are the rows at that MODSEQ), the counters are still unset and
     * the {@code \Recent} floor is still {@code expected}'s. Also sets the floor to {@code recentFloor}.
     *
     * @return whether the write was applied
     */
    CompletionStage<Boolean> initCounters(MailboxId mailbox, PartitionState expected, Counters counters,
                                          long recentFloor) {
        return AsyncCql.execute(session, initCounters.bind(counters.messages(), counters.unseen(), counters.size(),
                        recentFloor, mailbox.value(), expected.highestModSeq(), expected.recentFloor())
                        .setConsistencyLevel(config.consistency())
                        .setSerialConsistencyLevel(config.serialConsistency()), "count messages")
                .thenApply(AsyncResultSet::wasApplied);
    }

    /** Moves the {@code \Recent} floor from {@code expected} (null: unset) to {@code next}; whether applied. */
    CompletionStage<Boolean> claimRecent(MailboxId mailbox, Long expected, long next) {
        return AsyncCql.execute(session, claimRecent.bind(next, mailbox.value(), expected)
                        .setConsistencyLevel(config.consistency())
                        .setSerialConsistencyLevel(config.serialConsistency()), "claim recent")
                .thenApply(AsyncResultSet::wasApplied);
    }

    /**
     * The change-log entries with a MODSEQ above {@code afterModSeq}, ascending, at most {@code limit}, with
     * UIDNEXT and HIGHESTMODSEQ as read together with them (null state when no entry exists).
     */
    CompletionStage<LogRead> readLog(MailboxId mailbox, long afterModSeq, int limit) {
        CompletionStage<AsyncResultSet> first = session.executeAsync(readLog.bind(mailbox.value(),
                        ClusteringKeys.logKey(afterModSeq), ClusteringKeys.LOG_END, limit)
                .setConsistencyLevel(config.consistency()).setIdempotent(true).setPageSize(config.pageSize()));
        return AsyncCql.collect(first, row -> !row.isNull("uid") && !row.isNull("change_uid"), row -> row,
                "read change log").thenApply(rows -> {
                    if (rows.isEmpty()) {
                        return new LogRead(null, List.of());
                    }
                    List<LogEntry> entries = rows.stream().map(r -> new LogEntry(
                            ClusteringKeys.modSeqOf(r.getLong("uid")), r.getLong("change_uid"),
                            r.getBoolean("change_expunge"),
                            r.isNull("move_target") ? null : new MailboxId(r.getUuid("move_target")),
                            r.isNull("copy_uid") ? 0 : r.getLong("copy_uid"))).toList();
                    return new LogRead(PartitionState.of(rows.get(0)), entries);
                });
    }

    /** The MOVE markers at the given keys (at most a few hundred). */
    CompletionStage<List<MoveMarker>> readMarkers(MailboxId mailbox, List<Long> keys) {
        CompletionStage<AsyncResultSet> first = session.executeAsync(readMarkers.bind(mailbox.value(), keys)
                .setConsistencyLevel(config.consistency()).setIdempotent(true).setPageSize(config.pageSize()));
        return AsyncCql.collect(first, row -> !row.isNull("uid") && !row.isNull("origin_mailbox")
                        && !row.isNull("origin_uid") && !row.isNull("copy_uid"),
                row -> new MoveMarker(new MailboxId(row.getUuid("origin_mailbox")), row.getLong("origin_uid"),
                        row.getLong("copy_uid")), "read move markers");
    }

    private BoundStatement advance(MailboxId mailbox, PartitionState expected,
                                                                       PartitionState next) {
        return advance.bind(next.nextUid(), next.highestModSeq(), next.counters().messages(),
                next.counters().unseen(), next.counters().size(), mailbox.value(), expected.expectedNextUid(),
                expected.expectedHighestModSeq(), expected.expectedMessages(), expected.expectedUnseen(),
                expected.expectedSize());
    }

    private int logTtl() {
        return Math.toIntExact(config.changeLogRetention().toSeconds());
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
        Row row = null;
        for (Row r : rs.currentPage()) {
            if (r.getColumnDefinitions().contains("highest_modseq")) {
                row = r;
                break;
            }
        }
        // An answer without any statics means the partition has none yet (a new mailbox).
        if (row == null) {
            return new CasOutcome(false, PartitionState.INITIAL);
        }
        boolean complete = row.getColumnDefinitions().contains("next_uid")
                && row.getColumnDefinitions().contains("message_count");
        return new CasOutcome(false, complete ? PartitionState.of(row) : null);
    }

    private static MessageRecord toRecord(Row row) {
        Set<String> flags = row.getSet("flags", String.class);
        return new MessageRecord(row.getLong("uid"), row.getLong("modseq"),
                flags == null || flags.isEmpty() ? Flags.EMPTY : Flags.of(flags), row.getLong("size"),
                row.getInstant("internal_date"));
    }

    private static StoredMessage toStored(Row row) {
        MessageRecord record = toRecord(row);
        java.nio.ByteBuffer prefix = row.getByteBuffer("header_prefix");
        byte[] prefixBytes = new byte[prefix == null ? 0 : prefix.remaining()];
        if (prefix != null) {
            prefix.duplicate().get(prefixBytes);
        }
        return new StoredMessage(record, row.getUuid("blob_id"), row.getUuid("ref_id"), prefixBytes);
    }

    /**
     * Rows read for a change.
     *
     * @param rows  the existing rows, ascending by UID
     * @param state the statics read with them, null when no row exists
     */
    record RowsRead(List<StoredMessage> rows, PartitionState state) {
    }

    /**
     * A message removed by a change, with the MODSEQ of its removal; for a removal by MOVE, the mailbox and UID
     * of the copy (null target otherwise).
     */
    record Removal(long uid, long modSeq, MailboxId moveTarget, long copyUid) {
    }

    /**
     * One change-log entry: the MODSEQ of a change, the UID it changed, whether it removed the message, and
     * for a removal by MOVE the mailbox and UID of the copy (null target otherwise).
     */
    record LogEntry(long modSeq, long uid, boolean expunge, MailboxId moveTarget, long copyUid) {
    }

    /**
     * Change-log entries read in one query.
     *
     * @param state   UIDNEXT and HIGHESTMODSEQ read with them (counters not read), null when none was read
     * @param entries ascending by MODSEQ
     */
    record LogRead(PartitionState state, List<LogEntry> entries) {
    }

    /**
     * A MOVE marker in the destination partition: the message {@code originUid} of mailbox {@code origin}
     * was copied to UID {@code copyUid} of this mailbox by a MOVE.
     */
    record MoveMarker(MailboxId origin, long originUid, long copyUid) {
    }
}
