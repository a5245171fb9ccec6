package io.stratusmail.imap.response;

import io.stratusmail.imap.protocol.ImapWriter;
import io.stratusmail.imap.protocol.SequenceSet;
import java.util.List;

/**
 * {@code * VANISHED [(EARLIER)] uid-set} (RFC 7162 section 3.2.10): the messages with these UIDs are gone. Sent
 * instead of {@code EXPUNGE} once QRESYNC is enabled; {@code (EARLIER)} marks UIDs expunged before now (SELECT
 * with QRESYNC, UID FETCH ... VANISHED), which do not change the message count.
 *
 * @param uidSet  the UIDs in {@code sequence-set} wire form ({@link SequenceSet#format}), not empty
 * @param earlier whether this reports earlier expunges
 */
public record VanishedResponse(String uidSet, boolean earlier) implements ImapResponse {

    public VanishedResponse {
        if (uidSet.isEmpty()) {
            throw new IllegalArgumentException("VANISHED needs at least one UID");
        }
    }

    /** VANISHED of these UIDs, ascending, at least one. */
    public VanishedResponse(List<Long> uids, boolean earlier) {
        this(SequenceSet.format(uids), earlier);
    }

    @Override
    public void write(ImapWriter out) {
        out.raw(earlier ? "* VANISHED (EARLIER) " : "* VANISHED ").raw(uidSet).crlf();
    }
}
