package io.stratusmail.mailbox.quota;

/**
 * What a user holds, summed over all its mailboxes.
 *
 * @param storage  octets: the sum of every message's RFC822.SIZE
 * @param messages number of messages
 */
public record QuotaUsage(long storage, long messages) {

    /** A user without messages. */
    public static final QuotaUsage NONE = new QuotaUsage(0, 0);

    public QuotaUsage {
        if (storage < 0 || messages < 0) {
            throw new IllegalArgumentException("negative usage: storage=" + storage + " messages=" + messages);
        }
    }

    /** The usage of one resource (octets for STORAGE). */
    public long of(QuotaResource resource) {
        return resource == QuotaResource.STORAGE ? storage : messages;
    }

    QuotaUsage plus(long storage, long messages) {
        return new QuotaUsage(this.storage + storage, this.messages + messages);
    }
}
