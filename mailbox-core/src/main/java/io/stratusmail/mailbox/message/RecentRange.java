package io.stratusmail.mailbox.message;

/**
 * The UIDs whose {@code \Recent} flag one session holds (RFC 3501 section 2.3.2): every message with a UID
 * from {@code fromUid} (inclusive) to {@code toUid} (exclusive) is {@code \Recent} for the session that
 * claimed the range and for no other session, on any node.
 *
 * @param fromUid first UID of the range, at least 1
 * @param toUid   UIDNEXT when the range was claimed; equal to {@code fromUid} when nothing was new
 */
public record RecentRange(long fromUid, long toUid) {

    public RecentRange {
        if (fromUid < 1 || toUid < fromUid) {
            throw new IllegalArgumentException("bad recent range " + fromUid + ".." + toUid);
        }
    }

    /** Whether the message with this UID is {@code \Recent} for the claiming session. */
    public boolean contains(long uid) {
        return uid >= fromUid && uid < toUid;
    }

    public boolean isEmpty() {
        return toUid == fromUid;
    }
}
