package io.stratusmail.mailbox.quota;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * Effective limits of one user (or the node-wide defaults); an empty value means unlimited.
 *
 * @param storage  most octets (sum of RFC822.SIZE) the user may hold, 0 or more
 * @param messages most messages the user may hold, 0 or more
 */
public record QuotaLimits(OptionalLong storage, OptionalLong messages) {

    /** No limit on any resource. */
    public static final QuotaLimits UNLIMITED = new QuotaLimits(OptionalLong.empty(), OptionalLong.empty());

    public QuotaLimits {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(messages, "messages");
        if (storage.isPresent() && storage.getAsLong() < 0 || messages.isPresent() && messages.getAsLong() < 0) {
            throw new IllegalArgumentException("quota limits must not be negative: storage=" + storage
                    + " messages=" + messages);
        }
    }

    /** Whether no resource is limited (then usage need not be computed). */
    public boolean unlimited() {
        return storage.isEmpty() && messages.isEmpty();
    }

    /** The limit of one resource; empty when unlimited. */
    public OptionalLong limit(QuotaResource resource) {
        return resource == QuotaResource.STORAGE ? storage : messages;
    }

    /**
     * Fails when adding {@code messages} messages of {@code octets} octets in total to {@code usage} would go
     * beyond a limit (RFC 9208 section 4.3: the operation fails, nothing is stored). Adding nothing never fails,
     * even when the user is already beyond a lowered limit.
     *
     * @throws OverQuotaException naming the first resource that would be exceeded
     */
    public void check(QuotaUsage usage, long messages, long octets) {
        if (messages < 0 || octets < 0) {
            throw new IllegalArgumentException("negative addition: messages=" + messages + " octets=" + octets);
        }
        if (messages > 0 && this.messages.isPresent() && usage.messages() + messages > this.messages.getAsLong()) {
            throw new OverQuotaException(QuotaResource.MESSAGE, this.messages.getAsLong(), usage.messages(),
                    messages);
        }
        if (octets > 0 && storage.isPresent() && usage.storage() + octets > storage.getAsLong()) {
            throw new OverQuotaException(QuotaResource.STORAGE, storage.getAsLong(), usage.storage(), octets);
        }
    }
}
