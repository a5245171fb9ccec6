package io.stratusmail.mailbox.message;

import java.util.Objects;
import java.util.UUID;

/**
 * An opaque handle to message octets stored once by {@link MessageStore#storeContent} and shared by every
 * message appended with it ({@link MessageStore#append(io.stratusmail.mailbox.Mailbox, StoredContent, byte[],
 * Flags, java.time.Instant)}), for example all recipients of one LMTP transaction.
 *
 * <p>Validity: a handle may be used for appends only shortly after it was returned. Content that no message
 * refers to is an orphan which the store's collector removes once it is older than the collector's grace
 * period (one hour by default); an append with a handle older than that may fail or, worse, refer to
 * collected octets. Use it within one delivery or one command, never keep it.
 *
 * @param id   the store's id of the octets
 * @param size their length in octets, 0 or more
 */
public record StoredContent(UUID id, long size) {

    public StoredContent {
        Objects.requireNonNull(id, "id");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
    }
}
