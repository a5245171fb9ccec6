package io.stratusmail.storage.cassandra.message;

import com.datastax.oss.driver.api.core.CqlSession;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.mailbox.message.AppendResult;
import io.stratusmail.mailbox.message.FlagUpdate;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MailboxSnapshot;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.blob.BlobStore;
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
 * {@link MessageStore} on Cassandra: content in {@code blob_chunks} ({@link BlobStore}), metadata, UIDs and
 * MODSEQs in {@code messages} ({@link MessagesTable}), every write committed through {@link MailboxWriters},
 * which keeps architecture invariant 4.
 *
 * <p>Limits: a message is at most {@code maxMessageSize} octets (larger ones fail with
 * {@link IllegalArgumentException}); UIDs are 1 to 2^32-1. Requests naming many UIDs are processed in
 * slices of {@value #UIDS_PER_SLICE}, one after the other. Failures to reach Cassandra at the configured
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

    private CassandraMessageStore(CassandraStoreConfig config, BlobStore blobs, MessagesTable messages) {
        this.config = config;
        this.blobs = blobs;
        this.messages = messages;
        this.writers = new MailboxWriters(messages, config);
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
    private static List<List<Long>> slices(Collection<Long> uids) {
        List<Long> sorted = uids.stream().filter(u -> u != null && u >= 1 && u <= MailboxWriters.MAX_UID)
                .distinct().sorted().toList();
        List<List<Long>> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i += UIDS_PER_SLICE) {
            out.add(sorted.subList(i, Math.min(sorted.size(), i + UIDS_PER_SLICE)));
        }
        return out;
    }
}
