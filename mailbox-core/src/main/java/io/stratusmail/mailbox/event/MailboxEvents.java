package io.stratusmail.mailbox.event;

import io.stratusmail.mailbox.MailboxId;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node-local bus of {@link MailboxChange} hints: IMAP sessions subscribe to the mailbox they have selected,
 * the store decorator ({@link NotifyingMessageStore}) publishes every committed change, and a cross-node
 * transport forwards local changes to peers and hands their hints to {@link #receive}. Thread-safe.
 *
 * <p>Bounded: at most {@code maxSubscriptions} subscriptions, and at most {@code maxPendingDeliveries} deliveries
 * queued on listeners' executors at once. A subscriber has at most one delivery queued: hints arriving while one
 * waits are coalesced into it (the highest MODSEQ wins), so a burst of changes costs the listener one call. When
 * the queued deliveries reach the limit the bus is saturated and further hints to idle subscribers are dropped and
 * counted ({@link #dropped()}); sessions then learn of the change from their poll (hints are best-effort).
 *
 * <p>Listeners run on the executor given at {@link #subscribe} (for an IMAP session its event loop) and must not
 * block; an exception from a listener is logged and does not affect other listeners.
 */
public final class MailboxEvents {

    /** Default limit of subscriptions on one node (one per selected IMAP session). */
    public static final int DEFAULT_MAX_SUBSCRIPTIONS = 100_000;

    /** Default limit of deliveries waiting on listeners' executors. */
    public static final int DEFAULT_MAX_PENDING_DELIVERIES = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(MailboxEvents.class);
    private static final long NONE = -1;

    private final int maxSubscriptions;
    private final int maxPendingDeliveries;
    private final ConcurrentHashMap<MailboxId, Set<Listener>> listeners = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Consumer<MailboxChange>> forwarders = new CopyOnWriteArrayList<>();
    private final AtomicInteger subscriptions = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();

    /** A bus with {@link #DEFAULT_MAX_SUBSCRIPTIONS} and {@link #DEFAULT_MAX_PENDING_DELIVERIES}. */
    public MailboxEvents() {
        this(DEFAULT_MAX_SUBSCRIPTIONS, DEFAULT_MAX_PENDING_DELIVERIES);
    }

    /**
     * @param maxSubscriptions     subscriptions at once, at least 1
     * @param maxPendingDeliveries deliveries queued on listeners' executors at once, at least 1
     * @throws IllegalArgumentException for a limit below 1
     */
    public MailboxEvents(int maxSubscriptions, int maxPendingDeliveries) {
        if (maxSubscriptions < 1 || maxPendingDeliveries < 1) {
            throw new IllegalArgumentException("limits must be at least 1");
        }
        this.maxSubscriptions = maxSubscriptions;
        this.maxPendingDeliveries = maxPendingDeliveries;
    }

    /** A subscription to one mailbox's hints; closing it stops deliveries (one already running may finish). */
    public interface Subscription extends AutoCloseable {
        /** Idempotent. */
        @Override
        void close();
    }

    /**
     * Calls {@code listener} on {@code executor} for every hint about {@code mailbox} from now until the returned
     * subscription is closed, coalescing hints that arrive while a delivery waits.
     *
     * @param executor where the listener runs (e.g. the session's event loop)
     * @param listener must not block
     * @throws IllegalStateException when {@code maxSubscriptions} subscriptions are open (the caller falls back
     *                               to polling)
     */
    public Subscription subscribe(MailboxId mailbox, Executor executor, Consumer<MailboxChange> listener) {
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(listener, "listener");
        if (subscriptions.incrementAndGet() > maxSubscriptions) {
            subscriptions.decrementAndGet();
            throw new IllegalStateException("too many mailbox subscriptions (limit " + maxSubscriptions + ")");
        }
        Listener l = new Listener(mailbox, executor, listener);
        listeners.compute(mailbox, (id, set) -> {
            Set<Listener> s = set == null ? ConcurrentHashMap.newKeySet() : set;
            s.add(l);
            return s;
        });
        return l;
    }

    /**
     * Registers a consumer of every change {@link #publish published} on this node (not of hints
     * {@link #receive received} from peers), e.g. the cross-node transport. It runs on the publishing thread and
     * must not block.
     *
     * @return closing it unregisters the consumer
     */
    public Subscription forwardTo(Consumer<MailboxChange> forwarder) {
        Objects.requireNonNull(forwarder, "forwarder");
        forwarders.add(forwarder);
        return () -> forwarders.remove(forwarder);
    }

    /**
     * A change committed on this node: delivered to this node's subscribers and to every forwarder.
     *
     * @return false when a subscriber's delivery was dropped because the bus is saturated
     */
    public boolean publish(MailboxChange change) {
        boolean delivered = receive(change);
        for (Consumer<MailboxChange> f : forwarders) {
            try {
                f.accept(change);
            } catch (RuntimeException e) {
                LOG.warn("event=mailbox_events.forward_failed mailbox={} error={}", change.mailbox(), e.toString());
            }
        }
        return delivered;
    }

    /**
     * A hint from a peer node: delivered to this node's subscribers only (never forwarded again).
     *
     * @return false when a subscriber's delivery was dropped because the bus is saturated
     */
    public boolean receive(MailboxChange change) {
        Objects.requireNonNull(change, "change");
        Set<Listener> set = listeners.get(change.mailbox());
        if (set == null) {
            return true;
        }
        boolean all = true;
        for (Listener l : set) {
            all &= l.offer(change.modSeq());
        }
        return all;
    }

    /** Whether {@link #receive} would drop hints now (every delivery slot taken). */
    public boolean saturated() {
        return pending.get() >= maxPendingDeliveries;
    }

    /** Open subscriptions. */
    public int subscriptions() {
        return subscriptions.get();
    }

    /** Deliveries dropped since start because the bus was saturated. */
    public long dropped() {
        return dropped.get();
    }

    private void remove(Listener l) {
        listeners.computeIfPresent(l.mailbox, (id, set) -> {
            set.remove(l);
            return set.isEmpty() ? null : set;
        });
        subscriptions.decrementAndGet();
    }

    /** One subscriber: the latest MODSEQ not yet delivered ({@link #NONE} when nothing is queued). */
    private final class Listener implements Subscription, Runnable {
        final MailboxId mailbox;
        final Executor executor;
        final Consumer<MailboxChange> consumer;
        final AtomicLong queued = new AtomicLong(NONE);
        final AtomicBoolean closed = new AtomicBoolean();

        Listener(MailboxId mailbox, Executor executor, Consumer<MailboxChange> consumer) {
            this.mailbox = mailbox;
            this.executor = executor;
            this.consumer = consumer;
        }

        boolean offer(long modSeq) {
            if (closed.get()) {
                return true;
            }
            // UNKNOWN (0) must not be lost in a coalesced delivery with a known MODSEQ: the receiver re-checks.
            long before = queued.getAndUpdate(q -> q == NONE ? modSeq
                    : (q == MailboxChange.UNKNOWN_MODSEQ || modSeq == MailboxChange.UNKNOWN_MODSEQ)
                    ? MailboxChange.UNKNOWN_MODSEQ : Math.max(q, modSeq));
            if (before != NONE) {
                return true; // coalesced into the delivery already queued
            }
            if (pending.incrementAndGet() > maxPendingDeliveries) {
                pending.decrementAndGet();
                queued.set(NONE);
                dropped.incrementAndGet();
                return false;
            }
            try {
                executor.execute(this);
                return true;
            } catch (RejectedExecutionException e) {
                pending.decrementAndGet();
                queued.set(NONE);
                dropped.incrementAndGet();
                return false;
            }
        }

        @Override
        public void run() {
            pending.decrementAndGet();
            long modSeq = queued.getAndSet(NONE);
            if (modSeq == NONE || closed.get()) {
                return;
            }
            try {
                consumer.accept(new MailboxChange(mailbox, modSeq));
            } catch (RuntimeException e) {
                LOG.warn("event=mailbox_events.listener_failed mailbox={} error={}", mailbox, e.toString());
            }
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                remove(this);
            }
        }
    }
}
