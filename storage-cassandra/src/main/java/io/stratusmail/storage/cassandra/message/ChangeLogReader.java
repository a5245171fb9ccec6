package io.stratusmail.storage.cassandra.message;

import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.mailbox.message.MailboxChanges;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.message.MessagesTable.LogEntry;
import io.stratusmail.storage.cassandra.message.MessagesTable.LogRead;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers "what changed after MODSEQ n" (RFC 7162 CHANGEDSINCE, QRESYNC VANISHED, NOOP/IDLE updates) from
 * the change log in the mailbox's partition.
 *
 * <p>Every append, flag change and expunge takes exactly one MODSEQ and writes exactly one log entry in the
 * same conditional batch, so the log is dense: the changes after n are complete exactly when the entries
 * n+1 .. HIGHESTMODSEQ are all there. A mailbox's creation is MODSEQ 1 ({@link MessageStore#NEW_MAILBOX_MODSEQ},
 * no entry); mailboxes written before that rule have their first append at MODSEQ 1. Either way MODSEQ 1 is never
 * an expunge, so "changes after 0" are every existing message (a scan) plus the expunges logged after 1. Entries expire after the configured retention, oldest first, and
 * partitions written before schema version 3 have none; when entries are missing (or more than
 * {@value #MAX_LOG_ENTRIES} changes happened since n) the answer comes from a scan of the messages instead:
 * the changed records are still exact, the expunged UIDs are then unknown ({@code vanishedComplete} false).
 * Cost: one static read and one slice of the log (only entries after n, so expired entries older than n are
 * never read), then one read per {@value CassandraMessageStore#UIDS_PER_SLICE} changed messages.
 */
final class ChangeLogReader {

    /** Most log entries one answer reads; beyond that, a scan is cheaper. */
    static final int MAX_LOG_ENTRIES = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(ChangeLogReader.class);

    private final CassandraStoreConfig config;
    private final MessagesTable table;

    ChangeLogReader(CassandraStoreConfig config, MessagesTable table) {
        this.config = config;
        this.table = table;
    }

    CompletionStage<MailboxChanges> changesSince(MailboxId mailbox, long modSeq) {
        if (modSeq < MessageStore.NEW_MAILBOX_MODSEQ) {
            // Below the creation MODSEQ every message counts as changed; the scan stops at the UIDNEXT read with
            // the log, so it adds no message the log answer has not accounted for.
            return changesSince(mailbox, MessageStore.NEW_MAILBOX_MODSEQ).thenCompose(later -> table.scan(mailbox,
                    later.uidNext()).thenApply(all -> new MailboxChanges(later.uidNext(), later.highestModSeq(), all,
                    later.vanished(), later.vanishedComplete())));
        }
        return table.readState(mailbox, config.consistency()).thenCompose(state -> {
            if (!state.stored() || state.highestModSeq() <= modSeq) {
                return CompletableFuture.completedFuture(new MailboxChanges(state.nextUid(), state.highestModSeq(),
                        List.of(), List.of(), true));
            }
            if (state.highestModSeq() - modSeq > MAX_LOG_ENTRIES) {
                return scan(mailbox, modSeq, "too_many_changes");
            }
            return table.readLog(mailbox, modSeq, MAX_LOG_ENTRIES + 1)
                    .thenCompose(log -> fromLog(mailbox, modSeq, log));
        });
    }

    private CompletionStage<MailboxChanges> fromLog(MailboxId mailbox, long modSeq, LogRead log) {
        if (log.state() == null) {
            return scan(mailbox, modSeq, "log_missing");
        }
        long highest = log.state().highestModSeq();
        List<LogEntry> entries = log.entries().stream().filter(e -> e.modSeq() <= highest).toList();
        // Dense: one entry per MODSEQ in modSeq+1 .. highest, unless some expired or predate the log.
        if (entries.size() != highest - modSeq || entries.isEmpty() || entries.get(0).modSeq() != modSeq + 1) {
            return scan(mailbox, modSeq, "log_incomplete");
        }
        Map<Long, LogEntry> latest = new TreeMap<>();
        entries.forEach(e -> latest.put(e.uid(), e));
        List<Long> vanished = new ArrayList<>();
        List<Long> changed = new ArrayList<>();
        latest.forEach((uid, e) -> (e.expunge() ? vanished : changed).add(uid));
        CompletionStage<List<MessageRecord>> chain = CompletableFuture.completedFuture(new ArrayList<>());
        for (List<Long> slice : CassandraMessageStore.slices(changed)) {
            chain = chain.thenCompose(acc -> table.read(mailbox, slice, config.consistency()).thenApply(read -> {
                read.rows().forEach(r -> acc.add(r.record()));
                return acc;
            }));
        }
        return chain.thenApply(records -> new MailboxChanges(log.state().nextUid(), highest, records, vanished, true));
    }

    /** Every message with a MODSEQ above {@code modSeq}, from a consistent snapshot; expunges unknown. */
    private CompletionStage<MailboxChanges> scan(MailboxId mailbox, long modSeq, String reason) {
        LOG.debug("event=changes_by_scan mailbox={} modseq={} reason={}", mailbox, modSeq, reason);
        return table.readState(mailbox, config.serialConsistency())
                .thenCompose(state -> table.scan(mailbox, state.nextUid()).thenApply(records -> new MailboxChanges(
                        state.nextUid(), state.highestModSeq(),
                        records.stream().filter(r -> r.modSeq() > modSeq).toList(), List.of(), false)));
    }
}
