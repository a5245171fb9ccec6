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
 * adds). The delivery path asks {@link #seen} before appending and calls {@link #record} only after the append
 * has committed, so a record never stands for a message that is not stored; a crash between the two leaves no
 * record and the retry is stored again (at-least-once, never lost). Records expire after the window given to
 * {@link #record}. Implementations are shared by every node (the record must be visible to a retry arriving at
 * another node or after a restart), never block, and fail their stage with
 * {@link io.stratusmail.mailbox.StorageUnavailableException} when the store cannot answer.
 */
public interface DeliveryLog {

    /** Length of a digest, in octets (SHA-256). */
    int DIGEST_LENGTH = 32;

    /** Longest window a record may be kept, so that records stay bounded in time: 30 days. */
    Duration MAX_WINDOW = Duration.ofDays(30);

    /**
     * Whether {@link #record} was called for this user and digest within the window given then.
     *
     * @throws IllegalArgumentException (in the stage or directly) when {@code digest} is not {@value #DIGEST_LENGTH}
     *                                  octets
     */
    CompletionStage<Boolean> seen(Username recipient, byte[] digest);

    /**
     * Notes that the message with {@code digest} was stored for {@code recipient}; {@link #seen} answers true for
     * {@code window} from now (rounded up to whole seconds by stores that keep seconds). Recording again restarts
     * the window. Idempotent.
     *
     * @param window more than zero, at most {@link #MAX_WINDOW}
     * @throws IllegalArgumentException (in the stage or directly) for a bad digest length or window
     */
    CompletionStage<Void> record(Username recipient, byte[] digest, Duration window);

    /** A log that keeps nothing: every message is new (deduplication off). */
    DeliveryLog NONE = new DeliveryLog() {
        @Override
        public CompletionStage<Boolean> seen(Username recipient, byte[] digest) {
            return CompletableFuture.completedFuture(false);
        }

        @Override
        public CompletionStage<Void> record(Username recipient, byte[] digest, Duration window) {
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
