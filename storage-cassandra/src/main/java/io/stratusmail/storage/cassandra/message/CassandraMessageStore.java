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
import io.stratusmail.mailbox.message.StoredContent;
import io.stratusmail.mailbox.mime.MessageSummary;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.blob.SharedBlobs;
import io.stratusmail.storage.cassandra.cql.AsyncCql;
import io.stratusmail.storage.cassandra.cql.StorageErrors;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
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
    private static final byte[] NO_PREFIX = new byte[0];
    private static final int SUMMARIES_IN_FLIGHT = 16;
    /** MIME parsing is CPU work: never on the caller's event loop or a driver thread. */
    private static final java.util.concurrent.Executor SUMMARY_EXECUTOR = java.util.concurrent.ForkJoinPool.commonPool();
    private static final Logger LOG = LoggerFactory.getLogger(CassandraMessageStore.class);

    private final CassandraStoreConfig config;
    private final SharedBlobs blobs;
    private final MessagesTable messages;
    private final MailboxWriters writers;
    private final MessageTransfer transfer;
    private final ChangeLogReader changeLog;

    private CassandraMessageStore(CassandraStoreConfig config, SharedBlobs blobs, MessagesTable messages) {
        this.config = config;
        this.blobs = blobs;
        this.messages = messages;
        this.writers = new MailboxWriters(messages, config, blobs);
        this.transfer = new MessageTransfer(config, blobs, messages, writers);
        this.changeLog = new ChangeLogReader(config, messages);
    }

    /** COPY/MOVE internals, for tests in this package that stop a MOVE between its two halves. */
    MessageTransfer transfer() {
        return transfer;
    }

    /** Prepares the statements once; the schema must be migrated. */
    public static CompletionStage<CassandraMessageStore> prepare(CqlSession session, CassandraStoreConfig config) {
        CompletableFuture<SharedBlobs> blobs = SharedBlobs.prepare(session, config).toCompletableFuture();
        CompletableFuture<MessagesTable> table = MessagesTable.prepare(session, config).toCompletableFuture();
        return blobs.thenCombine(table, (b, t) -> new CassandraMessageStore(config, b, t));
    }

    /**
     * {@link #storeContent}, then {@link #append(Mailbox, StoredContent, byte[], Flags, Instant)} without a
     * header prefix. A failure before the commit leaves only an unreferenced blob (freed by the collector),
     * never a visible message. INTERNALDATE is kept to the millisecond.
     */
    @Override
    public CompletionStage<AppendResult> append(Mailbox mailbox, byte[] content, Flags flags, Instant internalDate) {
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(internalDate, "internalDate");
        return storeContent(content).thenCompose(stored -> append(mailbox, stored, NO_PREFIX, flags, internalDate));
    }

    /**
     * Writes the blob's metadata row ({@code blobs}), then its chunks ({@code blob_chunks}); nothing refers to
     * it yet, so a crash leaves an unreferenced blob the collector frees after the grace period.
     */
    @Override
    public CompletionStage<StoredContent> storeContent(byte[] content) {
        Objects.requireNonNull(content, "content");
        if (content.length > config.maxMessageSize()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("message of " + content.length
                    + " octets exceeds the limit of " + config.maxMessageSize()));
        }
        return CompletableFuture.supplyAsync(() -> MessageSummary.of(content).encode(), SUMMARY_EXECUTOR)
                .thenCompose(summary -> blobs.store(content, summary));
    }

    /**
     * As {@link #storeContent(byte[])}, reading the buffer in place: the summary is computed by scanning it
     * ({@link MessageSummary#of(java.nio.ByteBuffer)}), then the chunks are written from slices of it, at most
     * {@code BlobStore.IN_FLIGHT} at a time. For a memory-mapped file the heap holds only the chunks being sent.
     */
    @Override
    public CompletionStage<StoredContent> storeContent(java.nio.ByteBuffer content) {
        Objects.requireNonNull(content, "content");
        java.nio.ByteBuffer octets = content.slice();
        if (octets.remaining() > config.maxMessageSize()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("message of " + octets.remaining()
                    + " octets exceeds the limit of " + config.maxMessageSize()));
        }
        return CompletableFuture.supplyAsync(() -> MessageSummary.of(octets).encode(), SUMMARY_EXECUTOR)
                .thenCompose(summary -> blobs.store(octets, summary));
    }

    /**
     * Reads the message rows, then each distinct blob's precomputed summary (one metadata row each, no chunk);
     * a row without one (stored before schema version 6, or unreadable) has its summary computed from its
     * content instead, so the call never fails for old data.
     */
    @Override
    public CompletionStage<Map<Long, MessageSummary>> summaries(MailboxId mailbox, Collection<Long> uids) {
        Objects.requireNonNull(uids, "uids");
        if (uids.size() > MAX_MESSAGES_PER_CALL) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("more than " + MAX_MESSAGES_PER_CALL
                    + " messages in one call"));
        }
        CompletionStage<List<StoredMessage>> rows = CompletableFuture.completedFuture(new ArrayList<>());
        for (List<Long> slice : slices(uids)) {
            rows = rows.thenCompose(acc -> messages.read(mailbox, slice, config.consistency()).thenApply(read -> {
                acc.addAll(read.rows());
                return acc;
            }));
        }
        return rows.thenCompose(list -> InFlight.map(list, SUMMARIES_IN_FLIGHT, row -> summary(mailbox, row)))
                .thenApply(list -> {
                    Map<Long, MessageSummary> out = new TreeMap<>();
                    list.stream().filter(s -> s.summary() != null).forEach(s -> out.put(s.uid(), s.summary()));
                    return out;
                });
    }

    private record UidSummary(long uid, MessageSummary summary) {
    }

    private CompletionStage<UidSummary> summary(MailboxId mailbox, StoredMessage row) {
        long uid = row.record().uid();
        CompletionStage<byte[]> encoded = row.refId() == null ? CompletableFuture.completedFuture(null)
                : blobs.table().meta(row.blobId()).thenApply(meta -> meta.map(m -> m.summary()).orElse(null));
        return encoded.thenCompose(bytes -> {
            if (bytes != null) {
                try {
                    return CompletableFuture.completedFuture(new UidSummary(uid,
                            MessageSummary.decode(bytes).prefixed(row.headerPrefix().length)));
                } catch (IllegalArgumentException e) {
                    LOG.warn("event=summary_unreadable mailbox={} uid={} error={}", mailbox, uid, e.getMessage());
                }
            }
            // Expunged meanwhile: a null summary, left out of the answer.
            return content(mailbox, uid).thenApplyAsync(content -> new UidSummary(uid,
                    content.map(MessageSummary::of).orElse(null)), SUMMARY_EXECUTOR);
        });
    }

    /**
     * Writes the message's reference on the blob ({@code blobs}, checking the blob still exists), then commits
     * the message row (blob id, reference id, header prefix) with its UID and MODSEQ, then records the UID in
     * the reference. A crash before the commit leaves an extra reference, which the collector removes.
     */
    @Override
    public CompletionStage<AppendResult> append(Mailbox mailbox, StoredContent content, byte[] headerPrefix,
                                                Flags flags, Instant internalDate) {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(headerPrefix, "headerPrefix");
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(internalDate, "internalDate");
        if (headerPrefix.length > MAX_HEADER_PREFIX) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("header prefix of "
                    + headerPrefix.length + " octets exceeds the limit of " + MAX_HEADER_PREFIX));
        }
        long size = headerPrefix.length + content.size();
        if (size > config.maxMessageSize()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("message of " + size
                    + " octets exceeds the limit of " + config.maxMessageSize()));
        }
        Instant date = internalDate.truncatedTo(ChronoUnit.MILLIS);
        byte[] prefix = headerPrefix.clone();
        return blobs.reference(content, mailbox.id())
                .thenCompose(refId -> writers.append(mailbox.id(),
                        new NewMessage(flags, size, date, content.id(), refId, prefix)))
                .thenApply(record -> {
                    LOG.debug("event=append mailbox={} uid={} modseq={} size={}",
                            mailbox.id(), record.uid(), record.modSeq(), record.size());
                    return new AppendResult(mailbox.uidValidity(), record);
                });
    }

    /**
     * Reads the references {@code mailbox} holds on the content (one clustering slice of the blob's partition in
     * {@code blobs}), then, for each with a proposed UID (written before every conditional batch, see
     * {@code MailboxWriters}), the message row at that UID at serial consistency, which first completes or
     * supersedes any Paxos proposal still in flight on the mailbox; the message is found when that row holds the
     * very reference. A reference without a UID never had a batch sent. At most a few reads (the references of
     * one content in one mailbox: one per append or copy).
     */
    @Override
    public CompletionStage<Optional<MessageRecord>> findAppended(MailboxId mailbox, java.util.UUID contentId) {
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(contentId, "contentId");
        return blobs.table().refs(contentId, mailbox).thenCompose(refs -> InFlight.map(
                        refs.stream().filter(r -> r.uid() != null).toList(), 8,
                        ref -> messages.read(mailbox, ref.uid(), config.serialConsistency())
                                .thenApply(row -> row.filter(m -> ref.refId().equals(m.refId()))
                                        .map(StoredMessage::record))))
                .thenApply(found -> found.stream().flatMap(Optional::stream)
                        .min(java.util.Comparator.comparingLong(MessageRecord::uid)));
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
        return content(mailbox, uid, 0, Long.MAX_VALUE);
    }

    /**
     * Reads the message row, then only the blob chunks that cover the range (the header prefix is in the
     * row). A 40 MiB message's header is read from its first chunk alone.
     */
    @Override
    public CompletionStage<Optional<byte[]>> content(MailboxId mailbox, long uid, long from, long to) {
        if (from < 0 || to < from) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("bad octet range [" + from + ", "
                    + to + ")"));
        }
        if (!ClusteringKeys.isUid(uid)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return messages.read(mailbox, uid, config.consistency()).thenCompose(found -> {
            if (found.isEmpty()) {
                return CompletableFuture.completedFuture(Optional.<byte[]>empty());
            }
            StoredMessage row = found.get();
            byte[] prefix = row.headerPrefix();
            long size = row.record().size();
            long start = Math.min(from, size);
            long end = Math.min(to, size);
            byte[] out = new byte[Math.toIntExact(end - start)];
            int fromPrefix = (int) Math.max(0, Math.min(end, prefix.length) - start);
            if (fromPrefix > 0) {
                System.arraycopy(prefix, (int) start, out, 0, fromPrefix);
            }
            long blobFrom = Math.max(0, start - prefix.length);
            long blobTo = end - prefix.length;
            if (blobTo <= blobFrom) {
                return CompletableFuture.completedFuture(Optional.of(out));
            }
            return blobs.chunks().readRange(row.blobId(), row.blobSize(), blobFrom, blobTo).thenApply(octets -> {
                System.arraycopy(octets, 0, out, fromPrefix, octets.length);
                return Optional.of(out);
            });
        });
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

    /**
     * Reads UIDNEXT, the counters and the {@code \Recent} floor (one static read), then counts the message rows
     * from the floor to UIDNEXT; nothing is written. A floor of 1 needs no row read: every message counts.
     */
    @Override
    public CompletionStage<Long> unclaimedRecent(MailboxId mailbox) {
        return messages.readState(mailbox, config.consistency()).thenCompose(state -> {
            long next = state.nextUid();
            long floor = recentFloor(state);
            if (floor >= next) {
                return CompletableFuture.completedFuture(0L);
            }
            if (floor == 1 && state.countersKnown()) {
                return CompletableFuture.completedFuture(state.counters().messages());
            }
            return messages.countMessages(mailbox, floor, next);
        });
    }

    /** The lowest unclaimed UID; messages of a mailbox written before schema version 3 are nobody's. */
    private static long recentFloor(PartitionState state) {
        return state.recentFloor() != null ? state.recentFloor() : state.countersKnown() ? 1 : state.nextUid();
    }

    private CompletionStage<RecentRange> claimRecent(MailboxId mailbox, int attempt) {
        return messages.readState(mailbox, config.serialConsistency()).thenCompose(state -> {
            long next = state.nextUid();
            long floor = recentFloor(state);
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
