package io.stratusmail.lmtp.delivery;

import io.stratusmail.lmtp.LmtpConfig;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.MailboxRepository;
import io.stratusmail.mailbox.message.DeliveryLog;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.message.StoredContent;
import io.stratusmail.mailbox.search.MessageIndexer;
import io.stratusmail.mailbox.user.Username;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery pipeline: stores one received message for each recipient, in its INBOX or, for a subaddress
 * (RFC 5233), in the mailbox the detail names.
 *
 * <p>Duplicates first: with a duplicate window (more than zero), the SHA-256 of the received octets (the data
 * the client sent, before any trace field) is looked up in the {@link DeliveryLog} for every distinct recipient,
 * in parallel. A recipient with a record whose append committed ({@link MessageStore#findAppended} on the
 * record's mailbox and stored content; a record from before the log kept targets counts as committed) gets
 * {@link RecipientOutcome.Duplicate} and nothing is stored for it (an MTA retrying after a lost {@code 250}, or
 * after a {@code 451} for an append whose outcome was unknown and which the store completed later); a recipient
 * whose look-up fails gets {@link RecipientOutcome.Failed} (temporary, the MTA retries).
 *
 * <p>Then the message is stored once per transaction ({@link MessageStore#storeContent}: the {@code Received}
 * field followed by the received octets), however many recipients need it, and not at all when none does. Then
 * per remaining recipient, all recipients at once (each is another account, so their appends touch different
 * mailboxes and need not wait for each other): find the target mailbox (below), append the stored content with
 * that recipient's {@code Return-Path} and {@code Delivered-To} as header prefix
 * ({@link MessageStore#append(Mailbox, StoredContent, byte[], Flags, java.time.Instant)}, no flags,
 * INTERNALDATE = end of data), the digest having been recorded in the {@link DeliveryLog} with that mailbox and
 * stored content just before the append (a failed record fails the recipient, nothing is appended), then hand
 * the committed message to the
 * {@link MessageIndexer} without waiting for it (a failed or slow index never fails the delivery, architecture
 * invariant 1). Each recipient reads back exactly the {@link TraceHeaders#forRecipient} fields followed by the
 * received octets. A failure to store the content fails every recipient that needed it.
 *
 * <p>Target mailbox: INBOX ({@link MailboxRepository#ensureInbox}), unless the {@link Destination} carries a
 * detail that is a valid mailbox name of a single hierarchy level (no {@link MailboxName#DELIMITER}, no wildcard,
 * at most {@link MailboxName#MAX_LENGTH} characters) and the user has a mailbox of that name, compared without
 * regard to case because addresses are (the detail arrives in lower case; an exact match wins over another
 * case). Only existing, selectable mailboxes of the recipient's own registry are ever chosen: a detail never
 * creates a mailbox and cannot reach another user. Costs one read of the user's mailbox list per such delivery.
 *
 * <p>Exactly once within the window: the record precedes the append, so whatever happens to the append, the
 * retry checks it. Limits: a retry arriving while the first attempt's append is still running (on a node that
 * has not given up yet) may store a second copy, as may two copies of the same message racing on two nodes;
 * a retry after the user expunged or moved the delivered message stores it again. Mail is never lost for the
 * sake of deduplication.
 *
 * <p>The returned stage never fails: a store failure for one recipient is that recipient's
 * {@link RecipientOutcome.Failed} (the store guarantees that nothing partial is visible, architecture
 * invariant 3) and the others still get the message. A recipient account reached twice (the same address
 * twice, an address and its alias, two subaddresses) gets the message once, where its first RCPT says, and the
 * entries share the outcome.
 *
 * <p>Store timeout: the returned stage completes at the latest {@code storeTimeout} after the call. A recipient
 * whose delivery has not committed by then gets {@link RecipientOutcome.Failed} with a {@link TimeoutException}
 * (the session answers {@code 451 4.3.0}, the MTA retries), and no append is started after that moment. An
 * append already sent to the store may still commit later: the retry then finds it through the
 * {@link DeliveryLog} record (with a duplicate window) or is stored a second time (without one).
 *
 * <p>Hashing (SHA-256, about 2 ms per megabyte) runs on the calling thread for messages up to
 * {@value #INLINE_DIGEST_LIMIT} octets and on the {@code digests} executor for larger ones, so a Netty event
 * loop calling this never spends long on it (architecture invariant 6). Thread-safe.
 */
public final class MailDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(MailDelivery.class);

    /** Largest message hashed on the calling thread, in octets; larger ones go to the digest executor. */
    public static final int INLINE_DIGEST_LIMIT = 64 * 1024;

    private final String hostname;
    private final MailboxRepository mailboxes;
    private final MessageStore store;
    private final MessageIndexer indexer;
    private final DeliveryLog deliveryLog;
    private final Duration duplicateWindow;
    private final Duration storeTimeout;
    private final Executor digests;

    /**
     * A pipeline without deduplication.
     *
     * @param hostname  this server's name, written in the {@code Received} field
     * @param mailboxes where INBOXes are found or created
     * @param store     where messages are appended
     * @param indexer   fed after each commit
     */
    public MailDelivery(String hostname, MailboxRepository mailboxes, MessageStore store, MessageIndexer indexer) {
        this(hostname, mailboxes, store, indexer, DeliveryLog.NONE, Duration.ZERO);
    }

    /**
     * A pipeline with the default store timeout that hashes large messages on the common fork-join pool.
     *
     * @param deliveryLog     remembers which messages each recipient received (shared by every node)
     * @param duplicateWindow how long a delivery is remembered; zero disables deduplication (nothing is hashed,
     *                        looked up or recorded), else at most {@link DeliveryLog#MAX_WINDOW}
     */
    public MailDelivery(String hostname, MailboxRepository mailboxes, MessageStore store, MessageIndexer indexer,
                        DeliveryLog deliveryLog, Duration duplicateWindow) {
        this(hostname, mailboxes, store, indexer, deliveryLog, duplicateWindow,
                LmtpConfig.DEFAULT_STORE_TIMEOUT, ForkJoinPool.commonPool());
    }

    /**
     * @param deliveryLog     remembers which messages each recipient received (shared by every node)
     * @param duplicateWindow how long a delivery is remembered; zero disables deduplication (nothing is hashed,
     *                        looked up or recorded), else at most {@link DeliveryLog#MAX_WINDOW}
     * @param storeTimeout    longest time a delivery waits for the store (see the class description), positive
     * @param digests         where messages over {@value #INLINE_DIGEST_LIMIT} octets are hashed
     */
    public MailDelivery(String hostname, MailboxRepository mailboxes, MessageStore store, MessageIndexer indexer,
                        DeliveryLog deliveryLog, Duration duplicateWindow, Duration storeTimeout,
                        Executor digests) {
        this.storeTimeout = Objects.requireNonNull(storeTimeout, "storeTimeout");
        this.digests = Objects.requireNonNull(digests, "digests");
        if (storeTimeout.isNegative() || storeTimeout.isZero()) {
            throw new IllegalArgumentException("storeTimeout must be positive: " + storeTimeout);
        }
        this.hostname = Objects.requireNonNull(hostname, "hostname");
        this.mailboxes = Objects.requireNonNull(mailboxes, "mailboxes");
        this.store = Objects.requireNonNull(store, "store");
        this.indexer = Objects.requireNonNull(indexer, "indexer");
        this.deliveryLog = Objects.requireNonNull(deliveryLog, "deliveryLog");
        this.duplicateWindow = Objects.requireNonNull(duplicateWindow, "duplicateWindow");
        if (duplicateWindow.isNegative() || duplicateWindow.compareTo(DeliveryLog.MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("duplicateWindow out of range: " + duplicateWindow);
        }
    }

    /**
     * Delivers {@code body} (the octets received after DATA, unchanged) to the INBOX of every recipient of the
     * envelope, each recipient address being its own account.
     *
     * @return one outcome per entry of {@link Envelope#recipients()}, in the same order
     */
    public CompletionStage<List<RecipientOutcome>> deliver(Envelope envelope, byte[] body) {
        return deliver(envelope, envelope.recipients(), body);
    }

    /**
     * Delivers {@code body} to the INBOX of each owner: {@code owners.get(i)} is the account that receives
     * the mail for the RCPT address {@code envelope.recipients().get(i)}; see {@link #deliverTo}.
     */
    public CompletionStage<List<RecipientOutcome>> deliver(Envelope envelope, List<Username> owners, byte[] body) {
        return deliverTo(envelope, owners.stream().map(Destination::inbox).toList(), body);
    }

    /**
     * Delivers {@code body} to each destination: {@code destinations.get(i)} is where the mail for the RCPT
     * address {@code envelope.recipients().get(i)} goes (see the class description). An account named several
     * times gets one copy, into the mailbox of its first destination, whose {@code Delivered-To} is the first of
     * its RCPT addresses.
     *
     * @return one outcome per entry of {@link Envelope#recipients()}, in the same order; the outcome's
     *         {@link RecipientOutcome#recipient()} is the account
     * @throws IllegalArgumentException when the two lists differ in length
     */
    public CompletionStage<List<RecipientOutcome>> deliverTo(Envelope envelope, List<Destination> destinations,
                                                             byte[] body) {
        List<Username> addresses = envelope.recipients();
        if (destinations.size() != addresses.size()) {
            throw new IllegalArgumentException("one destination per recipient: " + destinations.size() + " for "
                    + addresses.size());
        }
        AtomicBoolean expired = new AtomicBoolean();
        Map<Username, RecipientOutcome> outcomes = new ConcurrentHashMap<>();
        CompletableFuture<List<RecipientOutcome>> done = digest(body)
                .thenCompose(digest -> deliverTo(envelope, destinations, body, digest, outcomes, expired))
                .thenApply(v -> inOrder(destinations, outcomes, null))
                .orTimeout(storeTimeout.toNanos(), TimeUnit.NANOSECONDS);
        return done.exceptionally(e -> {
            expired.set(true);
            Throwable cause = unwrap(e);
            if (cause instanceof TimeoutException) {
                LOG.warn("lmtp.store_timeout id={} timeout={} committed={}", envelope.id(), storeTimeout,
                        outcomes.size());
            } else {
                LOG.error("lmtp.delivery_error id={}", envelope.id(), cause);
            }
            return inOrder(destinations, outcomes, cause);
        });
    }

    /** The digest of {@code body} when deduplicating, hashed off the calling thread when large. */
    private CompletableFuture<Optional<byte[]>> digest(byte[] body) {
        if (duplicateWindow.isZero()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        if (body.length <= INLINE_DIGEST_LIMIT) {
            return CompletableFuture.completedFuture(Optional.of(sha256(body)));
        }
        return CompletableFuture.supplyAsync(() -> Optional.of(sha256(body)), digests);
    }

    /** Each destination's outcome; one without an outcome yet failed with {@code cause} (or a timeout). */
    private static List<RecipientOutcome> inOrder(List<Destination> destinations,
                                                  Map<Username, RecipientOutcome> outcomes, Throwable cause) {
        List<RecipientOutcome> inOrder = new ArrayList<>();
        for (Destination destination : destinations) {
            RecipientOutcome outcome = outcomes.get(destination.user());
            inOrder.add(outcome != null ? outcome : new RecipientOutcome.Failed(destination.user(),
                    cause != null ? cause : new TimeoutException("store timeout")));
        }
        return inOrder;
    }

    private CompletionStage<Void> deliverTo(Envelope envelope, List<Destination> destinations, byte[] body,
                                            Optional<byte[]> digest, Map<Username, RecipientOutcome> outcomes,
                                            AtomicBoolean expired) {
        List<Username> addresses = envelope.recipients();
        Map<Username, Integer> first = new LinkedHashMap<>();
        for (int i = 0; i < destinations.size(); i++) {
            first.putIfAbsent(destinations.get(i).user(), i);
        }
        Map<Username, CompletableFuture<Boolean>> seen = new LinkedHashMap<>();
        for (Username owner : first.keySet()) {
            seen.put(owner, digest.isEmpty() ? CompletableFuture.completedFuture(false)
                    : delivered(owner, digest.get()).toCompletableFuture());
        }
        byte[] content = TraceHeaders.prepend(TraceHeaders.received(envelope, hostname), body);
        CompletableFuture<StoredContent> stored = CompletableFuture
                .allOf(seen.values().toArray(new CompletableFuture<?>[0]))
                .handle((v, e) -> seen.values().stream().anyMatch(f -> !f.isCompletedExceptionally() && !f.join()))
                .thenCompose(needed -> needed ? call(() -> store.storeContent(content))
                        : CompletableFuture.completedFuture(null));
        CompletionStage<Void> contentReady = stored.handle((s, e) -> null);
        List<CompletableFuture<Void>> each = new ArrayList<>(first.size());
        for (Map.Entry<Username, Integer> owner : first.entrySet()) {
            Username address = addresses.get(owner.getValue());
            Destination destination = destinations.get(owner.getValue());
            each.add(contentReady.thenCompose(v -> deliverOne(envelope, address, destination,
                            seen.get(owner.getKey()), stored, content, digest, expired))
                    .thenAccept(outcome -> outcomes.put(owner.getKey(), outcome))
                    .toCompletableFuture());
        }
        return CompletableFuture.allOf(each.toArray(new CompletableFuture<?>[0]));
    }

    private CompletionStage<RecipientOutcome> deliverOne(Envelope envelope, Username address, Destination destination,
                                                         CompletableFuture<Boolean> seen,
                                                         CompletionStage<StoredContent> stored, byte[] content,
                                                         Optional<byte[]> digest, AtomicBoolean expired) {
        Username recipient = destination.user();
        if (!seen.isCompletedExceptionally() && seen.join()) {
            LOG.info("lmtp.duplicate id={} recipient={} window={}", envelope.id(), recipient, duplicateWindow);
            return CompletableFuture.completedFuture(new RecipientOutcome.Duplicate(recipient));
        }
        byte[] prefix = TraceHeaders.recipientFields(envelope, address);
        return seen.thenCompose(s -> stored)
                .thenCompose(handle -> target(envelope, destination)
                        .thenCompose(mailbox -> remember(recipient, digest, mailbox, handle, expired)
                                .thenCompose(v -> call(() -> expired.get()
                                        ? CompletableFuture.failedFuture(new TimeoutException("store timeout"))
                                        : store.append(mailbox, handle, prefix, Flags.EMPTY, envelope.receivedAt())))
                                .thenApply(result -> {
                                    long uid = result.record().uid();
                                    index(envelope, mailbox, uid, TraceHeaders.prepend(prefix, content));
                                    return (RecipientOutcome) new RecipientOutcome.Delivered(recipient, mailbox, uid,
                                            result.record().size());
                                })))
                .exceptionally(e -> {
                    Throwable cause = unwrap(e);
                    LOG.warn("lmtp.store_failed id={} recipient={} error={}", envelope.id(), recipient,
                            describe(cause));
                    return new RecipientOutcome.Failed(recipient, cause);
                });
    }

    /** The mailbox a destination's mail goes into (see the class description). */
    private CompletionStage<Mailbox> target(Envelope envelope, Destination destination) {
        Username user = destination.user();
        Optional<MailboxName> wanted = destination.detail().flatMap(MailDelivery::singleLevelName);
        if (wanted.isEmpty() || wanted.get().isInbox()) {
            if (destination.detail().isPresent() && wanted.isEmpty()) {
                LOG.debug("lmtp.detail_not_a_mailbox_name id={} recipient={}", envelope.id(), user);
            }
            return call(() -> mailboxes.ensureInbox(user));
        }
        return call(() -> mailboxes.list(user)).thenCompose(list -> {
            Optional<Mailbox> exact = list.stream().filter(m -> m.name().equals(wanted.get())).findFirst();
            Optional<Mailbox> found = exact.or(() -> list.stream()
                    .filter(m -> m.name().value().equalsIgnoreCase(wanted.get().value())).findFirst());
            return found.<CompletionStage<Mailbox>>map(CompletableFuture::completedFuture)
                    .orElseGet(() -> call(() -> mailboxes.ensureInbox(user)));
        });
    }

    /** The detail as a mailbox name of one hierarchy level, empty when it is none. */
    static Optional<MailboxName> singleLevelName(String detail) {
        if (detail.isEmpty() || detail.indexOf(MailboxName.DELIMITER) >= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new MailboxName(detail));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the recipient already has this message: a record whose append committed (asked of the store, which
     * settles an append whose outcome was unknown), or a record from before records named their append.
     */
    private CompletionStage<Boolean> delivered(Username recipient, byte[] digest) {
        return call(() -> deliveryLog.find(recipient, digest)).thenCompose(record -> {
            if (record.isEmpty()) {
                return CompletableFuture.completedFuture(false);
            }
            if (record.get().stored()) {
                return CompletableFuture.completedFuture(true);
            }
            return call(() -> store.findAppended(record.get().mailbox(), record.get().contentId()))
                    .thenApply(Optional::isPresent);
        });
    }

    /**
     * Records the append about to be made, before it is made; a failure fails the recipient (the caller then
     * appends nothing), since without the record a retry could not learn whether the append committed.
     */
    private CompletionStage<Void> remember(Username recipient, Optional<byte[]> digest, Mailbox mailbox,
                                           StoredContent handle, AtomicBoolean expired) {
        if (digest.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return call(() -> expired.get() ? CompletableFuture.failedFuture(new TimeoutException("store timeout"))
                : deliveryLog.record(recipient, digest.get(), new DeliveryLog.Delivery(mailbox.id(), handle.id()),
                        duplicateWindow));
    }

    private void index(Envelope envelope, Mailbox mailbox, long uid, byte[] message) {
        call(() -> indexer.index(mailbox, uid, message)).whenComplete((v, e) -> {
            if (e != null) {
                LOG.warn("lmtp.index_failed id={} mailbox={} uid={} error={}", envelope.id(), mailbox.id(), uid,
                        describe(unwrap(e)));
            }
        });
    }

    /** SHA-256 of the octets the client sent: the key of {@link DeliveryLog}. */
    static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Runs an async call, turning a synchronous throw into a failed stage. */
    private static <T> CompletionStage<T> call(Supplier<CompletionStage<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message.replace('\n', ' '));
    }
}
