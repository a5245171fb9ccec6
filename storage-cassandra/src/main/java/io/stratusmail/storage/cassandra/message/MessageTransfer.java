package io.stratusmail.storage.cassandra.message;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.mailbox.message.CopiedMessage;
import io.stratusmail.mailbox.message.CopyResult;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.mailbox.message.MessageToAppend;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.blob.SharedBlobs;
import io.stratusmail.storage.cassandra.cql.StorageErrors;
import io.stratusmail.storage.cassandra.message.MessagesTable.MoveMarker;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operations that append many messages in rounds: batched APPEND, COPY (RFC 3501 section 6.4.7, RFC 4315
 * COPYUID) and MOVE (RFC 6851).
 *
 * <p>Each round is one conditional batch of up to {@value MailboxWriters#MAX_MESSAGES_PER_BATCH} messages
 * with consecutive UIDs ({@link MailboxWriters#appendBatch}); rounds run one after the other. When a round
 * fails, the messages of the rounds already committed are expunged again (RFC 3501 section 6.4.7: a failed
 * COPY leaves the destination as it was), so a failure leaves none of the messages visible unless the
 * cluster also refuses that clean-up; meanwhile other sessions may have seen them appear and vanish.
 *
 * <p>Content is written (at most {@value #WRITES_IN_FLIGHT} at a time) for the next round while the current
 * round commits. COPY and MOVE copy no octet: each copy gets a new reference on its source's blob
 * ({@link SharedBlobs#share}, at most {@value #COPIES_IN_FLIGHT} at a time) before its round commits; only a
 * source stored before schema version 6 has its blob copied once into a shared blob.
 */
final class MessageTransfer {

    /** Contents written at once by {@link #appendAll} (the caller already holds them in memory). */
    static final int WRITES_IN_FLIGHT = 16;
    /** References (or legacy blob copies, each holding at most 4 chunks of 1 MiB) written at once. */
    static final int COPIES_IN_FLIGHT = 8;
    private static final byte[] NO_PREFIX = new byte[0];
    private static final Logger LOG = LoggerFactory.getLogger(MessageTransfer.class);

    private final CassandraStoreConfig config;
    private final SharedBlobs blobs;
    private final MessagesTable table;
    private final MailboxWriters writers;

    MessageTransfer(CassandraStoreConfig config, SharedBlobs blobs, MessagesTable table, MailboxWriters writers) {
        this.config = config;
        this.blobs = blobs;
        this.table = table;
        this.writers = writers;
    }

    /** Stores every content, then commits the messages in rounds; records in list order. */
    CompletionStage<List<MessageRecord>> appendAll(Mailbox mailbox, List<MessageToAppend> messages) {
        List<List<MessageToAppend>> rounds = MailboxWriters.rounds(messages,
                m -> MailboxWriters.estimate(m.flags(), false, 0));
        return commitInRounds(mailbox.id(), rounds, round -> InFlight.map(round, WRITES_IN_FLIGHT,
                m -> blobs.store(m.content(), null).thenCompose(stored -> blobs.reference(stored, mailbox.id())
                        .thenApply(refId -> new NewMessage(m.flags(), m.content().length,
                                m.internalDate().truncatedTo(ChronoUnit.MILLIS), stored.id(), refId, NO_PREFIX)))));
    }

    /**
     * Copies the existing messages among {@code uids} to {@code destination} with their flags, INTERNALDATE and
     * content, in ascending source UID order.
     */
    CompletionStage<CopyResult> copy(MailboxId source, Collection<Long> uids, Mailbox destination) {
        return readSources(source, uids).thenCompose(sources -> {
            List<List<StoredMessage>> rounds = MailboxWriters.rounds(sources,
                    s -> MailboxWriters.estimate(s.record().flags(), false, s.headerPrefix().length));
            return commitInRounds(destination.id(), rounds, round -> shareBlobs(round, destination.id(), null))
                    .thenApply(copies -> {
                        List<CopiedMessage> pairs = new ArrayList<>();
                        for (int i = 0; i < sources.size(); i++) {
                            pairs.add(new CopiedMessage(sources.get(i).record().uid(), copies.get(i)));
                        }
                        LOG.debug("event=copy source={} destination={} count={}", source, destination.id(),
                                pairs.size());
                        return new CopyResult(destination.uidValidity(), pairs);
                    });
        });
    }

    /**
     * Copies, then expunges the sources. The copies are committed before any source is removed, so a crash
     * between the two leaves a message in both mailboxes, never in neither. Each copy round also writes a
     * MOVE marker per message in the destination's partition (source mailbox and UID to destination UID); a
     * later MOVE of a message whose marker names a copy that still exists reuses that copy instead of
     * copying again, so retrying an interrupted MOVE finishes it without a second copy.
     *
     * <p>Each source is removed with a change-log entry naming the copy it went to. When another session
     * removed a source first (a concurrent MOVE or EXPUNGE), this MOVE reads that entry: if it names the copy
     * this MOVE made (the other MOVE reused it), the copy stays; otherwise this MOVE withdraws its own copy,
     * so two concurrent MOVEs of one message leave exactly one copy. A copy this MOVE reused is never
     * withdrawn by it, and a copy is kept whenever the entry cannot be found (a duplicate, never a loss). A
     * source whose flags changed between the copy and its removal passes its new flags to its copy.
     */
    CompletionStage<CopyResult> move(MailboxId source, Collection<Long> uids, Mailbox destination) {
        return copyForMove(source, uids, destination.id())
                .thenCompose(pending -> finishMove(source, pending, destination));
    }

    /**
     * The copies of a MOVE whose sources are not removed yet.
     *
     * @param sources the source messages as read, ascending by UID
     * @param copies  source UID to its copy in the destination, ascending by source UID
     * @param reused  the source UIDs whose copy an earlier MOVE made (the others were copied by this one)
     */
    record PendingMove(List<StoredMessage> sources, Map<Long, MessageRecord> copies, Set<Long> reused) {
    }

    /**
     * The first half of a MOVE: a copy, with a MOVE marker, of every existing source message that has no
     * surviving copy from an earlier MOVE yet.
     */
    CompletionStage<PendingMove> copyForMove(MailboxId source, Collection<Long> uids, MailboxId target) {
        return readSources(source, uids).thenCompose(sources -> existingCopies(source, sources, target)
                .thenCompose(reused -> {
                    List<StoredMessage> toCopy = sources.stream().filter(s -> !reused.containsKey(s.record().uid()))
                            .toList();
                    List<List<StoredMessage>> rounds = MailboxWriters.rounds(toCopy,
                            s -> MailboxWriters.estimate(s.record().flags(), true, s.headerPrefix().length));
                    return commitInRounds(target, rounds, round -> shareBlobs(round, target, source)).thenApply(made -> {
                        Map<Long, MessageRecord> copies = new TreeMap<>(reused);
                        for (int i = 0; i < toCopy.size(); i++) {
                            copies.put(toCopy.get(i).record().uid(), made.get(i));
                        }
                        return new PendingMove(sources, copies, Set.copyOf(reused.keySet()));
                    });
                }));
    }

    /** The second half of a MOVE: removes the sources and settles the copies of sources removed by others. */
    CompletionStage<CopyResult> finishMove(MailboxId source, PendingMove pending, Mailbox destination) {
        MailboxId target = destination.id();
        long uidValidity = destination.uidValidity();
        Map<Long, MessageRecord> copies = pending.copies();
        return changeAll(source, new ArrayList<>(copies.keySet()), r -> copies.containsKey(r.uid())
                ? Change.moveOut(target, copies.get(r.uid()).uid()) : Change.KEEP).thenCompose(changes -> {
                    Map<Long, MessageRecord> removed = new TreeMap<>();
                    changes.stream().filter(c -> c.after() == null)
                            .forEach(c -> removed.put(c.before().uid(), c.before()));
                    List<StoredMessage> lost = pending.sources().stream()
                            .filter(s -> copies.containsKey(s.record().uid()) && !removed.containsKey(s.record().uid())
                                    && !pending.reused().contains(s.record().uid()))
                            .toList();
                    return withdrawLostCopies(source, lost, copies, target)
                            .thenCompose(v -> passOnFlags(pending, removed, target))
                            .thenApply(after -> {
                                List<CopiedMessage> pairs = new ArrayList<>();
                                removed.keySet().forEach(sourceUid -> {
                                    MessageRecord copy = copies.get(sourceUid);
                                    pairs.add(new CopiedMessage(sourceUid, after.getOrDefault(copy.uid(), copy)));
                                });
                                LOG.debug("event=move source={} destination={} moved={} removed_by_others={}",
                                        source, target, pairs.size(), lost.size());
                                return new CopyResult(uidValidity, pairs);
                            });
                });
    }

    /**
     * For sources another session removed first: withdraws this MOVE's copy unless the removal's log entry
     * names that very copy. Keeps the copy when the entry is not found (expired, or too many changes since).
     */
    private CompletionStage<Void> withdrawLostCopies(MailboxId source, List<StoredMessage> lost,
                                                     Map<Long, MessageRecord> copies, MailboxId target) {
        if (lost.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        long from = lost.stream().mapToLong(s -> s.record().modSeq()).min().orElseThrow();
        return table.readLog(source, from, ChangeLogReader.MAX_LOG_ENTRIES).thenCompose(log -> {
            Map<Long, MessagesTable.LogEntry> removals = new HashMap<>();
            log.entries().stream().filter(MessagesTable.LogEntry::expunge).forEach(e -> removals.put(e.uid(), e));
            List<Long> withdraw = new ArrayList<>();
            for (StoredMessage s : lost) {
                MessagesTable.LogEntry e = removals.get(s.record().uid());
                MessageRecord mine = copies.get(s.record().uid());
                if (e != null && !(target.equals(e.moveTarget()) && e.copyUid() == mine.uid())) {
                    withdraw.add(mine.uid());
                }
            }
            if (withdraw.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            return changeAll(target, withdraw, r -> Change.REMOVE).handle((v, error) -> {
                if (error != null) {
                    LOG.warn("event=move_duplicate_kept destination={} count={} error={}", target, withdraw.size(),
                            error.toString());
                }
                return null;
            });
        });
    }

    /**
     * Gives a copy the flags its source had when it was removed, when they differ from the copy's as this MOVE
     * knows them (the source changed after the copy was made) and the copy was not changed in the destination
     * meanwhile (a compare-and-set per copy: a change made to the copy itself wins).
     */
    private CompletionStage<Map<Long, MessageRecord>> passOnFlags(PendingMove pending, Map<Long, MessageRecord> removed,
                                                                  MailboxId target) {
        Map<Long, Flags> known = new HashMap<>();
        Map<Long, Flags> wanted = new HashMap<>();
        removed.forEach((sourceUid, before) -> {
            MessageRecord copy = pending.copies().get(sourceUid);
            if (!before.flags().equals(copy.flags())) {
                known.put(copy.uid(), copy.flags());
                wanted.put(copy.uid(), before.flags());
            }
        });
        if (wanted.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        return changeAll(target, wanted.keySet(), r -> wanted.containsKey(r.uid())
                && r.flags().equals(known.get(r.uid())) ? Change.setFlags(wanted.get(r.uid())) : Change.KEEP)
                .thenApply(fixed -> {
                    Map<Long, MessageRecord> after = new HashMap<>();
                    fixed.stream().filter(c -> c.after() != null).forEach(c -> after.put(c.after().uid(), c.after()));
                    return after;
                });
    }

    /** Source message UID to the destination record of a copy an earlier MOVE made and that still exists. */
    private CompletionStage<Map<Long, MessageRecord>> existingCopies(MailboxId source, List<StoredMessage> sources,
                                                                     MailboxId target) {
        Set<Long> sourceUids = new HashSet<>();
        List<Long> keys = new ArrayList<>();
        sources.forEach(s -> {
            sourceUids.add(s.record().uid());
            keys.add(ClusteringKeys.markerKey(source, s.record().uid()));
        });
        CompletionStage<List<MoveMarker>> chain = CompletableFuture.completedFuture(new ArrayList<>());
        for (int i = 0; i < keys.size(); i += CassandraMessageStore.UIDS_PER_SLICE) {
            List<Long> slice = keys.subList(i, Math.min(keys.size(), i + CassandraMessageStore.UIDS_PER_SLICE));
            chain = chain.thenCompose(acc -> table.readMarkers(target, slice).thenApply(found -> {
                acc.addAll(found);
                return acc;
            }));
        }
        return chain.thenCompose(markers -> {
            Map<Long, Long> copyToSource = new HashMap<>();
            for (MoveMarker m : markers) {
                // The row repeats its source, so a hash collision is recognised here.
                if (m.origin().equals(source) && sourceUids.contains(m.originUid())
                        && ClusteringKeys.isUid(m.copyUid())) {
                    copyToSource.put(m.copyUid(), m.originUid());
                }
            }
            if (copyToSource.isEmpty()) {
                return CompletableFuture.completedFuture(Map.of());
            }
            return readAll(target, copyToSource.keySet()).thenApply(copies -> {
                Map<Long, MessageRecord> out = new TreeMap<>();
                copies.forEach(c -> out.put(copyToSource.get(c.record().uid()), c.record()));
                LOG.info("event=move_resumed source={} destination={} reused_copies={}", source, target, out.size());
                return out;
            });
        });
    }

    /**
     * A new reference on each source's blob for its copy in {@code target} (no octet is copied); a source stored
     * before schema version 6 has its blob copied once into a shared blob.
     */
    private CompletionStage<List<NewMessage>> shareBlobs(List<StoredMessage> round, MailboxId target,
                                                         MailboxId moveSource) {
        return InFlight.map(round, COPIES_IN_FLIGHT, s -> {
            CompletionStage<UUID[]> ref = s.refId() != null
                    ? blobs.share(s.blobId(), target).thenApply(refId -> new UUID[] {s.blobId(), refId})
                    : blobs.adopt(s.blobId(), s.blobSize(), target);
            return ref.thenApply(ids -> new NewMessage(s.record().flags(), s.record().size(),
                    s.record().internalDate(), ids[0], ids[1], s.headerPrefix(), moveSource,
                    moveSource == null ? 0 : s.record().uid()));
        });
    }

    private CompletionStage<List<StoredMessage>> readSources(MailboxId source, Collection<Long> uids) {
        List<Long> all = new ArrayList<>();
        CassandraMessageStore.slices(uids).forEach(all::addAll);
        return readAll(source, all);
    }

    /** The existing rows among {@code uids}, ascending, read slice by slice. */
    private CompletionStage<List<StoredMessage>> readAll(MailboxId mailbox, Collection<Long> uids) {
        CompletionStage<List<StoredMessage>> chain = CompletableFuture.completedFuture(new ArrayList<>());
        for (List<Long> slice : CassandraMessageStore.slices(uids)) {
            chain = chain.thenCompose(acc -> table.read(mailbox, slice, config.consistency()).thenApply(read -> {
                acc.addAll(read.rows());
                return acc;
            }));
        }
        return chain.thenApply(List::copyOf);
    }

    /** Applies a planner to the given UIDs, slice after slice. */
    CompletionStage<List<Changed>> changeAll(MailboxId mailbox, Collection<Long> uids,
                                             Function<MessageRecord, Change> planner) {
        CompletionStage<List<Changed>> chain = CompletableFuture.completedFuture(new ArrayList<>());
        for (List<Long> slice : CassandraMessageStore.slices(uids)) {
            chain = chain.thenCompose(acc -> writers.change(mailbox, slice, planner).thenApply(done -> {
                acc.addAll(done);
                return acc;
            }));
        }
        return chain.thenApply(List::copyOf);
    }

    /**
     * Prepares (stores the contents of) and commits each round in turn, preparing round k+1 while round k
     * commits; on a failure, stops preparing, expunges what earlier rounds committed and fails with the
     * original error.
     */
    private <T> CompletionStage<List<MessageRecord>> commitInRounds(
            MailboxId target, List<List<T>> rounds, Function<List<T>, CompletionStage<List<NewMessage>>> prepare) {
        List<MessageRecord> committed = new ArrayList<>();
        AtomicBoolean failed = new AtomicBoolean();
        CompletableFuture<List<NewMessage>> prepared = CompletableFuture.completedFuture(List.of());
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        for (List<T> round : rounds) {
            CompletableFuture<List<NewMessage>> ready = prepared.thenCompose(previous -> failed.get()
                    ? CompletableFuture.failedFuture(new IllegalStateException("an earlier round failed"))
                    : prepare.apply(round)).toCompletableFuture();
            prepared = ready;
            chain = chain.thenCompose(v -> ready)
                    .thenCompose(messages -> writers.appendBatch(target, messages))
                    .thenAccept(committed::addAll)
                    .whenComplete((v, e) -> {
                        if (e != null) {
                            failed.set(true);
                        }
                    });
        }
        CompletableFuture<List<MessageRecord>> out = new CompletableFuture<>();
        chain.whenComplete((v, error) -> {
            if (error == null) {
                out.complete(List.copyOf(committed));
                return;
            }
            Throwable cause = StorageErrors.unwrap(error);
            if (committed.isEmpty()) {
                out.completeExceptionally(cause);
                return;
            }
            List<Long> uids = committed.stream().map(MessageRecord::uid).toList();
            LOG.warn("event=partial_append_undone mailbox={} count={} error={}", target, uids.size(), cause.toString());
            changeAll(target, uids, r -> Change.REMOVE).whenComplete((x, e) -> {
                if (e != null) {
                    LOG.warn("event=partial_append_kept mailbox={} count={} error={}", target, uids.size(),
                            e.toString());
                }
                out.completeExceptionally(cause);
            });
        });
        return out;
    }
}
