package io.stratusmail.storage.cassandra.verify;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Reads of one mailbox's partition of {@code messages} for verify: its statics (serial read), a recount of
 * its message rows (one paged sequential slice over UIDs 1 to 2^32-1, one page in memory at a time), and the
 * conditional repair of the statics.
 *
 * <p>The repair is the same kind of write the store makes: one conditional update
 * {@code IF next_uid = <read> AND highest_modseq = <read> AND message_count = <read> ...}. Every append, flag
 * change and expunge moves {@code highest_modseq} in the Paxos round that changes the rows, so if the condition
 * holds, no row changed since the statics were read and the recount (taken between two equal serial reads) is
 * the partition's content: a concurrent writer either commits first (the repair loses and is retried) or after
 * (it then fails its own condition, re-reads the repaired statics and retries), and no append is lost.
 */
final class MailboxCheck {

    /** Largest UID (RFC 3501 section 2.3.1.1: unsigned 32-bit); message rows are keyed 1 to this. */
    static final long MAX_UID = 0xFFFF_FFFFL;

    /**
     * The statics as stored; any may be null (a partition never appended to has none; one written before
     * schema version 3 has no counters).
     */
    record Statics(Long nextUid, Long highestModSeq, Long messages, Long unseen, Long size) {

        static final Statics NONE = new Statics(null, null, null, null, null);

        boolean countersKnown() {
            return messages != null && unseen != null && size != null;
        }

        /** Whether no change committed between the reads of {@code this} and {@code other}. */
        boolean sameVersion(Statics other) {
            return Objects.equals(nextUid, other.nextUid) && Objects.equals(highestModSeq, other.highestModSeq);
        }
    }

    /** The recount of the message rows: MESSAGES, UNSEEN, SIZE in octets, the largest UID and MODSEQ (0: none). */
    record Recount(long messages, long unseen, long size, long maxUid, long maxModSeq) {
    }

    /**
     * One message row as scanned; {@code modSeq}, {@code size} or {@code blobId} null when the cell is missing;
     * {@code refId} null and {@code prefixLength} 0 for rows written before schema version 6.
     */
    record MessageRow(long uid, Long modSeq, Long size, UUID blobId, Set<String> flags, UUID refId,
                      int prefixLength) {
    }

    private final CqlSession session;
    private final CassandraStoreConfig config;
    private final PreparedStatement readStatics;
    private final PreparedStatement scan;
    private final PreparedStatement repair;

    private final boolean references;

    /** @param references whether {@code messages} has the columns {@code ref_id, header_prefix} (version 6) */
    MailboxCheck(CqlSession session, CassandraStoreConfig config, boolean references) {
        this.references = references;
        this.session = session;
        this.config = config;
        String t = config.table("messages");
        this.readStatics = session.prepare("SELECT next_uid, highest_modseq, message_count, unseen_count, total_size"
                + " FROM " + t + " WHERE mailbox_id = ? LIMIT 1");
        this.scan = session.prepare("SELECT uid, modseq, flags, size, blob_id"
                + (references ? ", ref_id, header_prefix" : "") + " FROM " + t
                + " WHERE mailbox_id = ? AND uid > 0 AND uid <= ?");
        this.repair = session.prepare("UPDATE " + t + " SET next_uid = ?, highest_modseq = ?, message_count = ?,"
                + " unseen_count = ?, total_size = ? WHERE mailbox_id = ? IF next_uid = ? AND highest_modseq = ?"
                + " AND message_count = ? AND unseen_count = ? AND total_size = ?");
    }

    /** The statics, read at the serial consistency (which also completes any conditional write in flight). */
    Statics statics(UUID mailbox) {
        Row row = session.execute(readStatics.bind(mailbox).setConsistencyLevel(config.serialConsistency())
                .setIdempotent(true)).one();
        if (row == null) {
            return Statics.NONE;
        }
        return new Statics(nullable(row, "next_uid"), nullable(row, "highest_modseq"), nullable(row, "message_count"),
                nullable(row, "unseen_count"), nullable(row, "total_size"));
    }

    /** Counts the message rows, page by page, handing each to {@code each} (null: no per-row check). */
    Recount recount(UUID mailbox, Consumer<MessageRow> each) {
        ResultSet rs = session.execute(scan.bind(mailbox, MAX_UID).setConsistencyLevel(config.consistency())
                .setIdempotent(true).setPageSize(config.pageSize()));
        long messages = 0;
        long unseen = 0;
        long size = 0;
        long maxUid = 0;
        long maxModSeq = 0;
        for (Row row : rs) {
            MessageRow m = new MessageRow(row.getLong("uid"), nullable(row, "modseq"), nullable(row, "size"),
                    row.getUuid("blob_id"), row.getSet("flags", String.class),
                    references ? row.getUuid("ref_id") : null,
                    references && !row.isNull("header_prefix") ? row.getByteBuffer("header_prefix").remaining() : 0);
            if (each != null) {
                each.accept(m);
            }
            if (m.modSeq() == null) {
                continue; // not a committed message row (reported by the row check)
            }
            messages++;
            if (m.flags() == null || m.flags().isEmpty() || !Flags.of(m.flags()).contains(Flags.SEEN)) {
                unseen++;
            }
            size += m.size() == null ? 0 : m.size();
            maxUid = Math.max(maxUid, m.uid());
            maxModSeq = Math.max(maxModSeq, m.modSeq());
        }
        return new Recount(messages, unseen, size, maxUid, maxModSeq);
    }

    /**
     * Moves the statics from {@code expected} to {@code fixed} if they are still {@code expected}.
     *
     * @return whether the update was applied
     */
    boolean repair(UUID mailbox, Statics expected, Statics fixed) {
        return session.execute(repair.bind(fixed.nextUid(), fixed.highestModSeq(), fixed.messages(), fixed.unseen(),
                        fixed.size(), mailbox, expected.nextUid(), expected.highestModSeq(), expected.messages(),
                        expected.unseen(), expected.size())
                .setConsistencyLevel(config.consistency()).setSerialConsistencyLevel(config.serialConsistency()))
                .wasApplied();
    }

    private static Long nullable(Row row, String column) {
        return row.isNull(column) ? null : row.getLong(column);
    }
}
