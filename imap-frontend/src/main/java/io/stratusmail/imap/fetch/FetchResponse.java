package io.stratusmail.imap.fetch;

import io.stratusmail.imap.protocol.ImapWriter;
import io.stratusmail.imap.response.ImapResponse;
import java.util.List;

/**
 * {@code * msn FETCH (item ...)} (RFC 3501 section 7.4.2): data of one message, also used unsolicited to
 * report flag changes.
 *
 * @param msn   the message sequence number
 * @param items the data items, in the order written
 */
public record FetchResponse(long msn, List<FetchItem> items) implements ImapResponse {

    @Override
    public void write(ImapWriter out) {
        out.raw("* ").number(msn).raw(" FETCH (");
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.sp();
            }
            items.get(i).write(out);
        }
        out.raw(')').crlf();
    }
}
