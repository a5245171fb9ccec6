package io.stratusmail.mailbox.message;

import io.stratusmail.mailbox.user.Username;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Which messages each user received recently, by digest: lets LMTP answer a retried delivery (an MTA that lost
 * the {@code 250} sends the same message again, RFC 5321 section 4.5.4.1) without storing it twice.
 *
 * <p>A digest is the 32-octet SHA-256 of the message as the client sent it (before the trace fields this server
 * adds). Exactly once, even when an append's outcome is unknown (the store failed while committing and may
 * complete the write later): the delivery path {@link #find finds} the record before appending; with none it
 * {@link #record(Username, byte[], Delivery, Duration) records} the target mailbox and stored content BEFORE the
 * append (a failed record fails the delivery, nothing is stored), then appends. A retry that finds a record asks
 * the store whether that append committed ({@link MessageStore#findAppended}): if so it is a duplicate, else it
 * is delivered again and the record overwritten. Records expire after the window given to {@code record}.
 * Implementations are shared by every node (the record must be visible to a retry arriving at another node or
 * after a restart), never block, and fail their stage with
 * {@link io.stratusmail.mailbox.StorageUnavailableException} when the store cannot answer.
 */
public interface DeliveryLog {

    /** Length of a digest, in octets (SHA-256). */
    int DIGEST_LENGTH = 32;

    /** Longest window a record may be kept, so that records stay bounded in time: 30 days. */
    Duration MAX_WINDOW = Duration.ofDays(30);

    /**
     * What a record says about a delivery.
     *
     * @param mailbox   the mailbox the message was (being) appended to; null for {@link #STORED}
     * @param contentId the {@link StoredContent#id()} it was appended with; null exactly when {@code mailbox} is
     */
    record Delivery(io.stratusmail.mailbox.MailboxId mailbox, java.util.UUID contentId) {

        /** A record that the message was stored, target unknown (written after the append, before schema V10). */
        public static final Delivery STORED = new Delivery(null, null);

        public Delivery {
            if ((mailbox == null) != (contentId == null)) {
                throw new IllegalArgumentException("mailbox and contentId are both given or both null");
            }
        }

        /** Whether the record itself proves the message was stored (no append to check). */
        public boolean stored() {
            return mailbox == null;
        }
    }

    /**
     * The record for this user and digest within the window given when it was written, empty when none.
     *
     * @throws IllegalArgumentException (in the stage or directly) when {@code digest} is not {@value #DIGEST_LENGTH}
     *                                  octets
     */
    CompletionStage<java.util.Optional<Delivery>> find(Username recipient, byte[] digest);

    /**
     * Writes the record for this user and digest, replacing any earlier one; {@link #find} returns it for
     * {@code window} from now (rounded up to whole seconds by stores that keep seconds). Idempotent.
     *
     * @param delivery where the message is appended; written before the append (see the class description)
     * @param window   more than zero, at most {@link #MAX_WINDOW}
     * @throws IllegalArgumentException (in the stage or directly) for a bad digest length or window
     */
    CompletionStage<Void> record(Username recipient, byte[] digest, Delivery delivery, Duration window);

    /**
     * Whether a record exists for this user and digest ({@link #find} is not empty).
     *
     * @throws IllegalArgumentException (in the stage or directly) for a bad digest length
     */
    default CompletionStage<Boolean> seen(Username recipient, byte[] digest) {
        return find(recipient, digest).thenApply(java.util.Optional::isPresent);
    }

    /**
     * Records that the message was stored for {@code recipient}, target unknown ({@link Delivery#STORED}): a
     * later {@link #find} makes it a duplicate without asking the store.
     *
     * @param window more than zero, at most {@link #MAX_WINDOW}
     * @throws IllegalArgumentException (in the stage or directly) for a bad digest length or window
     */
    default CompletionStage<Void> record(Username recipient, byte[] digest, Duration window) {
        return record(recipient, digest, Delivery.STORED, window);
    }

    /** A log that keeps nothing: every message is new (deduplication off). */
    DeliveryLog NONE = new DeliveryLog() {
        @Override
        public CompletionStage<java.util.Optional<Delivery>> find(Username recipient, byte[] digest) {
            return CompletableFuture.completedFuture(java.util.Optional.empty());
        }

        @Override
        public CompletionStage<Void> record(Username recipient, byte[] digest, Delivery delivery, Duration window) {
            return CompletableFuture.completedFuture(null);
        }
    };

    /** Checks the arguments of {@link #record} and {@link #seen}; for implementations. */
    static void check(byte[] digest, Duration window) {
        if (digest == null || digest.length != DIGEST_LENGTH) {
            throw new IllegalArgumentException("digest must be " + DIGEST_LENGTH + " octets (SHA-256)");
        }
        if (window != null && (window.isNegative() || window.isZero() || window.compareTo(MAX_WINDOW) > 0)) {
            throw new IllegalArgumentException("window must be more than 0 and at most " + MAX_WINDOW + ": " + window);
        }
    }
}
