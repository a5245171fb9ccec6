package io.stratusmail.imap.quota;

import io.stratusmail.imap.protocol.ImapWriter;
import io.stratusmail.imap.protocol.ModifiedUtf7;
import io.stratusmail.imap.response.ImapResponse;
import java.util.List;

/**
 * {@code * QUOTAROOT mailbox [root ...]} (RFC 9208 section 5.2): the quota roots a mailbox belongs to.
 *
 * @param mailbox the mailbox name in UTF-8 (written in modified UTF-7)
 * @param roots   quota root names; empty when the mailbox has no quota root
 */
public record QuotaRootResponse(String mailbox, List<String> roots) implements ImapResponse {

    public QuotaRootResponse {
        roots = List.copyOf(roots);
    }

    @Override
    public void write(ImapWriter out) {
        out.raw("* QUOTAROOT ").astring(ModifiedUtf7.encode(mailbox));
        for (String root : roots) {
            out.sp().string(root);
        }
        out.crlf();
    }
}
