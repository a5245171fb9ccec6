package io.stratusmail.lmtp.delivery;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxRepository;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.message.StoredContent;
import io.stratusmail.mailbox.search.MessageIndexer;
import io.stratusmail.mailbox.user.Username;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery pipeline: stores one received message in the INBOX of each recipient.
 *
 * <p>The message is stored once per transaction ({@link MessageStore#storeContent}: the {@code Received}
 * field followed by the received octets), however many recipients it has. Then per distinct recipient, one
 * after the other: ensure the INBOX ({@link MailboxRepository#ensureInbox}), append the stored content with
 * that recipient's {@code Return-Path} and {@code Delivered-To} as header prefix
 * ({@link MessageStore#append(Mailbox, StoredContent, byte[], Flags, java.time.Instant)}, no flags,
 * INTERNALDATE = end of data), then hand the committed message to the {@link MessageIndexer} without waiting
 * for it (a failed or slow index never fails the delivery, architecture invariant 1). Each recipient reads
 * back exactly the {@link TraceHeaders#forRecipient} fields followed by the received octets. A failure to
 * store the content fails every recipient.
 *
 * <p>The returned stage never fails: a store failure for one recipient is that recipient's
 * {@link RecipientOutcome.Failed} (the store guarantees that nothing partial is visible, architecture
 * invariant 3) and the others still get the message. A recipient account reached twice (the same address
 * twice, or an address and its alias) gets the message once and the entries share the outcome. Thread-safe.
 */
public final class MailDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(MailDelivery.class);

    private final String hostname;
    private final MailboxRepository mailboxes;
    private final MessageStore store;
    private final MessageIndexer indexer;

    /**
     * @param hostname  this server's name, written in the {@code Received} field
     * @param mailboxes where INBOXes are found or created
     * @param store     where messages are appended
     * @param indexer   fed after each commit
     */
    public MailDelivery(String hostname, MailboxRepository mailboxes, MessageStore store, MessageIndexer indexer) {
        this.hostname = hostname;
        this.mailboxes = mailboxes;
        this.store = store;
        this.indexer = indexer;
    }

    /**
     * Delivers {@code body} (the octets received after DATA, unchanged) to every recipient of the
     * envelope, each recipient address being its own account.
     *
     * @return one outcome per entry of {@link Envelope#recipients()}, in the same order
     */
    public CompletionStage<List<RecipientOutcome>> deliver(Envelope envelope, byte[] body) {
        return deliver(envelope, envelope.recipients(), body);
    }

    /**
     * Delivers {@code body} to the INBOX of each owner: {@code owners.get(i)} is the account that receives
     * the mail for the RCPT address {@code envelope.recipients().get(i)} (itself, or the user an alias
     * resolved to). An owner named several times (the same address twice, or two aliases of one user) gets
     * one copy, whose {@code Delivered-To} is the first of its RCPT addresses.
     *
     * @return one outcome per entry of {@link Envelope#recipients()}, in the same order; the outcome's
     *         {@link RecipientOutcome#recipient()} is the owner
     * @throws IllegalArgumentException when the two lists differ in length
     */
    public CompletionStage<List<RecipientOutcome>> deliver(Envelope envelope, List<Username> owners, byte[] body) {
        List<Username> addresses = envelope.recipients();
        if (owners.size() != addresses.size()) {
            throw new IllegalArgumentException("one owner per recipient: " + owners.size() + " for "
                    + addresses.size());
        }
        Map<Username, Username> firstAddress = new LinkedHashMap<>();
        for (int i = 0; i < owners.size(); i++) {
            firstAddress.putIfAbsent(owners.get(i), addresses.get(i));
        }
        Map<Username, RecipientOutcome> outcomes = new HashMap<>();
        byte[] content = TraceHeaders.prepend(TraceHeaders.received(envelope, hostname), body);
        CompletableFuture<StoredContent> stored = call(() -> store.storeContent(content)).toCompletableFuture();
        CompletionStage<Void> chain = stored.handle((s, e) -> null);
        for (Map.Entry<Username, Username> owner : firstAddress.entrySet()) {
            chain = chain.thenCompose(v -> deliverOne(envelope, owner.getValue(), owner.getKey(), stored, content))
                    .thenAccept(outcome -> outcomes.put(owner.getKey(), outcome));
        }
        return chain.thenApply(v -> {
            List<RecipientOutcome> inOrder = new ArrayList<>();
            for (Username owner : owners) {
                inOrder.add(outcomes.get(owner));
            }
            return inOrder;
        });
    }

    private CompletionStage<RecipientOutcome> deliverOne(Envelope envelope, Username address, Username recipient,
                                                         CompletionStage<StoredContent> stored, byte[] content) {
        byte[] prefix = TraceHeaders.recipientFields(envelope, address);
        return stored.thenCompose(handle -> call(() -> mailboxes.ensureInbox(recipient))
                .thenCompose(inbox -> call(() -> store.append(inbox, handle, prefix, Flags.EMPTY,
                        envelope.receivedAt()))
                        .thenApply(result -> {
                            long uid = result.record().uid();
                            index(envelope, inbox, uid, TraceHeaders.prepend(prefix, content));
                            return (RecipientOutcome) new RecipientOutcome.Delivered(recipient, inbox, uid,
                                    result.record().size());
                        })))
                .exceptionally(e -> {
                    Throwable cause = unwrap(e);
                    LOG.warn("lmtp.store_failed id={} recipient={} error={}", envelope.id(), recipient,
                            describe(cause));
                    return new RecipientOutcome.Failed(recipient, cause);
                });
    }

    private void index(Envelope envelope, Mailbox inbox, long uid, byte[] message) {
        call(() -> indexer.index(inbox, uid, message)).whenComplete((v, e) -> {
            if (e != null) {
                LOG.warn("lmtp.index_failed id={} mailbox={} uid={} error={}", envelope.id(), inbox.id(), uid,
                        describe(unwrap(e)));
            }
        });
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
