package io.stratusmail.storage.cassandra.verify;

/**
 * A user's quota usage as verify recounted it (RFC 9208 resources MESSAGE and STORAGE): the sums over the
 * user's selectable mailboxes of the counted message rows. Printed as
 * {@code verify: user=U usage mailboxes=N messages=M size=S} (size in octets).
 */
public record UserUsage(String user, long mailboxes, long messages, long size) {

    public String line() {
        return "verify: user=" + Finding.quote(user) + " usage mailboxes=" + mailboxes + " messages=" + messages
                + " size=" + size;
    }
}
