package io.stratusmail.storage.cassandra.message;

import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.mailbox.StorageUnavailableException;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.cql.AsyncCql;
import io.stratusmail.storage.cassandra.cql.StorageErrors;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Allocates UIDs and MODSEQs and commits every write to a mailbox's partition of {@code messages}.
 *
 * <p>Invariant kept (architecture invariant 4; RFC 3501 section 2.3.1.1, RFC 7162 section 3.1): per mailbox,
 * UIDs are strictly ascending in the order messages become visible and never reused, and MODSEQ strictly
 * increases with every append, flag change and expunge, however many nodes write. How: every write is one
 * conditional batch on the partition that moves the statics ({@code next_uid}, {@code highest_modseq}) from
 * the values it read to new ones ({@code IF next_uid = n AND highest_modseq = m}, or {@code IF highest_modseq
 * = m} for changes, since every change moves {@code highest_modseq}) and writes the rows in the same Paxos
 * round. Paxos linearises the batches, so allocation and visibility happen at one point: a message with UID
 * n+1 cannot be visible while n is not. A batch that loses the race learns the current statics from the
 * failed answer and tries again after a random pause of at most {@link AsyncCql#CAS_RETRY_JITTER_MICROS}
 * microseconds (short on purpose: a long back-off lets the winning node win again and starves the loser), at
 * most {@code maxCasAttempts} times, then fails with {@link StorageUnavailableException}. When a conditional write times out with an unknown outcome, the
 * append is checked with a serial read of its first UID before it is retried, so it is never stored twice.
 * {@code ConcurrentAppendTest} proves it with two independent stores appending to one mailbox while a
 * reader polls.
 *
 * <p>Within this node, writes to one mailbox queue in a lane and run one round at a time (so the node does
 * not race itself); appends waiting together are committed as one batch of up to
 * {@code maxAppendsPerRound} messages (group commit: one Paxos round for many appends). A lane holds at most
 * {@code maxPendingWritesPerMailbox} writes; more fail at once with {@link StorageUnavailableException}.
 * Stages complete on driver threads.
 */
final class MailboxWriters {

    /** Upper bound on one batch's estimated size, below Cassandra's default 50 KiB batch failure threshold. */
    static final int MAX_BATCH_BYTES = 16 * 1024;
    private static final int ROW_BYTES = 96;
    static final long MAX_UID = 0xFFFF_FFFFL;
    private static final int MAX_HINTS = 10_000;
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

    MailboxWriters(MessagesTable table, CassandraStoreConfig config) {
        this.table = table;
        this.config = config;
    }

    /** Commits a message with the next UID and MODSEQ; completes with its record. */
    CompletionStage<MessageRecord> append(MailboxId mailbox, NewMessage message) {
        AppendTask task = new AppendTask(message);
        submit(mailbox, task);
        return task.result;
    }

    /**
     * Applies {@code planner} to each existing message of {@code uids} and commits the changes, each changed
     * message getting its own new MODSEQ.
     *
     * @param uids at most a few hundred, ascending
     * @return the effect on every message that exists, ascending by UID
     */
    CompletionStage<List<Changed>> change(MailboxId mailbox, List<Long> uids, Function<MessageRecord, Change> planner) {
        ChangeTask task = new ChangeTask(uids, planner);
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
        final NewMessage message;
        final CompletableFuture<MessageRecord> result = new CompletableFuture<>();

        AppendTask(NewMessage message) {
            this.message = message;
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
                    if (head instanceof AppendTask first) {
                        int bytes = estimate(first);
                        while (round.size() < config.maxAppendsPerRound() && queue.peek() instanceof AppendTask next
                                && bytes + estimate(next) <= MAX_BATCH_BYTES) {
                            bytes += estimate(next);
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
                if (round.get(0) instanceof ChangeTask change) {
                    stage = changeRound(change, 1, false);
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
                int k = group.size();
                if (expected.nextUid() + k - 1 > MAX_UID) {
                    IllegalStateException e = new IllegalStateException(
                            "UID space of mailbox " + id + " is exhausted; it needs a new UIDVALIDITY");
                    group.forEach(t -> t.fail(e));
                    return CompletableFuture.completedFuture(null);
                }
                List<StoredMessage> rows = new ArrayList<>(k);
                for (int i = 0; i < k; i++) {
                    NewMessage m = group.get(i).message;
                    rows.add(new StoredMessage(new MessageRecord(expected.nextUid() + i, expected.highestModSeq() + 1 + i,
                            m.flags(), m.size(), m.internalDate()), m.blobId()));
                }
                PartitionState next = new PartitionState(expected.nextUid() + k, expected.highestModSeq() + k, true);
                return table.append(id, expected, next, rows).handle((outcome, error) -> {
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
            for (int i = 0; i < group.size(); i++) {
                group.get(i).result.complete(rows.get(i).record());
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
                if (found.isPresent() && first.blobId().equals(found.get().blobId())) {
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
                        long highest = read.state().highestModSeq();
                        List<Changed> planned = new ArrayList<>();
                        List<Long> covered = new ArrayList<>();
                        List<MessageRecord> updates = new ArrayList<>();
                        List<Long> removals = new ArrayList<>();
                        int bytes = 0;
                        for (StoredMessage row : read.rows()) {
                            MessageRecord before = row.record();
                            Change change = task.planner.apply(before);
                            if (change instanceof Change.Keep) {
                                planned.add(new Changed(before, before));
                                covered.add(before.uid());
                                continue;
                            }
                            int size = ROW_BYTES + (change instanceof Change.SetFlags set ? flagBytes(set) : 0);
                            if (bytes + size > MAX_BATCH_BYTES && bytes > 0) {
                                break;
                            }
                            bytes += size;
                            long modSeq = highest + updates.size() + removals.size() + 1;
                            if (change instanceof Change.SetFlags set) {
                                MessageRecord after = new MessageRecord(before.uid(), modSeq, set.flags(), before.size(),
                                        before.internalDate());
                                updates.add(after);
                                planned.add(new Changed(before, after));
                            } else {
                                removals.add(before.uid());
                                planned.add(new Changed(before, null));
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
                        return table.change(id, highest, newHighest, updates, removals).handle((outcome, error) -> {
                            if (error == null && outcome.applied()) {
                                known = new PartitionState(read.state().nextUid(), newHighest, true);
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
    }

    private static int estimate(AppendTask task) {
        return ROW_BYTES + task.message.flags().values().stream().mapToInt(String::length).sum();
    }

    private static int flagBytes(Change.SetFlags set) {
        return set.flags().values().stream().mapToInt(f -> f.length() + 4).sum();
    }
}
