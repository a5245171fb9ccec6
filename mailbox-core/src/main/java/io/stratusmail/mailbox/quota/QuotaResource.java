package io.stratusmail.mailbox.quota;

/** The quota resources this server limits (RFC 9208 section 5). */
public enum QuotaResource {

    /**
     * {@code STORAGE} (RFC 9208 section 5.1): the sum of the messages' RFC822.SIZE. Stored and checked in
     * octets; reported on the wire in units of 1024 octets.
     */
    STORAGE,

    /** {@code MESSAGE} (RFC 9208 section 5.2): the number of messages in all the user's mailboxes. */
    MESSAGE
}
