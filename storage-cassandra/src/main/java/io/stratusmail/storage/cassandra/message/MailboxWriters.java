package io.stratusmail.storage.cassandra.message;

import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.mailbox.StorageUnavailableException;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.blob.SharedBlobs;
import io.stratusmail.storage.cassandra.cql.AsyncCql;
import io.stratusmail.storage.cassandra.cql.StorageErrors;
import io.stratusmail.storage.cassandra.message.MessagesTable.MoveMarker;
import io.stratusmail.storage.cassandra.message.MessagesTable.Removal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Allocates UIDs and MODSEQs and commits every write to a mailbox's partition of {@code messages}.
 *
 * <p>Invariant kept (architecture invariant 4; RFC 3501 section 2.3.1.1, RFC 7162 section 3.1): per mailbox,
 * UIDs are strictly ascending in the order messages become visible and never reused, and MODSEQ strictly
 * increases with every append, flag change and expunge, however many nodes write. How: every write is one
 * conditional batch on the partition that moves the statics ({@code next_uid}, {@code highest_modseq} and the
 * counters {@code message_count}, {@code unseen_count}, {@code total_size}) from the values it read to new
 * ones ({@code IF next_uid = n AND highest_modseq = m AND message_count = c ...}) and writes the rows and their
 * change-log entries in the same Paxos round. Paxos linearises the batches, so allocation and visibility
 * happen at one point: a message with UID n+1 cannot be visible while n is not, and the counters and the log
 * are exact because they move in the very round that changes the rows. A batch that loses the race learns
 * the current statics from the failed answer and tries again after a random pause of at most
 * {@link AsyncCql#CAS_RETRY_JITTER_MICROS} microseconds (short on purpose: a long back-off lets the winning
 * node win again and starves the loser), at most {@code maxCasAttempts} times, then fails with
 * {@link StorageUnavailableException}. When a conditional append times out with an unknown outcome, it is
 * checked with a serial read of its first UID before it is retried, so it is never stored twice.
 *
 * <p>Before each conditional batch, every message's blob reference row gets the UID the batch proposes for it
 * (rewritten when a retry proposes another), so a caller whose append failed with an unknown outcome (Cassandra
 * may complete the Paxos proposal later) can find the message by its content: reference row, then a SERIAL read
 * of that UID comparing {@code ref_id} ({@code CassandraMessageStore#findAppended}). A failed reference write
 * fails the round before anything is proposed. The UID of a reference whose batch never commits points at a row
 * that does not hold that reference: the collector treats it as stale after the grace period.
 * {@code ConcurrentAppendTest} and {@code ConcurrentMessageOperationsTest} prove it with two independent
 * stores writing one mailbox while a reader polls.
 *
 * <p>Partitions written before schema version 3 have no counters: the first write (or counter read) counts
 * the rows once ({@link #counters}) and sets them with a condition on {@code highest_modseq}, so a change
 * committed during the count makes the count start again.
 *
 * <p>Within this node, writes to one mailbox queue in a lane and run one round at a time (so the node does
 * not race itself); single appends waiting together are committed as one batch of up to
 * {@code maxAppendsPerRound} messages (group commit: one Paxos round for many appends), and
 * {@link #appendBatch} commits up to {@value #MAX_MESSAGES_PER_BATCH} messages in one round. A lane holds at
 * most {@code maxPendingWritesPerMailbox} writes; more fail at once with {@link StorageUnavailableException}.
 * Stages complete on driver threads.
 */
final class MailboxWriters {

    /** Upper bound on one batch's estimated size, below Cassandra's default 50 KiB batch failure threshold. */
    static final int MAX_BATCH_BYTES = 16 * 1024;
    /** Most messages {@link #appendBatch} commits in one conditional batch. */
    static final int MAX_MESSAGES_PER_BATCH = 100;
    private static final int ROW_BYTES = 96;
    private static final int LOG_BYTES = 40;
    private static final int MARKER_BYTES = 72;
    static final long MAX_UID = ClusteringKeys.MAX_UID;
    private static final int MAX_HINTS = 10_000;
    /** Blob reference writes in flight for one call. */
    private static final int RELEASES_IN_FLIGHT = 16;
    private static final Logger LOG = LoggerFactory.getLogger(MailboxWriters.class);

    private final MessagesTable table;
    private final CassandraStoreConfig config;
    private final ConcurrentHashMap<MailboxId, Lane> lanes = new ConcurrentHashMap<>();
    /** Last known statics per mailbox: a guess that saves a read; a wrong guess costs one lost round. */
    private final Map<MailboxId, PartitionState> hints = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<MailboxId, PartitionState> eldest) {
            return size() > MAX_HINTS;
        }
    };

    private final SharedBlobs blobs;

    MailboxWriters(MessagesTable table, CassandraStoreConfig config, SharedBlobs blobs) {
        this.table = table;
        this.config = config;
        this.blobs = blobs;
    }

    /**
     * Estimated batch bytes of appending a message with these flags and a header prefix of
     * {@code prefixLength} octets (and a MOVE marker when {@code moved}).
     */
    static int estimate(Flags flags, boolean moved, int prefixLength) {
        return ROW_BYTES + LOG_BYTES + (moved ? MARKER_BYTES : 0) + prefixLength
                + flags.values().stream().mapToInt(f -> f.length() + 4).sum();
    }

    /**
     * Splits items into consecutive rounds that {@link #appendBatch} accepts: each at most
     * {@value #MAX_MESSAGES_PER_BATCH} items and {@value #MAX_BATCH_BYTES} estimated bytes (a single larger
     * item makes a round of its own).
     */
    static <T> List<List<T>> rounds(List<T> items, ToIntFunction<T> bytes) {
        List<List<T>> out = new ArrayList<>();
        List<T> current = new ArrayList<>();
        int size = 0;
        for (T item : items) {
            int b = bytes.applyAsInt(item);
            if (!current.isEmpty() && (current.size() == MAX_MESSAGES_PER_BATCH || size + b > MAX_BATCH_BYTES)) {
                out.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(item);
            size += b;
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    /** Commits a message with the next UID and MODSEQ; completes with its record. */
    CompletionStage<MessageRecord> append(MailboxId mailbox, NewMessage message) {
        AppendTask task = new AppendTask(List.of(message), true);
        submit(mailbox, task);
        return task.result.thenApply(records -> records.get(0));
    }

    /**
     * Commits the messages in one conditional batch with consecutive UIDs and MODSEQs, in list order: all
     * become visible at once or none does.
     *
     * @param messages one round of {@link #rounds}
     */
    CompletionStage<List<MessageRecord>> appendBatch(MailboxId mailbox, List<NewMessage> messages) {
        if (messages.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        if (messages.size() > MAX_MESSAGES_PER_BATCH) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("more than "
                    + MAX_MESSAGES_PER_BATCH + " messages in one batch"));
        }
        AppendTask task = new AppendTask(List.copyOf(messages), false);
        submit(mailbox, task);
        return task.result;
    }

    /** Writes into each message's blob reference the UID this round proposes for it (before the batch). */
    private CompletionStage<Void> proposeReferences(MailboxId mailbox, List<StoredMessage> rows) {
        List<StoredMessage> referencing = rows.stream().filter(r -> r.refId() != null).toList();
        return InFlight.map(referencing, RELEASES_IN_FLIGHT, row -> blobs.propose(row.blobId(), mailbox, row.refId(),
                row.record().uid()).thenApply(v -> Boolean.TRUE)).thenApply(done -> null);
    }

    /**
     * Releases the blob references of the removed messages (after their removal committed); a message stored
     * before schema version 6 gets blob metadata and is queued for freeing instead.
     */
    private CompletionStage<List<Changed>> releaseRemoved(MailboxId mailbox, List<Changed> changes) {
        List<StoredMessage> removed = changes.stream().map(Changed::removed).filter(java.util.Objects::nonNull)
                .toList();
        return InFlight.map(removed, RELEASES_IN_FLIGHT, row -> (row.refId() != null
                        ? blobs.release(row.blobId(), mailbox, row.refId())
                        : blobs.releaseLegacy(row.blobId(), row.blobSize())).thenApply(v -> Boolean.TRUE))
                .thenApply(done -> changes);
    }

    /**
     * Applies {@code planner} to each existing message of {@code uids} and commits the changes, each changed
     * message getting its own new MODSEQ and change-log entry.
     *
     * @param uids at most a few hundred, ascending, each 1 to 2^32-1
     * @return the effect on every message that exists, ascending by UID
     */
    CompletionStage<List<Changed>> change(MailboxId mailbox, List<Long> uids, Function<MessageRecord, Change> planner) {
        ChangeTask task = new ChangeTask(uids, planner);
        submit(mailbox, task);
        return task.result.thenCompose(changes -> releaseRemoved(mailbox, changes));
    }

    /**
     * The statics with known counters: counts the rows once for a partition written before the counters
     * existed (in this mailbox's lane, one Paxos round).
     */
    CompletionStage<PartitionState> counters(MailboxId mailbox) {
        RecountTask task = new RecountTask();
        submit(mailbox, task);
        return task.result;
    }

    private void submit(MailboxId mailbox, Task task) {
        while (true) {
            Lane lane = lanes.computeIfAbsent(mailbox, id -> new Lane(id, hint(id)));
            boolean start;
            synchronized (lane) {
                if (lane.retired) {
                    continue;
                }
                if (lane.queue.size() >= config.maxPendingWritesPerMailbox()) {
                    task.fail(new StorageUnavailableException("too many pending writes to mailbox " + mailbox
                            + " (limit " + config.maxPendingWritesPerMailbox() + ")", null));
                    return;
                }
                lane.queue.add(task);
                start = !lane.running;
                lane.running = true;
            }
            if (start) {
                lane.drain();
            }
            return;
        }
    }

    private PartitionState hint(MailboxId id) {
        synchronized (hints) {
            return hints.get(id);
        }
    }

    private abstract static class Task {
        abstract void fail(Throwable error);
    }

    private static final class AppendTask extends Task {
        final List<NewMessage> messages;
        /** Whether other grouped tasks may share its round (single appends); a batch runs alone. */
        final boolean grouped;
        final CompletableFuture<List<MessageRecord>> result = new CompletableFuture<>();

        AppendTask(List<NewMessage> messages, boolean grouped) {
            this.messages = messages;
            this.grouped = grouped;
        }

        int bytes() {
            return messages.stream().mapToInt(m -> estimate(m.flags(), m.origin() != null, m.headerPrefix().length))
                    .sum();
        }

        @Override
        void fail(Throwable error) {
            result.completeExceptionally(error);
        }
    }

    private static final class ChangeTask extends Task {
        final List<Long> pending;
        final Function<MessageRecord, Change> planner;
        final List<Changed> done = new ArrayList<>();
        final CompletableFuture<List<Changed>> result = new CompletableFuture<>();

        ChangeTask(List<Long> uids, Function<MessageRecord, Change> planner) {
            this.pending = new ArrayList<>(uids);
            this.planner = planner;
        }

        void finish() {
            done.sort(Comparator.comparingLong(c -> c.before().uid()));
            result.complete(List.copyOf(done));
        }

        @Override
        void fail(Throwable error) {
            result.completeExceptionally(error);
        }
    }

    private static final class RecountTask extends Task {
        final CompletableFuture<PartitionState> result = new CompletableFuture<>();

        @Override
        void fail(Throwable error) {
            result.completeExceptionally(error);
        }
    }

    /** The queue of one mailbox's writes on this node; one round runs at a time. */
    private final class Lane {
        final MailboxId id;
        final ArrayDeque<Task> queue = new ArrayDeque<>();
        boolean running;
        boolean retired;
        volatile PartitionState known;

        Lane(MailboxId id, PartitionState known) {
            this.id = id;
            this.known = known;
        }

        /** Runs rounds until the queue is empty; a round that does not finish at once resumes it later. */
        void drain() {
            while (true) {
                List<Task> round = new ArrayList<>();
                synchronized (this) {
                    Task head = queue.poll();
                    if (head == null) {
                        running = false;
                        retired = true;
                        lanes.remove(id, this);
                        PartitionState last = known;
                        if (last != null) {
                            synchronized (hints) {
                                hints.put(id, last);
                            }
                        }
                        return;
                    }
                    round.add(head);
                    if (head instanceof AppendTask first && first.grouped) {
                        int bytes = first.bytes();
                        int count = first.messages.size();
                        while (count < config.maxAppendsPerRound() && queue.peek() instanceof AppendTask next
                                && next.grouped && bytes + next.bytes() <= MAX_BATCH_BYTES) {
                            bytes += next.bytes();
                            count += next.messages.size();
                            round.add(queue.poll());
                        }
                    }
                }
                CompletableFuture<Void> done = start(round);
                if (!done.isDone()) {
                    done.whenComplete((v, e) -> drain());
                    return;
                }
            }
        }

        private CompletableFuture<Void> start(List<Task> round) {
            CompletionStage<Void> stage;
            try {
                Task head = round.get(0);
                if (head instanceof ChangeTask change) {
                    stage = changeRound(change, 1, false);
                } else if (head instanceof RecountTask recount) {
                    stage = recount(1).thenAccept(recount.result::complete);
                } else {
                    List<AppendTask> appends = new ArrayList<>();
                    round.forEach(t -> appends.add((AppendTask) t));
                    stage = appendRound(appends, 1);
                }
            } catch (RuntimeException e) {
                stage = CompletableFuture.failedFuture(e);
            }
            // A round never fails: whatever went wrong is reported to the round's tasks.
            return stage.handle((v, error) -> {
                if (error != null) {
                    known = null;
                    Throwable e = StorageErrors.translate(error, "write");
                    round.forEach(t -> t.fail(e));
                }
                return (Void) null;
            }).toCompletableFuture();
        }

        private CompletionStage<Void> appendRound(List<AppendTask> group, int attempt) {
            PartitionState guess = known;
            CompletionStage<PartitionState> state = guess != null ? CompletableFuture.completedFuture(guess)
                    : table.readState(id, config.consistency());
            return state.thenCompose(expected -> {
                if (!expected.countersKnown()) {
                    return recount(1).thenCompose(counted -> appendRound(group, attempt));
                }
                List<NewMessage> messages = new ArrayList<>();
                group.forEach(t -> messages.addAll(t.messages));
                int k = messages.size();
                if (expected.nextUid() + k - 1 > MAX_UID
                        || expected.highestModSeq() + k >= ClusteringKeys.MODSEQ_LIMIT) {
                    IllegalStateException e = new IllegalStateException(
                            "UID or MODSEQ space of mailbox " + id + " is exhausted; it needs a new UIDVALIDITY");
                    group.forEach(t -> t.fail(e));
                    return CompletableFuture.completedFuture(null);
                }
                List<StoredMessage> rows = new ArrayList<>(k);
                List<MoveMarker> markers = new ArrayList<>();
                Counters counters = expected.counters();
                for (int i = 0; i < k; i++) {
                    NewMessage m = messages.get(i);
                    MessageRecord record = new MessageRecord(expected.nextUid() + i, expected.highestModSeq() + 1 + i,
                            m.flags(), m.size(), m.internalDate());
                    rows.add(new StoredMessage(record, m.blobId(), m.refId(), m.headerPrefix()));
                    counters = counters.plus(Counters.of(record));
                    if (m.origin() != null) {
                        markers.add(new MoveMarker(m.origin(), m.originUid(), record.uid()));
                    }
                }
                PartitionState next = new PartitionState(expected.nextUid() + k, expected.highestModSeq() + k, true,
                        counters, expected.recentFloor());
                return proposeReferences(id, rows).thenCompose(proposed -> table.append(id, expected, next, rows,
                        markers)).handle((outcome, error) -> {
                    if (error == null && outcome.applied()) {
                        committed(group, rows, next, attempt);
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    if (error == null) {
                        known = outcome.current();
                        return retryAppend(group, attempt, null);
                    }
                    known = null;
                    if (StorageErrors.isUnknownCasOutcome(error)) {
                        return verifyAppend(group, rows, next, attempt, error);
                    }
                    return CompletableFuture.<Void>failedFuture(error);
                }).thenCompose(x -> x);
            });
        }

        private void committed(List<AppendTask> group, List<StoredMessage> rows, PartitionState next, int attempt) {
            known = next;
            LOG.debug("event=append_committed mailbox={} first_uid={} count={} modseq={} attempt={}",
                    id, rows.get(0).record().uid(), rows.size(), next.highestModSeq(), attempt);
            int i = 0;
            for (AppendTask task : group) {
                List<MessageRecord> records = new ArrayList<>(task.messages.size());
                for (int j = 0; j < task.messages.size(); j++) {
                    records.add(rows.get(i++).record());
                }
                task.result.complete(List.copyOf(records));
            }
        }

        /** After an unknown outcome: a serial read of the first UID settles whether the batch was committed. */
        private CompletionStage<Void> verifyAppend(List<AppendTask> group, List<StoredMessage> rows, PartitionState next,
                                                   int attempt, Throwable original) {
            StoredMessage first = rows.get(0);
            return table.read(id, first.record().uid(), config.serialConsistency()).handle((found, error) -> {
                if (error != null) {
                    return CompletableFuture.<Void>failedFuture(original);
                }
                if (found.isPresent() && first.refId().equals(found.get().refId())) {
                    committed(group, rows, next, attempt);
                    return CompletableFuture.<Void>completedFuture(null);
                }
                return retryAppend(group, attempt, original);
            }).thenCompose(x -> x);
        }

        private CompletionStage<Void> retryAppend(List<AppendTask> group, int attempt, Throwable cause) {
            if (attempt >= config.maxCasAttempts()) {
                LOG.warn("event=append_contended mailbox={} attempts={} count={}", id, attempt, group.size());
                return CompletableFuture.failedFuture(new StorageUnavailableException("append to mailbox " + id
                        + " did not win a conditional write in " + attempt + " attempts", cause));
            }
            return AsyncCql.jitter(AsyncCql.CAS_RETRY_JITTER_MICROS).thenCompose(v -> appendRound(group, attempt + 1));
        }

        /**
         * Reads the task's pending messages, plans their changes and commits as many as fit one batch; loops
         * until none is pending. After a lost race the rows are read again at serial consistency.
         */
        private CompletionStage<Void> changeRound(ChangeTask task, int attempt, boolean serialRead) {
            if (task.pending.isEmpty()) {
                task.finish();
                return CompletableFuture.completedFuture(null);
            }
            return table.read(id, task.pending, serialRead ? config.serialConsistency() : config.consistency())
                    .thenCompose(read -> {
                        if (read.rows().isEmpty()) {
                            task.pending.clear();
                            task.finish();
                            return CompletableFuture.completedFuture(null);
                        }
                        PartitionState state = read.state();
                        if (!state.countersKnown()) {
                            return recount(1).thenCompose(counted -> changeRound(task, attempt, true));
                        }
                        long highest = state.highestModSeq();
                        Counters counters = state.counters();
                        List<Changed> planned = new ArrayList<>();
                        List<Long> covered = new ArrayList<>();
                        List<MessageRecord> updates = new ArrayList<>();
                        List<Removal> removals = new ArrayList<>();
                        int bytes = 0;
                        for (StoredMessage row : read.rows()) {
                            MessageRecord before = row.record();
                            Change change = task.planner.apply(before);
                            if (change instanceof Change.Keep || change instanceof Change.Refuse) {
                                planned.add(new Changed(before, before, change instanceof Change.Refuse));
                                covered.add(before.uid());
                                continue;
                            }
                            int size = ROW_BYTES + LOG_BYTES
                                    + (change instanceof Change.SetFlags set ? flagBytes(set) : 0);
                            if (bytes + size > MAX_BATCH_BYTES && bytes > 0) {
                                break;
                            }
                            bytes += size;
                            long modSeq = highest + updates.size() + removals.size() + 1;
                            counters = counters.minus(Counters.of(before));
                            if (change instanceof Change.SetFlags set) {
                                MessageRecord after = new MessageRecord(before.uid(), modSeq, set.flags(), before.size(),
                                        before.internalDate());
                                updates.add(after);
                                counters = counters.plus(Counters.of(after));
                                planned.add(new Changed(before, after));
                            } else {
                                removals.add(change instanceof Change.MoveOut out
                                        ? new Removal(before.uid(), modSeq, out.target(), out.copyUid())
                                        : new Removal(before.uid(), modSeq, null, 0));
                                planned.add(new Changed(before, null, false, row));
                            }
                            covered.add(before.uid());
                        }
                        // UIDs asked for but absent are done too (unless the batch was cut for size).
                        boolean complete = covered.size() == read.rows().size();
                        if (updates.isEmpty() && removals.isEmpty()) {
                            task.done.addAll(planned);
                            task.pending.clear();
                            task.finish();
                            return CompletableFuture.completedFuture(null);
                        }
                        long newHighest = highest + updates.size() + removals.size();
                        if (newHighest >= ClusteringKeys.MODSEQ_LIMIT) {
                            return CompletableFuture.<Void>failedFuture(new IllegalStateException(
                                    "MODSEQ space of mailbox " + id + " is exhausted"));
                        }
                        PartitionState next = state.withHighest(newHighest, counters);
                        return table.change(id, state, next, updates, removals).handle((outcome, error) -> {
                            if (error == null && outcome.applied()) {
                                known = next;
                                task.done.addAll(planned);
                                if (complete) {
                                    task.pending.clear();
                                } else {
                                    task.pending.removeAll(covered);
                                }
                                return changeRound(task, 1, false);
                            }
                            if (error == null) {
                                known = outcome.current();
                                if (attempt >= config.maxCasAttempts()) {
                                    LOG.warn("event=change_contended mailbox={} attempts={}", id, attempt);
                                    return CompletableFuture.<Void>failedFuture(new StorageUnavailableException(
                                            "change to mailbox " + id + " did not win a conditional write in "
                                                    + attempt + " attempts", null));
                                }
                                return AsyncCql.jitter(AsyncCql.CAS_RETRY_JITTER_MICROS)
                                        .thenCompose(v -> changeRound(task, attempt + 1, true));
                            }
                            // Unknown outcome included: the caller may repeat a flag change or an expunge safely.
                            known = null;
                            return CompletableFuture.<Void>failedFuture(error);
                        }).thenCompose(x -> x);
                    });
        }

        /**
         * Reads the statics at serial consistency; when the counters are missing (a partition written before
         * schema version 3) counts the rows below UIDNEXT and sets the counters (and the {@code \Recent} floor,
         * to UIDNEXT when unset: messages from before the upgrade are nobody's \Recent) provided HIGHESTMODSEQ
         * has not moved meanwhile.
         */
        private CompletionStage<PartitionState> recount(int attempt) {
            return table.readState(id, config.serialConsistency()).thenCompose(s -> {
                if (s.countersKnown()) {
                    known = s;
                    return CompletableFuture.completedFuture(s);
                }
                return table.scan(id, s.nextUid()).thenCompose(records -> {
                    Counters counted = Counters.ZERO;
                    for (MessageRecord r : records) {
                        counted = counted.plus(Counters.of(r));
                    }
                    Counters counters = counted;
                    long floor = s.recentFloor() != null ? s.recentFloor() : s.nextUid();
                    return table.initCounters(id, s, counters, floor).thenCompose(applied -> {
                        if (applied) {
                            PartitionState done = new PartitionState(s.nextUid(), s.highestModSeq(), true, counters,
                                    floor);
                            known = done;
                            LOG.info("event=counters_initialised mailbox={} messages={} unseen={} size={} modseq={}",
                                    id, counters.messages(), counters.unseen(), counters.size(), s.highestModSeq());
                            return CompletableFuture.completedFuture(done);
                        }
                        if (attempt >= config.maxCasAttempts()) {
                            return CompletableFuture.<PartitionState>failedFuture(new StorageUnavailableException(
                                    "counting mailbox " + id + " did not win a conditional write in " + attempt
                                            + " attempts", null));
                        }
                        return AsyncCql.jitter(AsyncCql.CAS_RETRY_JITTER_MICROS).thenCompose(v -> recount(attempt + 1));
                    });
                });
            });
        }
    }

    private static int flagBytes(Change.SetFlags set) {
        return set.flags().values().stream().mapToInt(f -> f.length() + 4).sum();
    }
}
