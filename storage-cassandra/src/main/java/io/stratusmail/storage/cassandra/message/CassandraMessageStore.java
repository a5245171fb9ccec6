package io.stratusmail.storage.cassandra.message;

import com.datastax.oss.driver.api.core.CqlSession;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.mailbox.StorageUnavailableException;
import io.stratusmail.mailbox.message.AppendResult;
import io.stratusmail.mailbox.message.CopyResult;
import io.stratusmail.mailbox.message.FlagUpdate;
import io.stratusmail.mailbox.message.FlagUpdateResult;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MailboxChanges;
import io.stratusmail.mailbox.message.MailboxCounters;
import io.stratusmail.mailbox.message.MailboxSnapshot;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.message.MessageToAppend;
import io.stratusmail.mailbox.message.RecentRange;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.blob.BlobStore;
import io.stratusmail.storage.cassandra.cql.AsyncCql;
import io.stratusmail.storage.cassandra.cql.StorageErrors;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MessageStore} on Cassandra: content in {@code blob_chunks} ({@link BlobStore}), metadata, UIDs,
 * MODSEQs, counters, the change log and the {@code \Recent} floor in {@code messages} ({@link MessagesTable}),
 * every write committed through {@link MailboxWriters}, which keeps architecture invariant 4. COPY, MOVE and
 * batched appends are in {@link MessageTransfer}, CHANGEDSINCE/VANISHED in {@link ChangeLogReader}.
 *
 * <p>Limits: a message is at most {@code maxMessageSize} octets (larger ones fail with
 * {@link IllegalArgumentException}); UIDs are 1 to 2^32-1, MODSEQs below 2^62; {@code appendAll}, {@code copy}
 * and {@code move} take at most {@value MessageStore#MAX_MESSAGES_PER_CALL} messages and commit at most
 * {@value MailboxWriters#MAX_MESSAGES_PER_BATCH} per conditional batch. Requests naming many UIDs are
 * processed in slices of {@value #UIDS_PER_SLICE}, one after the other. Failures to reach Cassandra at the configured
 * consistency complete the stage with {@link io.stratusmail.mailbox.StorageUnavailableException}. Stages
 * complete on driver threads: callers continue on their own executor or event loop.
 */
public final class CassandraMessageStore implements MessageStore {

    static final int UIDS_PER_SLICE = 100;
    private static final Logger LOG = LoggerFactory.getLogger(CassandraMessageStore.class);

    private final CassandraStoreConfig config;
    private final BlobStore blobs;
    private final MessagesTable messages;
    private final MailboxWriters writers;
    private final MessageTransfer transfer;
    private final ChangeLogReader changeLog;

    private CassandraMessageStore(CassandraStoreConfig config, BlobStore blobs, MessagesTable messages) {
        this.config = config;
        this.blobs = blobs;
        this.messages = messages;
        this.writers = new MailboxWriters(messages, config);
        this.transfer = new MessageTransfer(config, blobs, messages, writers);
        this.changeLog = new ChangeLogReader(config, messages);
    }

    /** COPY/MOVE internals, for tests in this package that stop a MOVE between its two halves. */
    MessageTransfer transfer() {
        return transfer;
    }

    /** Prepares the statements once; the schema must be migrated. */
    public static CompletionStage<CassandraMessageStore> prepare(CqlSession session, CassandraStoreConfig config) {
        CompletableFuture<BlobStore> blobs = BlobStore.prepare(session, config).toCompletableFuture();
        CompletableFuture<MessagesTable> table = MessagesTable.prepare(session, config).toCompletableFuture();
        return blobs.thenCombine(table, (b, t) -> new CassandraMessageStore(config, b, t));
    }

    /**
     * Stores the content (chunked, before anything refers to it), then commits the message row with its UID
     * and MODSEQ. A failure before the commit leaves only an unreferenced blob, never a visible message.
     * INTERNALDATE is kept to the millisecond.
     */
    @Override
    public CompletionStage<AppendResult> append(Mailbox mailbox, byte[] content, Flags flags, Instant internalDate) {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(internalDate, "internalDate");
        if (content.length > config.maxMessageSize()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("message of " + content.length
                    + " octets exceeds the limit of " + config.maxMessageSize()));
        }
        Instant date = internalDate.truncatedTo(ChronoUnit.MILLIS);
        return blobs.write(content)
                .thenCompose(blobId -> writers.append(mailbox.id(), new NewMessage(flags, content.length, date, blobId)))
                .thenApply(record -> {
                    LOG.debug("event=append mailbox={} uid={} modseq={} size={}",
                            mailbox.id(), record.uid(), record.modSeq(), record.size());
                    return new AppendResult(mailbox.uidValidity(), record);
                });
    }

    /**
     * Reads UIDNEXT and HIGHESTMODSEQ at serial consistency (which completes any write in flight), then
     * every message below that UIDNEXT, page by page. A message committed before the call is in the
     * snapshot; one committed during the scan is left out whole (its UID is at or above UIDNEXT), so a reader
     * never sees UID n and later a new UID below n.
     */
    @Override
    public CompletionStage<MailboxSnapshot> snapshot(Mailbox mailbox) {
        return messages.readState(mailbox.id(), config.serialConsistency())
                .thenCompose(state -> messages.scan(mailbox.id(), state.nextUid())
                        .thenApply(records -> new MailboxSnapshot(mailbox.uidValidity(), state.nextUid(),
                                state.highestModSeq(), records)));
    }

    @Override
    public CompletionStage<List<MessageRecord>> records(MailboxId mailbox, Collection<Long> uids) {
        List<List<Long>> slices = slices(uids);
        CompletionStage<List<MessageRecord>> chain = CompletableFuture.completedFuture(new ArrayList<>());
        for (List<Long> slice : slices) {
            chain = chain.thenCompose(acc -> messages.read(mailbox, slice, config.consistency()).thenApply(read -> {
                read.rows().forEach(row -> acc.add(row.record()));
                return acc;
            }));
        }
        return chain.thenApply(List::copyOf);
    }

    @Override
    public CompletionStage<Optional<byte[]>> content(MailboxId mailbox, long uid) {
        if (!ClusteringKeys.isUid(uid)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return messages.read(mailbox, uid, config.consistency()).thenCompose(row -> row.isEmpty()
                ? CompletableFuture.completedFuture(Optional.<byte[]>empty())
                : blobs.read(row.get().blobId(), row.get().record().size()).thenApply(Optional::of));
    }

    /** Each changed message gets its own MODSEQ; at most one Paxos round per slice of messages. */
    @Override
    public CompletionStage<List<MessageRecord>> updateFlags(MailboxId mailbox, Collection<Long> uids,
                                                            FlagUpdate update) {
        Objects.requireNonNull(update, "update");
        return change(mailbox, uids, current -> {
            Flags next = update.apply(current.flags());
            return next.equals(current.flags()) ? Change.KEEP : Change.setFlags(next);
        }).thenApply(changes -> changes.stream().map(Changed::after).toList());
    }

    /** Removes the messages flagged {@code \Deleted}; HIGHESTMODSEQ grows by one per removed message. */
    @Override
    public CompletionStage<List<Long>> expunge(MailboxId mailbox, Collection<Long> uids) {
        return change(mailbox, uids, current -> current.flags().contains(Flags.DELETED) ? Change.REMOVE : Change.KEEP)
                .thenApply(changes -> changes.stream().filter(c -> c.after() == null).map(c -> c.before().uid())
                        .toList());
    }

    /**
     * Reads the counters (statics only, no message rows). A mailbox written before schema version 3 is
     * counted once, under a conditional write, the first time.
     */
    @Override
    public CompletionStage<MailboxCounters> counters(MailboxId mailbox) {
        return messages.readState(mailbox, config.consistency())
                .thenCompose(state -> state.countersKnown() ? CompletableFuture.completedFuture(state)
                        : writers.counters(mailbox))
                .thenApply(state -> new MailboxCounters(state.counters().messages(), state.counters().unseen(),
                        state.counters().size(), state.nextUid(), state.highestModSeq()));
    }

    /**
     * Stores every content, then commits the messages in rounds of up to
     * {@value MailboxWriters#MAX_MESSAGES_PER_BATCH}, each one conditional batch with consecutive UIDs.
     */
    @Override
    public CompletionStage<List<AppendResult>> appendAll(Mailbox mailbox, List<MessageToAppend> batch) {
        Objects.requireNonNull(batch, "messages");
        if (batch.size() > MAX_MESSAGES_PER_CALL) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("more than " + MAX_MESSAGES_PER_CALL
                    + " messages in one call"));
        }
        for (MessageToAppend m : batch) {
            Objects.requireNonNull(m, "message");
            if (m.content().length > config.maxMessageSize()) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("message of "
                        + m.content().length + " octets exceeds the limit of " + config.maxMessageSize()));
            }
        }
        return transfer.appendAll(mailbox, batch).thenApply(records -> records.stream()
                .map(r -> new AppendResult(mailbox.uidValidity(), r)).toList());
    }

    @Override
    public CompletionStage<CopyResult> copy(MailboxId source, Collection<Long> uids, Mailbox destination) {
        return withinLimit(uids).thenCompose(ok -> transfer.copy(source, uids, destination));
    }

    /** See {@link MessageTransfer#move} for the order of the writes and what a crash or a retry leaves. */
    @Override
    public CompletionStage<CopyResult> move(MailboxId source, Collection<Long> uids, Mailbox destination) {
        return withinLimit(uids).thenCompose(ok -> transfer.move(source, uids, destination));
    }

    /** The UNCHANGEDSINCE test runs inside the conditional batch that applies the update, so it is exact. */
    @Override
    public CompletionStage<FlagUpdateResult> updateFlags(MailboxId mailbox, Collection<Long> uids, FlagUpdate update,
                                                         long unchangedSince) {
        Objects.requireNonNull(update, "update");
        if (unchangedSince < 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("UNCHANGEDSINCE must not be negative"));
        }
        return change(mailbox, uids, current -> {
            if (current.modSeq() > unchangedSince) {
                return Change.REFUSE;
            }
            Flags next = update.apply(current.flags());
            return next.equals(current.flags()) ? Change.KEEP : Change.setFlags(next);
        }).thenApply(changes -> new FlagUpdateResult(
                changes.stream().filter(c -> !c.refused()).map(Changed::after).toList(),
                changes.stream().filter(Changed::refused).map(c -> c.before().uid()).toList()));
    }

    @Override
    public CompletionStage<MailboxChanges> changesSince(MailboxId mailbox, long modSeq) {
        if (modSeq < 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("MODSEQ must not be negative"));
        }
        return changeLog.changesSince(mailbox, modSeq);
    }

    /**
     * Reads UIDNEXT and the {@code \Recent} floor at serial consistency and moves the floor to UIDNEXT with a
     * conditional update ({@code IF recent_floor = <read>}); a lost race reads again. A write with an unknown
     * outcome gives an empty range: those messages may then be {@code \Recent} for no session, never for two.
     * Messages of a mailbox written before schema version 3 are nobody's {@code \Recent}.
     */
    @Override
    public CompletionStage<RecentRange> claimRecent(MailboxId mailbox) {
        return claimRecent(mailbox, 1);
    }

    private CompletionStage<RecentRange> claimRecent(MailboxId mailbox, int attempt) {
        return messages.readState(mailbox, config.serialConsistency()).thenCompose(state -> {
            long next = state.nextUid();
            long floor = state.recentFloor() != null ? state.recentFloor()
                    : state.countersKnown() ? 1 : next;
            if (floor >= next) {
                return CompletableFuture.completedFuture(new RecentRange(next, next));
            }
            return messages.claimRecent(mailbox, state.recentFloor(), next).handle((applied, error) -> {
                if (error != null) {
                    if (StorageErrors.isUnknownCasOutcome(error)) {
                        LOG.warn("event=recent_claim_unknown mailbox={} from={} to={}", mailbox, floor, next);
                        return CompletableFuture.completedFuture(new RecentRange(next, next));
                    }
                    return CompletableFuture.<RecentRange>failedFuture(error);
                }
                if (applied) {
                    return CompletableFuture.completedFuture(new RecentRange(floor, next));
                }
                if (attempt >= config.maxCasAttempts()) {
                    return CompletableFuture.<RecentRange>failedFuture(new StorageUnavailableException(
                            "claiming \\Recent of mailbox " + mailbox
                            + " did not win a conditional write in " + attempt + " attempts", null));
                }
                return AsyncCql.jitter(AsyncCql.CAS_RETRY_JITTER_MICROS)
                        .thenCompose(v -> claimRecent(mailbox, attempt + 1));
            }).thenCompose(x -> x);
        });
    }

    private static CompletionStage<Void> withinLimit(Collection<Long> uids) {
        Objects.requireNonNull(uids, "uids");
        if (uids.size() > MAX_MESSAGES_PER_CALL) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("more than " + MAX_MESSAGES_PER_CALL
                    + " messages in one call"));
        }
        return CompletableFuture.completedFuture(null);
    }

    private CompletionStage<List<Changed>> change(MailboxId mailbox, Collection<Long> uids,
                                                  Function<MessageRecord, Change> planner) {
        CompletionStage<List<Changed>> chain = CompletableFuture.completedFuture(new ArrayList<>());
        for (List<Long> slice : slices(uids)) {
            chain = chain.thenCompose(acc -> writers.change(mailbox, slice, planner).thenApply(done -> {
                acc.addAll(done);
                return acc;
            }));
        }
        return chain.thenApply(List::copyOf);
    }

    /** Valid UIDs (1 to 2^32-1), distinct, ascending, in slices of {@value #UIDS_PER_SLICE}. */
    static List<List<Long>> slices(Collection<Long> uids) {
        List<Long> sorted = uids.stream().filter(u -> u != null && u >= 1 && u <= MailboxWriters.MAX_UID)
                .distinct().sorted().toList();
        List<List<Long>> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i += UIDS_PER_SLICE) {
            out.add(sorted.subList(i, Math.min(sorted.size(), i + UIDS_PER_SLICE)));
        }
        return out;
    }
}
